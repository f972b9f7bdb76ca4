// The C toolchain read from Makefile.config is the one the real ocamlopt
// runs: its -verbose link command starts with MKEXE (executables) and
// MKDLL (plugins), and ends with NATIVECCLIBS; for 4.13.1 (the host's) and
// for Debian's 5.3 and 5.4 on x86-64 and AArch64. The standard library found
// beside the ocamlopt on PATH is the one `ocamlopt -where` prints, and an
// installation that does not describe itself as living there is not taken.
#include "camlsym/tools/ocaml_config.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "camlsym/tests/oracle_util.h"
#include "camlsym/tools/program_path.h"
#include "fmt/format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace camlsym {
namespace {

using ::camlsym::testing::CommandResult;
using ::camlsym::testing::FindOcaml5Tree;
using ::camlsym::testing::HostStdlibDir;
using ::camlsym::testing::MakeTempDir;
using ::camlsym::testing::Ocaml5Tree;
using ::camlsym::testing::RunShell;
using ::camlsym::testing::ShellQuote;
using ::camlsym::testing::WriteFile;
using ::testing::Contains;
using ::testing::HasSubstr;

TEST(OcamlConfigTest, EvaluatesTheMakeSubset) {
  constexpr std::string_view kText =
      "EMPTY=\n"
      "CC=gcc\n"
      "CFLAGS?=-g -ffile-prefix-map=/a=b -O2\n"
      "CFLAGS?=-never\n"
      "LONG=a \\\n  b\n"
      "PACKLD=ld -r -o $(EMPTY)\n"
      "MKEXE=$(CC) $(filter-out -fdebug-prefix-map=% "
      "-ffile-prefix-map=%,$(CFLAGS)) $(UNDEFINED)-x $$HOME\n";
  EXPECT_EQ(*EvaluateMakeVariable(kText, "MKEXE"), "gcc -g -O2 -x $HOME");
  EXPECT_EQ(*EvaluateMakeVariable(kText, "PACKLD"), "ld -r -o ");
  EXPECT_EQ(*EvaluateMakeVariable(kText, "LONG"), "a b");
  EXPECT_EQ(EvaluateMakeVariable(kText, "NOPE").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(EvaluateMakeVariable("X=$(shell ls)\n", "X").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(EvaluateMakeVariable("X=$(X)\n", "X").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(OcamlConfigTest, MissingMakefileConfigNamesIt) {
  absl::StatusOr<CToolchainConfig> c = ReadCToolchainConfig("/nonexistent");
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.status().message(), HasSubstr("/nonexistent"));
}

// The words of the command that ocamlopt -verbose printed (`+ CMD ARGS`)
// in \p out, up to the word \p output (excluded); empty if none.
std::vector<std::string> WordsBefore(const std::string& out,
                                     const std::string& output) {
  std::vector<std::string> words = SplitWords(out);
  auto at = std::find(words.begin(), words.end(), output);
  if (words.empty() || words.front() != "+" || at == words.end()) return {};
  return std::vector<std::string>(words.begin() + 1, at);
}

// Checks that the toolchain read from \p stdlib is the one \p ocamlopt
// (the compiler of that standard library) runs for an executable, a plugin
// and an -output-obj object.
void ExpectOcamloptsLinkCommands(const std::string& ocamlopt,
                                 const std::string& stdlib,
                                 const std::string& name) {
  absl::StatusOr<CToolchainConfig> c = ReadCToolchainConfig(stdlib);
  ASSERT_TRUE(c.ok()) << c.status();
  const std::string dir = MakeTempDir("ocaml_config_" + name);
  WriteFile(dir + "/h.ml", "let () = print_endline \"h\"\n");
  CommandResult exe = RunShell(
      fmt::format("cd {} && {} -verbose -o h h.ml 2>&1 | grep -F -- \" -o "
                  "'h' \"",
                  ShellQuote(dir), ocamlopt));
  ASSERT_EQ(exe.exit_code, 0) << exe.out;
  // "+ MKEXE -o 'h' ... -lm"
  std::vector<std::string> mkexe = c->mkexe;
  mkexe.push_back("-o");
  EXPECT_EQ(WordsBefore(exe.out, "'h'"), mkexe) << exe.out;
  EXPECT_THAT(exe.out, HasSubstr("-Wl,-z,relro"));  // Debian's hardening.
  // Dynlink needs the main program's symbols exported.
  EXPECT_THAT(c->mkexe, Contains("-Wl,-E"));
  // ... and ends with NATIVECCLIBS, after the runtime.
  std::vector<std::string> words = SplitWords(exe.out);
  auto runtime = std::find_if(words.begin(), words.end(), [](const auto& w) {
    return w.ends_with("/libasmrun.a'");
  });
  ASSERT_NE(runtime, words.end()) << exe.out;
  EXPECT_EQ(std::vector<std::string>(runtime + 1, words.end()),
            c->native_c_libraries)
      << exe.out;
  CommandResult dll = RunShell(fmt::format(
      "cd {} && {} -verbose -shared -o h.cmxs h.ml 2>&1 | grep -F -- "
      "\" -o 'h.cmxs' \"",
      ShellQuote(dir), ocamlopt));
  ASSERT_EQ(dll.exit_code, 0) << dll.out;
  std::vector<std::string> mkdll = c->mkdll;
  mkdll.push_back("-o");
  EXPECT_EQ(WordsBefore(dll.out, "'h.cmxs'"), mkdll) << dll.out;
  CommandResult obj = RunShell(fmt::format(
      "cd {} && {} -verbose -output-obj -o hobj.o h.ml 2>&1 | grep -F -- "
      "\"-r -o 'hobj.o'\"",
      ShellQuote(dir), ocamlopt));
  ASSERT_EQ(obj.exit_code, 0) << obj.out;
  EXPECT_EQ(WordsBefore(obj.out, "'hobj.o'"), c->pack_linker) << obj.out;
}

TEST(OcamlConfigTest, HostToolchainIsOcamloptsLinkCommand) {
  ExpectOcamloptsLinkCommands("ocamlopt", HostStdlibDir(), "host");
}

// OCaml 5.3 and 5.4 (Debian's, scripts/install-ocaml5.sh), x86-64 and
// AArch64 (under qemu): their Makefile.config leaves OC_LDFLAGS undefined.
TEST(OcamlConfigTest, Ocaml5ToolchainsAreOcamloptsLinkCommands) {
  for (const char* suite : {"trixie", "sid"}) {
    for (const char* arch : {"amd64", "arm64"}) {
      SCOPED_TRACE(fmt::format("{} {}", suite, arch));
      std::string why;
      std::optional<Ocaml5Tree> tree = FindOcaml5Tree(suite, arch, why);
      ASSERT_TRUE(tree.has_value()) << why;
      ExpectOcamloptsLinkCommands(tree->Tool("ocamlopt"), tree->stdlib,
                                  fmt::format("{}_{}", suite, arch));
      RecordProperty(fmt::format("ocaml_{}_{}", suite, arch), tree->version);
    }
  }
}

TEST(StdlibDirBesideOcamloptTest, IsWhatTheInstalledOcamloptPrints) {
  const std::optional<std::string> ocamlopt = FindOnPath("ocamlopt");
  ASSERT_TRUE(ocamlopt.has_value())
      << "no ocamlopt on PATH: run scripts/install-deps.sh";
  CommandResult where = RunShell("env -u OCAMLLIB -u CAMLLIB ocamlopt -where");
  ASSERT_EQ(where.exit_code, 0) << where.out;
  ASSERT_FALSE(where.out.empty());
  where.out.pop_back();  // The newline.
  // Debian's layout: /usr/bin/ocamlopt, /usr/lib/ocaml.
  EXPECT_EQ(StdlibDirBesideOcamlopt(*ocamlopt), where.out);
}

// An installation PREFIX/bin, PREFIX/lib/ocaml whose Makefile.config says
// \p bindir and \p libdir (with make variables, as ./configure writes).
std::string FakeInstallation(const std::string& prefix,
                             const std::string& bindir,
                             const std::string& libdir) {
  std::filesystem::create_directories(prefix + "/bin");
  std::filesystem::create_directories(prefix + "/lib/ocaml");
  WriteFile(prefix + "/bin/ocamlopt", "#!/bin/sh\nexit 1\n");
  chmod((prefix + "/bin/ocamlopt").c_str(), 0755);
  WriteFile(prefix + "/lib/ocaml/Makefile.config",
            fmt::format("prefix={}\nexec_prefix=${{prefix}}\nBINDIR={}\n"
                        "LIBDIR={}\n",
                        prefix, bindir, libdir));
  return prefix + "/bin/ocamlopt";
}

TEST(StdlibDirBesideOcamloptTest, TakesOnlyAnInstallationThatSaysItLivesThere) {
  const std::string dir = MakeTempDir("stdlib_beside");
  // As configured: LIBDIR as written, even through a symbolic link.
  const std::string p =
      FakeInstallation(dir + "/a", "${exec_prefix}/bin", dir + "/a/lib/ocaml");
  EXPECT_EQ(StdlibDirBesideOcamlopt(p), dir + "/a/lib/ocaml");
  ASSERT_EQ(symlink((dir + "/a").c_str(), (dir + "/link").c_str()), 0);
  EXPECT_EQ(StdlibDirBesideOcamlopt(dir + "/link/bin/ocamlopt"),
            dir + "/a/lib/ocaml");
  // Configured for elsewhere (moved, or another LIBDIR): not taken.
  EXPECT_EQ(StdlibDirBesideOcamlopt(FakeInstallation(
                dir + "/b", "${exec_prefix}/bin", "/usr/lib/ocaml")),
            std::nullopt);
  EXPECT_EQ(StdlibDirBesideOcamlopt(
                FakeInstallation(dir + "/c", "/usr/bin", dir + "/c/lib/ocaml")),
            std::nullopt);
  // No Makefile.config, or one without LIBDIR.
  std::filesystem::create_directories(dir + "/d/bin");
  EXPECT_EQ(StdlibDirBesideOcamlopt(dir + "/d/bin/ocamlopt"), std::nullopt);
  FakeInstallation(dir + "/e", "${exec_prefix}/bin", dir + "/e/lib/ocaml");
  WriteFile(dir + "/e/lib/ocaml/Makefile.config", "BINDIR=" + dir + "/e/bin\n");
  EXPECT_EQ(StdlibDirBesideOcamlopt(dir + "/e/bin/ocamlopt"), std::nullopt);
  // A bare name: no directory to look beside.
  EXPECT_EQ(StdlibDirBesideOcamlopt("ocamlopt"), std::nullopt);
  RunShell("rm -rf " + ShellQuote(dir));
}

}  // namespace
}  // namespace camlsym
