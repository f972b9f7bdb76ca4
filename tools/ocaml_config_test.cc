// The C toolchain read from Makefile.config is the one the real ocamlopt
// runs: its -verbose link command starts with MKEXE (executables) and
// MKDLL (plugins), and ends with NATIVECCLIBS.
#include "camlsym/tools/ocaml_config.h"

#include "camlsym/tests/oracle_util.h"
#include "fmt/format.h"
#include "fmt/ranges.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace camlsym {
namespace {

using ::camlsym::testing::CommandResult;
using ::camlsym::testing::HostStdlibDir;
using ::camlsym::testing::MakeTempDir;
using ::camlsym::testing::RunShell;
using ::camlsym::testing::ShellQuote;
using ::camlsym::testing::WriteFile;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

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

TEST(OcamlConfigTest, HostToolchainIsOcamloptsLinkCommand) {
  absl::StatusOr<CToolchainConfig> c = ReadCToolchainConfig(HostStdlibDir());
  ASSERT_TRUE(c.ok()) << c.status();
  const std::string dir = MakeTempDir("ocaml_config");
  WriteFile(dir + "/h.ml", "let () = print_endline \"h\"\n");
  CommandResult exe = RunShell(fmt::format(
      "cd {} && ocamlopt -verbose -o h h.ml 2>&1 | grep -F -- \" -o 'h' \"",
      ShellQuote(dir)));
  ASSERT_EQ(exe.exit_code, 0) << exe.out;
  // "+ MKEXE -o 'h' ... -lm"
  EXPECT_THAT(exe.out,
              StartsWith(fmt::format("+ {} -o 'h'", fmt::join(c->mkexe, " "))));
  EXPECT_THAT(exe.out, HasSubstr("-Wl,-z,relro"));  // Debian's hardening.
  std::string tail = fmt::format("{}", fmt::join(c->native_c_libraries, " "));
  EXPECT_THAT(exe.out, HasSubstr("libasmrun.a' " + tail));
  CommandResult dll = RunShell(fmt::format(
      "cd {} && ocamlopt -verbose -shared -o h.cmxs h.ml 2>&1 | grep -F -- "
      "\" -o 'h.cmxs' \"",
      ShellQuote(dir)));
  ASSERT_EQ(dll.exit_code, 0) << dll.out;
  EXPECT_THAT(dll.out, StartsWith(fmt::format("+ {} -o 'h.cmxs'",
                                              fmt::join(c->mkdll, " "))));
  CommandResult obj = RunShell(fmt::format(
      "cd {} && ocamlopt -verbose -output-obj -o hobj.o h.ml 2>&1 | grep -F -- "
      "\"-r -o 'hobj.o'\"",
      ShellQuote(dir)));
  ASSERT_EQ(obj.exit_code, 0) << obj.out;
  EXPECT_THAT(obj.out, StartsWith(fmt::format("+ {} 'hobj.o'",
                                              fmt::join(c->pack_linker, " "))));
}

}  // namespace
}  // namespace camlsym
