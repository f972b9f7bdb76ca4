// Issue proof for OCaml 5.x on AArch64: a fixed sample of tests/programs/,
// compiled by Debian's arm64 ocamlopt 5.3.0 (trixie) and 5.4.1 (sid) under
// qemu-user, linked once by that ocamlopt and once by `camlsym link
// --target=aarch64-linux` (its own 5.x startup object, from its integrated
// assembler, linked with the same -ccopt flags against the suite's libc),
// behaves identically under qemu-aarch64 (stdout, stderr, exit status),
// also with OCAMLRUNPARAM=s=256; the two startup files call the same
// entries in the same order, list the same symbols in caml_globals, the
// segment tables and caml_frametable, hold the same caml_globals_map bytes
// and define the same global symbols; camlsym's startup object and shared
// startup object equal what aarch64-linux-gnu-as makes of their text (see
// ExpectLinksLikeOcamlopt).
//
// The sample, since compiling the whole corpus under qemu takes tens of
// minutes on 2 cores (32_max_arity alone takes minutes), and
// 11_deep_recursion with OCAMLRUNPARAM=s=256 runs for many minutes under
// qemu (every minor collection scans its deep stack): 01_curry_small,
// 02_curry_large (arities beyond x15: arguments in the domain state),
// 04_tuplified, 05_objects (caml_sendN and its cache store), 12_alloc
// (caml_call_gc from the generic functions), 29_closures, 32_max_arity
// (arguments beyond the domain state, on the stack). ocamlopt's outputs
// are cached (CachedCompileAndLinkReference), so reruns only link and run.
#include <string>
#include <tuple>
#include <vector>

#include "camlsym/tests/corpus.h"
#include "camlsym/tests/oracle_util.h"
#include "fmt/format.h"
#include "gtest/gtest.h"

namespace camlsym::testing {
namespace {

std::vector<std::string> Sample() {
  return {"01_curry_small", "02_curry_large", "04_tuplified", "05_objects",
          "12_alloc",       "29_closures",    "32_max_arity"};
}

Toolchain Ocaml5Arm64Toolchain(const Ocaml5Tree& tree) {
  Toolchain tc;
  // str and unix live in their own folders from 5.0.
  tc.ocamlopt = tree.Tool("ocamlopt") + " -I +str -I +unix";
  tc.run_prefix = tree.Tool("run");
  tc.camlsym_args = fmt::format(
      "--target=aarch64-linux --ocaml-stdlib={0} -I {0}/str -I {0}/unix",
      ShellQuote(tree.stdlib));
  tc.camlsym_link_args = tree.ccopts;
  tc.nm = "aarch64-linux-gnu-nm";
  tc.assembler = "aarch64-linux-gnu-as";
  tc.integrated_assembler = true;
  return tc;
}

class CorpusOcaml5AArch64Test
    : public ::testing::TestWithParam<std::tuple<std::string, std::string>> {};

TEST_P(CorpusOcaml5AArch64Test, LinksAndRunsLikeOcamlopt) {
  const auto& [suite, name] = GetParam();
  std::string why;
  const std::optional<Ocaml5Tree> tree = FindOcaml5Tree(suite, "arm64", why);
  ASSERT_TRUE(tree.has_value()) << why;
  const Toolchain tc = Ocaml5Arm64Toolchain(*tree);
  const std::string dir =
      MakeTempDir(fmt::format("corpus_ocaml5_aarch64/{}/{}", suite, name));
  std::string err = CachedCompileAndLinkReference(
      tc, name, dir, fmt::format("arm64-{}-v1", tree->version));
  ASSERT_EQ(err, "") << err;
  RecordProperty("ocaml_version", tree->version);
  ExpectLinksLikeOcamlopt(tc, name, dir);
  RunShell("rm -rf " + ShellQuote(dir));
}

INSTANTIATE_TEST_SUITE_P(Sample, CorpusOcaml5AArch64Test,
                         ::testing::Combine(::testing::Values("trixie", "sid"),
                                            ::testing::ValuesIn(Sample())),
                         [](const ::testing::TestParamInfo<
                             std::tuple<std::string, std::string>>& info) {
                           return std::get<0>(info.param) == "trixie"
                                      ? "ocaml53_" + std::get<1>(info.param)
                                      : "ocaml54_" + std::get<1>(info.param);
                         });

}  // namespace
}  // namespace camlsym::testing
