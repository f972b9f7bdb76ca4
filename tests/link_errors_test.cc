// `camlsym link` and `camlsym startup` on bad input and failing tools: a
// clear message naming the file or tool, a non-zero exit, and no output
// file left behind (not even a partial one).
#include "camlsym/tests/corpus.h"
#include "camlsym/tests/oracle_util.h"
#include "fmt/format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace camlsym::testing {
namespace {

using ::testing::HasSubstr;

class LinkErrorsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir("link_errors");
    WriteFile(dir_ + "/a.ml", "let () = print_endline \"a\"\n");
    CommandResult r = RunShell(
        fmt::format("cd {} && ocamlopt -c a.ml 2>&1", ShellQuote(dir_)));
    ASSERT_EQ(r.exit_code, 0) << r.out;
  }

  CommandResult Camlsym(const std::string& args) {
    return RunShell(fmt::format("cd {} && {} {} 2>&1", ShellQuote(dir_),
                                CamlsymBinary(), args));
  }

  bool Exists(const std::string& f) {
    return RunShell(fmt::format("test -e {}/{}", ShellQuote(dir_), f))
               .exit_code == 0;
  }

  // Nothing but the inputs in the directory: no output, no temporary.
  void ExpectNoOutputLeft() {
    CommandResult ls = RunShell(fmt::format(
        "cd {} && ls -A | grep -v -x -e a.ml -e a.cmx -e a.cmi -e a.o -e "
        "bad.cmx -e old.cmx || true",
        ShellQuote(dir_)));
    EXPECT_EQ(ls.out, "") << "left behind";
  }

  std::string dir_;
};

TEST_F(LinkErrorsTest, WorkingLinkRuns) {
  CommandResult r = Camlsym("link -o a.exe a.cmx");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(RunShell(fmt::format("{}/a.exe", dir_)).out, "a\n");
}

TEST_F(LinkErrorsTest, BothAssemblersLinkWorkingPrograms) {
  // The default on x86-64 is camlsym's own assembler; --no-integrated-as
  // runs `as` on the same startup text. --verbose shows which ran.
  CommandResult own = Camlsym("link --verbose -o own.exe a.cmx");
  ASSERT_EQ(own.exit_code, 0) << own.out;
  EXPECT_THAT(own.out, HasSubstr("(integrated assembler)"));
  EXPECT_THAT(own.out, ::testing::Not(HasSubstr("as -o ")));
  CommandResult gas =
      Camlsym("link --verbose --no-integrated-as -o gas.exe a.cmx");
  ASSERT_EQ(gas.exit_code, 0) << gas.out;
  EXPECT_THAT(gas.out, HasSubstr("as -o "));
  EXPECT_EQ(RunShell(fmt::format("{}/own.exe", dir_)).out, "a\n");
  EXPECT_EQ(RunShell(fmt::format("{}/gas.exe", dir_)).out, "a\n");
}

TEST_F(LinkErrorsTest, CcoptGoesToTheLinkerAfterTheLibraryDirs) {
  // ocamlopt's ccomp.ml call_linker: -L dirs, then -ccopt options in order.
  CommandResult r = Camlsym(
      "link --verbose -ccopt -Wl,--defsym=camlsym_ccopt_1=0 -ccopt "
      "-Wl,--defsym=camlsym_ccopt_2=0 -o cc.exe a.cmx");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_THAT(r.out, HasSubstr(" -L" + HostStdlibDir() +
                               " -Wl,--defsym=camlsym_ccopt_1=0 "
                               "-Wl,--defsym=camlsym_ccopt_2=0 "));
  EXPECT_EQ(
      RunShell(fmt::format("nm {}/cc.exe | grep -c camlsym_ccopt_", dir_)).out,
      "2\n");
  EXPECT_EQ(RunShell(fmt::format("{}/cc.exe", dir_)).out, "a\n");
  CommandResult missing = Camlsym("link -o cc2.exe a.cmx -ccopt");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.out, HasSubstr("-ccopt needs an argument"));
}

TEST_F(LinkErrorsTest, StartupObjectOnlyForElf) {
  // `startup -o x.o` assembles (x86-64 and AArch64 ELF); for a target the
  // integrated assembler does not write (Mach-O), a clear error and no
  // file.
  CommandResult ok = Camlsym("startup -o s.o a.cmx");
  ASSERT_EQ(ok.exit_code, 0) << ok.out;
  EXPECT_EQ(RunShell(fmt::format("cd {} && readelf -h s.o | grep -c "
                                 "'REL (Relocatable file)'",
                                 ShellQuote(dir_)))
                .out,
            "1\n");
  RunShell(fmt::format("rm {}/s.o", dir_));
  CommandResult arm = Camlsym("startup --target=aarch64-linux -o s.o a.cmx");
  ASSERT_EQ(arm.exit_code, 0) << arm.out;
  EXPECT_EQ(RunShell(fmt::format("cd {} && readelf -h s.o | grep -c "
                                 "'Machine: *AArch64'",
                                 ShellQuote(dir_)))
                .out,
            "1\n");
  RunShell(fmt::format("rm {}/s.o", dir_));
  CommandResult mac = Camlsym(fmt::format(
      "startup --target=aarch64-macos --ocaml-stdlib={} -o s.o a.cmx",
      ShellQuote(HostStdlibDir())));
  EXPECT_EQ(mac.exit_code, 1);
  EXPECT_THAT(mac.out, HasSubstr("x86-64 and AArch64 only"));
  EXPECT_FALSE(Exists("s.o"));
  ExpectNoOutputLeft();
}

TEST_F(LinkErrorsTest, FailingLinkerLeavesNoOutput) {
  CommandResult r = Camlsym("link --cc=false -o a.exe a.cmx");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, HasSubstr("false failed with exit code 1"));
  EXPECT_FALSE(Exists("a.exe"));
  ExpectNoOutputLeft();
}

TEST_F(LinkErrorsTest, FailingAssemblerMessageIsPassedOn) {
  // A shell "assembler" that prints its own message and fails.
  WriteFile(dir_ + "/bad-as", "#!/bin/sh\necho 'bad-as: no way' >&2\nexit 3\n");
  RunShell(fmt::format("chmod +x {}/bad-as", dir_));
  CommandResult r = Camlsym("link --as=./bad-as -o a.exe a.cmx");
  RunShell(fmt::format("rm {}/bad-as", dir_));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, HasSubstr("bad-as: no way"));
  EXPECT_THAT(r.out, HasSubstr("exit code 3"));
  ExpectNoOutputLeft();
}

TEST_F(LinkErrorsTest, BadInputsNameTheFile) {
  RunShell(fmt::format("cd {} && head -c 100 a.cmx > bad.cmx", dir_));
  CommandResult trunc = Camlsym("link -o a.exe bad.cmx");
  EXPECT_EQ(trunc.exit_code, 1);
  EXPECT_THAT(trunc.out, HasSubstr("bad.cmx"));

  // A .cmx of another OCaml version: the magic of 4.14.
  RunShell(fmt::format(
      "cd {} && {{ printf 'Caml1999Y031'; tail -c +13 a.cmx; }} > old.cmx",
      dir_));
  CommandResult old = Camlsym("startup -o s.s old.cmx");
  EXPECT_EQ(old.exit_code, 1);
  EXPECT_THAT(old.out, HasSubstr("old.cmx"));
  EXPECT_THAT(old.out, HasSubstr("4.14"));

  CommandResult missing = Camlsym("link -o a.exe nothere.cmx");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.out, HasSubstr("nothere.cmx"));

  CommandResult target = Camlsym("link --target=riscv64-linux -o a.exe a.cmx");
  EXPECT_EQ(target.exit_code, 2);
  EXPECT_THAT(target.out, HasSubstr("riscv64-linux"));

  // Without -o, link writes a.out as ocamlopt does; without inputs it is a
  // usage error listing the flags.
  CommandResult usage = Camlsym("link -o a.exe");
  EXPECT_EQ(usage.exit_code, 2);
  EXPECT_THAT(usage.out, HasSubstr("no input file"));
  EXPECT_THAT(usage.out, HasSubstr("-o FILE"));
  ExpectNoOutputLeft();
}

}  // namespace
}  // namespace camlsym::testing
