// camlsym never loses a file: an output that is one of the link's inputs
// is refused (compared by device and inode) and the input is untouched;
// outputs get ocamlopt's permissions under any umask; a failed or
// interrupted link (SIGINT, SIGTERM, SIGHUP while a slow -cc runs, or at
// any moment of a normal link) leaves the previous output as it was, no
// temporary beside it or in TMPDIR, and ends with status 128 + signal.
#include <csignal>

#include "camlsym/tests/corpus.h"
#include "camlsym/tests/oracle_util.h"
#include "fmt/format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace camlsym::testing {
namespace {

using ::testing::HasSubstr;

class OutputSafetyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir("output_safety");
    WriteFile(dir_ + "/a.ml", "let () = print_endline \"a\"\n");
    WriteFile(dir_ + "/p.ml", "let () = print_endline \"plugin\"\n");
    RunShell(fmt::format("mkdir -p {}/lib {}/tmp", ShellQuote(dir_),
                         ShellQuote(dir_)));
    WriteFile(dir_ + "/lib/m.ml", "let v = \"m\"\n");
    WriteFile(dir_ + "/b.ml", "let () = print_endline M.v\n");
    CommandResult r = RunShell(fmt::format(
        "cd {} && ocamlopt -c a.ml p.ml && ocamlopt -c lib/m.ml && "
        "ocamlopt -a -o lib/mylib.cmxa lib/m.cmx && ocamlopt -I lib -c b.ml "
        "2>&1",
        ShellQuote(dir_)));
    ASSERT_EQ(r.exit_code, 0) << r.out;
  }

  // Runs camlsym in the test directory, stderr merged, TMPDIR private,
  // after \p setup (e.g. "umask 077").
  CommandResult Camlsym(const std::string& args,
                        const std::string& setup = "true") {
    return RunShell(fmt::format("cd {} && {} && TMPDIR={}/tmp {} {} 2>&1",
                                ShellQuote(dir_), setup, ShellQuote(dir_),
                                CamlsymBinary(), args));
  }

  std::string Sum(const std::string& file) {
    return RunShell(fmt::format("cd {} && md5sum {}", ShellQuote(dir_), file))
        .out;
  }

  std::string Mode(const std::string& file) {
    return RunShell(
               fmt::format("cd {} && stat -c %a {}", ShellQuote(dir_), file))
        .out;
  }

  // Temporaries camlsym could leave: beside outputs and in TMPDIR.
  std::string Leftovers() {
    return RunShell(
               fmt::format("cd {} && ls -A . lib tmp | grep camlsym || true",
                           ShellQuote(dir_)))
        .out;
  }

  // Runs `camlsym ARGS` and expects it refused with both roles named and
  // \p input's bytes unchanged.
  void ExpectRefused(const std::string& args, const std::string& input,
                     const std::string& output_role,
                     const std::string& input_role) {
    const std::string before = Sum(input);
    ASSERT_THAT(before, HasSubstr(input)) << "no " << input;
    CommandResult r = Camlsym(args);
    EXPECT_EQ(r.exit_code, 1) << args << "\n" << r.out;
    EXPECT_THAT(r.out, HasSubstr(output_role)) << args;
    EXPECT_THAT(r.out, HasSubstr(input_role)) << args;
    EXPECT_THAT(r.out, HasSubstr("refusing to overwrite")) << args;
    EXPECT_EQ(Sum(input), before) << args;
    EXPECT_EQ(Leftovers(), "") << args;
  }

  std::string dir_;
};

TEST_F(OutputSafetyTest, NeverOverwritesAnInput) {
  // The unit's own object, as -o of an executable, a plugin, the startup
  // object and the kept startup.
  ExpectRefused("link -o a.o a.cmx", "a.o", "the output (-o)",
                "the object file of unit A (a.cmx)");
  ExpectRefused("link --shared -o a.o p.cmx a.cmx", "a.o", "the output (-o)",
                "the object file of unit A (a.cmx)");
  ExpectRefused("startup -o a.o a.cmx", "a.o", "the output (-o)",
                "the object file of unit A (a.cmx)");
  ExpectRefused("link --keep-startup=a.o -o prog a.cmx", "a.o",
                "the kept startup", "the object file of unit A (a.cmx)");
  EXPECT_EQ(RunShell(fmt::format("test -e {}/prog", dir_)).exit_code, 1);
  // An input library's archive, found through -I and spelled otherwise.
  ExpectRefused("link -I lib -o lib/../lib/mylib.a mylib.cmxa b.cmx",
                "lib/mylib.a", "the output (-o)",
                "the archive of library lib/mylib.cmxa (lib/mylib.a)");
  // Identity, not spelling: a symbolic link to the .cmx itself.
  RunShell(fmt::format("cd {} && ln -s a.cmx alias", dir_));
  ExpectRefused("link -o alias a.cmx", "a.cmx", "the output (-o)",
                "the compiled unit A");
  RunShell(fmt::format("rm {}/alias", dir_));
  // The .cmx and .cmxa files are known by the identity they had when read
  // (no second stat): a hard link to the .cmx, and the library spelled
  // otherwise, as the startup's output.
  RunShell(fmt::format("cd {} && ln a.cmx hard.s", dir_));
  ExpectRefused("startup -o hard.s a.cmx", "a.cmx", "the output (-o)",
                "the compiled unit A");
  RunShell(fmt::format("rm {}/hard.s", dir_));
  ExpectRefused("startup -I lib -o lib/../lib/mylib.cmxa mylib.cmxa b.cmx",
                "lib/mylib.cmxa", "the output (-o)", "an input library");
  // The runtime library of the standard library.
  CommandResult rt =
      Camlsym(fmt::format("link -o {}/libasmrun.a a.cmx", HostStdlibDir()));
  EXPECT_EQ(rt.exit_code, 1) << rt.out;
  EXPECT_THAT(rt.out, HasSubstr("the runtime library"));
  // Two outputs that are one file.
  CommandResult same = Camlsym("link --keep-startup=./prog -o prog a.cmx");
  EXPECT_EQ(same.exit_code, 1) << same.out;
  EXPECT_THAT(same.out, HasSubstr("the kept startup"));
  // The same link to a fresh name works.
  CommandResult ok = Camlsym("link -o prog a.cmx");
  ASSERT_EQ(ok.exit_code, 0) << ok.out;
  EXPECT_EQ(RunShell(fmt::format("{}/prog", dir_)).out, "a\n");
}

TEST_F(OutputSafetyTest, PermissionsAreOcamloptsUnderEveryUmask) {
  for (int mask : {022, 077, 002, 027, 0}) {
    SCOPED_TRACE(fmt::format("umask {:03o}", mask));
    RunShell(
        fmt::format("cd {} && rm -f x.exe x.cmxs x.s x.o xs.s xk.s "
                    "xo.o o.exe o.cmxs oo.o",
                    ShellQuote(dir_)));
    const std::string u = fmt::format("umask {:03o}", mask);
    ASSERT_EQ(Camlsym("link -o x.exe a.cmx", u).exit_code, 0);
    ASSERT_EQ(Camlsym("link --shared -o x.cmxs p.cmx", u).exit_code, 0);
    ASSERT_EQ(Camlsym("startup -o x.s a.cmx", u).exit_code, 0);
    ASSERT_EQ(Camlsym("startup -o x.o a.cmx", u).exit_code, 0);
    ASSERT_EQ(Camlsym("link --keep-startup=xk.s -o x.exe a.cmx", u).exit_code,
              0);
    ASSERT_EQ(Camlsym("link -output-obj -o xo.o a.cmx", u).exit_code, 0);
    // ocamlopt's own outputs under the same umask.
    CommandResult o = RunShell(fmt::format(
        "cd {} && {} && ocamlopt -o o.exe a.cmx && ocamlopt -shared -o o.cmxs "
        "p.cmx && ocamlopt -output-obj -o oo.o a.cmx 2>&1",
        ShellQuote(dir_), u));
    ASSERT_EQ(o.exit_code, 0) << o.out;
    const std::string exe = fmt::format("{:o}\n", 0777 & ~mask);
    const std::string data = fmt::format("{:o}\n", 0666 & ~mask);
    EXPECT_EQ(Mode("x.exe"), exe);
    EXPECT_EQ(Mode("x.exe"), Mode("o.exe"));
    EXPECT_EQ(Mode("x.cmxs"), exe);
    EXPECT_EQ(Mode("x.cmxs"), Mode("o.cmxs"));
    EXPECT_EQ(Mode("xo.o"), data);
    EXPECT_EQ(Mode("xo.o"), Mode("oo.o"));
    EXPECT_EQ(Mode("x.s"), data);
    EXPECT_EQ(Mode("x.o"), data);
    EXPECT_EQ(Mode("xk.s"), data);
  }
}

TEST_F(OutputSafetyTest, FailedLinkKeepsTheOldOutput) {
  WriteFile(dir_ + "/prog", "old\n");
  RunShell(fmt::format("chmod 640 {}/prog", dir_));
  CommandResult r = Camlsym("link -cc false -o prog a.cmx");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_EQ(ReadFile(dir_ + "/prog"), "old\n");
  EXPECT_EQ(Mode("prog"), "640\n");
  EXPECT_EQ(Leftovers(), "");
}

// Starts a link whose -cc is slow (it writes a partial output into the
// temporary, says so, then sleeps), sends \p sig once it runs, and returns
// the exit status the shell saw.
int InterruptSlowLink(const std::string& dir, int sig) {
  WriteFile(dir + "/slow-cc",
            "#!/bin/sh\n"
            "prev=\n"
            "for a; do [ \"$prev\" = -o ] && echo partial > \"$a\"; "
            "prev=$a; done\n"
            "touch started\n"
            "exec sleep 31.7\n");
  RunShell(fmt::format("chmod +x {}/slow-cc; rm -f {}/started", dir, dir));
  // Job control (set -m) so that the background job does not ignore
  // SIGINT, as a non-interactive shell would make it.
  CommandResult r = RunShell(fmt::format(
      "cd {0} && bash -c 'set -m; TMPDIR={0}/tmp {1} link -cc ./slow-cc -o "
      "prog a.cmx & pid=$!; i=0; while [ ! -e started ] && [ $i -lt 200 ]; "
      "do sleep 0.05; i=$((i+1)); done; kill -{2} $pid; wait $pid; echo $?'",
      dir, CamlsymBinary(), sig));
  return std::atoi(r.out.c_str());
}

TEST_F(OutputSafetyTest, InterruptedSlowLinkCleansUpAndKeepsTheOldOutput) {
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
    SCOPED_TRACE(fmt::format("signal {}", sig));
    WriteFile(dir_ + "/prog", "old\n");
    EXPECT_EQ(InterruptSlowLink(dir_, sig), 128 + sig);
    EXPECT_EQ(RunShell(fmt::format("test -e {}/started", dir_)).exit_code, 0)
        << "the slow -cc never ran";
    EXPECT_EQ(ReadFile(dir_ + "/prog"), "old\n");
    EXPECT_EQ(Leftovers(), "");
    // The slow tool was stopped with camlsym.
    EXPECT_EQ(RunShell("pgrep -f 'sleep 31[.]7'").exit_code, 1);
  }
}

TEST_F(OutputSafetyTest, InterruptedAtAnyMomentLeavesOldOrNewOutput) {
  // Signals at increasing delays across a whole normal link: each run ends
  // either complete (exit 0, a working program) or interrupted (128 + sig,
  // the old file), never with a temporary left.
  int interrupted = 0, completed = 0;
  for (int i = 0; i < 12; ++i) {
    const int sig = i % 2 == 0 ? SIGTERM : SIGINT;
    WriteFile(dir_ + "/prog", "old\n");
    CommandResult r = RunShell(fmt::format(
        "cd {0} && bash -c 'set -m; TMPDIR={0}/tmp {1} link -o prog a.cmx & "
        "pid=$!; sleep 0.0{2}; kill -{3} $pid 2>/dev/null; wait $pid; "
        "echo $?'",
        dir_, CamlsymBinary(), fmt::format("{:02d}", i * 8), sig));
    const int status = std::atoi(r.out.c_str());
    if (status == 0) {
      ++completed;
      EXPECT_EQ(RunShell(fmt::format("{}/prog", dir_)).out, "a\n");
    } else {
      ++interrupted;
      EXPECT_EQ(status, 128 + sig) << r.out;
      EXPECT_EQ(ReadFile(dir_ + "/prog"), "old\n");
    }
    EXPECT_EQ(Leftovers(), "") << "run " << i;
  }
  EXPECT_GT(interrupted, 0);
}

}  // namespace
}  // namespace camlsym::testing
