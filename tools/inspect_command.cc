#include "camlsym/tools/inspect_command.h"

#include <string_view>

#include "camlsym/formats/cmx.h"
#include "camlsym/formats/cmxs.h"
#include "camlsym/linking_state/linked_unit.h"
#include "camlsym/linking_state/plugin_header.h"
#include "camlsym/symbols/asm_symbol.h"
#include "camlsym/symbols/backend_symbol.h"
#include "camlsym/target_system/target_system.h"
#include "camlsym/tools/json.h"
#include "fmt/format.h"
#include "fmt/ranges.h"

namespace camlsym {
namespace {

constexpr std::string_view kUsage =
    "usage: camlsym inspect [--json] [--symbols] [--target=TRIPLE] [--] "
    "FILE...\n"
    "  FILE        a .cmx, .cmxa or .cmxs file written by ocamlopt 4.13 or "
    "5.1\n"
    "              to 5.4 (or a plugin linked by camlsym link --shared);\n"
    "              printed as that version's ocamlobjinfo -no-approx prints "
    "it\n"
    "  --json      one JSON object per file\n"
    "  --symbols   after each unit of a .cmx or .cmxa, its object file (the\n"
    "              .o beside the .cmx, the .a beside the .cmxa) and its\n"
    "              symbols: the OCaml name, then the assembler name\n"
    "  --target=TRIPLE  the target whose assembler names --symbols and\n"
    "              --json give (escapes, `_` on macOS); default the host\n"
    "  --          end of the options: every later argument is a FILE\n"
    "  -h, --help  print this help and exit\n";

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.substr(s.size() - suffix.size()) == suffix;
}

std::string CrcText(const std::optional<formats::Digest>& crc) {
  return crc.has_value() ? formats::DigestToHex(*crc) : std::string(32, '-');
}

// ocamlobjinfo's two import lists, as it prints them for .cmx and .cmxs.
void AppendImports(const formats::Crcs& cmi, const formats::Crcs& cmx,
                   std::string& out) {
  out += "Interfaces imported:\n";
  for (const formats::Import i : cmi) {
    out += fmt::format("\t{}\t{}\n", CrcText(i.crc), i.name);
  }
  out += "Implementations imported:\n";
  for (const formats::Import i : cmx) {
    out += fmt::format("\t{}\t{}\n", CrcText(i.crc), i.name);
  }
}

// The unit's entry symbol, mangled as the unit's OCaml version mangles it
// (the separator of 4.13 is `__`, of 5.x `.`).
BackendSymbol EntryOf(const formats::UnitInfos& u) {
  return BackendSymbol::Marker(
      u.symbol, UnitMarker::kEntry,
      ObjectFile::OtherUnit(CompilationUnit::Startup()),
      TargetSystem::Host().WithOcamlVersion(u.version).mangling_scheme());
}

// objinfo.ml `print_general_infos`: name, CRC, globals, imports.
void AppendGeneralInfos(std::string_view name, const formats::Digest& crc,
                        const std::vector<std::string>& defines,
                        const formats::Crcs& cmi, const formats::Crcs& cmx,
                        std::string& out) {
  out += fmt::format("Name: {}\n", name);
  out += fmt::format("CRC of implementation: {}\n", formats::DigestToHex(crc));
  out += "Globals defined:\n";
  for (const std::string& d : defines) out += fmt::format("\t{}\n", d);
  AppendImports(cmi, cmx, out);
}

// objinfo.ml `print_cmx_infos` with -no-approx; `For pack:` from 5.1.
void AppendUnitText(const formats::UnitInfos& u, const formats::Digest& crc,
                    std::string& out) {
  AppendGeneralInfos(u.name, crc, u.defines, u.imports_cmi, u.imports_cmx, out);
  // -no-approx without -no-code: Flambda's header, not its contents.
  out += u.export_info_kind == formats::ExportInfoKind::kClambda
             ? "Clambda unit\n"
             : "Flambda export information:\n";
  auto arities = [](const std::vector<int>& v) {
    std::string s;
    for (int n : v) s += fmt::format(" {}", n);
    return s;
  };
  out += fmt::format("Currying functions:{}\n", arities(u.curry_fun));
  out += fmt::format("Apply functions:{}\n", arities(u.apply_fun));
  out += fmt::format("Send functions:{}\n", arities(u.send_fun));
  out += fmt::format("Force link: {}\n", u.force_link ? "YES" : "no");
  if (formats::HasForPackField(u.version)) {
    out += fmt::format("For pack: {}\n", u.for_pack.has_value()
                                             ? "YES: " + *u.for_pack
                                             : std::string("no"));
  }
}

void AppendJsonStrings(const std::vector<std::string>& v, std::string& out) {
  out += '[';
  for (size_t i = 0; i < v.size(); ++i) {
    if (i > 0) out += ", ";
    AppendJsonString(v[i], out);
  }
  out += ']';
}

void AppendJsonImports(const formats::Crcs& v, std::string& out) {
  out += '[';
  for (size_t i = 0; i < v.size(); ++i) {
    if (i > 0) out += ", ";
    out += "{\"name\": ";
    AppendJsonString(v[i].name, out);
    out += ", \"crc\": ";
    if (v[i].crc.has_value()) {
      AppendJsonString(formats::DigestToHex(*v[i].crc), out);
    } else {
      out += "null";
    }
    out += '}';
  }
  out += ']';
}

// A symbol of a unit's object file: its name as OCaml's backend names it
// (compilenv.ml `make_symbol`) and as the assembler writes it for the
// target (emitaux.ml `emit_symbol`: escaped, with the global prefix).
struct UnitSymbol {
  std::string name;
  std::string asm_name;
};

// The unit's object file and the symbols it defines for the rest of the
// link, from the unit typed once (linking_state/linked_unit.h): for each
// module it defines, the module block and the markers.
struct UnitObject {
  std::string object_path;
  std::vector<UnitSymbol> symbols;
};

absl::StatusOr<UnitObject> UnitObjectOf(const formats::UnitInfos& u,
                                        const std::string& path,
                                        const TargetSystem& target) {
  absl::StatusOr<LinkedUnit> linked = TypeUnitInfos(u, path);
  if (!linked.ok()) return linked.status();
  const TargetSystem t = target.WithOcamlVersion(u.version);
  const ManglingScheme& scheme = t.mangling_scheme();
  // Seen from another file (the startup), as the link refers to them.
  AsmContext ctx(t.asm_syntax(), ObjectFile::Startup());
  UnitObject out{std::move(linked->object_path), {}};
  auto add = [&](const BackendSymbol& b) {
    out.symbols.push_back({b.name(), ctx.GetOrCreateSymbol(b)->encoded()});
  };
  for (const LinkedModule& m : linked->defines) {
    add(m.ModuleBlock(scheme));
    for (UnitMarker marker : kUnitMarkers) add(m.Marker(marker, scheme));
  }
  return out;
}

void AppendUnitSymbolsText(const UnitObject& o, std::string& out) {
  out += fmt::format("Object file: {}\nSymbols:\n", o.object_path);
  for (const UnitSymbol& s : o.symbols) {
    out += fmt::format("\t{}\t{}\n", s.name, s.asm_name);
  }
}

void AppendUnitJson(const formats::UnitInfos& u, const formats::Digest& crc,
                    const UnitObject& object, std::string& out) {
  out += "{\"name\": ";
  AppendJsonString(u.name, out);
  out += ", \"ocaml_version\": ";
  AppendJsonString(formats::VersionName(u.version), out);
  out += ", \"for_pack\": ";
  if (u.for_pack.has_value()) {
    AppendJsonString(*u.for_pack, out);
  } else {
    out += "null";
  }
  out += ", \"symbol\": ";
  AppendJsonString(u.symbol, out);
  out += ", \"module_block\": ";
  AppendJsonString(
      BackendSymbol::ModuleBlock(u.symbol, ObjectFile::Startup()).name(), out);
  out += ", \"entry\": ";
  AppendJsonString(EntryOf(u).name(), out);
  out += ", \"crc\": ";
  AppendJsonString(formats::DigestToHex(crc), out);
  out += ", \"defines\": ";
  AppendJsonStrings(u.defines, out);
  out += ", \"imports_cmi\": ";
  AppendJsonImports(u.imports_cmi, out);
  out += ", \"imports_cmx\": ";
  AppendJsonImports(u.imports_cmx, out);
  out += fmt::format(
      ", \"curry_functions\": [{}], \"apply_functions\": [{}], "
      "\"send_functions\": [{}], \"force_link\": {}}}",
      fmt::join(u.curry_fun, ", "), fmt::join(u.apply_fun, ", "),
      fmt::join(u.send_fun, ", "), u.force_link ? "true" : "false");
  out.pop_back();  // the unit's closing brace
  out += ", \"object_file\": ";
  AppendJsonString(object.object_path, out);
  out += ", \"symbols\": [";
  for (size_t i = 0; i < object.symbols.size(); ++i) {
    if (i > 0) out += ", ";
    out += "{\"name\": ";
    AppendJsonString(object.symbols[i].name, out);
    out += ", \"asm_name\": ";
    AppendJsonString(object.symbols[i].asm_name, out);
    out += '}';
  }
  out += "]}";
}

// Renders the plugin header of the .cmxs \p path into \p out, as
// ocamlobjinfo does (text) or as JSON; an error names the file.
absl::Status InspectPlugin(const std::string& path, bool json,
                           std::string& out) {
  absl::StatusOr<std::string> bytes = formats::ReadCmxsPluginHeader(path);
  if (!bytes.ok()) return bytes.status();
  absl::StatusOr<PluginHeader> h = ParsePluginHeader(*bytes);
  if (!h.ok()) {
    return absl::Status(
        h.status().code(),
        fmt::format("{}: {}: {}", path, formats::kPluginHeaderSymbol,
                    std::string(h.status().message())));
  }
  if (json) {
    out += "{\"file\": ";
    AppendJsonString(path, out);
    out += ", \"kind\": \"cmxs\", \"magic\": ";
    AppendJsonString(h->magic, out);
    out += ", \"ocaml_version\": ";
    AppendJsonString(formats::VersionName(h->version), out);
    out += ", \"units\": [";
    for (size_t i = 0; i < h->units.size(); ++i) {
      const DynUnit& u = h->units[i];
      if (i > 0) out += ", ";
      out += "{\"name\": ";
      AppendJsonString(u.name, out);
      out += ", \"crc\": ";
      AppendJsonString(formats::DigestToHex(u.crc), out);
      out += ", \"defines\": ";
      AppendJsonStrings(u.defines, out);
      out += ", \"imports_cmi\": ";
      AppendJsonImports(u.imports_cmi, out);
      out += ", \"imports_cmx\": ";
      AppendJsonImports(u.imports_cmx, out);
      out += '}';
    }
    out += "]}\n";
    return absl::OkStatus();
  }
  out += fmt::format("File {}\n", path);
  for (const DynUnit& u : h->units) {
    AppendGeneralInfos(u.name, u.crc, u.defines, u.imports_cmi, u.imports_cmx,
                       out);
  }
  return absl::OkStatus();
}

// What to print besides ocamlobjinfo's text.
struct InspectOptions {
  bool json = false;
  bool symbols = false;
  TargetSystem target = TargetSystem::Host();
};

// Renders \p path into \p out; an error names the file.
absl::Status Inspect(const std::string& path, const InspectOptions& options,
                     std::string& out) {
  const bool json = options.json;
  if (EndsWith(path, ".cmxs")) return InspectPlugin(path, json, out);
  std::vector<std::pair<formats::UnitInfos, formats::Digest>> units;
  std::vector<std::string> ccobjs, ccopts;
  std::string_view kind;
  if (EndsWith(path, ".cmx")) {
    absl::StatusOr<formats::CmxFile> cmx = formats::ReadCmx(path);
    if (!cmx.ok()) return cmx.status();
    units.emplace_back(cmx->info, cmx->crc);
    kind = "cmx";
  } else if (EndsWith(path, ".cmxa")) {
    absl::StatusOr<formats::CmxaFile> cmxa = formats::ReadCmxa(path);
    if (!cmxa.ok()) return cmxa.status();
    for (const formats::LibUnit& u : cmxa->units) {
      units.emplace_back(u.info, u.crc);
    }
    ccobjs = cmxa->ccobjs;
    ccopts = cmxa->ccopts;
    kind = "cmxa";
  } else {
    return absl::InvalidArgumentError(
        fmt::format("{}: not a .cmx, .cmxa or .cmxs file", path));
  }
  std::vector<UnitObject> objects;
  if (json || options.symbols) {
    for (const auto& [info, crc] : units) {
      absl::StatusOr<UnitObject> o = UnitObjectOf(info, path, options.target);
      if (!o.ok()) return o.status();
      objects.push_back(*std::move(o));
    }
  }
  if (json) {
    out += "{\"file\": ";
    AppendJsonString(path, out);
    out += fmt::format(", \"kind\": \"{}\", \"units\": [", kind);
    for (size_t i = 0; i < units.size(); ++i) {
      if (i > 0) out += ", ";
      AppendUnitJson(units[i].first, units[i].second, objects[i], out);
    }
    out += "], \"ccobjs\": ";
    AppendJsonStrings(ccobjs, out);
    out += ", \"ccopts\": ";
    AppendJsonStrings(ccopts, out);
    out += "}\n";
    return absl::OkStatus();
  }
  out += fmt::format("File {}\n", path);
  if (kind == "cmxa") {
    // objinfo.ml `print_cmxa_infos`: the lists in command-line order (they
    // are stored reversed), each item after a space.
    out += "Extra C object files:";
    for (auto it = ccobjs.rbegin(); it != ccobjs.rend(); ++it) {
      out += fmt::format(" {}", *it);
    }
    out += "\nExtra C options:";
    for (auto it = ccopts.rbegin(); it != ccopts.rend(); ++it) {
      out += fmt::format(" {}", *it);
    }
    out += "\n";
  }
  for (size_t i = 0; i < units.size(); ++i) {
    AppendUnitText(units[i].first, units[i].second, out);
    if (options.symbols) AppendUnitSymbolsText(objects[i], out);
  }
  return absl::OkStatus();
}

}  // namespace

int RunInspect(const std::vector<std::string>& args, std::FILE* /*in*/,
               std::FILE* out, std::FILE* err) {
  InspectOptions options;
  std::vector<std::string> files;
  bool options_done = false;
  for (const std::string& a : args) {
    if (options_done) {
      files.push_back(a);
    } else if (a == "--") {
      options_done = true;
    } else if (a == "--json") {
      options.json = true;
    } else if (a == "--symbols") {
      options.symbols = true;
    } else if (a == "--target") {
      fmt::print(err,
                 "camlsym inspect: --target needs a value: --target=TRIPLE\n{}",
                 kUsage);
      return 2;
    } else if (a.starts_with("--target=")) {
      absl::StatusOr<TargetSystem> t =
          TargetSystem::Parse(std::string_view(a).substr(9));
      if (!t.ok()) {
        fmt::print(err, "camlsym inspect: {}\n",
                   std::string(t.status().message()));
        return 2;
      }
      options.target = *t;
    } else if (a == "--help" || a == "-h") {
      fmt::print(out, "{}", kUsage);
      return 0;
    } else if (!a.empty() && a[0] == '-') {
      fmt::print(err, "camlsym inspect: unknown option '{}'\n{}", a, kUsage);
      return 2;
    } else {
      files.push_back(a);
    }
  }
  if (files.empty()) {
    fmt::print(err, "camlsym inspect: no file given\n{}", kUsage);
    return 2;
  }
  int status = 0;
  for (const std::string& f : files) {
    std::string text;
    absl::Status s = Inspect(f, options, text);
    if (!s.ok()) {
      fmt::print(err, "camlsym inspect: {}\n", std::string(s.message()));
      status = 1;
      continue;
    }
    fmt::print(out, "{}", text);
  }
  return status;
}

}  // namespace camlsym
