// `camlsym inspect` on real files: what it prints agrees with ocamlobjinfo,
// and bad files give an error naming them and a non-zero status.
#include "camlsym/tools/inspect_command.h"

#include <cstdio>
#include <cstdlib>
#include <regex>
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
