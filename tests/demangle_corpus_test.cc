// Oracle test: camlsym's demangler against every OCaml symbol of the real
// OCaml 4.13.1 libraries, x86-64 (`ocamlopt -where`) and AArch64 (Debian's
// arm64 tree unpacked by scripts/install-deps.sh).
//
// For each archive, `nm -A --defined-only` lists the members' symbols. A
// member is an OCaml unit when it defines `caml<Unit>__code_begin`; a packed
// member (dynlink's `Dynlink_compilerlibs`) also defines the markers of the
// units packed inside it, `caml<Unit>__<Sub>__code_begin`. Every global
// (T/D/R/B) symbol of such a member that starts with `caml` must demangle to
// that unit or a unit packed inside it, and Mangle(Demangle(s)) must give
// `s` back byte for byte.
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
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
#include "camlsym/tests/oracle_util.h"
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
  int archives = 0;
  int ocaml_members = 0;
  int checked_symbols = 0;
  int non_ocaml_caml_symbols = 0;
  std::map<std::string, int> by_category;
};

void CheckTree(const fs::path& root, Counts& counts) {
  std::vector<fs::path> archives;
  for (const fs::directory_entry& e : fs::recursive_directory_iterator(root)) {
    if (e.is_regular_file() && e.path().extension() == ".a" &&
        !IsCOnlyRuntimeArchive(e.path())) {
      archives.push_back(e.path());
    }
  }
  std::sort(archives.begin(), archives.end());
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
      const std::string& unit = it->second;
      std::string got(d->unit);
      EXPECT_TRUE(got == unit || got.rfind(unit + "__", 0) == 0)
          << archive << ":" << s.member << ": " << s.name
          << " demangles to unit " << got << ", member unit is " << unit;
      EXPECT_EQ(d->scheme, DemangledScheme::kOcaml413) << s.name;
      EXPECT_EQ(Mangle(*d), s.name);
    }
  }
}

void Report(const char* what, const Counts& c) {
  std::printf(
      "%s: %d archives, %d OCaml members, %d symbols checked, %d caml* "
      "symbols not recognised\n",
      what, c.archives, c.ocaml_members, c.checked_symbols,
      c.non_ocaml_caml_symbols);
  for (const auto& [cat, n] : c.by_category) {
    std::printf("  %-22s %d\n", cat.c_str(), n);
  }
}

TEST(DemangleCorpusTest, HostOcamlLibraries) {
  std::string where = ::camlsym::testing::HostStdlibDir();
  ASSERT_FALSE(where.empty())
      << "ocamlopt not found; run scripts/install-deps.sh";
  Counts counts;
  CheckTree(where, counts);
  Report(where.c_str(), counts);
  EXPECT_GT(counts.checked_symbols, 20000);
  EXPECT_GT(counts.by_category["unit_marker"], 0);
  EXPECT_GT(counts.by_category["anonymous_constant"], 0);
  EXPECT_GT(counts.by_category["module_block"], 0);
}

TEST(DemangleCorpusTest, Arm64OcamlLibraries) {
  // Bazel runs tests without HOME; fall back to the password database.
  const char* cache = std::getenv("CAMLSYM_CACHE");
  const char* home = std::getenv("HOME");
  if (home == nullptr || *home == '\0') {
    if (const passwd* pw = getpwuid(getuid())) home = pw->pw_dir;
  }
  fs::path root = cache != nullptr
                      ? fs::path(cache)
                      : fs::path(home ? home : "") / ".cache/camlsym";
  root /= "arm64-ocaml/usr/lib/ocaml";
  // A missing oracle is a failure, not a skip.
  ASSERT_TRUE(fs::is_directory(root))
      << root
      << " is missing: run scripts/install-deps.sh, which unpacks Debian's "
         "arm64 OCaml 4.13.1 there";
  Counts counts;
  CheckTree(root, counts);
  Report(root.c_str(), counts);
  EXPECT_GT(counts.checked_symbols, 20000);
}

}  // namespace
}  // namespace camlsym
