#include "camlsym/tools/demangle_units.h"

#include <gelf.h>
#include <libelf.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <system_error>
#include <utility>

#include "absl/status/statusor.h"
#include "camlsym/formats/cmx.h"
#include "camlsym/formats/cmxs.h"
#include "camlsym/formats/marshal_reader.h"
#include "camlsym/formats/marshal_value.h"
#include "fmt/format.h"

namespace camlsym {
namespace {

namespace fs = std::filesystem;
using formats::MarshalData;
using formats::MarshalGraph;
using formats::Value;

constexpr std::size_t kMagicBytes = 12;  // "Caml1999Y030"
constexpr std::string_view kGlobalsMapSymbol = "caml_globals_map";

absl::Status Malformed(std::string_view file, std::string_view what,
                       const absl::Status& cause) {
  return absl::InvalidArgumentError(
      fmt::format("{}: {}: {}", file, what, std::string(cause.message())));
}

// 5.x writes a packed unit's symbol `P.Sub`; the set spells it `P__Sub`.
std::string FourSpelling(std::string_view symbol) {
  std::string out;
  for (char c : symbol) {
    if (c == '.') {
      out.append("__");
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// Adds \p symbol and, for a pack, `<symbol>__<d>` for each other unit name
// of \p defines.
absl::Status AddUnit(const MarshalGraph& g, std::string_view symbol,
                     std::string_view name, Value defines,
                     std::string_view file, KnownUnits& units) {
  const std::string base = FourSpelling(symbol);
  units.Add(base);
  absl::StatusOr<std::vector<Value>> ds = g.GetList(defines);
  if (!ds.ok()) return Malformed(file, "unit defines", ds.status());
  for (Value v : *ds) {
    absl::StatusOr<std::string_view> d = g.GetString(v);
    if (!d.ok()) return Malformed(file, "unit defines", d.status());
    if (*d != name) units.Add(fmt::format("{}__{}", base, *d));
  }
  return absl::OkStatus();
}

// One `Cmx_format.unit_infos`.
absl::Status AddUnitInfos(const MarshalGraph& g, Value infos,
                          std::string_view file, KnownUnits& units) {
  absl::StatusOr<formats::BlockView> b = g.GetBlock(infos);
  if (!b.ok()) return Malformed(file, "unit_infos", b.status());
  if (b->fields.size() < 3) {
    return absl::InvalidArgumentError(
        fmt::format("{}: unit_infos has {} fields, expected at least 3", file,
                    b->fields.size()));
  }
  absl::StatusOr<std::string_view> name = g.GetString(b->fields[0]);
  if (!name.ok()) return Malformed(file, "ui_name", name.status());
  absl::StatusOr<std::string_view> symbol = g.GetString(b->fields[1]);
  if (!symbol.ok()) return Malformed(file, "ui_symbol", symbol.status());
  return AddUnit(g, *symbol, *name, b->fields[2], file, units);
}

absl::StatusOr<MarshalData> ReadAfterMagic(std::string_view bytes,
                                           std::string_view kind_letters,
                                           std::string_view kind,
                                           std::string_view file) {
  if (bytes.size() < kMagicBytes || bytes.substr(0, 8) != "Caml1999" ||
      kind_letters.find(bytes[8]) == std::string_view::npos) {
    return absl::InvalidArgumentError(
        fmt::format("{}: not {} (bad magic number)", file, kind));
  }
  absl::StatusOr<MarshalData> data =
      formats::ReadMarshal(bytes.substr(kMagicBytes), kMagicBytes);
  if (!data.ok()) {
    return absl::Status(
        data.status().code(),
        fmt::format("{}: {}", file, std::string(data.status().message())));
  }
  return data;
}

absl::Status AddCmx(std::string_view bytes, std::string_view file,
                    KnownUnits& units) {
  absl::StatusOr<MarshalData> data =
      ReadAfterMagic(bytes, "Yy", "a .cmx file", file);
  if (!data.ok()) return data.status();
  return AddUnitInfos(data->graph, data->root, file, units);
}

absl::Status AddCmxa(std::string_view bytes, std::string_view file,
                     KnownUnits& units) {
  absl::StatusOr<MarshalData> data =
      ReadAfterMagic(bytes, "Zz", "a .cmxa file", file);
  if (!data.ok()) return data.status();
  const MarshalGraph& g = data->graph;
  absl::StatusOr<formats::BlockView> lib = g.GetBlock(data->root);
  if (!lib.ok() || lib->fields.empty()) {
    return absl::InvalidArgumentError(
        fmt::format("{}: library_infos is not a record", file));
  }
  absl::StatusOr<std::vector<Value>> lib_units = g.GetList(lib->fields[0]);
  if (!lib_units.ok()) return Malformed(file, "lib_units", lib_units.status());
  for (Value pair : *lib_units) {
    absl::StatusOr<absl::Span<const Value>> p = g.GetBlock(pair, 0, 2);
    if (!p.ok()) return Malformed(file, "lib_units element", p.status());
    if (absl::Status s = AddUnitInfos(g, (*p)[0], file, units); !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::Status AddCmxs(std::string_view bytes, std::string_view file,
                     KnownUnits& units) {
  absl::StatusOr<std::string> header =
      formats::ParseCmxsPluginHeader(bytes, file);
  if (!header.ok()) return header.status();
  absl::StatusOr<MarshalData> data = formats::ReadMarshal(*header);
  if (!data.ok()) return Malformed(file, "plugin header", data.status());
  const MarshalGraph& g = data->graph;
  absl::StatusOr<absl::Span<const Value>> dynheader =
      g.GetBlock(data->root, 0, 2);
  if (!dynheader.ok()) return Malformed(file, "dynheader", dynheader.status());
  absl::StatusOr<std::vector<Value>> dynunits = g.GetList((*dynheader)[1]);
  if (!dynunits.ok()) return Malformed(file, "dynu_units", dynunits.status());
  for (Value u : *dynunits) {
    absl::StatusOr<absl::Span<const Value>> unit = g.GetBlock(u, 0, 5);
    if (!unit.ok()) return Malformed(file, "dynunit", unit.status());
    absl::StatusOr<std::string_view> name = g.GetString((*unit)[0]);
    if (!name.ok()) return Malformed(file, "dynu_name", name.status());
    if (absl::Status s = AddUnit(g, *name, *name, (*unit)[4], file, units);
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

struct ElfCloser {
  void operator()(Elf* e) const { elf_end(e); }
};

// One defined symbol of an executable's .symtab.
struct ElfSymbol {
  std::string name;
  std::uint64_t address;
};

// A unit's code or data range, from its markers.
struct UnitRange {
  std::uint64_t begin;
  std::uint64_t end;
  std::string unit;
};

// Records, for each `caml` symbol of the executable's .symtab, the unit
// whose marker range holds its address (the innermost, for packs).
absl::Status AddExecutableSymbols(std::string_view bytes, std::string_view file,
                                  KnownUnits& units) {
  if (elf_version(EV_CURRENT) == EV_NONE) {
    return absl::InternalError(fmt::format("{}: libelf is unusable: {}", file,
                                           elf_errmsg(elf_errno())));
  }
  std::unique_ptr<Elf, ElfCloser> elf(
      elf_memory(const_cast<char*>(bytes.data()), bytes.size()));
  if (elf == nullptr || elf_kind(elf.get()) != ELF_K_ELF) {
    return absl::InvalidArgumentError(fmt::format(
        "{}: not a readable ELF file: {}", file, elf_errmsg(elf_errno())));
  }
  std::vector<ElfSymbol> symbols;
  for (Elf_Scn* scn = elf_nextscn(elf.get(), nullptr); scn != nullptr;
       scn = elf_nextscn(elf.get(), scn)) {
    GElf_Shdr shdr;
    if (gelf_getshdr(scn, &shdr) == nullptr || shdr.sh_type != SHT_SYMTAB ||
        shdr.sh_entsize == 0) {
      continue;
    }
    Elf_Data* data = elf_getdata(scn, nullptr);
    if (data == nullptr) continue;
    const std::size_t count = shdr.sh_size / shdr.sh_entsize;
    for (std::size_t i = 0; i < count; ++i) {
      GElf_Sym sym;
      if (gelf_getsym(data, static_cast<int>(i), &sym) == nullptr) break;
      if (sym.st_shndx == SHN_UNDEF) continue;
      const char* n = elf_strptr(elf.get(), shdr.sh_link, sym.st_name);
      if (n == nullptr || std::string_view(n).substr(0, 4) != "caml") continue;
      symbols.push_back({n, sym.st_value});
    }
  }
  // Marker pairs, by unit.
  std::map<std::string, std::array<std::optional<std::uint64_t>, 4>> markers;
  std::string unit;
  for (const ElfSymbol& s : symbols) {
    std::optional<DemangledSymbol> d = Demangle(s.name);
    if (!d || d->category != SymbolCategory::kUnitMarker) continue;
    int slot = -1;
    switch (*d->marker) {
      case UnitMarker::kCodeBegin:
        slot = 0;
        break;
      case UnitMarker::kCodeEnd:
        slot = 1;
        break;
      case UnitMarker::kDataBegin:
        slot = 2;
        break;
      case UnitMarker::kDataEnd:
        slot = 3;
        break;
      default:
        break;
    }
    if (slot < 0) continue;
    unit.clear();
    AppendUnitName(*d, unit, "__");
    markers[unit][slot] = s.address;
  }
  std::vector<UnitRange> ranges;
  for (const auto& [u, m] : markers) {
    for (int k : {0, 2}) {
      if (m[k] && m[k + 1] && *m[k] <= *m[k + 1]) {
        ranges.push_back({*m[k], *m[k + 1], u});
      }
    }
  }
  std::sort(
      ranges.begin(), ranges.end(),
      [](const UnitRange& a, const UnitRange& b) { return a.begin < b.begin; });
  for (const ElfSymbol& s : symbols) {
    const UnitRange* best = nullptr;
    for (const UnitRange& r : ranges) {
      if (r.begin > s.address) break;
      // A `__code_end` / `__data_end` label belongs to its unit too.
      if (s.address <= r.end &&
          (best == nullptr || r.end - r.begin < best->end - best->begin)) {
        best = &r;
      }
    }
    if (best != nullptr) units.AddDefinition(s.name, best->unit);
  }
  return absl::OkStatus();
}

absl::Status AddExecutable(std::string_view bytes, std::string_view file,
                           KnownUnits& units) {
  absl::StatusOr<std::string> map = formats::ParseElfOcamlString(
      bytes, kGlobalsMapSymbol,
      "a .cmx, .cmxa or .cmxs file or an OCaml executable", file);
  if (!map.ok()) return map.status();
  absl::StatusOr<MarshalData> data = formats::ReadMarshal(*map);
  if (!data.ok()) return Malformed(file, kGlobalsMapSymbol, data.status());
  const MarshalGraph& g = data->graph;
  absl::StatusOr<std::vector<Value>> entries = g.GetList(data->root);
  if (!entries.ok())
    return Malformed(file, kGlobalsMapSymbol, entries.status());
  for (Value e : *entries) {
    absl::StatusOr<absl::Span<const Value>> t = g.GetBlock(e, 0, 4);
    if (!t.ok()) return Malformed(file, "globals map entry", t.status());
    absl::StatusOr<std::string_view> name = g.GetString((*t)[0]);
    if (!name.ok()) return Malformed(file, "globals map name", name.status());
    absl::StatusOr<std::optional<Value>> impl = g.GetOption((*t)[2]);
    if (!impl.ok()) return Malformed(file, "globals map CRC", impl.status());
    if (!impl->has_value()) continue;  // An interface only.
    if (absl::Status s = AddUnit(g, *name, *name, (*t)[3], file, units);
        !s.ok()) {
      return s;
    }
  }
  return AddExecutableSymbols(bytes, file, units);
}

}  // namespace

void KnownUnits::Add(std::string unit_symbol) {
  symbols_.insert(std::move(unit_symbol));
}

bool KnownUnits::Contains(std::string_view unit_symbol) const {
  return symbols_.find(unit_symbol) != symbols_.end();
}

void KnownUnits::AddDefinition(std::string symbol, std::string unit_symbol) {
  defining_unit_.insert_or_assign(std::move(symbol), std::move(unit_symbol));
}

std::optional<std::string_view> KnownUnits::DefiningUnit(
    std::string_view symbol) const {
  auto it = defining_unit_.find(symbol);
  if (it == defining_unit_.end()) return std::nullopt;
  return std::string_view(it->second);
}

absl::Status KnownUnits::AddFile(const std::string& path) {
  absl::StatusOr<std::string> bytes =
      formats::ReadFileBounded(path, formats::kMaxCmxFileSizeBytes);
  if (!bytes.ok()) return bytes.status();
  const std::string ext = fs::path(path).extension().string();
  if (ext == ".cmx") return AddCmx(*bytes, path, *this);
  if (ext == ".cmxa") return AddCmxa(*bytes, path, *this);
  if (ext == ".cmxs") return AddCmxs(*bytes, path, *this);
  return AddExecutable(*bytes, path, *this);
}

absl::Status KnownUnits::AddPaths(const std::vector<std::string>& paths) {
  for (const std::string& path : paths) {
    std::error_code ec;
    if (!fs::is_directory(path, ec)) {
      if (absl::Status s = AddFile(path); !s.ok()) return s;
      continue;
    }
    std::vector<std::string> files;
    for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end;
         it.increment(ec)) {
      const std::string ext = it->path().extension().string();
      if (it->is_regular_file(ec) &&
          (ext == ".cmx" || ext == ".cmxa" || ext == ".cmxs")) {
        files.push_back(it->path().string());
      }
    }
    if (ec) {
      return absl::NotFoundError(
          fmt::format("{}: cannot list the folder: {}", path, ec.message()));
    }
    for (const std::string& f : files) {
      if (absl::Status s = AddFile(f); !s.ok()) return s;
    }
  }
  return absl::OkStatus();
}

bool KeepKnownReadings(std::string_view symbol, const KnownUnits& units,
                       DemangledReadings& readings, std::string& scratch) {
  const std::optional<std::string_view> defining = units.DefiningUnit(symbol);
  std::size_t kept = 0;
  for (std::size_t i = 0; i < readings.count; ++i) {
    const DemangledSymbol& d = readings.readings[i];
    bool confirmed;
    if (d.unit.empty() || d.unit[0] == '_') {
      confirmed = true;
    } else {
      scratch.clear();
      AppendUnitName(d, scratch, "__");
      confirmed = defining ? scratch == *defining : units.Contains(scratch);
    }
    if (confirmed) {
      if (kept != i) readings.readings[kept] = d;
      ++kept;
    }
  }
  if (kept == 0) return false;
  readings.count = kept;
  return true;
}

}  // namespace camlsym
