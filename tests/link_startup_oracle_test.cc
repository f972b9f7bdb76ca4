// CompileStartup (linking_state/link_startup.h) on real .cmx files with a
// pack, against the startup file the real ocamlopt 4.13.1 writes for the same
// link (`ocamlopt -dstartup`): the same modules initialised in the same
// order, the same tables and globals map, packed members named with their
// pack prefix; and a plugin of the pack against `ocamlopt -shared -dstartup`.
// The plan is taken by const reference and left as it was.
#include <algorithm>
#include <string>

#include "camlsym/linking_state/link_plan.h"
#include "camlsym/linking_state/link_startup.h"
#include "camlsym/tests/corpus.h"
#include "camlsym/tests/oracle_util.h"
#include "fmt/format.h"
#include "gtest/gtest.h"

namespace camlsym {
namespace {

using testing::EntryCalls;
using testing::QuadSymbolsAfterLabel;

class LinkStartupOracleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::MakeTempDir("link_startup");
    ASSERT_TRUE(testing::WriteFile(
        dir_ + "/a.ml", "let f x = x + 1\nlet g a b c = a + b + c\n"));
    ASSERT_TRUE(testing::WriteFile(dir_ + "/b.ml",
                                   "let h x = A.f x * 2\nlet k = A.g 1\n"));
    ASSERT_TRUE(testing::WriteFile(
        dir_ + "/main.ml", "let () = print_int (Pk.B.h 3 + Pk.B.k 2 3)\n"));
    testing::CommandResult r = testing::RunShell(fmt::format(
        "cd {} && ocamlopt -for-pack Pk -c a.ml && ocamlopt -for-pack Pk -c "
        "b.ml && ocamlopt -pack -o pk.cmx a.cmx b.cmx && ocamlopt -c main.ml "
        "&& ocamlopt -dstartup -o ref.exe pk.cmx main.cmx && ocamlopt -shared "
        "-dstartup -o ref.cmxs pk.cmx 2>&1",
        testing::ShellQuote(dir_)));
    ASSERT_EQ(r.exit_code, 0)
        << "ocamlopt 4.13.1 is needed (scripts/install-deps.sh): " << r.out;
  }

  absl::StatusOr<LinkPlan> Plan(LinkMode mode, std::vector<std::string> in) {
    LinkOptions options;
    options.mode = mode;
    options.stdlib_dir = testing::HostStdlibDir();
    for (std::string& f : in) f = dir_ + "/" + f;
    return PlanLink(in, options);
  }

  std::string dir_;
};

TEST_F(LinkStartupOracleTest, ExecutableWithPack) {
  absl::StatusOr<LinkPlan> plan =
      Plan(LinkMode::kExecutable, {"pk.cmx", "main.cmx"});
  ASSERT_TRUE(plan.ok()) << plan.status();
  // The pack's typed unit: its members carry the prefix Pk.
  const PlannedUnit* pk = nullptr;
  for (const PlannedUnit& u : plan->units) {
    if (u.info.name == "Pk") pk = &u;
  }
  ASSERT_NE(pk, nullptr);
  ASSERT_EQ(pk->linked.defines.size(), 3u);
  EXPECT_EQ(pk->linked.defines[0].unit.FullPath(), "Pk.A");
  EXPECT_EQ(pk->linked.defines[1].unit.FullPath(), "Pk.B");
  EXPECT_EQ(pk->linked.defines[0].object_file, pk->linked.object_file);

  const size_t units = plan->units.size();
  const std::string first = plan->units.front().info.name;
  absl::StatusOr<OutputFiles> ours =
      CompileStartup(*plan, TargetSystem::Host(), {.assembly = true});
  ASSERT_TRUE(ours.ok()) << ours.status();
  EXPECT_EQ(plan->units.size(), units);
  EXPECT_EQ(plan->units.front().info.name, first);
  EXPECT_EQ(plan->units.front().linked.unit.FullPath(), first);
  const std::string ref = testing::ReadFile(dir_ + "/ref.exe.startup.s");
  ASSERT_FALSE(ref.empty());
  const std::vector<std::string> entries = EntryCalls(ref);
  EXPECT_NE(std::find(entries.begin(), entries.end(), "camlPk__A__entry"),
            entries.end());
  EXPECT_EQ(EntryCalls(ours->assembly), entries);
  for (const char* table : {"caml_globals", "caml_data_segments",
                            "caml_code_segments", "caml_frametable"}) {
    EXPECT_EQ(QuadSymbolsAfterLabel(ours->assembly, table),
              QuadSymbolsAfterLabel(ref, table))
        << table;
  }
  EXPECT_EQ(testing::AsmOcamlString(ours->assembly, "caml_globals_map"),
            testing::AsmOcamlString(ref, "caml_globals_map"));
}

TEST_F(LinkStartupOracleTest, PluginOfPack) {
  absl::StatusOr<LinkPlan> plan = Plan(LinkMode::kPlugin, {"pk.cmx"});
  ASSERT_TRUE(plan.ok()) << plan.status();
  absl::StatusOr<OutputFiles> ours =
      CompileStartup(*plan, TargetSystem::Host(), {.assembly = true});
  ASSERT_TRUE(ours.ok()) << ours.status();
  const std::string ref = testing::ReadFile(dir_ + "/ref.cmxs.startup.s");
  ASSERT_FALSE(ref.empty());
  // caml_globals of a plugin lists ui_symbol, not the pack's members.
  EXPECT_EQ(QuadSymbolsAfterLabel(ours->assembly, "caml_globals"),
            (std::vector<std::string>{"camlPk__gc_roots", "0"}));
  EXPECT_EQ(QuadSymbolsAfterLabel(ours->assembly, "caml_globals"),
            QuadSymbolsAfterLabel(ref, "caml_globals"));
  EXPECT_EQ(testing::AsmOcamlString(ours->assembly, "caml_plugin_header"),
            testing::AsmOcamlString(ref, "caml_plugin_header"));
}

TEST_F(LinkStartupOracleTest, ModeAndVersionMustFit) {
  absl::StatusOr<LinkPlan> plan = Plan(LinkMode::kPlugin, {"pk.cmx"});
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(MakeStartupSpec(*plan, ManglingScheme::Ocaml413()).status().code(),
            absl::StatusCode::kFailedPrecondition);
  // camlsym writes 4.13 startup files only.
  plan->version = formats::OcamlVersion::k51;
  EXPECT_EQ(CompileStartup(*plan, TargetSystem::Host(), {.assembly = true})
                .status()
                .code(),
            absl::StatusCode::kUnimplemented);
}

}  // namespace
}  // namespace camlsym
