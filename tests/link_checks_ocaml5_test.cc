// Oracle test: the link checks of OCaml 5.3 and 5.4 (utils/linkdeps.ml and
// asmlink.ml's consistency checks). Each bad link is tried with Debian's
// real ocamlopt of that version and with `camlsym startup`, which plans the
// link the same way; both must refuse it with the same words (whitespace
// aside: OCaml's Format wraps lines at 78 columns, camlsym does not). Links
// whose inputs mix OCaml versions are refused naming one file of each.
#include <string>
#include <vector>

#include "camlsym/tests/corpus.h"
#include "camlsym/tests/oracle_util.h"
#include "fmt/format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace camlsym::testing {
namespace {

using ::testing::HasSubstr;

// \p s with runs of whitespace made one space, trimmed.
std::string Squeeze(const std::string& s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\n' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// The message of a failed ocamlopt link: the text after "Error:".
std::string OcamloptError(const std::string& out) {
  const size_t at = out.find("Error:");
  return at == std::string::npos ? "(no error) " + out
                                 : Squeeze(out.substr(at + 6));
}

// The message of a failed camlsym command: the text after "camlsym VERB: ".
std::string CamlsymError(const std::string& out) {
  const size_t at = out.find(": ");
  return at == std::string::npos ? "(no error) " + out
                                 : Squeeze(out.substr(at + 2));
}

class LinkChecksOcaml5Test : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    std::string why;
    std::optional<Ocaml5Tree> tree = FindOcaml5Tree(GetParam(), "amd64", why);
    ASSERT_TRUE(tree.has_value()) << why;
    tree_ = *tree;
    std::printf("OCaml %s (Debian %s)\n", tree_.version.c_str(), GetParam());
    dir_ = MakeTempDir(std::string("link_checks_") + GetParam());
    WriteFile(dir_ + "/a.ml", "let x = 1\n");
    WriteFile(dir_ + "/b.ml", "let y = A.x + 1\n");
    WriteFile(dir_ + "/c.ml", "let () = print_int B.y\n");
    std::string uses;
    for (int i = 1; i <= 6; ++i) {
      WriteFile(fmt::format("{}/m{}.ml", dir_, i), "let v = ref 1\n");
      uses += fmt::format("M{}.v := 2; ", i);
    }
    WriteFile(dir_ + "/u.ml", "let () = " + uses + "()\n");
    const CommandResult r = RunShell(fmt::format(
        "cd {0} && {1} -c a.ml b.ml c.ml m1.ml m2.ml m3.ml m4.ml m5.ml m6.ml "
        "u.ml && {1} -a -o lib.cmxa a.cmx b.cmx && mkdir d && cp a.ml d/ && "
        "cd d && {1} -c a.ml 2>&1",
        ShellQuote(dir_), tree_.Tool("ocamlopt")));
    ASSERT_EQ(r.exit_code, 0) << r.out;
  }

  // Links \p args with the real ocamlopt (expecting a failure) and plans
  // them with camlsym; returns {ocamlopt's message, camlsym's}.
  std::pair<std::string, std::string> BothRefuse(const std::string& args) {
    const CommandResult real =
        RunShell(fmt::format("cd {} && {} -o out.exe {} 2>&1", ShellQuote(dir_),
                             tree_.Tool("ocamlopt"), args));
    EXPECT_NE(real.exit_code, 0) << args << "\n" << real.out;
    const CommandResult ours = RunShell(fmt::format(
        "cd {} && {} startup --ocaml-stdlib={} -o out.s {} 2>&1",
        ShellQuote(dir_), CamlsymBinary(), ShellQuote(tree_.stdlib), args));
    EXPECT_EQ(ours.exit_code, 1) << args << "\n" << ours.out;
    return {OcamloptError(real.out), CamlsymError(ours.out)};
  }

  Ocaml5Tree tree_;
  std::string dir_;
};

TEST_P(LinkChecksOcaml5Test, MissingImplementation) {
  const auto [real, ours] = BothRefuse("b.cmx c.cmx");
  EXPECT_THAT(real, HasSubstr("No implementation provided"));
  EXPECT_EQ(ours, real);
}

TEST_P(LinkChecksOcaml5Test, SeveralMissingInHashtblOrder) {
  const auto [real, ours] = BothRefuse("u.cmx");
  for (int i = 1; i <= 6; ++i) {
    EXPECT_THAT(real, HasSubstr(fmt::format("M{}", i)));
  }
  EXPECT_EQ(ours, real);
}

TEST_P(LinkChecksOcaml5Test, WrongLinkOrder) {
  const auto [real, ours] = BothRefuse("b.cmx a.cmx c.cmx");
  EXPECT_THAT(real, HasSubstr("Wrong link order"));
  EXPECT_EQ(ours, real);
  // In a plugin too (`ocamlopt -shared`: linkdeps without ~complete).
  const auto [real_shared, ours_shared] = BothRefuse("-shared b.cmx a.cmx");
  EXPECT_THAT(real_shared, HasSubstr("Wrong link order"));
  EXPECT_EQ(ours_shared, real_shared);
}

TEST_P(LinkChecksOcaml5Test, DuplicatedImplementations) {
  const auto [real, ours] = BothRefuse("a.cmx d/a.cmx b.cmx c.cmx");
  EXPECT_THAT(real, HasSubstr("Multiple definitions of module"));
  EXPECT_EQ(ours, real);
  // A library unit needed by a later file, defined again after it.
  const auto [real_lib, ours_lib] = BothRefuse("lib.cmxa a.cmx c.cmx");
  EXPECT_THAT(real_lib, HasSubstr("Duplicated implementations"));
  EXPECT_EQ(ours_lib, real_lib);
}

TEST_P(LinkChecksOcaml5Test, InconsistentImplementation) {
  // b.cmx was compiled against the first a.cmx; a.ml then changed.
  const CommandResult r = RunShell(fmt::format(
      "cd {} && echo 'let x = 2' > a2.ml && cp a2.ml a.ml && {} -c a.ml 2>&1",
      ShellQuote(dir_), tree_.Tool("ocamlopt")));
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto [real, ours] = BothRefuse("a.cmx b.cmx c.cmx");
  EXPECT_THAT(real, HasSubstr("inconsistent assumptions over implementation"));
  EXPECT_EQ(ours, real);
}

TEST_P(LinkChecksOcaml5Test, AGoodLinkPassesThePlan) {
  // The plan and its checks pass, and the startup is written with the
  // version's own symbols.
  const CommandResult ours = RunShell(fmt::format(
      "cd {} && {} startup --ocaml-stdlib={} -o out.s a.cmx b.cmx c.cmx 2>&1",
      ShellQuote(dir_), CamlsymBinary(), ShellQuote(tree_.stdlib)));
  ASSERT_EQ(ours.exit_code, 0) << ours.out;
  const std::string s = ReadFile(dir_ + "/out.s");
  EXPECT_NE(s.find("caml_startup.gc_roots:"), std::string::npos);
  EXPECT_NE(s.find("camlB.entry"), std::string::npos);
  EXPECT_NE(s.find("caml_system.frametable"), std::string::npos);
}

TEST_P(LinkChecksOcaml5Test, MixedVersionsNameOneFileOfEach) {
  // The 4.13 standard library with 5.x units.
  const CommandResult host = RunShell(fmt::format(
      "cd {} && {} startup --ocaml-stdlib={} -o out.s a.cmx 2>&1",
      ShellQuote(dir_), CamlsymBinary(), ShellQuote(HostStdlibDir())));
  EXPECT_EQ(host.exit_code, 1) << host.out;
  EXPECT_THAT(host.out, HasSubstr(HostStdlibDir() + "/stdlib.cmxa"));
  EXPECT_THAT(host.out, HasSubstr("OCaml 4.13"));
  EXPECT_THAT(host.out, HasSubstr(fmt::format("a.cmx by OCaml {}",
                                              tree_.version.substr(0, 3))));
  // A unit of the other 5.x version.
  std::string why;
  const bool is53 = std::string(GetParam()) == "trixie";
  std::optional<Ocaml5Tree> other =
      FindOcaml5Tree(is53 ? "sid" : "trixie", "amd64", why);
  ASSERT_TRUE(other.has_value()) << why;
  const CommandResult r = RunShell(fmt::format(
      "cd {} && mkdir -p o && cp a.ml o/z.ml && cd o && {} -c z.ml 2>&1",
      ShellQuote(dir_), other->Tool("ocamlopt")));
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const CommandResult mixed = RunShell(fmt::format(
      "cd {} && {} startup --ocaml-stdlib={} -o out.s a.cmx o/z.cmx 2>&1",
      ShellQuote(dir_), CamlsymBinary(), ShellQuote(tree_.stdlib)));
  EXPECT_EQ(mixed.exit_code, 1) << mixed.out;
  EXPECT_THAT(mixed.out, HasSubstr("stdlib.cmxa was written by OCaml " +
                                   tree_.version.substr(0, 3)));
  EXPECT_THAT(mixed.out,
              HasSubstr("o/z.cmx by OCaml " + other->version.substr(0, 3)));
}

INSTANTIATE_TEST_SUITE_P(DebianOcaml5, LinkChecksOcaml5Test,
                         ::testing::Values("trixie", "sid"));

}  // namespace
}  // namespace camlsym::testing
