// Issue proof on AArch64: every program of tests/programs/, compiled by
// Debian's arm64 ocamlopt 4.13.1 under qemu-user, linked once by that
// ocamlopt and once by `camlsym link --target=aarch64-linux` (with
// camlsym's own startup file), behaves identically under qemu-aarch64
// (stdout, stderr, exit status), also with OCAMLRUNPARAM=s=256 (camlsym
// links with the startup object its integrated assembler wrote, no
// assembler run); camlsym's startup object and shared (plugin) startup
// object equal what aarch64-linux-gnu-as makes of the same startup text
// (CompareObjects: bytes, relocations, symbols, mapping symbols and
// .eh_frame included); and the two
// startup files define the same global symbols, list the same symbols in
// the same order in caml_program's calls, caml_globals, the segment tables
// and caml_frametable, and hold the same caml_globals_map bytes. camlsym's
// startup for aarch64-macos must assemble with llvm-mc (when installed) and
// define the same symbols with Mach-O's `_` prefix.
//
// Compiling under qemu is slow, so ocamlopt's outputs (.cmi/.cmx/.o, its
// reference executable and startup assembly) are cached
// (CachedCompileAndLinkReference); reruns only link and run.
#include <algorithm>

#include "camlsym/tests/corpus.h"
#include "camlsym/tests/oracle_util.h"
#include "fmt/format.h"
#include "gtest/gtest.h"

namespace camlsym::testing {
namespace {

// Bump to invalidate every cached compilation.
constexpr std::string_view kCacheVersion = "arm64-4.13.1-v1";

std::string Arm64Tree() { return CacheRoot() + "/arm64-ocaml"; }

Toolchain Arm64Toolchain() {
  const std::string tree = Arm64Tree();
  const std::string lib = tree + "/usr/lib/ocaml";
  Toolchain tc;
  tc.ocamlopt = fmt::format(
      "OCAMLLIB={} qemu-aarch64 -L /usr/aarch64-linux-gnu {}/usr/bin/"
      "ocamlopt.opt",
      ShellQuote(lib), ShellQuote(tree));
  tc.run_prefix = "qemu-aarch64 -L /usr/aarch64-linux-gnu";
  tc.camlsym_args =
      fmt::format("--target=aarch64-linux --ocaml-stdlib={}", ShellQuote(lib));
  tc.nm = "aarch64-linux-gnu-nm";
  tc.assembler = "aarch64-linux-gnu-as";
  tc.integrated_assembler = true;
  return tc;
}

class CorpusAArch64Test : public ::testing::TestWithParam<std::string> {};

TEST_P(CorpusAArch64Test, LinksAndRunsLikeOcamlopt) {
  ASSERT_EQ(RunShell(fmt::format("test -x {}/usr/bin/ocamlopt.opt",
                                 ShellQuote(Arm64Tree())))
                .exit_code,
            0)
      << "no arm64 OCaml at " << Arm64Tree()
      << " (scripts/install-deps.sh unpacks it)";
  const Toolchain tc = Arm64Toolchain();
  const std::string& name = GetParam();
  const std::string dir = MakeTempDir("corpus_aarch64/" + name);
  std::string err = CachedCompileAndLinkReference(tc, name, dir, kCacheVersion);
  ASSERT_EQ(err, "") << err;

  ExpectLinksLikeOcamlopt(tc, name, dir);
  if (HasFatalFailure()) return;
  std::vector<std::string> ref_syms = GlobalSymbols(tc, dir + "/ref.startup.o");

  // The same startup for aarch64-macos (Mach-O spelling) assembles with
  // LLVM's assembler (Apple's) and defines the same symbols, `_`-prefixed.
  // A missing oracle is a failure, not a skip.
  ASSERT_EQ(RunShell("command -v llvm-mc && command -v llvm-nm").exit_code, 0)
      << "llvm-mc or llvm-nm is not installed: run scripts/install-deps.sh "
         "(Debian's llvm)";
  CommandResult mac = RunShell(fmt::format(
      "cd {0} && {1} startup --target=aarch64-macos --ocaml-stdlib={2} -o "
      "mac.s {3} && llvm-mc -triple=arm64-apple-macos -filetype=obj -o "
      "mac.o mac.s 2>&1",
      ShellQuote(dir), CamlsymBinary(),
      ShellQuote(Arm64Tree() + "/usr/lib/ocaml"), LinkArguments(name)));
  ASSERT_EQ(mac.exit_code, 0) << mac.out;
  Toolchain llvm = tc;
  llvm.nm = "llvm-nm";
  std::vector<std::string> mac_syms;
  for (const std::string& sym : GlobalSymbols(llvm, dir + "/mac.o")) {
    EXPECT_EQ(sym[0], '_') << sym;
    mac_syms.push_back(sym.substr(1));
  }
  std::sort(mac_syms.begin(), mac_syms.end());
  EXPECT_EQ(mac_syms, ref_syms) << name;
  RunShell("rm -rf " + ShellQuote(dir));
}

INSTANTIATE_TEST_SUITE_P(Programs, CorpusAArch64Test,
                         ::testing::ValuesIn(CorpusPrograms()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

// The parameterised test runs CorpusPrograms(): that must be every folder
// of tests/programs/, each named NN_name.
TEST(CorpusAArch64, HasTheWholeCorpus) {
  const std::vector<std::string> expected = ExpectedCorpusPrograms();
  ASSERT_FALSE(expected.empty()) << "no tests/program_list.txt in runfiles";
  EXPECT_EQ(CorpusPrograms(), expected);
}

}  // namespace
}  // namespace camlsym::testing
