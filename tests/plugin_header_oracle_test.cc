// The plugin header against ocamlopt 4.13.1: for plugins built here with
// `ocamlopt -shared -dstartup` (units with and without .mli, a library, a
// pack), camlsym's `caml_plugin_header` bytes must equal those in the
// startup file ocamlopt keeps, Marshal sharing included.
#include <unistd.h>

#include "camlsym/linking_state/link_plan.h"
#include "camlsym/linking_state/plugin_header.h"
#include "camlsym/tests/oracle_util.h"
#include "fmt/format.h"
#include "gtest/gtest.h"

namespace camlsym {
namespace {

using ::camlsym::testing::RunShell;
using ::camlsym::testing::WriteFile;

class PluginHeaderOracleTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(testing::MakeTempDir("plugin_header_oracle"));
    ASSERT_EQ(chdir(dir_->c_str()), 0);
    WriteFile("api.mli",
              "val register : string -> (int -> int) -> unit\n"
              "val call : string -> int -> int\n");
    WriteFile("api.ml",
              "let t = Hashtbl.create 7\n"
              "let register n f = Hashtbl.replace t n f\n"
              "let call n x = Hashtbl.find t n x\n");
    WriteFile("p1.ml",
              "let f a b c = a + b * c\n"
              "let () = Api.register \"p1\" (fun x -> f x 2 3)\n");
    WriteFile("p2.mli", "val g : int -> int\n");
    WriteFile("p2.ml",
              "let g x = Api.call \"p1\" x + P1.f 1 2 3\n"
              "let () = Api.register \"p2\" g\n");
    WriteFile("p3.ml", "let () = print_endline (string_of_int (P2.g 4))\n");
    WriteFile("a.ml", "let x = 1\n");
    WriteFile("b.ml", "let y = A.x + 1\n");
    testing::CommandResult r = RunShell(
        "ocamlopt -c api.mli api.ml p1.ml p2.mli p2.ml p3.ml 2>&1 && "
        "ocamlopt -a -o lib.cmxa p1.cmx p2.cmx 2>&1 && "
        "ocamlopt -for-pack Pk -c a.ml b.ml 2>&1 && "
        "ocamlopt -pack -o pk.cmx a.cmx b.cmx 2>&1");
    ASSERT_EQ(r.exit_code, 0) << r.out;
  }

  void SetUp() override { ASSERT_EQ(chdir(dir_->c_str()), 0); }

  // ocamlopt's header for `ocamlopt -shared <args>`, camlsym's for the plan
  // of \p inputs.
  void Compare(const std::string& args, const std::vector<std::string>& inputs,
               LinkAll link_all = LinkAll::kNo) {
    SCOPED_TRACE(args);
    testing::CommandResult r = RunShell(fmt::format(
        "rm -f p.cmxs.startup.s && ocamlopt -shared -dstartup -cc true -o "
        "p.cmxs {} 2>&1",
        args));
    ASSERT_EQ(r.exit_code, 0) << r.out;
    const std::string expected = testing::AsmOcamlString(
        testing::ReadFile("p.cmxs.startup.s"), "caml_plugin_header");
    ASSERT_FALSE(expected.empty());
    LinkOptions opts;
    opts.mode = LinkMode::kPlugin;
    opts.link_all = link_all;
    opts.stdlib_dir = testing::HostStdlibDir();
    absl::StatusOr<LinkPlan> plan = PlanLink(inputs, opts);
    ASSERT_TRUE(plan.ok()) << plan.status();
    absl::StatusOr<std::string> bytes =
        MarshalPluginHeader(plan->units, plan->version);
    ASSERT_TRUE(bytes.ok()) << bytes.status();
    EXPECT_EQ(*bytes, expected);
    absl::StatusOr<PluginHeader> h = ParsePluginHeader(expected);
    ASSERT_TRUE(h.ok()) << h.status();
    ASSERT_EQ(h->units.size(), plan->units.size());
    for (size_t i = 0; i < h->units.size(); ++i) {
      EXPECT_EQ(h->units[i].name, plan->units[i].info.name);
      EXPECT_EQ(h->units[i].crc, plan->units[i].crc);
      EXPECT_EQ(h->units[i].imports_cmi, plan->units[i].info.imports_cmi);
      EXPECT_EQ(h->units[i].defines, plan->units[i].info.defines);
    }
  }

  static std::string* dir_;
};

std::string* PluginHeaderOracleTest::dir_ = nullptr;

TEST_F(PluginHeaderOracleTest, OneUnit) { Compare("p1.cmx", {"p1.cmx"}); }

TEST_F(PluginHeaderOracleTest, UnitsWithAndWithoutInterfaces) {
  Compare("p1.cmx p2.cmx p3.cmx", {"p1.cmx", "p2.cmx", "p3.cmx"});
}

TEST_F(PluginHeaderOracleTest, LibraryUnits) {
  Compare("-linkall lib.cmxa p3.cmx", {"lib.cmxa", "p3.cmx"}, LinkAll::kYes);
}

TEST_F(PluginHeaderOracleTest, Pack) { Compare("pk.cmx", {"pk.cmx"}); }

TEST_F(PluginHeaderOracleTest, StdlibUnits) {
  // Units of stdlib.cmxa itself: their .cmx come from the Debian build.
  Compare("-linkall stdlib.cmxa", {"stdlib.cmxa"}, LinkAll::kYes);
}

}  // namespace
}  // namespace camlsym
