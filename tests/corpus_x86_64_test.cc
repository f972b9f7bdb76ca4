// Issue proof on x86-64: every program of tests/programs/, linked once by
// ocamlopt 4.13.1 and once by camlsym (with camlsym's own startup file),
// behaves identically (stdout, stderr, exit status), also with
// OCAMLRUNPARAM=s=256; and the two startup files define the same global
// symbols, hold the same caml_globals_map bytes and list the same symbols,
// in the same order, in caml_program's calls, caml_globals, the segment
// tables and caml_frametable; camlsym links with its integrated
// assembler's startup object, which equals what GNU as makes of the startup
// text (see ExpectLinksLikeOcamlopt).
#include "camlsym/tests/corpus.h"
#include "camlsym/tests/oracle_util.h"
#include "fmt/format.h"
#include "gtest/gtest.h"

namespace camlsym::testing {
namespace {

Toolchain HostToolchain() {
  Toolchain tc;
  tc.ocamlopt = "ocamlopt";
  tc.assembler = "as";
  tc.integrated_assembler = true;
  return tc;
}

class CorpusX86_64Test : public ::testing::TestWithParam<std::string> {};

TEST_P(CorpusX86_64Test, LinksAndRunsLikeOcamlopt) {
  const Toolchain tc = HostToolchain();
  const std::string& name = GetParam();
  const std::string dir = MakeTempDir("corpus_x86_64/" + name);
  std::string err = CompileAndLinkReference(tc, name, dir);
  ASSERT_EQ(err, "") << err;
  ExpectLinksLikeOcamlopt(tc, name, dir);
  RunShell("rm -rf " + ShellQuote(dir));
}

INSTANTIATE_TEST_SUITE_P(Programs, CorpusX86_64Test,
                         ::testing::ValuesIn(CorpusPrograms()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

// The parameterised test runs CorpusPrograms(): that must be every folder
// of tests/programs/, each named NN_name.
TEST(CorpusX86_64, HasTheWholeCorpus) {
  const std::vector<std::string> expected = ExpectedCorpusPrograms();
  ASSERT_FALSE(expected.empty()) << "no tests/program_list.txt in runfiles";
  EXPECT_EQ(CorpusPrograms(), expected);
}

}  // namespace
}  // namespace camlsym::testing
