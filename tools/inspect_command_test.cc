// `camlsym inspect` on real files: what it prints agrees with ocamlobjinfo,
// and bad files give an error naming them and a non-zero status.
#include "camlsym/tools/inspect_command.h"

#include <cstdio>
#include <cstdlib>
#include <regex>
#include <sstream>
#include <string>

#include "camlsym/tests/oracle_util.h"
#include "fmt/format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace camlsym {
namespace {

using ::testing::HasSubstr;

struct Output {
  int status;
  std::string out, err;
};

std::string Slurp(std::FILE* f) {
  std::rewind(f);
  std::string s;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) s.append(buf, n);
  return s;
}

Output Inspect(const std::vector<std::string>& args) {
  std::FILE* out = std::tmpfile();
  std::FILE* err = std::tmpfile();
  int status = RunInspect(args, stdin, out, err);
  Output o{status, Slurp(out), Slurp(err)};
  std::fclose(out);
  std::fclose(err);
  return o;
}

// Standard output of \p cmd (tests/oracle_util.h runs it).
std::string RunCommand(const std::string& cmd) {
  return ::camlsym::testing::RunShell(cmd).out;
}

std::string StdlibDir() { return ::camlsym::testing::HostStdlibDir(); }

TEST(InspectCommandTest, AgreesWithOcamlobjinfo) {
  const std::string cmx = StdlibDir() + "/stdlib__List.cmx";
  std::string ref = RunCommand("ocamlobjinfo " + cmx);
  std::smatch m;
  std::regex crc_re("CRC of implementation: ([0-9a-f]{32})");
  ASSERT_TRUE(std::regex_search(ref, m, crc_re)) << ref;
  const std::string crc = m[1];

  Output text = Inspect({cmx});
  EXPECT_EQ(text.status, 0) << text.err;
  EXPECT_EQ(text.out, RunCommand("ocamlobjinfo -no-approx " + cmx));
  EXPECT_THAT(text.out, HasSubstr("CRC of implementation: " + crc));

  Output json = Inspect({"--json", cmx});
  EXPECT_EQ(json.status, 0);
  EXPECT_THAT(json.out, HasSubstr("\"crc\": \"" + crc + "\""));
  EXPECT_THAT(json.out, HasSubstr("\"kind\": \"cmx\""));
  EXPECT_THAT(json.out, HasSubstr("\"entry\": \"camlStdlib__List__entry\""));
  EXPECT_THAT(json.out, HasSubstr("\"ocaml_version\": \"4.13\""));
  EXPECT_EQ(std::count(json.out.begin(), json.out.end(), '\n'), 1);
}

TEST(InspectCommandTest, LibraryCObjects) {
  Output o = Inspect({StdlibDir() + "/unix.cmxa"});
  EXPECT_EQ(o.status, 0);
  // ocamlobjinfo prints "Extra C object files: -lunix" for unix.cmxa.
  EXPECT_THAT(RunCommand("ocamlobjinfo " + StdlibDir() + "/unix.cmxa"),
              HasSubstr("Extra C object files: -lunix"));
  EXPECT_THAT(o.out, HasSubstr("Extra C object files: -lunix"));
}

TEST(InspectCommandTest, BadFilesAreErrorsNamingThem) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  std::string dir = tmp != nullptr ? tmp : "/tmp";
  std::string truncated = dir + "/truncated.cmx";
  RunCommand("head -c 40 " + StdlibDir() + "/stdlib__List.cmx > " + truncated);
  Output t = Inspect({truncated, StdlibDir() + "/stdlib__List.cmx"});
  EXPECT_EQ(t.status, 1);
  EXPECT_THAT(t.err, HasSubstr("truncated.cmx"));
  // The good file is still inspected.
  EXPECT_THAT(t.out, HasSubstr("Stdlib__List"));

  Output missing = Inspect({dir + "/nonexistent.cmxa"});
  EXPECT_EQ(missing.status, 1);
  EXPECT_THAT(missing.err, HasSubstr("nonexistent.cmxa"));

  Output wrong = Inspect({StdlibDir() + "/stdlib__List.cmi"});
  EXPECT_EQ(wrong.status, 1);

  EXPECT_EQ(Inspect({"--bogus"}).status, 2);
  EXPECT_EQ(Inspect({}).status, 2);
}

// The symbol lines of --symbols output: the "\tNAME\tASM_NAME" lines after
// each "Symbols:" line.
std::vector<std::pair<std::string, std::string>> SymbolLines(
    const std::string& out) {
  std::vector<std::pair<std::string, std::string>> v;
  std::istringstream in(out);
  bool in_symbols = false;
  for (std::string line; std::getline(in, line);) {
    if (line == "Symbols:") {
      in_symbols = true;
    } else if (in_symbols && line.starts_with("\t")) {
      const size_t tab = line.find('\t', 1);
      v.emplace_back(line.substr(1, tab - 1), line.substr(tab + 1));
    } else {
      in_symbols = false;
    }
  }
  return v;
}

// --symbols on units compiled here by ocamlopt 4.13: a unit whose name
// needs escaping (`x'y.ml`), a library and a pack. Each unit names the real
// object file the link reads (the .o beside the .cmx, the .a beside the
// .cmxa), and every assembler name it prints is a symbol that object
// defines (nm); the default output stays ocamlobjinfo's.
TEST(InspectCommandTest, SymbolsNameTheRealObjectFile) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  const std::string dir = std::string(tmp != nullptr ? tmp : "/tmp") + "/syms";
  RunCommand("rm -rf " + dir + " && mkdir -p " + dir);
  auto write = [&](const std::string& name, const char* text) {
    std::FILE* f = std::fopen((dir + "/" + name).c_str(), "w");
    std::fputs(text, f);
    std::fclose(f);
  };
  write("x'y.ml", "let f x = x + 1\n");
  write("m.ml", "let g = List.length\n");
  write("a.ml", "let h = 3\n");
  ASSERT_EQ(RunCommand("cd " + dir +
                       " && ocamlopt -c \"x'y.ml\" m.ml 2>&1 && ocamlopt -a "
                       "-o lib.cmxa \"x'y.cmx\" m.cmx 2>&1 && ocamlopt "
                       "-for-pack Pk -c a.ml 2>&1 && ocamlopt -pack -o pk.cmx "
                       "a.cmx 2>&1 && echo ok"),
            "ok\n");
  const std::string cmx = dir + "/x'y.cmx";
  // Without the flag: ocamlobjinfo's text, unchanged.
  Output plain = Inspect({cmx});
  EXPECT_EQ(plain.status, 0) << plain.err;
  EXPECT_EQ(plain.out, RunCommand("ocamlobjinfo -no-approx \"" + cmx + "\""));

  struct Case {
    std::string file, object;
    int units;
  };
  for (const Case& c : {Case{cmx, dir + "/x'y.o", 1},
                        Case{dir + "/lib.cmxa", dir + "/lib.a", 2},
                        Case{dir + "/pk.cmx", dir + "/pk.o", 1}}) {
    Output o = Inspect({"--symbols", c.file});
    ASSERT_EQ(o.status, 0) << o.err;
    size_t count = 0;
    for (size_t p = 0; (p = o.out.find("Object file: " + c.object + "\n", p)) !=
                       std::string::npos;
         ++p) {
      ++count;
    }
    EXPECT_EQ(count, static_cast<size_t>(c.units)) << o.out;
    const std::string defined =
        RunCommand("nm --defined-only \"" + c.object + "\"");
    const auto symbols = SymbolLines(o.out);
    ASSERT_FALSE(symbols.empty()) << o.out;
    for (const auto& [name, asm_name] : symbols) {
      EXPECT_THAT(defined, HasSubstr(" " + asm_name + "\n"))
          << name << " in " << c.object;
    }
  }
  Output x = Inspect({"--symbols", cmx});
  EXPECT_THAT(x.out, HasSubstr("\tcamlX'y__entry\tcamlX$27y__entry\n"));
  EXPECT_THAT(x.out, HasSubstr("\tcamlX'y\tcamlX$27y\n"));
  EXPECT_EQ(x.out.substr(0, plain.out.size()), plain.out);
  // The pack defines its member's symbols in its own object.
  EXPECT_THAT(Inspect({"--symbols", dir + "/pk.cmx"}).out,
              HasSubstr("\tcamlPk__A__entry\tcamlPk__A__entry\n"));
  // macOS spelling: the global `_` prefix.
  EXPECT_THAT(Inspect({"--symbols", "--target=aarch64-macos", cmx}).out,
              HasSubstr("\tcamlX'y__entry\t_camlX$27y__entry\n"));
  // JSON carries both always.
  Output json = Inspect({"--json", cmx});
  EXPECT_EQ(json.status, 0) << json.err;
  EXPECT_THAT(json.out, HasSubstr("\"object_file\": \"" + dir + "/x'y.o\""));
  EXPECT_THAT(json.out, HasSubstr("{\"name\": \"camlX'y__entry\", "
                                  "\"asm_name\": \"camlX$27y__entry\"}"));
  EXPECT_EQ(Inspect({"--target=sparc-solaris", cmx}).status, 2);
}

// A plugin built here by ocamlopt -shared: camlsym reads the same units,
// CRCs and imports from its caml_plugin_header as ocamlobjinfo does.
TEST(InspectCommandTest, PluginsAgreeWithOcamlobjinfo) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  const std::string dir = std::string(tmp != nullptr ? tmp : "/tmp") + "/cmxs";
  RunCommand("rm -rf " + dir + " && mkdir -p " + dir);
  std::FILE* f = std::fopen((dir + "/a.ml").c_str(), "w");
  std::fputs("let x = ref 1\n", f);
  std::fclose(f);
  f = std::fopen((dir + "/b.ml").c_str(), "w");
  std::fputs("let () = A.x := List.length [1; 2]\n", f);
  std::fclose(f);
  ASSERT_EQ(RunCommand("cd " + dir +
                       " && ocamlopt -c a.ml b.ml 2>&1 && ocamlopt -shared "
                       "-o p.cmxs a.cmx b.cmx 2>&1 && echo ok"),
            "ok\n");
  const std::string plugin = dir + "/p.cmxs";
  Output text = Inspect({plugin});
  EXPECT_EQ(text.status, 0) << text.err;
  EXPECT_EQ(text.out, RunCommand("ocamlobjinfo " + plugin));
  EXPECT_THAT(text.out, HasSubstr("Name: B\n"));

  Output json = Inspect({"--json", plugin});
  EXPECT_EQ(json.status, 0) << json.err;
  EXPECT_THAT(json.out, HasSubstr("\"kind\": \"cmxs\", \"magic\": "
                                  "\"Caml1999D030\", \"ocaml_version\": "
                                  "\"4.13\", \"units\": [{\"name\": \"A\""));
  EXPECT_EQ(std::count(json.out.begin(), json.out.end(), '\n'), 1);

  // Truncated anywhere: an error naming the file, exit 1, never a crash.
  const std::string full = RunCommand("cat " + plugin);
  for (size_t n : {size_t{0}, size_t{3}, size_t{64}, size_t{1000},
                   full.size() / 2, full.size() - 1}) {
    const std::string cut = dir + "/cut.cmxs";
    RunCommand(fmt::format("head -c {} {} > {}", n, plugin, cut));
    Output o = Inspect({cut});
    EXPECT_EQ(o.status, 1) << n;
    EXPECT_THAT(o.err, HasSubstr("cut.cmxs: ")) << n;
  }
  // An ELF shared object that is not a plugin; a file that is not ELF.
  RunCommand("cd " + dir +
             " && echo 'int f(void) { return 1; }' > lib.c && gcc -shared "
             "-fPIC -o lib.cmxs lib.c && cp a.ml notelf.cmxs");
  Output notplugin = Inspect({dir + "/lib.cmxs"});
  EXPECT_EQ(notplugin.status, 1);
  EXPECT_THAT(notplugin.err, HasSubstr("lib.cmxs: no caml_plugin_header"));
  Output notelf = Inspect({dir + "/notelf.cmxs", dir + "/a.cmx"});
  EXPECT_EQ(notelf.status, 1);
  EXPECT_THAT(notelf.err, HasSubstr("notelf.cmxs: not a .cmxs file"));
  EXPECT_THAT(notelf.out, HasSubstr("Name: A\n"));
}

}  // namespace
}  // namespace camlsym
