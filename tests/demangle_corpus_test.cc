// Oracle test: camlsym's demangler against every OCaml symbol of the real
// OCaml libraries: 4.13.1 for x86-64 (`ocamlopt -where`) and AArch64
// (Debian's arm64 tree unpacked by scripts/install-deps.sh), and Debian's
// 5.3.0 (trixie) and 5.4.1 (sid) for both (scripts/install-ocaml5.sh).
//
// For each archive, `nm -A --defined-only` lists the members' symbols
// (objects and plugins outside archives: see CheckLooseFiles). A
// member is an OCaml unit when it defines `caml<Unit>__code_begin`; a packed
// member (dynlink's `Dynlink_compilerlibs`) also defines the markers of the
// units packed inside it, `caml<Unit>__<Sub>__code_begin`. Every global
// (T/D/R/B) symbol of such a member that starts with `caml` must demangle to
// that unit or a unit packed inside it, be spelled by the tree's scheme
// (ocaml-4.13, or ocaml-5.1: 5.3 and 5.4 on Linux write `.` and `$xx`), and
// Mangle(Demangle(s)) must give `s` back byte for byte. 5.x names must have
// exactly one reading; of an ambiguous 4.13 name, the first reading's unit
// and some reading's unit must be one the member defines.
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "camlsym/symbols/demangle.h"
#include "camlsym/symbols/demangle_text.h"
#include "camlsym/tests/oracle_util.h"
#include "fmt/format.h"
#include "gtest/gtest.h"

namespace camlsym {
namespace {

namespace fs = std::filesystem;

// Standard output of \p cmd (tests/oracle_util.h runs it).
std::string RunCommand(const std::string& cmd) {
  return ::camlsym::testing::RunShell(cmd).out;
}

struct NmSymbol {
  std::string member;
  char type;
  std::string name;
};

// `nm -A --defined-only` lines: `<archive>:<member>:<address> <type> <name>`.
std::vector<NmSymbol> ReadArchive(const fs::path& archive) {
  std::string text =
      RunCommand("nm -A --defined-only '" + archive.string() + "' 2>/dev/null");
  std::vector<NmSymbol> out;
  const std::string prefix = archive.string() + ":";
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string::npos) eol = text.size();
    std::string_view line(text.data() + pos, eol - pos);
    pos = eol + 1;
    if (line.substr(0, prefix.size()) != prefix) continue;
    line.remove_prefix(prefix.size());
    std::size_t colon = line.find(':');
    std::size_t last_space = line.rfind(' ');
    if (colon == std::string_view::npos ||
        last_space == std::string_view::npos || last_space < 2 ||
        line[last_space - 2] != ' ') {
      continue;
    }
    out.push_back({std::string(line.substr(0, colon)), line[last_space - 1],
                   std::string(line.substr(last_space + 1))});
  }
  return out;
}

bool IsCOnlyRuntimeArchive(const fs::path& p) {
  std::string name = p.filename().string();
  return name.rfind("libasmrun", 0) == 0 || name.rfind("libcamlrun", 0) == 0;
}

struct Counts {
  int ambiguous = 0;
  int archives = 0;
  int ocaml_members = 0;
  int checked_symbols = 0;
  int non_ocaml_caml_symbols = 0;
  int loose_files = 0;  // objects and plugins outside archives
  std::map<std::string, int> by_category;
};

void CheckTree(const fs::path& root, DemangledScheme scheme, Counts& counts) {
  std::vector<fs::path> archives;
  for (const fs::directory_entry& e : fs::recursive_directory_iterator(root)) {
    if (e.is_regular_file() && e.path().extension() == ".a" &&
        !IsCOnlyRuntimeArchive(e.path())) {
      archives.push_back(e.path());
    }
  }
  std::sort(archives.begin(), archives.end());
  std::string scratch;
  TextBuffer text;
  for (const fs::path& archive : archives) {
    std::vector<NmSymbol> syms = ReadArchive(archive);
    // Member -> units whose code_begin it defines.
    std::map<std::string, std::vector<std::string>> units;
    for (const NmSymbol& s : syms) {
      std::optional<DemangledSymbol> d = Demangle(s.name);
      if (d && d->category == SymbolCategory::kUnitMarker &&
          d->marker == UnitMarker::kCodeBegin) {
        units[s.member].push_back(std::string(d->unit));
      }
    }
    if (units.empty()) continue;  // lib*.a with C stubs only.
    ++counts.archives;
    std::map<std::string, std::string> member_unit;
    for (auto& [member, us] : units) {
      std::string shortest = us[0];
      for (const std::string& u : us) {
        if (u.size() < shortest.size()) shortest = u;
      }
      for (const std::string& u : us) {
        EXPECT_TRUE(u == shortest || u.rfind(shortest + "__", 0) == 0)
            << archive << ":" << member << " defines units " << shortest
            << " and " << u;
      }
      member_unit[member] = shortest;
      ++counts.ocaml_members;
    }
    for (const NmSymbol& s : syms) {
      auto it = member_unit.find(s.member);
      if (it == member_unit.end()) continue;
      if (s.type != 'T' && s.type != 'D' && s.type != 'R' && s.type != 'B') {
        continue;
      }
      if (s.name.rfind("caml", 0) != 0) continue;
      std::optional<DemangledSymbol> d = Demangle(s.name);
      if (!d) {
        ++counts.non_ocaml_caml_symbols;
        // OCaml units define only `caml<Unit>...` names.
        ADD_FAILURE() << archive << ":" << s.member << ": " << s.name
                      << " was not recognised";
        continue;
      }
      ++counts.checked_symbols;
      ++counts.by_category[std::string(CategoryName(d->category))];
      // The units the member defines: its own and those packed in it.
      const std::vector<std::string>& member_units = units[s.member];
      auto defined = [&](std::string_view u) {
        return std::find(member_units.begin(), member_units.end(), u) !=
               member_units.end();
      };
      EXPECT_TRUE(defined(d->unit))
          << archive << ":" << s.member << ": " << s.name
          << " demangles to unit " << d->unit << ", member unit is "
          << it->second;
      EXPECT_TRUE(IsSpelledBy(*d, scheme))
          << s.name << " read as " << SchemeName(d->scheme);
      EXPECT_EQ(Mangle(*d), s.name);
      // The filter's rendering, which reads the common names itself,
      // agrees.
      text.clear();
      AppendDemangledText(s.name, StampRendering::kKeep, scratch, text);
      EXPECT_EQ(text.view(), RenderPlainString(*d, StampRendering::kKeep))
          << s.name;
      DemangledReadings all;
      std::size_t n = DemangleAll(s.name, all);
      if (n > 1) ++counts.ambiguous;
      if (scheme != DemangledScheme::kOcaml413) {
        EXPECT_EQ(n, 1u) << s.name << " has several readings";
      }
      bool member_reading = false;
      for (std::size_t i = 0; i < n; ++i) {
        EXPECT_EQ(Mangle(all.readings[i]), s.name);
        member_reading = member_reading || defined(all.readings[i].unit);
      }
      EXPECT_TRUE(member_reading) << s.name;
    }
  }
}

// The global (T/D/R/B) symbols that file \p path defines, by \p nm_flags
// (`-g` for an object, `-D` for the dynamic symbols of a plugin).
std::vector<NmSymbol> ReadFileSymbols(const fs::path& path,
                                      const std::string& nm_flags) {
  std::string text = RunCommand("nm " + nm_flags + " --defined-only '" +
                                path.string() + "' 2>/dev/null");
  std::vector<NmSymbol> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string::npos) eol = text.size();
    std::string_view line(text.data() + pos, eol - pos);
    pos = eol + 1;
    std::size_t last_space = line.rfind(' ');
    if (last_space == std::string_view::npos || last_space < 2 ||
        line[last_space - 2] != ' ') {
      continue;
    }
    out.push_back({path.filename().string(), line[last_space - 1],
                   std::string(line.substr(last_space + 1))});
  }
  return out;
}

// The OCaml files of \p root outside archives: objects (`std_exit.o`,
// `profiling.o`) and plugins (`.cmxs`, with their shared startup's generic
// functions and `caml_shared_startup` markers). Each global `caml` symbol
// must demangle, be spelled by \p scheme (names without a separator fit
// every scheme), give itself back by Mangle, and name a unit whose
// code_begin the file defines, or the pseudo-unit of a plugin's shared
// startup; but the C functions a plugin exports (`caml_` and a lower-case
// letter, names no unit has).
void CheckLooseFiles(const fs::path& root, DemangledScheme scheme,
                     Counts& counts) {
  std::vector<std::pair<fs::path, std::string>> files;
  for (const fs::directory_entry& e : fs::recursive_directory_iterator(root)) {
    if (!e.is_regular_file()) continue;
    if (e.path().extension() == ".o") files.push_back({e.path(), "-g"});
    if (e.path().extension() == ".cmxs") files.push_back({e.path(), "-D"});
  }
  std::sort(files.begin(), files.end());
  for (const auto& [path, flags] : files) {
    const std::vector<NmSymbol> syms = ReadFileSymbols(path, flags);
    std::set<std::string, std::less<>> units;
    for (const NmSymbol& s : syms) {
      std::optional<DemangledSymbol> d = Demangle(s.name);
      if (d && d->category == SymbolCategory::kUnitMarker &&
          d->marker == UnitMarker::kCodeBegin) {
        units.insert(std::string(d->unit));
      }
    }
    if (units.empty()) continue;  // C objects.
    ++counts.loose_files;
    for (const NmSymbol& s : syms) {
      if (s.type != 'T' && s.type != 'D' && s.type != 'R' && s.type != 'B') {
        continue;
      }
      if (s.name.rfind("caml", 0) != 0) continue;
      std::optional<DemangledSymbol> d = Demangle(s.name);
      if (!d) {
        // A plugin also exports its C stubs (`caml_ba_unmap_file`): C names
        // are `caml_` and a lower-case letter, which no unit name starts.
        if (s.name.size() > 5 && s.name[4] == '_' &&
            std::islower(static_cast<unsigned char>(s.name[5]))) {
          continue;
        }
        ++counts.non_ocaml_caml_symbols;
        ADD_FAILURE() << path << ": " << s.name << " was not recognised";
        continue;
      }
      ++counts.checked_symbols;
      ++counts.by_category[std::string(CategoryName(d->category))];
      EXPECT_TRUE(IsSpelledBy(*d, scheme))
          << path << ": " << s.name << " read as " << SchemeName(d->scheme);
      EXPECT_EQ(Mangle(*d), s.name) << path;
      // A unit the file defines, or the pseudo-unit of the plugin's shared
      // startup (`caml_shared_startup.code_begin`, ...).
      const bool shared_startup = d->category == SymbolCategory::kRuntime &&
                                  d->unit == "_shared_startup" && flags == "-D";
      EXPECT_TRUE(d->unit.empty() || units.contains(d->unit) || shared_startup)
          << path << ": " << s.name << " demangles to unit " << d->unit
          << ", which the file does not define";
    }
  }
}

void Report(const char* what, const Counts& c) {
  std::printf(
      "%s: %d archives, %d OCaml members, %d objects and plugins, %d "
      "symbols checked, %d caml* symbols not recognised, %d with several "
      "readings\n",
      what, c.archives, c.ocaml_members, c.loose_files, c.checked_symbols,
      c.non_ocaml_caml_symbols, c.ambiguous);
  for (const auto& [cat, n] : c.by_category) {
    std::printf("  %-22s %d\n", cat.c_str(), n);
  }
}

// The camlsym cache folder (scripts/install-deps.sh): $CAMLSYM_CACHE, else
// ~/.cache/camlsym. Bazel runs tests without HOME; fall back to the password
// database.
fs::path CacheDir() {
  if (const char* cache = std::getenv("CAMLSYM_CACHE")) return cache;
  const char* home = std::getenv("HOME");
  if (home == nullptr || *home == '\0') {
    if (const passwd* pw = getpwuid(getuid())) home = pw->pw_dir;
  }
  return fs::path(home ? home : "") / ".cache/camlsym";
}

TEST(DemangleCorpusTest, HostOcamlLibraries) {
  std::string where = ::camlsym::testing::HostStdlibDir();
  ASSERT_FALSE(where.empty())
      << "ocamlopt not found; run scripts/install-deps.sh";
  Counts counts;
  CheckTree(where, DemangledScheme::kOcaml413, counts);
  CheckLooseFiles(where, DemangledScheme::kOcaml413, counts);
  Report(where.c_str(), counts);
  EXPECT_GT(counts.checked_symbols, 20000);
  EXPECT_GT(counts.by_category["unit_marker"], 0);
  EXPECT_GT(counts.by_category["anonymous_constant"], 0);
  EXPECT_GT(counts.by_category["module_block"], 0);
}

TEST(DemangleCorpusTest, Arm64OcamlLibraries) {
  fs::path root = CacheDir() / "arm64-ocaml/usr/lib/ocaml";
  // A missing oracle is a failure, not a skip.
  ASSERT_TRUE(fs::is_directory(root))
      << root
      << " is missing: run scripts/install-deps.sh, which unpacks Debian's "
         "arm64 OCaml 4.13.1 there";
  Counts counts;
  CheckTree(root, DemangledScheme::kOcaml413, counts);
  CheckLooseFiles(root, DemangledScheme::kOcaml413, counts);
  Report(root.c_str(), counts);
  EXPECT_GT(counts.checked_symbols, 20000);
}

// Debian's OCaml 5.3 (trixie) and 5.4 (sid), amd64 and arm64: every
// archive, object and plugin of each tree's standard library folder.
TEST(DemangleCorpusTest, Ocaml5Libraries) {
  for (const char* suite : {"trixie", "sid"}) {
    for (const char* arch : {"amd64", "arm64"}) {
      std::string why;
      const std::optional<::camlsym::testing::Ocaml5Tree> tree =
          ::camlsym::testing::FindOcaml5Tree(suite, arch, why);
      ASSERT_TRUE(tree.has_value()) << why;
      const fs::path root = tree->stdlib;
      ASSERT_TRUE(fs::is_directory(root))
          << root << " is missing; run scripts/install-ocaml5.sh";
      Counts counts;
      CheckTree(root, DemangledScheme::kOcaml51, counts);
      CheckLooseFiles(root, DemangledScheme::kOcaml51, counts);
      Report(root.c_str(), counts);
      RecordProperty(fmt::format("ocaml_{}_{}", suite, arch), tree->version);
      EXPECT_GT(counts.checked_symbols, 4000) << root;
      EXPECT_EQ(counts.ambiguous, 0) << root;
      EXPECT_GT(counts.by_category["unit_marker"], 0) << root;
      EXPECT_GT(counts.by_category["anonymous_constant"], 0) << root;
      // std_exit.o, and the plugins' shared startups.
      EXPECT_GE(counts.loose_files, 3) << root;
      EXPECT_GT(counts.by_category["generic_function"], 0) << root;
    }
  }
}

}  // namespace
}  // namespace camlsym
