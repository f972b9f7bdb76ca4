// The link driver's error paths, in-process: WriteFileAtomically on a
// missing directory or onto a directory, DefaultStdlibDir without a tree,
// WriteStartup on missing inputs and outputs, and Link with an assembler or
// C compiler that fails, is killed or does not exist, and with an output
// directory that does not exist. Each error names the file or the tool
// (with its exit status or signal), and no output or temporary file is
// left. The inputs are compiled by the host ocamlopt (hence tag local).
#include "camlsym/tools/link_driver.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "camlsym/tests/oracle_util.h"
#include "camlsym/tools/output_file.h"
#include "fmt/format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace camlsym {
namespace {

using ::testing::HasSubstr;

// The names in directory \p dir, sorted.
std::vector<std::string> Listing(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    out.push_back(e.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Sets an environment variable for the lifetime of the object.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* v = std::getenv(name)) old_ = v;
    setenv(name, value.c_str(), 1);
  }
  // Unset meanwhile.
  explicit ScopedEnv(const char* name) : name_(name) {
    if (const char* v = std::getenv(name)) old_ = v;
    unsetenv(name);
  }
  ~ScopedEnv() {
    if (old_.has_value()) {
      setenv(name_, old_->c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

TEST(WriteFileAtomicallyTest, ReplacesTheFileAndLeavesNoTemporary) {
  const std::string dir = testing::MakeTempDir("atomic_ok");
  ASSERT_TRUE(testing::WriteFile(dir + "/f", "old contents, longer"));
  ASSERT_TRUE(WriteFileAtomically(dir + "/f", "new", OutputKind::kData).ok());
  EXPECT_EQ(testing::ReadFile(dir + "/f"), "new");
  EXPECT_EQ(Listing(dir), std::vector<std::string>{"f"});
}

TEST(WriteFileAtomicallyTest, MissingDirectoryNamesThePath) {
  const std::string dir = testing::MakeTempDir("atomic_missing");
  const std::string path = dir + "/no/such/dir/f";
  absl::Status s = WriteFileAtomically(path, "x", OutputKind::kData);
  EXPECT_EQ(s.code(), absl::StatusCode::kInternal);
  EXPECT_THAT(s.message(), HasSubstr("cannot write " + path));
  EXPECT_TRUE(Listing(dir).empty());
}

TEST(WriteFileAtomicallyTest, OntoADirectoryFailsAndRemovesTheTemporary) {
  const std::string dir = testing::MakeTempDir("atomic_dir");
  std::filesystem::create_directory(dir + "/d");
  ASSERT_TRUE(testing::WriteFile(dir + "/d/inside", "kept"));
  absl::Status s = WriteFileAtomically(dir + "/d", "x", OutputKind::kData);
  EXPECT_EQ(s.code(), absl::StatusCode::kInternal);
  EXPECT_THAT(s.message(), HasSubstr("cannot write " + dir + "/d"));
  EXPECT_EQ(Listing(dir), std::vector<std::string>{"d"});
  EXPECT_EQ(testing::ReadFile(dir + "/d/inside"), "kept");
}

TEST(ResponseFileRunTest, LongestRunOfPlainObjectsAndArchives) {
  using Range = std::pair<size_t, size_t>;
  const std::vector<std::string> argv = {"gcc",  "-o",  "a.o", "x.o", "y.a",
                                         "-lm",  "p.o", "q.o", "r.o", "s.a",
                                         "t.so", "u.o", "v.o", "w.o", "z.o"};
  // From 2: x.o y.a (3..4 with a.o) is shorter than p.o..s.a (6..9);
  // t.so is not an object or archive.
  EXPECT_EQ(ResponseFileRun(argv, 2), Range(6, 10));
  EXPECT_EQ(ResponseFileRun(argv, 11), Range(11, 15));
  EXPECT_EQ(ResponseFileRun(argv, 15), Range(15, 15));
  // Names that a response file would split or -Wl, cut: not carried.
  for (const char* bad :
       {"a b.o", "a'b.o", "a\"b.o", "a\\b.o", "a,b.o", "a\tb.o", "-x.o", ""}) {
    const std::vector<std::string> v = {"p.o", bad, "q.o", "r.o"};
    EXPECT_EQ(ResponseFileRun(v, 0), Range(2, 4)) << bad;
  }
}

TEST(DefaultStdlibDirTest, Arm64TreeMissingIsNotFoundNamingIt) {
  const std::string dir = testing::MakeTempDir("stdlib_arm64");
  ScopedEnv cache("CAMLSYM_CACHE", dir);
  absl::StatusOr<std::string> d =
      DefaultStdlibDir(TargetSystem::Parse("aarch64-linux").value());
  EXPECT_EQ(d.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(d.status().message(),
              HasSubstr(dir + "/arm64-ocaml/usr/lib/ocaml"));
}

TEST(DefaultStdlibDirTest, Arm64TreeFoundUnderTheCache) {
  const std::string dir = testing::MakeTempDir("stdlib_arm64_found");
  const std::string lib = dir + "/arm64-ocaml/usr/lib/ocaml";
  std::filesystem::create_directories(lib);
  ScopedEnv cache("CAMLSYM_CACHE", dir);
  EXPECT_EQ(DefaultStdlibDir(TargetSystem::Parse("aarch64-linux").value())
                .value_or(""),
            lib);
}

TEST(DefaultStdlibDirTest, MacOSHasNoDefaultAndSaysSo) {
  absl::StatusOr<std::string> d =
      DefaultStdlibDir(TargetSystem::Parse("aarch64-macos").value());
  EXPECT_EQ(d.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(d.status().message(), HasSubstr("--ocaml-stdlib=DIR"));
}

TEST(DefaultStdlibDirTest, HostHonoursOcamllibOnlyIfItIsADirectory) {
  const std::string dir = testing::MakeTempDir("stdlib_host");
  {
    ScopedEnv lib("OCAMLLIB", dir);
    EXPECT_EQ(DefaultStdlibDir(TargetSystem::Host()).value_or(""), dir);
  }
  {
    // Not a directory: not taken. `ocamlopt -where` honours OCAMLLIB too
    // and prints the same absent directory, so there is no stdlib.
    ScopedEnv lib("OCAMLLIB", dir + "/absent");
    absl::StatusOr<std::string> d = DefaultStdlibDir(TargetSystem::Host());
    EXPECT_EQ(d.status().code(), absl::StatusCode::kNotFound);
    EXPECT_THAT(d.status().message(), HasSubstr("--ocaml-stdlib=DIR"));
  }
}

// Without OCAMLLIB and CAMLLIB: the installation beside the ocamlopt on
// PATH if it says it lives there (that ocamlopt, which would fail, is not
// run), else what that ocamlopt prints for -where.
TEST(DefaultStdlibDirTest, HostReadsBesideOcamloptOrAsksIt) {
  const std::string dir = testing::MakeTempDir("stdlib_where");
  ScopedEnv no_ocamllib("OCAMLLIB");
  ScopedEnv no_camllib("CAMLLIB");
  std::filesystem::create_directories(dir + "/beside/bin");
  std::filesystem::create_directories(dir + "/beside/lib/ocaml");
  ASSERT_TRUE(
      testing::WriteFile(dir + "/beside/bin/ocamlopt", "#!/bin/sh\nexit 1\n"));
  ASSERT_TRUE(testing::WriteFile(
      dir + "/beside/lib/ocaml/Makefile.config",
      fmt::format("BINDIR={0}/beside/bin\nLIBDIR={0}/beside/lib/ocaml\n",
                  dir)));
  std::filesystem::create_directories(dir + "/asked/bin");
  std::filesystem::create_directories(dir + "/asked/stdlib");
  ASSERT_TRUE(testing::WriteFile(
      dir + "/asked/bin/ocamlopt",
      fmt::format("#!/bin/sh\n[ \"$1\" = -where ] && echo {}/asked/stdlib\n",
                  dir)));
  for (const char* p : {"/beside/bin/ocamlopt", "/asked/bin/ocamlopt"}) {
    ASSERT_EQ(chmod((dir + p).c_str(), 0755), 0);
  }
  {
    ScopedEnv path("PATH", dir + "/beside/bin:/usr/bin:/bin");
    EXPECT_EQ(DefaultStdlibDir(TargetSystem::Host()).value_or(""),
              dir + "/beside/lib/ocaml");
  }
  {
    ScopedEnv path("PATH", dir + "/asked/bin:/usr/bin:/bin");
    EXPECT_EQ(DefaultStdlibDir(TargetSystem::Host()).value_or(""),
              dir + "/asked/stdlib");
  }
  std::filesystem::remove_all(dir);
}

// Links of one small unit compiled by the host ocamlopt.
class LinkDriverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::MakeTempDir("link_driver");
    ASSERT_TRUE(testing::WriteFile(dir_ + "/a.ml", "let () = print_int 42\n"));
    testing::CommandResult r =
        testing::RunShell(fmt::format("cd {} && ocamlopt -c a.ml 2>&1", dir_));
    ASSERT_EQ(r.exit_code, 0)
        << "ocamlopt is needed (scripts/install-deps.sh): " << r.out;
    ASSERT_TRUE(
        testing::WriteFile(dir_ + "/killed_as", "#!/bin/sh\nkill -9 $$\n"));
    std::filesystem::permissions(dir_ + "/killed_as",
                                 std::filesystem::perms::owner_all);
    request_.options.stdlib_dir = testing::HostStdlibDir();
    request_.inputs = {dir_ + "/a.cmx"};
    request_.output = dir_ + "/out/a.exe";
    std::filesystem::create_directory(dir_ + "/out");
    log_ = std::tmpfile();
  }
  void TearDown() override {
    if (log_ != nullptr) std::fclose(log_);
  }

  std::string Log() {
    std::string text;
    std::rewind(log_);
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, log_)) > 0) text.append(buf, n);
    return text;
  }

  // The output directory is empty: no executable, no temporary.
  void ExpectNoOutput() { EXPECT_TRUE(Listing(dir_ + "/out").empty()); }

  std::string dir_;
  LinkRequest request_;
  std::FILE* log_ = nullptr;
};

TEST_F(LinkDriverTest, TheRequestLinks) {
  // The baseline the error cases below depart from.
  request_.verbose = true;
  absl::Status s = Link(request_, log_);
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(testing::RunShell(request_.output).out, "42");
  EXPECT_THAT(Log(), HasSubstr("(integrated assembler)"));
}

TEST_F(LinkDriverTest, FailingAssemblerIsNamedWithItsExitCode) {
  request_.assembler = "false";
  absl::Status s = Link(request_, log_);
  EXPECT_EQ(s.code(), absl::StatusCode::kInternal);
  EXPECT_EQ(s.message(), "false failed with exit code 1");
  ExpectNoOutput();
}

TEST_F(LinkDriverTest, KilledAssemblerIsNamedWithTheSignal) {
  request_.assembler = dir_ + "/killed_as";
  absl::Status s = Link(request_, log_);
  EXPECT_EQ(s.code(), absl::StatusCode::kInternal);
  EXPECT_EQ(s.message(), dir_ + "/killed_as was killed by signal 9");
  ExpectNoOutput();
}

TEST_F(LinkDriverTest, MissingAssemblerCannotRun) {
  request_.assembler = dir_ + "/no_such_as";
  absl::Status s = Link(request_, log_);
  EXPECT_EQ(s.code(), absl::StatusCode::kInternal);
  EXPECT_THAT(s.message(), HasSubstr("cannot run " + dir_ + "/no_such_as"));
  ExpectNoOutput();
}

TEST_F(LinkDriverTest, FailingLinkerLeavesNeitherOutputNorTemporary) {
  for (bool integrated : {true, false}) {
    SCOPED_TRACE(integrated ? "integrated assembler" : "as");
    request_.integrated_assembler = integrated;
    request_.c_compiler = {"false"};
    request_.verbose = true;
    absl::Status s = Link(request_, log_);
    EXPECT_EQ(s.code(), absl::StatusCode::kInternal);
    EXPECT_EQ(s.message(), "false failed with exit code 1");
    // --verbose shows the command that failed, writing to a temporary
    // beside the output.
    EXPECT_THAT(Log(), HasSubstr("+ false "));
    EXPECT_THAT(Log(), HasSubstr(dir_ + "/out/.a.exe.camlsym"));
    ExpectNoOutput();
  }
}

TEST_F(LinkDriverTest, MissingOutputDirectoryNamesTheOutput) {
  request_.output = dir_ + "/no_dir/a.exe";
  absl::Status s = Link(request_, log_);
  EXPECT_EQ(s.code(), absl::StatusCode::kInternal);
  EXPECT_THAT(s.message(), HasSubstr("cannot write " + request_.output));
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/no_dir"));
}

TEST_F(LinkDriverTest, MissingInputIsNotFoundAndNothingRuns) {
  request_.inputs.push_back(dir_ + "/b.cmx");
  request_.verbose = true;
  absl::Status s = Link(request_, log_);
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(s.message(), HasSubstr(dir_ + "/b.cmx"));
  EXPECT_EQ(Log(), "");  // Neither assembler nor linker ran.
  ExpectNoOutput();
}

TEST_F(LinkDriverTest, WriteStartupErrorsLeaveNoFile) {
  request_.output = dir_ + "/out/startup.s";
  ASSERT_TRUE(WriteStartup(request_).ok());
  EXPECT_THAT(testing::ReadFile(request_.output), HasSubstr("caml_program"));
  std::filesystem::remove(request_.output);

  LinkRequest missing = request_;
  missing.inputs = {dir_ + "/b.cmx"};
  absl::Status s = WriteStartup(missing);
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(s.message(), HasSubstr(dir_ + "/b.cmx"));

  LinkRequest nowhere = request_;
  nowhere.output = dir_ + "/no_dir/startup.s";
  s = WriteStartup(nowhere);
  EXPECT_EQ(s.code(), absl::StatusCode::kInternal);
  EXPECT_THAT(s.message(), HasSubstr("cannot write " + nowhere.output));
  ExpectNoOutput();
}

}  // namespace
}  // namespace camlsym
