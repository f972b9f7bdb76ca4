// `camlsym startup` and `camlsym link` (RunStartup, RunLink) on bad command
// lines and bad inputs, in-process: usage errors exit 2 with the message
// and the usage, errors of the link exit 1 naming the file, and no output
// file is left. Needs no OCaml installation (--ocaml-stdlib points at an
// empty directory, or at none where the default is what is tested).
#include "camlsym/tools/link_command.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "camlsym/tests/oracle_util.h"
#include "fmt/format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace camlsym {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// What one run printed to its error stream, and its exit status.
struct Outcome {
  int status;
  std::string err;
};

enum class Verb { kStartup, kLink };

Outcome RunVerb(Verb verb, const std::vector<std::string>& args) {
  std::FILE* err = std::tmpfile();
  std::FILE* out = std::tmpfile();
  const int status = verb == Verb::kStartup ? RunStartup(args, stdin, out, err)
                                            : RunLink(args, stdin, out, err);
  std::string text;
  std::rewind(err);
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, err)) > 0) text.append(buf, n);
  std::fclose(err);
  std::fclose(out);
  return {status, text};
}

class LinkCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::MakeTempDir("link_command");
    stdlib_ = dir_ + "/empty_stdlib";
    std::filesystem::create_directory(stdlib_);
  }

  // Nothing but the empty stdlib directory and \p inputs in dir_.
  void ExpectNoOutput(const std::vector<std::string>& inputs = {}) {
    std::vector<std::string> found;
    for (const auto& e : std::filesystem::directory_iterator(dir_)) {
      found.push_back(e.path().filename().string());
    }
    std::vector<std::string> want = inputs;
    want.push_back("empty_stdlib");
    EXPECT_THAT(found, ::testing::UnorderedElementsAreArray(want));
  }

  std::string dir_, stdlib_;
};

TEST_F(LinkCommandTest, UsageErrorsExitTwoWithTheUsage) {
  struct Case {
    Verb verb;
    std::vector<std::string> args;
    std::string message;
  };
  const std::string stdlib = "--ocaml-stdlib=" + stdlib_;
  const std::string out = dir_ + "/out";
  const Case cases[] = {
      {Verb::kStartup, {stdlib, "a.cmx"}, "no output file (-o) given"},
      // link defaults to a.out, as ocamlopt, but not for a plugin.
      {Verb::kLink,
       {stdlib, "-shared", "a.cmx"},
       "Please specify the name of the output file, using option -o"},
      {Verb::kStartup, {stdlib, "-o", out}, "no input file given"},
      {Verb::kLink, {stdlib, "-o", out}, "no input file given"},
      {Verb::kStartup, {stdlib, "a.cmx", "-o"}, "-o needs an argument"},
      {Verb::kLink, {stdlib, "a.cmx", "-I"}, "-I needs an argument"},
      {Verb::kStartup,
       {stdlib, "-o", out, "a.cmx", "--target"},
       "--target needs a value"},
      {Verb::kLink,
       {"-o", out, "a.cmx", "--ocaml-stdlib"},
       "--ocaml-stdlib needs a value"},
      {Verb::kStartup,
       {stdlib, "-o", out, "--frobnicate", "a.cmx"},
       "unknown option '--frobnicate'"},
      // The link-only options are unknown to `startup`.
      {Verb::kStartup,
       {stdlib, "-o", out, "--verbose", "a.cmx"},
       "unknown option '--verbose'"},
      {Verb::kStartup,
       {stdlib, "-o", out, "--as=as", "a.cmx"},
       "unknown option '--as=as'"},
      {Verb::kStartup,
       {stdlib, "-o", out, "--keep-startup=k.s", "a.cmx"},
       "unknown option '--keep-startup=k.s'"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(::testing::PrintToString(c.args));
    const Outcome o = RunVerb(c.verb, c.args);
    const std::string verb = c.verb == Verb::kStartup ? "startup" : "link";
    EXPECT_EQ(o.status, 2);
    EXPECT_THAT(o.err,
                StartsWith(fmt::format("camlsym {}: {}\n", verb, c.message)));
    EXPECT_THAT(o.err, HasSubstr(fmt::format("usage: camlsym {}", verb)));
  }
  ExpectNoOutput();
}

TEST_F(LinkCommandTest, BadTargetIsAUsageError) {
  const Outcome o = RunVerb(
      Verb::kLink, {"--target=sparc-solaris", "--ocaml-stdlib=" + stdlib_, "-o",
                    dir_ + "/out", "a.cmx"});
  EXPECT_EQ(o.status, 2);
  EXPECT_THAT(o.err, StartsWith("camlsym link: "));
  EXPECT_THAT(o.err, HasSubstr("sparc-solaris"));
  ExpectNoOutput();
}

TEST_F(LinkCommandTest, MissingDefaultStdlibIsAUsageErrorNamingIt) {
  // No --ocaml-stdlib for aarch64-linux: the arm64 tree under
  // $CAMLSYM_CACHE, absent here.
  const char* saved = std::getenv("CAMLSYM_CACHE");
  const std::string old = saved != nullptr ? saved : "";
  setenv("CAMLSYM_CACHE", (dir_ + "/no_cache").c_str(), 1);
  const Outcome o = RunVerb(Verb::kStartup, {"--target=aarch64-linux", "-o",
                                             dir_ + "/out.s", "a.cmx"});
  if (saved != nullptr) {
    setenv("CAMLSYM_CACHE", old.c_str(), 1);
  } else {
    unsetenv("CAMLSYM_CACHE");
  }
  EXPECT_EQ(o.status, 2);
  EXPECT_THAT(o.err, HasSubstr(dir_ + "/no_cache/arm64-ocaml/usr/lib/ocaml"));
  EXPECT_THAT(o.err, HasSubstr("--ocaml-stdlib=DIR"));
  ExpectNoOutput();
}

TEST_F(LinkCommandTest, BadInputsExitOneNamingTheFile) {
  ASSERT_TRUE(testing::WriteFile(dir_ + "/text.cmx", "hello\n"));
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::string stdlib = "--ocaml-stdlib=" + stdlib_;
  const std::string missing = dir_ + "/missing.cmx";
  const std::string text = dir_ + "/text.cmx";
  const std::string odd = dir_ + "/notes.txt";
  const Case cases[] = {
      // A plugin needs no stdlib: the input itself is the error.
      {{"--shared", stdlib, "-o", dir_ + "/p.s", missing},
       "Cannot find file " + missing},
      {{"--shared", stdlib, "-o", dir_ + "/p.s", text},
       text + ": not an OCaml .cmx file (no Caml1999 magic)"},
      {{"--shared", stdlib, "-o", dir_ + "/p.s", odd},
       odd + ": don't know what to do with this file"},
      // An executable needs the stdlib first.
      {{stdlib, "-o", dir_ + "/e.s", text}, "Cannot find file stdlib.cmxa"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(::testing::PrintToString(c.args));
    const Outcome startup = RunVerb(Verb::kStartup, c.args);
    EXPECT_EQ(startup.status, 1);
    EXPECT_THAT(startup.err, StartsWith("camlsym startup: " + c.message));
    EXPECT_THAT(startup.err, ::testing::Not(HasSubstr("usage:")));
    const Outcome link = RunVerb(Verb::kLink, c.args);
    EXPECT_EQ(link.status, 1);
    EXPECT_THAT(link.err, StartsWith("camlsym link: " + c.message));
  }
  ExpectNoOutput({"text.cmx"});
}

}  // namespace
}  // namespace camlsym
