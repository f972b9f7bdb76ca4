#include "camlsym/tools/ocamlopt_flags.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace camlsym {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// --ocaml-stdlib is given so that no test depends on the installation.
absl::StatusOr<ParsedLinkFlags> Parse(std::vector<std::string> args,
                                      LinkVerb verb = LinkVerb::kLink) {
  args.insert(args.begin(), "--ocaml-stdlib=/lib/ocaml");
  return ParseLinkFlags(args, verb);
}

TEST(OcamloptFlagsTest, IncludePlusDirIsRelativeToTheStandardLibrary) {
  absl::StatusOr<ParsedLinkFlags> f =
      Parse({"-I", "+threads", "-I", "lib", "-I", "+compiler-libs", "a.cmx"});
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_THAT(
      f->request.options.include_dirs,
      ElementsAre("/lib/ocaml/threads", "lib", "/lib/ocaml/compiler-libs"));
  EXPECT_EQ(ExpandIncludeDir("+unix", "/s"), "/s/unix");
  EXPECT_EQ(ExpandIncludeDir("plain", "/s"), "plain");
}

TEST(OcamloptFlagsTest, CcoptCclibAndCcCommand) {
  absl::StatusOr<ParsedLinkFlags> f =
      Parse({"-ccopt", "-static", "-ccopt", "-L/x -Wl,-z,now", "a.cmx",
             "-cclib", "-lfoo", "b.o", "-cc", "gcc -static -g"});
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_THAT(f->request.ccopts, ElementsAre("-static", "-L/x", "-Wl,-z,now"));
  // -cclib words stay in command-line order among the C objects.
  EXPECT_THAT(f->request.inputs, ElementsAre("a.cmx", "-lfoo", "b.o"));
  EXPECT_THAT(f->request.c_compiler, ElementsAre("gcc", "-static", "-g"));
}

TEST(OcamloptFlagsTest, DefaultOutputIsAOut) {
  absl::StatusOr<ParsedLinkFlags> f = Parse({"a.cmx"});
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(f->request.output, "a.out");
  // ocamlopt -shared and -output-obj need -o.
  for (const char* flag : {"-shared", "-output-obj", "-output-complete-obj"}) {
    absl::StatusOr<ParsedLinkFlags> g = Parse({flag, "a.cmx"});
    ASSERT_FALSE(g.ok()) << flag;
    EXPECT_THAT(g.status().message(), HasSubstr("using option -o"));
  }
  EXPECT_FALSE(Parse({"a.cmx"}, LinkVerb::kStartup).ok());
}

TEST(OcamloptFlagsTest, ObjectOutputs) {
  absl::StatusOr<ParsedLinkFlags> f =
      Parse({"-output-obj", "-o", "x.o", "a.cmx"});
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(f->request.object_output, ObjectOutput::kObject);
  EXPECT_EQ(f->request.options.std_exit, StdExit::kOmitted);
  f = Parse({"-output-complete-obj", "-o", "x.o", "a.cmx"});
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(f->request.object_output, ObjectOutput::kCompleteObject);
  // A .so: a shared object (asmlink.ml call_linker's main_dll).
  f = Parse({"-output-obj", "-o", "x.so", "a.cmx"});
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(f->request.object_output, ObjectOutput::kObject);
  absl::StatusOr<ParsedLinkFlags> bad =
      Parse({"-output-obj", "-o", "x.exe", "a.cmx"});
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("must be .o or .so"));
}

TEST(OcamloptFlagsTest, RuntimeVariantNoautolinkDstartup) {
  absl::StatusOr<ParsedLinkFlags> f =
      Parse({"-runtime-variant", "d", "-noautolink", "-dstartup", "-o", "p",
             "a.cmx"});
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(f->request.options.runtime_variant, "d");
  EXPECT_EQ(f->request.options.auto_link, AutoLink::kNo);
  // ocamlopt's name: OUTPUT.startup.s.
  EXPECT_EQ(f->request.keep_startup, "p.startup.s");
  EXPECT_FALSE(Parse({"-runtime-variant", "x", "a.cmx"}).ok());
  // -S alone keeps no startup, as ocamlopt.
  f = Parse({"-S", "-o", "p", "a.cmx"});
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_FALSE(f->request.keep_startup.has_value());
}

TEST(OcamloptFlagsTest, Errors) {
  EXPECT_THAT(Parse({"--frob", "a.cmx"}).status().message(),
              HasSubstr("unknown option '--frob'"));
  EXPECT_THAT(Parse({"a.cmx", "-o"}).status().message(),
              HasSubstr("-o needs an argument"));
  // Link-only flags are unknown to startup.
  EXPECT_FALSE(
      Parse({"-ccopt", "x", "-o", "s.s", "a.cmx"}, LinkVerb::kStartup).ok());
  EXPECT_THAT(Parse({"-o", "p"}).status().message(),
              HasSubstr("no input file"));
  EXPECT_FALSE(Parse({"--target=riscv64-linux", "a.cmx"}).ok());
  EXPECT_FALSE(Parse({"-o", "-", "a.cmx"}).ok());
  EXPECT_TRUE(Parse({"-o", "-", "a.cmx"}, LinkVerb::kStartup).ok());
}

TEST(OcamloptFlagsTest, HelpListsEveryAcceptedFlag) {
  for (LinkVerb verb : {LinkVerb::kLink, LinkVerb::kStartup}) {
    const std::string help = LinkFlagsHelp(verb);
    // Every flag that parses is in the help text, and vice versa.
    const std::vector<std::string> link_flags = {"-o",
                                                 "-I",
                                                 "--target",
                                                 "--ocaml-stdlib",
                                                 "--shared",
                                                 "-shared",
                                                 "--linkall",
                                                 "-linkall",
                                                 "-noautolink",
                                                 "-output-obj",
                                                 "-output-complete-obj",
                                                 "-runtime-variant",
                                                 "-ccopt",
                                                 "-cclib",
                                                 "-cc",
                                                 "--cc",
                                                 "--as",
                                                 "--no-integrated-as",
                                                 "--keep-startup",
                                                 "-dstartup",
                                                 "-S",
                                                 "--verbose",
                                                 "-verbose",
                                                 "-v",
                                                 "--version",
                                                 "--help",
                                                 "-help",
                                                 "-h"};
    for (const std::string& flag : link_flags) {
      const bool listed = help.find(" " + flag + " ") != std::string::npos ||
                          help.find(" " + flag + ",") != std::string::npos ||
                          help.find(" " + flag + "=") != std::string::npos;
      std::vector<std::string> args = {flag};
      if (flag == "--target") args = {"--target=x86_64-linux"};
      if (flag == "-runtime-variant")
        args.push_back("d");
      else if (flag == "-o" || flag == "-I" || flag == "-ccopt" ||
               flag == "-cclib" || flag == "-cc") {
        args.push_back("x.o");
      } else if (flag.starts_with("--") &&
                 (flag == "--ocaml-stdlib" || flag == "--cc" ||
                  flag == "--as" || flag == "--keep-startup")) {
        args = {flag + "=x"};
      }
      args.push_back("a.cmx");
      if (flag != "-o") {
        args.push_back("-o");
        args.push_back(flag.find("output") != std::string::npos ? "x.o"
                                                                : "p.s");
      }
      const bool parses = Parse(args, verb).ok();
      EXPECT_EQ(listed, parses)
          << flag << " verb " << static_cast<int>(verb) << "\n"
          << help;
    }
  }
}

}  // namespace
}  // namespace camlsym
