// Issue proof for OCaml 5.x on x86-64: every program of tests/programs/,
// compiled by Debian's ocamlopt 5.3.0 (trixie) and 5.4.1 (sid), linked once
// by that ocamlopt and once by camlsym (its own 5.x startup file, assembled
// by its integrated assembler, linked with the same -ccopt flags against the
// suite's libc), behaves identically (stdout, stderr, exit status), also with
// OCAMLRUNPARAM=s=256; the two startup files call the same entries in the
// same order, list the same symbols in caml_globals, the segment tables and
// caml_frametable, hold the same caml_globals_map bytes and define the same
// global symbols; camlsym's startup object equals GNU as's of its text (see
// ExpectLinksLikeOcamlopt). Every program but 18_printf_format, which 5.x
// refuses to compile (`%3c`): including the large arities, whose arguments
// after the tenth OCaml 5 passes in the domain state.
#include <algorithm>
#include <optional>
#include <string>
#include <tuple>

#include "camlsym/tests/corpus.h"
#include "camlsym/tests/oracle_util.h"
#include "fmt/format.h"
#include "gtest/gtest.h"

namespace camlsym::testing {
namespace {

// Programs OCaml 5 does not compile.
constexpr const char* kNotOcaml5[] = {"18_printf_format"};

std::vector<std::string> Ocaml5Programs() {
  std::vector<std::string> out;
  for (const std::string& p : CorpusPrograms()) {
    auto is = [&](const char* n) { return p == n; };
    if (std::none_of(std::begin(kNotOcaml5), std::end(kNotOcaml5), is)) {
      out.push_back(p);
    }
  }
  return out;
}

Toolchain Ocaml5Toolchain(const Ocaml5Tree& tree) {
  Toolchain tc;
  // str and unix live in their own folders from 5.0.
  tc.ocamlopt = tree.Tool("ocamlopt") + " -I +str -I +unix";
  tc.camlsym_args = fmt::format("--ocaml-stdlib={0} -I {0}/str -I {0}/unix",
                                ShellQuote(tree.stdlib));
  tc.camlsym_link_args = tree.ccopts;
  tc.assembler = "as";
  tc.integrated_assembler = true;
  return tc;
}

class CorpusOcaml5X86_64Test
    : public ::testing::TestWithParam<std::tuple<std::string, std::string>> {};

TEST_P(CorpusOcaml5X86_64Test, LinksAndRunsLikeOcamlopt) {
  const auto& [suite, name] = GetParam();
  std::string why;
  const std::optional<Ocaml5Tree> tree = FindOcaml5Tree(suite, "amd64", why);
  ASSERT_TRUE(tree.has_value()) << why;
  const Toolchain tc = Ocaml5Toolchain(*tree);
  const std::string dir =
      MakeTempDir(fmt::format("corpus_ocaml5_x86_64/{}/{}", suite, name));
  std::string err = CompileAndLinkReference(tc, name, dir);
  ASSERT_EQ(err, "") << err;
  ExpectLinksLikeOcamlopt(tc, name, dir);
  RunShell("rm -rf " + ShellQuote(dir));
}

INSTANTIATE_TEST_SUITE_P(
    Programs, CorpusOcaml5X86_64Test,
    ::testing::Combine(::testing::Values("trixie", "sid"),
                       ::testing::ValuesIn(Ocaml5Programs())),
    [](const ::testing::TestParamInfo<std::tuple<std::string, std::string>>&
           info) {
      return std::get<0>(info.param) == "trixie"
                 ? "ocaml53_" + std::get<1>(info.param)
                 : "ocaml54_" + std::get<1>(info.param);
    });

}  // namespace
}  // namespace camlsym::testing
