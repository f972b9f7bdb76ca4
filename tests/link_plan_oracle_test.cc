// The link plan against ocamlopt 4.13.1 itself: for real links done here,
// camlsym's initialisation order must equal the `caml<Unit>__entry` calls of
// caml_program in the startup file that `ocamlopt -dstartup` keeps, its
// generic functions the caml_curry/tuplify/send/apply functions that file
// defines, and its linker inputs the files on ocamlopt's `-verbose` link
// line. Errors must mean what ocamlopt's mean.
#include <unistd.h>

#include <regex>
#include <set>
#include <sstream>

#include "camlsym/linking_state/globals_map.h"
#include "camlsym/linking_state/link_plan.h"
#include "camlsym/tests/oracle_util.h"
#include "fmt/format.h"
#include "fmt/ranges.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace camlsym {
namespace {

using ::camlsym::testing::WriteFile;
using ::testing::HasSubstr;

struct Reference {
  std::vector<std::string> entries;  // unit symbols called by caml_program
  std::set<int> curry, apply, send;
  std::vector<std::string> linker_inputs;  // after the startup object
  std::string globals_map;                 // contents of caml_globals_map
  std::string log;
};

std::vector<std::string> Split(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  std::string tok;
  while (in >> tok) {
    if (tok.size() >= 2 && tok.front() == '\'' && tok.back() == '\'') {
      tok = tok.substr(1, tok.size() - 2);
    }
    out.push_back(tok);
  }
  return out;
}

// Links with ocamlopt (-cc true: everything but the system link) and reads
// what it decided.
Reference OcamloptLink(const std::string& args) {
  Reference ref;
  testing::CommandResult r = testing::RunShell(
      fmt::format("ocamlopt -dstartup -S -verbose -cc true -o ref.exe {} "
                  "2>&1",
                  args));
  ref.log = r.out;
  std::string startup = testing::ReadFile("ref.exe.startup.s");
  ref.globals_map = testing::AsmOcamlString(startup, "caml_globals_map");
  std::regex entry(R"(call\s+caml(\S+)__entry(@PLT)?)");
  std::regex fn(R"(^caml_(curry|tuplify|send|apply)(\d+):)");
  std::istringstream in(startup);
  std::string line;
  while (std::getline(in, line)) {
    std::smatch m;
    if (std::regex_search(line, m, entry)) ref.entries.push_back(m[1]);
    if (std::regex_search(line, m, fn)) {
      int n = std::stoi(m[2]);
      if (m[1] == "curry") ref.curry.insert(n);
      if (m[1] == "tuplify") ref.curry.insert(-n);
      if (m[1] == "send") ref.send.insert(n);
      if (m[1] == "apply") ref.apply.insert(n);
    }
  }
  std::istringstream log(r.out);
  while (std::getline(log, line)) {
    if (line.rfind("+ true", 0) != 0) continue;
    std::vector<std::string> toks = Split(line);
    bool after_startup = false;
    for (const std::string& t : toks) {
      if (after_startup) {
        if (t.size() >= 11 && t.substr(t.size() - 11) == "libasmrun.a") break;
        ref.linker_inputs.push_back(t);
      } else if (t.find("camlstartup") != std::string::npos && t.size() > 2 &&
                 t.substr(t.size() - 2) == ".o") {
        after_startup = true;
      }
    }
  }
  return ref;
}

std::vector<std::string> Words(const std::string& s) { return Split(s); }

class LinkPlanOracleTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(testing::MakeTempDir("link_plan_oracle"));
    ASSERT_EQ(chdir(dir_->c_str()), 0);
    WriteFile("l1.ml",
              "let f x y = x + y\nlet g (a, b, c) = a + b + c\n"
              "let h = List.map g\n");
    WriteFile("l2.ml", "let unused a b c d e = a + b + c + d + e\n");
    WriteFile("l3.ml", "let k = L1.f 1\nlet () = ignore (k 2)\n");
    WriteFile("f1.ml", "let () = print_endline \"forced\"\n");
    WriteFile("m1.ml",
              "let add3 a b c = a + b + c\nlet part = add3 1\n"
              "let big a b c d e f g h i j k l m n o p q = a+b+c+d+e+f+g+h+i"
              "+j+k+l+m+n+o+p+q\nlet pbig = big 1 2 3\n");
    WriteFile("m2.ml",
              "let o = object method m a b c d = a + b + c + d end\n"
              "let call (x : < m : int -> int -> int -> int -> int; .. >) = "
              "x#m 1 2 3 4\n"
              "let x = M1.part 2 3 + L1.f 1 2 + call o\n"
              "let t = L1.h [ (1, 2, 3) ]\n");
    WriteFile("main.ml",
              "let () = print_int M2.x; print_newline ()\n"
              "let () = ignore (Str.regexp \"a\"); ignore (Unix.getpid ())\n");
    WriteFile("stub.c", "int camlsym_stub(void) { return 0; }\n");
    testing::CommandResult r = testing::RunShell(
        "ocamlopt -c l1.ml l2.ml l3.ml f1.ml m1.ml m2.ml 2>&1 && "
        "ocamlopt -I +str -I +unix -c main.ml 2>&1 && "
        "ocamlopt -a -o mylib.cmxa l1.cmx l2.cmx l3.cmx 2>&1 && "
        "ocamlopt -a -linkall -o forced.cmxa f1.cmx 2>&1 && "
        "cc -c stub.c 2>&1");
    ASSERT_EQ(r.exit_code, 0) << r.out;
  }

  void ExpectSameAsOcamlopt(const std::vector<std::string>& inputs,
                            LinkAll link_all) {
    std::string args = fmt::format("{}", fmt::join(inputs, " "));
    if (link_all == LinkAll::kYes) args = "-linkall " + args;
    Reference ref = OcamloptLink(args);
    ASSERT_FALSE(ref.entries.empty()) << ref.log;

    LinkOptions opts;
    opts.stdlib_dir = testing::HostStdlibDir();
    opts.link_all = link_all;
    absl::StatusOr<LinkPlan> plan = PlanLink(inputs, opts);
    ASSERT_TRUE(plan.ok()) << plan.status();
    std::vector<std::string> order;
    for (const PlannedUnit& u : plan->units) order.push_back(u.info.symbol);
    EXPECT_EQ(order, ref.entries) << args;
    EXPECT_EQ(plan->curry_functions, ref.curry) << args;
    EXPECT_EQ(plan->apply_functions, ref.apply) << args;
    EXPECT_EQ(plan->send_functions, ref.send) << args;
    EXPECT_EQ(plan->linker_inputs, ref.linker_inputs) << args;
    ExpectSameGlobalsMap(*plan, ref);
  }

  static void ExpectSameGlobalsMap(const LinkPlan& plan, const Reference& ref) {
    ASSERT_GT(ref.globals_map.size(), 20u);
    absl::StatusOr<std::string> map = MarshalGlobalsMap(plan);
    ASSERT_TRUE(map.ok()) << map.status();
    EXPECT_EQ(map->size(), ref.globals_map.size());
    EXPECT_TRUE(*map == ref.globals_map)
        << "caml_globals_map differs from ocamlopt's";
  }

  static std::string* dir_;
};

std::string* LinkPlanOracleTest::dir_ = nullptr;

TEST_F(LinkPlanOracleTest, LibraryUnitsLinkedOnlyWhenNeeded) {
  ExpectSameAsOcamlopt({"mylib.cmxa", "m1.cmx", "m2.cmx"}, LinkAll::kNo);
}

TEST_F(LinkPlanOracleTest, LinkAllLinksEveryUnit) {
  ExpectSameAsOcamlopt({"mylib.cmxa", "m1.cmx", "m2.cmx"}, LinkAll::kYes);
}

TEST_F(LinkPlanOracleTest, LibrariesWithCObjectsAndForceLink) {
  ExpectSameAsOcamlopt({"unix.cmxa", "str.cmxa", "forced.cmxa", "mylib.cmxa",
                        "m1.cmx", "m2.cmx", "main.cmx", "stub.o"},
                       LinkAll::kNo);
}

TEST_F(LinkPlanOracleTest, TheCompilerItself) {
  std::string libs = testing::HostStdlibDir() + "/compiler-libs";
  Reference ref = OcamloptLink(fmt::format(
      "-I +compiler-libs ocamlcommon.cmxa ocamloptcomp.cmxa optmain.cmx"));
  LinkOptions opts;
  opts.stdlib_dir = testing::HostStdlibDir();
  opts.include_dirs = {libs};
  absl::StatusOr<LinkPlan> plan =
      PlanLink({"ocamlcommon.cmxa", "ocamloptcomp.cmxa", "optmain.cmx"}, opts);
  ASSERT_TRUE(plan.ok()) << plan.status();
  std::vector<std::string> order;
  for (const PlannedUnit& u : plan->units) order.push_back(u.info.symbol);
  EXPECT_GT(order.size(), 200u);  // 277 units in 4.13.1.
  EXPECT_EQ(order, ref.entries);
  EXPECT_EQ(plan->curry_functions, ref.curry);
  EXPECT_EQ(plan->apply_functions, ref.apply);
  EXPECT_EQ(plan->send_functions, ref.send);
  EXPECT_EQ(plan->linker_inputs, ref.linker_inputs);
  ExpectSameGlobalsMap(*plan, ref);
}

// Error cases: camlsym's message carries ocamlopt's words.
std::string Normalize(const std::string& s) {
  return fmt::format("{}", fmt::join(Words(s), " "));
}

TEST_F(LinkPlanOracleTest, MissingImplementation) {
  Reference ref = OcamloptLink("m2.cmx");
  LinkOptions opts;
  opts.stdlib_dir = testing::HostStdlibDir();
  absl::StatusOr<LinkPlan> plan = PlanLink({"m2.cmx"}, opts);
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(Normalize(ref.log),
              HasSubstr("No implementations provided for the following "
                        "modules:"));
  EXPECT_THAT(Normalize(std::string(plan.status().message())),
              HasSubstr("No implementations provided for the following "
                        "modules:"));
  // ocamlopt names the same missing units.
  for (const char* m :
       {"M1 referenced from m2.cmx", "L1 referenced from m2.cmx"}) {
    EXPECT_THAT(Normalize(ref.log), HasSubstr(m));
    EXPECT_THAT(Normalize(std::string(plan.status().message())), HasSubstr(m));
  }
}

// A module missing for two units: ocamlopt lists them from the first on
// the command line (asmlink.ml conses each onto the list while scanning
// the files from the last).
TEST_F(LinkPlanOracleTest, MissingImplementationReferencedTwice) {
  Reference ref = OcamloptLink("l3.cmx m2.cmx");
  LinkOptions opts;
  opts.stdlib_dir = testing::HostStdlibDir();
  absl::StatusOr<LinkPlan> plan = PlanLink({"l3.cmx", "m2.cmx"}, opts);
  ASSERT_FALSE(plan.ok());
  const std::string want = "L1 referenced from l3.cmx, m2.cmx";
  EXPECT_THAT(Normalize(ref.log), HasSubstr(want));
  EXPECT_THAT(Normalize(std::string(plan.status().message())), HasSubstr(want));
}

TEST_F(LinkPlanOracleTest, MultipleDefinition) {
  Reference ref = OcamloptLink("m1.cmx m1.cmx");
  LinkOptions opts;
  opts.stdlib_dir = testing::HostStdlibDir();
  absl::StatusOr<LinkPlan> plan = PlanLink({"m1.cmx", "m1.cmx"}, opts);
  ASSERT_FALSE(plan.ok());
  const std::string want =
      "Files m1.cmx and m1.cmx both define a module "
      "named M1";
  EXPECT_THAT(Normalize(ref.log), HasSubstr(want));
  EXPECT_THAT(Normalize(std::string(plan.status().message())), HasSubstr(want));
}

TEST_F(LinkPlanOracleTest, InconsistentInterface) {
  // Recompile M1 with a different interface in a copy: m2.cmx still assumes
  // the old one.
  testing::CommandResult r = testing::RunShell(
      "rm -rf incons && mkdir incons && cp m1.ml m2.ml l1.cmx l1.cmi l1.o "
      "incons/ && cd incons && ocamlopt -c m1.ml m2.ml 2>&1 && "
      "echo 'let extra = 1' >> m1.ml && ocamlopt -c m1.ml 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  ASSERT_EQ(chdir("incons"), 0);
  Reference ref = OcamloptLink("l1.cmx m1.cmx m2.cmx");
  LinkOptions opts;
  opts.stdlib_dir = testing::HostStdlibDir();
  absl::StatusOr<LinkPlan> plan =
      PlanLink({"l1.cmx", "m1.cmx", "m2.cmx"}, opts);
  ASSERT_EQ(chdir(".."), 0);
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.status().code(), absl::StatusCode::kFailedPrecondition);
  const std::string want =
      "Files m2.cmx and m1.cmx make inconsistent assumptions over interface "
      "M1";
  EXPECT_THAT(Normalize(ref.log), HasSubstr(want));
  EXPECT_THAT(Normalize(std::string(plan.status().message())), HasSubstr(want));
}

TEST_F(LinkPlanOracleTest, MissingFilesAndBadInputs) {
  LinkOptions opts;
  opts.stdlib_dir = testing::HostStdlibDir();
  absl::StatusOr<LinkPlan> nf = PlanLink({"nonexistent.cmx"}, opts);
  EXPECT_EQ(nf.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(nf.status().message(), HasSubstr("nonexistent.cmx"));

  ASSERT_EQ(testing::RunShell("cp m1.cmx lonely.cmx").exit_code, 0);
  absl::StatusOr<LinkPlan> no_o = PlanLink({"lonely.cmx"}, opts);
  EXPECT_EQ(no_o.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(no_o.status().message(), HasSubstr("lonely.o"));

  WriteFile("garbage.cmx", "Caml1999Y030 this is not marshal data");
  absl::StatusOr<LinkPlan> bad = PlanLink({"garbage.cmx"}, opts);
  EXPECT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("garbage.cmx"));

  absl::StatusOr<LinkPlan> kind = PlanLink({"m1.ml"}, opts);
  EXPECT_EQ(kind.status().code(), absl::StatusCode::kInvalidArgument);

  LinkOptions nostd;
  nostd.stdlib_dir = "/nonexistent";
  EXPECT_EQ(PlanLink({"m1.cmx"}, nostd).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(LinkPlanOracleTest, PluginsTakeOnlyTheirInputs) {
  LinkOptions opts;
  opts.stdlib_dir = testing::HostStdlibDir();
  opts.mode = LinkMode::kPlugin;
  absl::StatusOr<LinkPlan> plan = PlanLink({"m1.cmx"}, opts);
  ASSERT_TRUE(plan.ok()) << plan.status();
  ASSERT_EQ(plan->units.size(), 1u);
  EXPECT_EQ(plan->units[0].info.name, "M1");
  EXPECT_TRUE(plan->runtime_lib.empty());
  // No default caml_apply2/3 in a plugin (cmm_helpers.ml generic_functions).
  EXPECT_EQ(plan->apply_functions,
            plan->units[0].info.apply_fun.empty()
                ? std::set<int>{}
                : std::set<int>(plan->units[0].info.apply_fun.begin(),
                                plan->units[0].info.apply_fun.end()));
}

}  // namespace
}  // namespace camlsym
