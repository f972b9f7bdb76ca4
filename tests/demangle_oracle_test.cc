// Oracle test: the demangler on object files and programs that the real
// compilers build from units named the uncommon ways OCaml allows: a `'` in
// the unit name (`x'y.ml`, escaped `$27`), a unit ending in `_`
// (`upper__Case_.ml`), and a unit holding `__` (`a_b__c.ml`) beside a unit
// `a_b.ml` whose value `c__f` spells in 4.13 like `a_b__c.ml`'s `f`
// (ocaml/ocaml#8998). Each compiler (4.13.1 on the host, Debian's 5.3.0 and
// 5.4.1 from scripts/install-ocaml5.sh) compiles them in a fresh temporary
// folder and links them into a program, a library and a plugin; every global
// `caml` symbol of each unit's object file must then demangle to that unit:
//  - by itself when the name says so (always in 5.x; in 4.13 the unit must
//    be among the readings, and `--json` must report the ambiguous ones);
//  - exactly with context: `nm prog | camlsym demangle --json --units prog`
//    gives every symbol its own unit, unambiguously, and `--units` with one
//    unit's .cmx, the library or the plugin keeps the readings of the units
//    they hold.
#include <pwd.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <ostream>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "camlsym/symbols/backend_symbol.h"
#include "camlsym/symbols/compilation_unit.h"
#include "camlsym/symbols/demangle.h"
#include "camlsym/symbols/middle_end_symbol.h"
#include "camlsym/tests/oracle_util.h"
#include "camlsym/tools/demangle_command.h"
#include "gtest/gtest.h"

namespace camlsym {
namespace {

namespace fs = std::filesystem;
using ::camlsym::testing::MakeTempDir;
using ::camlsym::testing::RunShell;
using ::camlsym::testing::ShellQuote;
using ::camlsym::testing::WriteFile;

fs::path CacheDir() {
  if (const char* cache = std::getenv("CAMLSYM_CACHE")) return cache;
  const char* home = std::getenv("HOME");
  if (home == nullptr || *home == '\0') {
    if (const passwd* pw = getpwuid(getuid())) home = pw->pw_dir;
  }
  return fs::path(home ? home : "") / ".cache/camlsym";
}

struct Compiler {
  std::string label;
  std::string ocamlopt;
  std::string version;
  DemangledScheme scheme;
  friend void PrintTo(const Compiler& c, std::ostream* os) {
    *os << c.ocamlopt << " " << c.version;
  }
};

std::vector<Compiler> Compilers() {
  fs::path ocaml5 = CacheDir() / "ocaml5";
  return {
      {"4.13", "ocamlopt", "4.13.1", DemangledScheme::kOcaml413},
      {"5.3", (ocaml5 / "trixie/amd64/bin/ocamlopt").string(), "5.3.0",
       DemangledScheme::kOcaml51},
      {"5.4", (ocaml5 / "sid/amd64/bin/ocamlopt").string(), "5.4.1",
       DemangledScheme::kOcaml51},
  };
}

// The units, by source file; `a_b.ml`'s padding gives its `c__f` another
// stamp than `a_b__c.ml`'s `f` (equal stamps would not link in 4.13).
const std::map<std::string, std::string> kSources = {
    {"a_b.ml", "let pad = 0\nlet c__f x = x + pad + 1\n"},
    {"a_b__c.ml", "let f x = x * 2\nlet g x = x - 3\n"},
    {"x'y.ml", "let f x = x + 1\nlet g' x = f x * 2\nlet ( +! ) a b = a - b\n"},
    {"upper__Case_.ml", "let f x = x\nlet l = [| 1.5; 2.5 |]\n"},
    {"main.ml",
     "let () = Printf.printf \"%d\\n\" (A_b.c__f 1 + A_b__c.f 2 + A_b__c.g 3"
     " + X'y.g' 4 + X'y.(+!) 5 6 + Upper__Case_.f 7)\n"},
};

// Unit name of a source file, as the compiler spells it (ui_name).
std::string UnitOfSource(const std::string& ml) {
  std::string u = ml.substr(0, ml.size() - 3);
  u[0] = static_cast<char>(u[0] - 'a' + 'A');
  return u;
}

// The lines of \p text, without their newlines.
std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string::npos) eol = text.size();
    out.push_back(text.substr(pos, eol - pos));
    pos = eol + 1;
  }
  return out;
}

// Defined global `caml` symbols of an object file (not `caml_`).
std::vector<std::string> CamlSymbols(const std::string& object) {
  ::camlsym::testing::CommandResult r =
      RunShell("nm -g --defined-only " + ShellQuote(object));
  EXPECT_EQ(r.exit_code, 0) << object;
  std::vector<std::string> out;
  for (const std::string& line : Lines(r.out)) {
    std::size_t sp = line.rfind(' ');
    if (sp == std::string::npos) continue;
    std::string name = line.substr(sp + 1);
    if (name.rfind("caml", 0) == 0 && name.rfind("caml_", 0) != 0) {
      out.push_back(name);
    }
  }
  return out;
}

struct DemangleRun {
  int status;
  std::string out;
  std::string err;
};

std::string ReadAll(std::FILE* f) {
  std::rewind(f);
  std::string s;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) s.append(buf, n);
  return s;
}

DemangleRun Demangler(const std::vector<std::string>& args,
                      const std::string& input) {
  std::FILE* in = std::tmpfile();
  std::FILE* out = std::tmpfile();
  std::FILE* err = std::tmpfile();
  std::fwrite(input.data(), 1, input.size(), in);
  std::rewind(in);
  DemangleRun r;
  r.status = RunDemangle(args, in, out, err);
  r.out = ReadAll(out);
  r.err = ReadAll(err);
  std::fclose(in);
  std::fclose(out);
  std::fclose(err);
  return r;
}

// The value of string field \p field in a one-line JSON object.
std::string JsonField(const std::string& line, const std::string& field) {
  std::string key = "\"" + field + "\": ";
  std::size_t p = line.find(key);
  if (p == std::string::npos) return "<missing>";
  p += key.size();
  if (line[p] != '"') {
    std::size_t end = line.find_first_of(",}", p);
    return line.substr(p, end - p);
  }
  std::size_t end = line.find('"', p + 1);
  return line.substr(p + 1, end - p - 1);
}

// symbol -> JSON line, for the top-level objects of `--json` output.
std::map<std::string, std::string> JsonBySymbol(const std::string& out) {
  std::map<std::string, std::string> m;
  for (const std::string& line : Lines(out)) {
    m[JsonField(line, "symbol")] = line;
  }
  return m;
}

std::string UnitString(const DemangledSymbol& d) {
  std::string u;
  AppendUnitName(d, u, "__");
  return u;
}

// Names of the symbols `nm` lists as defined in \p nm_output.
std::set<std::string> DefinedNames(const std::string& nm_output) {
  std::set<std::string> out;
  for (const std::string& line : Lines(nm_output)) {
    std::size_t sp = line.rfind(' ');
    if (sp == std::string::npos || sp < 2 || line[sp - 1] == 'U') continue;
    out.insert(line.substr(sp + 1));
  }
  return out;
}

// The startup's and the runtime's own OCaml names as the compiler wrote them
// into \p prog_names and \p plugin_names (defined symbols): every predefined
// exception (middle_end_symbol.h), startup symbol (backend_symbol.h) and
// pseudo-unit marker (compilation_unit.h) that the demangler knows is there,
// and each such name there demangles as what it is.
void ExpectStartupNames(const std::set<std::string>& prog_names,
                        const std::set<std::string>& plugin_names) {
  for (PredefinedException e : kPredefinedExceptions) {
    const std::string s = "caml_exn_" + std::string(PredefinedExceptionName(e));
    EXPECT_TRUE(prog_names.count(s)) << s << " not defined by the program";
  }
  for (StartupSymbol t : kStartupSymbols) {
    const std::set<std::string>& names =
        t == StartupSymbol::kPluginHeader ? plugin_names : prog_names;
    const std::string s(StartupSymbolName(t));
    EXPECT_TRUE(names.count(s)) << s << " not defined";
    std::optional<DemangledSymbol> d = Demangle(s);
    ASSERT_TRUE(d.has_value()) << s;
    EXPECT_EQ(d->category, SymbolCategory::kRuntime) << s;
  }
  int exceptions = 0;
  std::set<std::string> pseudo_units;
  for (const std::string& s : prog_names) {
    if (s.rfind("caml_exn_", 0) == 0) {
      std::optional<DemangledSymbol> d = Demangle(s);
      ASSERT_TRUE(d.has_value()) << s;
      EXPECT_EQ(d->category, SymbolCategory::kPredefinedException) << s;
      ++exceptions;
      continue;
    }
    for (PseudoUnit pu : kPseudoUnits) {
      for (UnitMarker m : kUnitMarkers) {
        for (std::string_view sep : {"__", "."}) {
          if (s != "caml" + std::string(PseudoUnitName(pu)) + std::string(sep) +
                       std::string(UnitMarkerName(m))) {
            continue;
          }
          std::optional<DemangledSymbol> d = Demangle(s);
          ASSERT_TRUE(d.has_value()) << s;
          EXPECT_EQ(d->category, SymbolCategory::kRuntime) << s;
          EXPECT_EQ(d->unit, PseudoUnitName(pu)) << s;
          EXPECT_EQ(d->marker, m) << s;
          pseudo_units.insert(std::string(d->unit));
        }
      }
    }
  }
  EXPECT_EQ(exceptions, std::ssize(kPredefinedExceptions));
  // `_startup`, `_system` and, since ocamlopt links with -function-sections
  // support, `_hot`.
  EXPECT_EQ(pseudo_units,
            (std::set<std::string>{"_hot", "_startup", "_system"}));
}

class DemangleOracleTest : public ::testing::TestWithParam<Compiler> {};

TEST_P(DemangleOracleTest, UnitsNamedTheUncommonWays) {
  const Compiler& c = GetParam();
  ::camlsym::testing::CommandResult version =
      RunShell(ShellQuote(c.ocamlopt) + " -version 2>&1");
  ASSERT_EQ(version.exit_code, 0)
      << c.ocamlopt << " is missing: run scripts/install-deps.sh and "
      << "scripts/install-ocaml5.sh";
  ASSERT_EQ(version.out, c.version + "\n") << c.ocamlopt;
  const std::string dir = MakeTempDir("demangle_oracle_" + c.label);
  std::string cmx;
  for (const auto& [file, text] : kSources) {
    ASSERT_TRUE(WriteFile(dir + "/" + file, text));
  }
  const std::string q = ShellQuote(c.ocamlopt);
  const std::string units = "a_b.ml a_b__c.ml \"x'y.ml\" upper__Case_.ml";
  const std::string cmxs = "a_b.cmx a_b__c.cmx \"x'y.cmx\" upper__Case_.cmx";
  ::camlsym::testing::CommandResult build =
      RunShell("cd " + ShellQuote(dir) + " && " + q + " -o prog " + units +
               " main.ml 2>&1 && ./prog && " + q + " -a -o lib.cmxa " + cmxs +
               " 2>&1 && " + q + " -shared -o plug.cmxs " + cmxs + " 2>&1");
  ASSERT_EQ(build.exit_code, 0) << build.out;
  EXPECT_EQ(build.out, "22\n");  // 2 + 4 + 0 + 10 - 1 + 7

  // symbol -> the unit (4.x spelling) whose object file defines it.
  std::map<std::string, std::string> expected;
  for (const auto& [file, text] : kSources) {
    std::string object = dir + "/" + file.substr(0, file.size() - 3) + ".o";
    for (const std::string& s : CamlSymbols(object)) {
      expected[s] = UnitOfSource(file);
    }
  }
  ASSERT_GT(expected.size(), 30u);

  int ambiguous = 0;
  for (const auto& [symbol, unit] : expected) {
    // By itself.
    std::optional<DemangledSymbol> d = Demangle(symbol);
    ASSERT_TRUE(d.has_value()) << symbol;
    EXPECT_TRUE(IsSpelledBy(*d, c.scheme))
        << symbol << " read as " << SchemeName(d->scheme);
    EXPECT_EQ(Mangle(*d), symbol);
    DemangledReadings all;
    std::size_t n = DemangleAll(symbol, all);
    bool found = false;
    for (std::size_t i = 0; i < n; ++i) {
      found = found || UnitString(all.readings[i]) == unit;
    }
    EXPECT_TRUE(found) << symbol << " has no reading of unit " << unit;
    if (c.scheme != DemangledScheme::kOcaml413 ||
        (unit != "A_b" && unit != "A_b__c" && unit != "Upper__Case_")) {
      // 5.x names are exact; so are 4.13 names of units without `__` or a
      // trailing `_`.
      EXPECT_EQ(n, 1u) << symbol;
      EXPECT_EQ(UnitString(*d), unit) << symbol;
    }
    ambiguous += n > 1;
  }
  if (c.scheme == DemangledScheme::kOcaml413) {
    // `c__f` of A_b and `f` of A_b__c, `f` of Upper__Case_ (or `_f` of
    // Upper__Case), and more.
    EXPECT_GE(ambiguous, 3);
  }
  // The marker and block names of the issue, whatever the compiler.
  for (const auto& [symbol, unit] : expected) {
    std::optional<DemangledSymbol> d = Demangle(symbol);
    if (!d) continue;
    if (unit == "X'y") EXPECT_EQ(UnitString(*d), "X'y") << symbol;
    if (d->category == SymbolCategory::kUnitMarker ||
        d->category == SymbolCategory::kModuleBlock ||
        d->category == SymbolCategory::kAnonymousConstant) {
      EXPECT_EQ(UnitString(*d), unit) << symbol;
    }
  }

  // Exact with the program.
  std::string nm = RunShell("nm " + ShellQuote(dir + "/prog")).out;
  ExpectStartupNames(
      DefinedNames(nm),
      DefinedNames(RunShell("nm -D " + ShellQuote(dir + "/plug.cmxs")).out));
  DemangleRun json = Demangler({"--json", "--units", dir + "/prog"}, nm);
  ASSERT_EQ(json.status, 0) << json.err;
  std::map<std::string, std::string> by_symbol = JsonBySymbol(json.out);
  for (const auto& [symbol, unit] : expected) {
    auto it = by_symbol.find(symbol);
    ASSERT_NE(it, by_symbol.end()) << symbol << " not in nm prog";
    std::string got = JsonField(it->second, "unit");
    // JSON spells a 5.x pack path with `.`; these units are not packed.
    EXPECT_EQ(got, unit) << it->second;
    EXPECT_EQ(JsonField(it->second, "ambiguous"), "false") << it->second;
    EXPECT_EQ(JsonField(it->second, "unit_known"), "true") << it->second;
  }
  DemangleRun plain = Demangler({"--units", dir + "/prog"}, nm);
  ASSERT_EQ(plain.status, 0) << plain.err;
  if (c.scheme == DemangledScheme::kOcaml413) {
    // Two symbols reading alike, told apart by the program.
    for (const auto& [symbol, unit] : expected) {
      if (symbol.rfind("camlA_b__c__f_", 0) != 0) continue;
      std::string want = unit == "A_b" ? " T A_b.c__f\n" : " T A_b__c.f\n";
      DemangleRun one = Demangler({"--units", dir + "/prog"},
                                  "0000000000000000 T " + symbol + "\n");
      EXPECT_EQ(one.out, "0000000000000000" + want) << symbol;
    }
  }

  // Library, plugin, one .cmx, a folder: the readings of their units stay.
  for (const std::string& ctx :
       {dir + "/lib.cmxa", dir + "/plug.cmxs", dir + "/x'y.cmx", dir}) {
    DemangleRun r = Demangler({"--json", "--units", ctx}, nm);
    ASSERT_EQ(r.status, 0) << ctx << ": " << r.err;
    std::map<std::string, std::string> m = JsonBySymbol(r.out);
    for (const auto& [symbol, unit] : expected) {
      if (unit == "Main") continue;  // Not in the library or plugin.
      if (ctx.find("x'y.cmx") != std::string::npos && unit != "X'y") continue;
      auto it = m.find(symbol);
      ASSERT_NE(it, m.end()) << symbol;
      EXPECT_EQ(JsonField(it->second, "unit_known"), "true")
          << ctx << ": " << it->second;
      bool among =
          JsonField(it->second, "unit") == unit ||
          it->second.find("\"unit\": \"" + unit + "\"") != std::string::npos;
      EXPECT_TRUE(among) << ctx << ": " << it->second;
    }
  }
  // Only one of the two units given: its reading alone remains.
  for (const std::string& only : {std::string("a_b"), std::string("a_b__c")}) {
    DemangleRun r =
        Demangler({"--json", "--units", dir + "/" + only + ".cmx"}, nm);
    ASSERT_EQ(r.status, 0) << r.err;
    std::map<std::string, std::string> m = JsonBySymbol(r.out);
    const std::string unit = UnitOfSource(only + ".ml");
    for (const auto& [symbol, u] : expected) {
      if (u != unit) continue;
      EXPECT_EQ(JsonField(m[symbol], "unit"), unit) << m[symbol];
      EXPECT_EQ(JsonField(m[symbol], "ambiguous"), "false") << m[symbol];
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Compilers, DemangleOracleTest,
                         ::testing::ValuesIn(Compilers()),
                         [](const ::testing::TestParamInfo<Compiler>& info) {
                           std::string n = "Ocaml" + info.param.label;
                           n.erase(n.find('.'), 1);
                           return n;
                         });

}  // namespace
}  // namespace camlsym
