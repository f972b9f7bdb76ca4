// A small refactoring tool built on camlsym: dead-code candidates across
// the units of an OCaml program. Given the program's .cmx files (each with
// its .o beside it, as ocamlopt writes them) and any other object files,
// it lists for each unit the global symbols its object exports that no
// other object references (from the objects' relocations, read with
// libelf), with their OCaml names. Markers (`camlA__code_begin`, ...),
// which only the startup file references, are left out.
//
// usage: refactor FILE.cmx... [FILE.o...]
//
// Output, one line per candidate, units in command-line order:
//   <Unit path>\t<symbol>\t<OCaml name>
// Errors (unreadable .cmx or object) name the file; the exit status is 1.
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "camlsym/formats/cmx.h"
#include "camlsym/linking_state/linked_unit.h"
#include "camlsym/symbols/demangle.h"
#include "fmt/format.h"

namespace {

// What one ELF relocatable object defines and references.
struct ObjectSymbols {
  std::set<std::string> exported;    // defined global symbols
  std::set<std::string> referenced;  // symbols named by relocations
};

absl::StatusOr<ObjectSymbols> ReadObject(const std::string& path) {
  if (elf_version(EV_CURRENT) == EV_NONE) {
    return absl::InternalError("libelf is out of date");
  }
  const int fd = open(path.c_str(), O_RDONLY);
  if (fd < 0) return absl::NotFoundError(fmt::format("cannot open {}", path));
  Elf* elf = elf_begin(fd, ELF_C_READ, nullptr);
  GElf_Ehdr ehdr;
  if (elf == nullptr || gelf_getehdr(elf, &ehdr) == nullptr ||
      ehdr.e_type != ET_REL) {
    if (elf != nullptr) elf_end(elf);
    close(fd);
    return absl::InvalidArgumentError(
        fmt::format("{}: not an ELF relocatable object", path));
  }
  ObjectSymbols out;
  // The symbol table's names, by index.
  std::vector<std::string> names;
  for (Elf_Scn* scn = nullptr; (scn = elf_nextscn(elf, scn)) != nullptr;) {
    GElf_Shdr sh;
    if (gelf_getshdr(scn, &sh) == nullptr || sh.sh_type != SHT_SYMTAB) {
      continue;
    }
    Elf_Data* data = elf_getdata(scn, nullptr);
    const size_t n = sh.sh_entsize == 0 ? 0 : sh.sh_size / sh.sh_entsize;
    names.resize(n);
    for (size_t i = 0; data != nullptr && i < n; ++i) {
      GElf_Sym sym;
      if (gelf_getsym(data, static_cast<int>(i), &sym) == nullptr) continue;
      const char* name = elf_strptr(elf, sh.sh_link, sym.st_name);
      names[i] = name != nullptr ? name : "";
      if (GELF_ST_BIND(sym.st_info) == STB_GLOBAL &&
          sym.st_shndx != SHN_UNDEF && !names[i].empty()) {
        out.exported.insert(names[i]);
      }
    }
  }
  for (Elf_Scn* scn = nullptr; (scn = elf_nextscn(elf, scn)) != nullptr;) {
    GElf_Shdr sh;
    if (gelf_getshdr(scn, &sh) == nullptr ||
        (sh.sh_type != SHT_RELA && sh.sh_type != SHT_REL)) {
      continue;
    }
    Elf_Data* data = elf_getdata(scn, nullptr);
    const size_t n = sh.sh_entsize == 0 ? 0 : sh.sh_size / sh.sh_entsize;
    for (size_t i = 0; data != nullptr && i < n; ++i) {
      size_t sym = 0;
      if (sh.sh_type == SHT_RELA) {
        GElf_Rela r;
        if (gelf_getrela(data, static_cast<int>(i), &r) == nullptr) continue;
        sym = GELF_R_SYM(r.r_info);
      } else {
        GElf_Rel r;
        if (gelf_getrel(data, static_cast<int>(i), &r) == nullptr) continue;
        sym = GELF_R_SYM(r.r_info);
      }
      if (sym < names.size() && !names[sym].empty()) {
        out.referenced.insert(names[sym]);
      }
    }
  }
  elf_end(elf);
  close(fd);
  return out;
}

struct Unit {
  camlsym::LinkedUnit linked;
  std::string object;  // its .o
};

absl::Status Run(const std::vector<std::string>& files) {
  std::vector<Unit> units;
  std::vector<std::string> objects;  // every object, units' first
  for (const std::string& f : files) {
    if (!f.ends_with(".cmx")) {
      objects.push_back(f);
      continue;
    }
    absl::StatusOr<camlsym::formats::CmxFile> cmx =
        camlsym::formats::ReadCmx(f);
    if (!cmx.ok()) return cmx.status();
    absl::StatusOr<camlsym::LinkedUnit> linked =
        camlsym::TypeUnitInfos(cmx->info, f);
    if (!linked.ok()) return linked.status();
    const std::string o = f.substr(0, f.size() - 4) + ".o";
    units.push_back(Unit{*std::move(linked), o});
  }
  std::vector<ObjectSymbols> unit_symbols;
  for (const Unit& u : units) {
    absl::StatusOr<ObjectSymbols> s = ReadObject(u.object);
    if (!s.ok()) return s.status();
    unit_symbols.push_back(*std::move(s));
  }
  // How many objects reference each symbol, and from which unit.
  std::map<std::string, std::set<size_t>> referrers;  // symbol -> objects
  for (size_t i = 0; i < unit_symbols.size(); ++i) {
    for (const std::string& r : unit_symbols[i].referenced) {
      referrers[r].insert(i);
    }
  }
  for (size_t i = 0; i < objects.size(); ++i) {
    absl::StatusOr<ObjectSymbols> s = ReadObject(objects[i]);
    if (!s.ok()) return s.status();
    for (const std::string& r : s->referenced) {
      referrers[r].insert(units.size() + i);
    }
  }
  for (size_t i = 0; i < units.size(); ++i) {
    for (const std::string& sym : unit_symbols[i].exported) {
      auto it = referrers.find(sym);
      bool used_elsewhere = false;
      if (it != referrers.end()) {
        for (size_t by : it->second) used_elsewhere |= by != i;
      }
      if (used_elsewhere) continue;
      std::optional<camlsym::DemangledSymbol> d = camlsym::Demangle(sym);
      if (d.has_value() &&
          d->category == camlsym::SymbolCategory::kUnitMarker) {
        continue;  // Referenced by the startup file, not by units.
      }
      fmt::print("{}\t{}\t{}\n", units[i].linked.unit, sym,
                 d.has_value() ? camlsym::RenderPlainString(*d) : sym);
    }
  }
  return absl::OkStatus();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    fmt::print(stderr, "usage: refactor FILE.cmx... [FILE.o...]\n");
    return 2;
  }
  if (absl::Status s = Run(std::vector<std::string>(argv + 1, argv + argc));
      !s.ok()) {
    fmt::print(stderr, "refactor: {}\n", std::string(s.message()));
    return 1;
  }
  return 0;
}
