// Issue proof on x86-64: every program of tests/programs/, linked once by
// ocamlopt 4.13.1 and once by camlsym (with camlsym's own startup file),
// behaves identically (stdout, stderr, exit status), also with
// OCAMLRUNPARAM=s=256; and the two startup files define the same global
// symbols and list the same symbols, in the same order, in caml_program's
// calls, caml_globals, the segment tables and caml_frametable.
#include "fmt/format.h"
#include "gtest/gtest.h"
#include "tests/corpus.h"
#include "tests/oracle_util.h"

namespace camlsym::testing {
namespace {

Toolchain HostToolchain() {
  Toolchain tc;
  tc.ocamlopt = "ocamlopt";
  tc.assembler = "as";
  return tc;
}

class CorpusX86_64Test : public ::testing::TestWithParam<std::string> {};

TEST_P(CorpusX86_64Test, LinksAndRunsLikeOcamlopt) {
  const Toolchain tc = HostToolchain();
  const std::string& name = GetParam();
  const std::string dir = MakeTempDir("corpus_x86_64/" + name);
  std::string err = CompileProgram(tc, name, dir);
  ASSERT_EQ(err, "") << err;
  const std::string args = LinkArguments(name);

  CommandResult ref =
      RunShell(fmt::format("cd {} && {} -g -dstartup -o ref.exe {} 2>&1",
                           ShellQuote(dir), tc.ocamlopt, args));
  ASSERT_EQ(ref.exit_code, 0) << ref.out;
  CommandResult ours = RunShell(fmt::format(
      "cd {} && {} link {} --keep-startup=cs.startup.s -o cs.exe {} 2>&1",
      ShellQuote(dir), CamlsymBinary(), tc.camlsym_args, args));
  ASSERT_EQ(ours.exit_code, 0) << ours.out;

  for (const char* env : {"", "OCAMLRUNPARAM=s=256"}) {
    RunResult a = RunProgram(tc, dir, "ref.exe", env);
    RunResult b = RunProgram(tc, dir, "cs.exe", env);
    EXPECT_FALSE(a.out.empty()) << name;
    EXPECT_EQ(a.out, b.out) << name << " stdout " << env;
    EXPECT_EQ(a.err, b.err) << name << " stderr " << env;
    EXPECT_EQ(a.exit_code, b.exit_code) << name << " exit " << env;
  }

  const std::string ref_s = ReadFile(dir + "/ref.exe.startup.s");
  const std::string our_s = ReadFile(dir + "/cs.startup.s");
  ASSERT_FALSE(ref_s.empty());
  ASSERT_FALSE(our_s.empty());
  EXPECT_EQ(EntryCalls(our_s), EntryCalls(ref_s)) << name;
  for (const char* table : {"caml_globals", "caml_data_segments",
                            "caml_code_segments", "caml_frametable"}) {
    std::vector<std::string> want = QuadSymbolsAfterLabel(ref_s, table);
    EXPECT_GT(want.size(), 3u) << table;
    EXPECT_EQ(QuadSymbolsAfterLabel(our_s, table), want)
        << name << " " << table;
  }
  CommandResult as = RunShell(
      fmt::format("cd {0} && {1} -o ref.startup.o ref.exe.startup.s && {1} -o "
                  "cs.startup.o cs.startup.s 2>&1",
                  ShellQuote(dir), tc.assembler));
  ASSERT_EQ(as.exit_code, 0) << as.out;
  std::vector<std::string> ref_syms = GlobalSymbols(tc, dir + "/ref.startup.o");
  EXPECT_GT(ref_syms.size(), 20u);
  EXPECT_EQ(GlobalSymbols(tc, dir + "/cs.startup.o"), ref_syms) << name;
  RunShell("rm -rf " + ShellQuote(dir));
}

INSTANTIATE_TEST_SUITE_P(Programs, CorpusX86_64Test,
                         ::testing::ValuesIn(CorpusPrograms()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

TEST(CorpusX86_64, HasTheWholeCorpus) {
  EXPECT_GE(CorpusPrograms().size(), 25u);
}

}  // namespace
}  // namespace camlsym::testing
