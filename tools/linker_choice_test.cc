// LinkerChoice::Choose on a PATH of stand-in programs (executable files
// named as the real linkers are installed), so that every case (present,
// missing, cross-prefixed, unprefixed for a cross target) is checked
// whatever is installed on the machine. That the real linkers run, and link
// programs that behave as ocamlopt's, is tests/linkers_test.cc's job.
#include "camlsym/tools/linker_choice.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <string>
#include <vector>

#include "fmt/format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace camlsym {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A link of a program of a few units (startup, std_exit, two units, the
// standard library and the runtime), and one of a thousand units.
constexpr size_t kFewFiles = 6;
constexpr size_t kManyFiles = 1003;

class LinkerChoiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tmp = std::getenv("TEST_TMPDIR");
    dir_ = fmt::format("{}/linker_choiceXXXXXX", tmp != nullptr ? tmp : "/tmp");
    ASSERT_NE(mkdtemp(dir_.data()), nullptr);
    char real[PATH_MAX];
    ASSERT_NE(realpath(dir_.c_str(), real), nullptr);
    dir_ = real;
    const char* path = std::getenv("PATH");
    saved_path_ = path != nullptr ? path : "";
    setenv("PATH", dir_.c_str(), 1);
    setenv("TMPDIR", dir_.c_str(), 1);
  }
  void TearDown() override {
    setenv("PATH", saved_path_.c_str(), 1);
    (void)std::system(fmt::format("rm -rf '{}'", dir_).c_str());
  }

  // An executable stand-in named \p name on PATH; returns its path.
  std::string Install(const std::string& name) {
    std::string p = fmt::format("{}/{}", dir_, name);
    FILE* f = std::fopen(p.c_str(), "w");
    EXPECT_NE(f, nullptr);
    if (f != nullptr) {
      std::fputs("#!/bin/sh\nexit 0\n", f);
      std::fclose(f);
    }
    chmod(p.c_str(), 0755);
    return p;
  }

  static TargetSystem Aarch64() {
    return *TargetSystem::Parse("aarch64-linux");
  }

  std::string dir_;
  std::string saved_path_;
};

TEST(LinkerNameTest, ParsesTheFourNamesOfFuseLd) {
  for (std::string_view s : {"bfd", "gold", "lld", "mold"}) {
    absl::StatusOr<LinkerName> name = ParseLinkerName(s);
    ASSERT_TRUE(name.ok()) << name.status();
    EXPECT_EQ(LinkerNameString(*name), s);
  }
  absl::StatusOr<LinkerName> bad = ParseLinkerName("ld64");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), HasSubstr("'ld64'"));
  EXPECT_THAT(bad.status().message(), HasSubstr("bfd, gold, lld or mold"));
  EXPECT_EQ(ParseLinkerName("").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(LinkerChoiceTest, DefaultIsMoldForFewFilesAndLldForMany) {
  const std::string mold = Install("ld.mold");
  const std::string lld = Install("ld.lld");
  Install("ld");
  absl::StatusOr<LinkerChoice> few =
      LinkerChoice::Choose(std::nullopt, TargetSystem::Host(), kFewFiles);
  ASSERT_TRUE(few.ok()) << few.status();
  EXPECT_EQ(few->name(), LinkerName::kMold);
  EXPECT_EQ(few->program(), mold);
  EXPECT_THAT(few->driver_flags(), ElementsAre("-fuse-ld=mold"));
  EXPECT_EQ(few->Describe(), fmt::format("mold ({})", mold));
  absl::StatusOr<LinkerChoice> many =
      LinkerChoice::Choose(std::nullopt, TargetSystem::Host(), kManyFiles);
  ASSERT_TRUE(many.ok()) << many.status();
  EXPECT_EQ(many->name(), LinkerName::kLld);
  EXPECT_EQ(many->program(), lld);
  EXPECT_THAT(many->driver_flags(), ElementsAre("-fuse-ld=lld"));
  EXPECT_EQ(many->Describe(), fmt::format("lld ({})", lld));
  // The boundary.
  EXPECT_EQ(LinkerChoice::Choose(std::nullopt, TargetSystem::Host(),
                                 kManyLinkerInputs - 1)
                ->name(),
            LinkerName::kMold);
  EXPECT_EQ(LinkerChoice::Choose(std::nullopt, TargetSystem::Host(),
                                 kManyLinkerInputs)
                ->name(),
            LinkerName::kLld);
}

TEST_F(LinkerChoiceTest, DefaultIsWhicheverOfMoldAndLldIsInstalled) {
  Install("ld");
  const std::string mold = Install("ld.mold");
  for (size_t files : {kFewFiles, kManyFiles}) {
    absl::StatusOr<LinkerChoice> c =
        LinkerChoice::Choose(std::nullopt, TargetSystem::Host(), files);
    ASSERT_TRUE(c.ok()) << c.status();
    EXPECT_EQ(c->name(), LinkerName::kMold) << files;
  }
  ASSERT_EQ(unlink(mold.c_str()), 0);
  Install("ld.lld");
  for (size_t files : {kFewFiles, kManyFiles}) {
    absl::StatusOr<LinkerChoice> c =
        LinkerChoice::Choose(std::nullopt, TargetSystem::Host(), files);
    ASSERT_TRUE(c.ok()) << c.status();
    EXPECT_EQ(c->name(), LinkerName::kLld) << files;
  }
}

TEST_F(LinkerChoiceTest, DefaultIsTheDriversOwnWithoutMoldOrLld) {
  const std::string ld = Install("ld");
  Install("ld.bfd");
  absl::StatusOr<LinkerChoice> c =
      LinkerChoice::Choose(std::nullopt, TargetSystem::Host(), kFewFiles);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->name(), std::nullopt);
  EXPECT_EQ(c->program(), ld);
  EXPECT_TRUE(c->driver_flags().empty());
  EXPECT_EQ(c->Describe(), fmt::format("the C compiler's default ({})", ld));
}

TEST_F(LinkerChoiceTest, DefaultWithNoLinkerAtAllLeavesItToTheDriver) {
  absl::StatusOr<LinkerChoice> c =
      LinkerChoice::Choose(std::nullopt, TargetSystem::Host(), kFewFiles);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->name(), std::nullopt);
  EXPECT_EQ(c->program(), "ld");
  EXPECT_TRUE(c->driver_flags().empty());
}

TEST_F(LinkerChoiceTest, SymbolicLinksAreResolvedToTheProgramThatRuns) {
  const std::string gold = Install("gold-1.16");
  ASSERT_EQ(symlink(gold.c_str(), (dir_ + "/ld.gold").c_str()), 0);
  absl::StatusOr<LinkerChoice> c =
      LinkerChoice::Choose(LinkerName::kGold, TargetSystem::Host(), kFewFiles);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->program(), gold);
  EXPECT_THAT(c->driver_flags(), ElementsAre("-fuse-ld=gold"));
}

TEST_F(LinkerChoiceTest, EachRequestedLinkerIsFoundAsLdDotName) {
  for (std::string_view n : {"bfd", "gold", "lld", "mold"}) {
    const std::string p = Install(fmt::format("ld.{}", n));
    absl::StatusOr<LinkerChoice> c = LinkerChoice::Choose(
        *ParseLinkerName(n), TargetSystem::Host(), kFewFiles);
    ASSERT_TRUE(c.ok()) << c.status();
    EXPECT_EQ(c->name(), *ParseLinkerName(n));
    EXPECT_EQ(c->program(), p);
    EXPECT_THAT(c->driver_flags(), ElementsAre(fmt::format("-fuse-ld={}", n)));
  }
}

TEST_F(LinkerChoiceTest, MissingRequestedLinkerIsNotFoundNamingThePackage) {
  Install("ld");
  Install("ld.bfd");
  struct Case {
    LinkerName name;
    std::string program, package;
  };
  for (const Case& c : {Case{LinkerName::kMold, "ld.mold", "mold"},
                        Case{LinkerName::kLld, "ld.lld", "lld"},
                        Case{LinkerName::kGold, "ld.gold", "binutils"}}) {
    absl::StatusOr<LinkerChoice> r =
        LinkerChoice::Choose(c.name, TargetSystem::Host(), kFewFiles);
    ASSERT_EQ(r.status().code(), absl::StatusCode::kNotFound) << c.program;
    EXPECT_EQ(r.status().message(),
              fmt::format("--ld={}: the linker is not installed: no {} on "
                          "PATH (Debian's {} provides it)",
                          LinkerNameString(c.name), c.program, c.package));
  }
}

TEST_F(LinkerChoiceTest, CrossTargetUsesTheTriplesBinutils) {
  Install("ld.bfd");  // the host's: not for AArch64
  absl::StatusOr<LinkerChoice> missing =
      LinkerChoice::Choose(LinkerName::kBfd, Aarch64(), kFewFiles);
  ASSERT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(),
            "--ld=bfd: the linker is not installed: no "
            "aarch64-linux-gnu-ld.bfd on PATH (Debian's "
            "binutils-aarch64-linux-gnu provides it)");
  const std::string bfd = Install("aarch64-linux-gnu-ld.bfd");
  absl::StatusOr<LinkerChoice> c =
      LinkerChoice::Choose(LinkerName::kBfd, Aarch64(), kFewFiles);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->program(), bfd);
  EXPECT_THAT(c->driver_flags(), ElementsAre("-fuse-ld=bfd"));
}

TEST_F(LinkerChoiceTest, CrossTargetReachesUnprefixedMoldThroughADirectory) {
  const std::string mold = Install("ld.mold");
  std::string shim_dir;
  {
    absl::StatusOr<LinkerChoice> c =
        LinkerChoice::Choose(std::nullopt, Aarch64(), kFewFiles);
    ASSERT_TRUE(c.ok()) << c.status();
    EXPECT_EQ(c->name(), LinkerName::kMold);
    EXPECT_EQ(c->program(), mold);
    ASSERT_EQ(c->driver_flags().size(), 2u);
    const std::string& b = c->driver_flags()[0];
    ASSERT_TRUE(b.starts_with("-B" + dir_ + "/camlsym-ld.")) << b;
    ASSERT_TRUE(b.ends_with("/")) << b;
    EXPECT_EQ(c->driver_flags()[1], "-fuse-ld=mold");
    shim_dir = b.substr(2, b.size() - 3);
    // The directory holds ld.mold, a link to the program found, and
    // nothing else (the driver also looks there for crt files and tools).
    char target[PATH_MAX];
    ssize_t n =
        readlink((shim_dir + "/ld.mold").c_str(), target, sizeof target - 1);
    ASSERT_GT(n, 0);
    EXPECT_EQ(std::string(target, n), mold);
    std::vector<std::string> entries;
    if (DIR* d = opendir(shim_dir.c_str())) {
      while (dirent* e = readdir(d)) {
        if (std::string_view(e->d_name) != "." &&
            std::string_view(e->d_name) != "..") {
          entries.push_back(e->d_name);
        }
      }
      closedir(d);
    }
    EXPECT_THAT(entries, ElementsAre("ld.mold"));
  }
  // Removed with the choice.
  struct stat st;
  EXPECT_NE(stat(shim_dir.c_str(), &st), 0) << shim_dir << " left behind";
}

TEST_F(LinkerChoiceTest, CrossTargetPrefersThePrefixedProgram) {
  Install("ld.lld");
  const std::string prefixed = Install("aarch64-linux-gnu-ld.lld");
  absl::StatusOr<LinkerChoice> c =
      LinkerChoice::Choose(LinkerName::kLld, Aarch64(), kFewFiles);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->program(), prefixed);
  EXPECT_THAT(c->driver_flags(), ElementsAre("-fuse-ld=lld"));
}

TEST_F(LinkerChoiceTest, CrossTargetMissingMoldNamesBothPrograms) {
  absl::StatusOr<LinkerChoice> r =
      LinkerChoice::Choose(LinkerName::kMold, Aarch64(), kFewFiles);
  ASSERT_EQ(r.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(r.status().message(),
            "--ld=mold: the linker is not installed: no "
            "aarch64-linux-gnu-ld.mold nor ld.mold on PATH (Debian's mold "
            "provides it)");
  // Without --ld: the cross driver's own linker.
  const std::string ld = Install("aarch64-linux-gnu-ld");
  absl::StatusOr<LinkerChoice> c =
      LinkerChoice::Choose(std::nullopt, Aarch64(), kFewFiles);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->name(), std::nullopt);
  EXPECT_EQ(c->program(), ld);
  EXPECT_TRUE(c->driver_flags().empty());
}

TEST_F(LinkerChoiceTest, ShimDirectoryFailureIsInternal) {
  Install("ld.mold");
  setenv("TMPDIR", (dir_ + "/no/such/dir").c_str(), 1);
  absl::StatusOr<LinkerChoice> r =
      LinkerChoice::Choose(std::nullopt, Aarch64(), kFewFiles);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(r.status().message(), HasSubstr("ld.mold"));
  EXPECT_THAT(r.status().message(), HasSubstr("/no/such/dir"));
}

}  // namespace
}  // namespace camlsym
