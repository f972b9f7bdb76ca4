// Issue proof for `camlsym link --ld=`: a fixed sample of programs, and a
// Dynlink plugin, linked by camlsym with each system linker (the default,
// which is mold for these links of a few files, and --ld=bfd, gold, lld and
// mold) on x86-64 and on AArch64 (run under qemu-aarch64), behave exactly
// as ocamlopt's links of the same compiled units: same stdout, stderr and
// exit status, also with OCAMLRUNPARAM=s=256; a link of more files than
// kManyLinkerInputs runs lld by default, and its program ocamlopt's. Each
// output is checked to come from the linker asked for: `camlsym link
// -verbose` names it, and the file carries that linker's mark (mold and lld
// sign .comment, gold adds .note.gnu.gold-version, GNU ld adds neither).
// Without mold and lld, the default is the C compiler's own linker and
// `--ld=mold` a clear error.
#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <tuple>
#include <vector>

#include "camlsym/tests/corpus.h"
#include "camlsym/tests/oracle_util.h"
#include "fmt/format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace camlsym::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// The sample: exceptions with backtraces (frame tables and debug info) and
// weak pointers and finalisers (the GC walking every linked unit's data).
constexpr const char* kSample[] = {"06_exceptions", "10_weak_gc"};

constexpr std::string_view kMainMl =
    "let () = Dynlink.loadfile Sys.argv.(1); print_endline \"main done\"\n";
constexpr std::string_view kPluginMl = R"(exception E of int * string
let add a b c = a + b + c
let part = add 40
let () =
  let r = try raise (E (part 1 1, "plugin")) with E (n, s) -> n + String.length s in
  Printf.printf "plugin: %d %s\n%!" r (String.concat "," (List.map string_of_int [1; 2; 3]))
)";

struct Target {
  std::string name;
  bool arm64;
};

// One linker: the `--ld=` argument (empty for the default) and the name
// `camlsym link -verbose` must print.
struct Linker {
  std::string flag;
  std::string name;
};
// The sample's links have a few files: mold is the default.
const Linker kLinkers[] = {{"", "mold"},
                           {"--ld=bfd", "bfd"},
                           {"--ld=gold", "gold"},
                           {"--ld=lld", "lld"},
                           {"--ld=mold", "mold"}};

std::string Arm64Root() {
  const char* cache = std::getenv("CAMLSYM_CACHE");
  const char* home = std::getenv("HOME");
  if (home == nullptr || *home == '\0') {
    if (const passwd* pw = getpwuid(getuid())) home = pw->pw_dir;
  }
  return cache != nullptr
             ? fmt::format("{}/arm64-ocaml", cache)
             : fmt::format("{}/.cache/camlsym/arm64-ocaml", home ? home : "");
}

class LinkersTest : public ::testing::TestWithParam<Target> {
 protected:
  void SetUp() override {
    for (const char* ld : {"mold", "lld"}) {
      ASSERT_EQ(RunShell(fmt::format("command -v ld.{}", ld)).exit_code, 0)
          << ld << " is not installed: run scripts/install-deps.sh (Debian's "
          << ld << "), a default linker of camlsym link";
    }
    if (GetParam().arm64) {
      const std::string root = Arm64Root();
      ASSERT_EQ(access((root + "/usr/bin/ocamlopt.opt").c_str(), X_OK), 0)
          << "the arm64 OCaml is missing under " << root
          << "; run scripts/install-deps.sh";
      tc_.ocamlopt = fmt::format(
          "OCAMLLIB={0}/usr/lib/ocaml qemu-aarch64 -L /usr/aarch64-linux-gnu "
          "{0}/usr/bin/ocamlopt.opt",
          ShellQuote(root));
      tc_.run_prefix = "qemu-aarch64 -L /usr/aarch64-linux-gnu";
      cc_ = "aarch64-linux-gnu-gcc";
      tc_.camlsym_args =
          fmt::format("--target=aarch64-linux --ocaml-stdlib={}/usr/lib/ocaml",
                      ShellQuote(root));
    } else {
      tc_.ocamlopt = "ocamlopt";
      cc_ = "x86_64-linux-gnu-gcc";
      tc_.camlsym_args =
          fmt::format("--ocaml-stdlib={}", ShellQuote(HostStdlibDir()));
    }
  }

  // Links \p out in \p dir with `camlsym link -verbose` and \p linker;
  // checks that the verbose output and the file name the linker. Returns
  // the verbose output, or "" (with a test failure) if the link failed.
  std::string LinkWith(const Linker& linker, const std::string& dir,
                       const std::string& args, const std::string& out) {
    CommandResult r = RunShell(fmt::format(
        "cd {} && {} link -verbose {} {} -o {} {} 2>&1", ShellQuote(dir),
        CamlsymBinary(), tc_.camlsym_args, linker.flag, out, args));
    EXPECT_EQ(r.exit_code, 0) << r.out;
    if (r.exit_code != 0) return "";
    EXPECT_THAT(r.out, HasSubstr(fmt::format("+ (linker) {} (", linker.name)))
        << out;
    EXPECT_THAT(r.out, HasSubstr("-fuse-ld=" + linker.name)) << out;
    const std::string file = ShellQuote(dir + "/" + out);
    const std::string comment =
        RunShell(fmt::format("readelf -p .comment {} 2>&1", file)).out;
    const bool gold_note =
        RunShell(
            fmt::format("readelf -W -S {} | grep -q ' .note.gnu.gold-version '",
                        file))
            .exit_code == 0;
    EXPECT_EQ(comment.find("mold ") != std::string::npos, linker.name == "mold")
        << out << "\n"
        << comment;
    EXPECT_EQ(comment.find("LLD ") != std::string::npos, linker.name == "lld")
        << out << "\n"
        << comment;
    EXPECT_EQ(gold_note, linker.name == "gold") << out;
    return r.out;
  }

  Toolchain tc_;
  std::string cc_;  // The target's C compiler.
};

TEST_P(LinkersTest, SampleProgramsRunAsOcamloptsWithEveryLinker) {
  for (const char* name : kSample) {
    SCOPED_TRACE(name);
    const std::string dir =
        MakeTempDir(fmt::format("linkers_{}_{}", GetParam().name, name));
    const std::string err = CompileProgram(tc_, name, dir);
    ASSERT_EQ(err, "") << err;
    const std::string args = LinkArguments(name);
    CommandResult ref =
        RunShell(fmt::format("cd {} && {} -g -o ref.exe {} 2>&1",
                             ShellQuote(dir), tc_.ocamlopt, args));
    ASSERT_EQ(ref.exit_code, 0) << ref.out;
    std::vector<std::string> exes;
    for (const Linker& linker : kLinkers) {
      const std::string exe = fmt::format(
          "cs_{}.exe", linker.flag.empty() ? "default" : linker.name);
      if (!LinkWith(linker, dir, args, exe).empty()) exes.push_back(exe);
    }
    for (const char* env : {"", "OCAMLRUNPARAM=s=256"}) {
      const RunResult expected = RunProgram(tc_, dir, "ref.exe", env);
      for (const std::string& exe : exes) {
        const RunResult got = RunProgram(tc_, dir, exe, env);
        EXPECT_EQ(got.out, expected.out) << exe << " " << env;
        EXPECT_EQ(got.err, expected.err) << exe << " " << env;
        EXPECT_EQ(got.exit_code, expected.exit_code) << exe << " " << env;
      }
    }
    RunShell("rm -rf " + ShellQuote(dir));
  }
}

TEST_P(LinkersTest, PluginsLoadAsOcamloptsWithEveryLinker) {
  const std::string dir =
      MakeTempDir(fmt::format("linkers_plugin_{}", GetParam().name));
  ASSERT_TRUE(WriteFile(dir + "/main.ml", kMainMl));
  ASSERT_TRUE(WriteFile(dir + "/plugin.ml", kPluginMl));
  CommandResult build = RunShell(fmt::format(
      "cd {0} && {1} -g -I +dynlink -c main.ml && {1} -g -c plugin.ml && "
      "{1} -linkall -I +dynlink dynlink.cmxa main.cmx -o main.exe && "
      "{1} -shared -o ref.cmxs plugin.cmx 2>&1",
      ShellQuote(dir), tc_.ocamlopt));
  ASSERT_EQ(build.exit_code, 0) << build.out;
  auto run = [&](const std::string& plugin) {
    return RunShell(fmt::format("cd {} && {} ./main.exe ./{} 2>&1; echo rc=$?",
                                ShellQuote(dir), tc_.run_prefix, plugin))
        .out;
  };
  const std::string expected = run("ref.cmxs");
  ASSERT_EQ(expected, "plugin: 48 1,2,3\nmain done\nrc=0\n");
  for (const Linker& linker : kLinkers) {
    SCOPED_TRACE(linker.flag.empty() ? "default" : linker.flag);
    const std::string plugin = fmt::format(
        "cs_{}.cmxs", linker.flag.empty() ? "default" : linker.name);
    if (LinkWith(linker, dir, "--shared plugin.cmx", plugin).empty()) continue;
    EXPECT_EQ(run(plugin), expected);
  }
  RunShell("rm -rf " + ShellQuote(dir));
}

// A link of many files (a unit and 100 C objects without symbols; with the
// startup, std_exit, the standard library and the runtime 105) runs lld by
// default, and passes the run of objects through a response file; the
// program behaves as ocamlopt's link of the same files. So does the link
// of the same files with GNU ld (--ld=bfd), also through the response
// file, and with one object named with a blank, which the response file
// cannot carry: the files are then on the command line.
TEST_P(LinkersTest, ManyFilesLinkWithLldByDefault) {
  const std::string dir =
      MakeTempDir(fmt::format("linkers_many_{}", GetParam().name));
  ASSERT_TRUE(WriteFile(dir + "/hello.ml", "print_endline \"hello\"\n"));
  ASSERT_TRUE(WriteFile(
      dir + "/c.c",
      "/* No symbols: only its place on the command line counts. */\n"));
  CommandResult build = RunShell(fmt::format(
      "cd {0} && {1} -c hello.ml && {2} -c c.c -o c.o && for i in $(seq 100 "
      "199); do cp c.o c$i.o || exit 1; done 2>&1",
      ShellQuote(dir), tc_.ocamlopt, cc_));
  ASSERT_EQ(build.exit_code, 0) << build.out;
  std::string args = "hello.cmx";
  for (int i = 100; i < 200; ++i) args += fmt::format(" c{}.o", i);
  CommandResult ref = RunShell(fmt::format(
      "cd {} && {} -o ref.exe {} 2>&1", ShellQuote(dir), tc_.ocamlopt, args));
  ASSERT_EQ(ref.exit_code, 0) << ref.out;
  ASSERT_EQ(
      RunShell(fmt::format("cp {0}/c150.o '{0}/c 150.o'", ShellQuote(dir)))
          .exit_code,
      0);
  // In the middle of the C objects: no run of 100 plain names is left.
  std::string blank_args = args;
  blank_args.replace(blank_args.find(" c150.o"), 7, " 'c 150.o'");
  std::vector<std::string> exes;
  for (const auto& [linker, link_args, exe, rsp] :
       {std::tuple{Linker{"", "lld"}, args, "cs.exe", true},
        std::tuple{Linker{"--ld=bfd", "bfd"}, args, "cs_bfd.exe", true},
        std::tuple{Linker{"", "lld"}, blank_args, "cs_blank.exe", false}}) {
    SCOPED_TRACE(exe);
    const std::string verbose = LinkWith(linker, dir, link_args, exe);
    if (verbose.empty()) continue;
    EXPECT_EQ(verbose.find("-Wl,@") != std::string::npos, rsp) << verbose;
    EXPECT_EQ(verbose.find("+ (response file) ") != std::string::npos, rsp);
    exes.push_back(exe);
  }
  const RunResult expected = RunProgram(tc_, dir, "ref.exe", "");
  EXPECT_EQ(expected.out, "hello\n");
  for (const std::string& exe : exes) {
    const RunResult got = RunProgram(tc_, dir, exe, "");
    EXPECT_EQ(got.out, expected.out) << exe;
    EXPECT_EQ(got.err, expected.err) << exe;
    EXPECT_EQ(got.exit_code, expected.exit_code) << exe;
  }
  RunShell("rm -rf " + ShellQuote(dir));
}

// Without mold and lld on PATH, the default is the C compiler's own linker,
// and asking for mold is an error that leaves no output, not a silent
// fallback.
TEST(LinkersWithoutMoldTest, DefaultFallsBackAndExplicitMoldFails) {
  const std::string dir = MakeTempDir("linkers_without_mold");
  ASSERT_TRUE(WriteFile(dir + "/hello.ml", "print_endline \"hello\"\n"));
  CommandResult build = RunShell(fmt::format(
      "cd {0} && ocamlopt -c hello.ml && mkdir bin && for p in "
      "x86_64-linux-gnu-gcc ld; do ln -s \"$(command -v $p)\" bin/$p || exit "
      "1; done 2>&1",
      ShellQuote(dir)));
  ASSERT_EQ(build.exit_code, 0) << build.out;
  const std::string camlsym = fmt::format(
      "cd {0} && env PATH={0}/bin {1} link -verbose --ocaml-stdlib={2}",
      ShellQuote(dir), CamlsymBinary(), ShellQuote(HostStdlibDir()));

  CommandResult mold =
      RunShell(camlsym + " --ld=mold -o hello.exe hello.cmx 2>&1");
  EXPECT_EQ(mold.exit_code, 1);
  EXPECT_EQ(mold.out,
            "camlsym link: --ld=mold: the linker is not installed: no ld.mold "
            "on PATH (Debian's mold provides it)\n");
  EXPECT_NE(access((dir + "/hello.exe").c_str(), F_OK), 0);

  CommandResult fallback = RunShell(camlsym + " -o hello.exe hello.cmx 2>&1");
  ASSERT_EQ(fallback.exit_code, 0) << fallback.out;
  EXPECT_THAT(fallback.out, HasSubstr("+ (linker) the C compiler's default ("));
  EXPECT_THAT(fallback.out, Not(HasSubstr("-fuse-ld")));
  EXPECT_EQ(RunShell(fmt::format("cd {} && ./hello.exe", ShellQuote(dir))).out,
            "hello\n");
  EXPECT_EQ(RunShell(fmt::format("readelf -p .comment {}/hello.exe | grep -c "
                                 "mold",
                                 ShellQuote(dir)))
                .out,
            "0\n");

  CommandResult unknown =
      RunShell(camlsym + " --ld=ld64 -o hello.exe hello.cmx 2>&1");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_THAT(unknown.out,
              HasSubstr("camlsym link: unknown linker 'ld64' (expected bfd, "
                        "gold, lld or mold)"));
  RunShell("rm -rf " + ShellQuote(dir));
}

INSTANTIATE_TEST_SUITE_P(Targets, LinkersTest,
                         ::testing::Values(Target{"x86_64", false},
                                           Target{"aarch64", true}),
                         [](const ::testing::TestParamInfo<Target>& i) {
                           return i.param.name;
                         });

}  // namespace
}  // namespace camlsym::testing
