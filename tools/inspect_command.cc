#include "camlsym/tools/inspect_command.h"

#include <string_view>

#include "camlsym/formats/cmx.h"
#include "camlsym/formats/cmxs.h"
#include "camlsym/linking_state/plugin_header.h"
#include "camlsym/symbols/backend_symbol.h"
#include "camlsym/target_system/target_system.h"
#include "camlsym/tools/json.h"
#include "fmt/format.h"
#include "fmt/ranges.h"

namespace camlsym {
namespace {

constexpr std::string_view kUsage =
    "usage: camlsym inspect [--json] [--] FILE...\n"
    "  FILE        a .cmx, .cmxa or .cmxs file written by ocamlopt 4.13 or "
    "5.1\n"
    "              to 5.4 (or a plugin linked by camlsym link --shared);\n"
    "              printed as that version's ocamlobjinfo -no-approx prints "
    "it\n"
    "  --json      one JSON object per file\n"
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
void AppendImports(const std::vector<formats::Import>& cmi,
                   const std::vector<formats::Import>& cmx, std::string& out) {
  out += "Interfaces imported:\n";
  for (const formats::Import& i : cmi) {
    out += fmt::format("\t{}\t{}\n", CrcText(i.crc), i.name);
  }
  out += "Implementations imported:\n";
  for (const formats::Import& i : cmx) {
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
                        const std::vector<formats::Import>& cmi,
                        const std::vector<formats::Import>& cmx,
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

void AppendJsonImports(const std::vector<formats::Import>& v,
                       std::string& out) {
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

void AppendUnitJson(const formats::UnitInfos& u, const formats::Digest& crc,
                    std::string& out) {
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

// Renders \p path into \p out; an error names the file.
absl::Status Inspect(const std::string& path, bool json, std::string& out) {
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
  if (json) {
    out += "{\"file\": ";
    AppendJsonString(path, out);
    out += fmt::format(", \"kind\": \"{}\", \"units\": [", kind);
    for (size_t i = 0; i < units.size(); ++i) {
      if (i > 0) out += ", ";
      AppendUnitJson(units[i].first, units[i].second, out);
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
  for (const auto& [info, crc] : units) AppendUnitText(info, crc, out);
  return absl::OkStatus();
}

}  // namespace

int RunInspect(const std::vector<std::string>& args, std::FILE* /*in*/,
               std::FILE* out, std::FILE* err) {
  bool json = false;
  std::vector<std::string> files;
  bool options_done = false;
  for (const std::string& a : args) {
    if (options_done) {
      files.push_back(a);
    } else if (a == "--") {
      options_done = true;
    } else if (a == "--json") {
      json = true;
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
    absl::Status s = Inspect(f, json, text);
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
