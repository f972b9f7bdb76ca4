#include "camlsym/symbols/compilation_unit.h"

#include "absl/container/flat_hash_set.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace camlsym {
namespace {

using ::testing::HasSubstr;

TEST(UnitNameTest, AcceptsOcamlModuleIdentifiers) {
  for (const char* ok : {"List", "Stdlib__List", "A", "X'", "Camlinternal_9"}) {
    absl::StatusOr<UnitName> n = UnitName::Create(ok);
    ASSERT_TRUE(n.ok()) << ok << ": " << n.status();
    EXPECT_EQ(n->str(), ok);
  }
}

TEST(UnitNameTest, RejectsNamingTheBadCharacter) {
  absl::StatusOr<UnitName> lower = UnitName::Create("list");
  ASSERT_FALSE(lower.ok());
  EXPECT_EQ(lower.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(lower.status().message(), HasSubstr("'l'"));

  absl::StatusOr<UnitName> dash = UnitName::Create("My-Mod");
  ASSERT_FALSE(dash.ok());
  EXPECT_THAT(dash.status().message(), HasSubstr("'-' at offset 2"));

  absl::StatusOr<UnitName> nul = UnitName::Create(std::string("A\0B", 3));
  ASSERT_FALSE(nul.ok());
  EXPECT_THAT(nul.status().message(), HasSubstr("byte 0x00"));

  EXPECT_FALSE(UnitName::Create("").ok());
  EXPECT_FALSE(UnitName::Create("_startup").ok());
}

TEST(CompilationUnitTest, ParsesPackPrefix) {
  absl::StatusOr<CompilationUnit> u = CompilationUnit::Parse("Pack.Sub.Unit");
  ASSERT_TRUE(u.ok()) << u.status();
  ASSERT_EQ(u->for_pack_prefix().size(), 2u);
  EXPECT_EQ(u->for_pack_prefix()[0].str(), "Pack");
  EXPECT_EQ(u->for_pack_prefix()[1].str(), "Sub");
  EXPECT_EQ(u->name().str(), "Unit");
  EXPECT_TRUE(u->is_packed());
  EXPECT_EQ(u->FullPath(), "Pack.Sub.Unit");
  EXPECT_EQ(u->PrefixPath(), "Pack.Sub");
  EXPECT_EQ(fmt::format("{}", *u), "Pack.Sub.Unit");

  absl::StatusOr<CompilationUnit> plain = CompilationUnit::Parse("List");
  ASSERT_TRUE(plain.ok());
  EXPECT_FALSE(plain->is_packed());
}

TEST(CompilationUnitTest, RejectsMalformedPaths) {
  for (const char* bad : {"", "A..B", ".A", "A.", "A.b", "A.B C"}) {
    absl::StatusOr<CompilationUnit> u = CompilationUnit::Parse(bad);
    EXPECT_FALSE(u.ok()) << bad;
    if (!u.ok()) {
      EXPECT_EQ(u.status().code(), absl::StatusCode::kInvalidArgument);
      EXPECT_THAT(u.status().message(), HasSubstr(bad));
    }
  }
  absl::StatusOr<CompilationUnit> u = CompilationUnit::Parse("A.b");
  EXPECT_THAT(u.status().message(), HasSubstr("'b' at offset 2"));
}

TEST(CompilationUnitTest, EqualityHashingOrdering) {
  CompilationUnit a = *CompilationUnit::Parse("P.A");
  CompilationUnit a2 = *CompilationUnit::Parse("P.A");
  CompilationUnit b = *CompilationUnit::Parse("P.B");
  CompilationUnit plain_a = *CompilationUnit::Parse("A");
  EXPECT_EQ(a, a2);
  EXPECT_NE(a, plain_a);  // Same name, different pack: different units.
  EXPECT_LT(a, b);
  absl::flat_hash_set<CompilationUnit> set = {a, a2, b, plain_a};
  EXPECT_EQ(set.size(), 3u);
}

TEST(CompilationUnitTest, PseudoUnits) {
  EXPECT_EQ(CompilationUnit::Startup().FullPath(), "_startup");
  EXPECT_EQ(CompilationUnit::SharedStartup().FullPath(), "_shared_startup");
  EXPECT_EQ(CompilationUnit::System().FullPath(), "_system");
}

TEST(ForPackRuleTest, SamePrefixIsFine) {
  CompilationUnit impl = *CompilationUnit::Parse("Pack.Unit");
  EXPECT_TRUE(
      CheckForPackConsistency(impl, *CompilationUnit::ParsePrefix("Pack"))
          .ok());
  CompilationUnit plain = *CompilationUnit::Parse("Unit");
  EXPECT_TRUE(CheckForPackConsistency(plain, {}).ok());
}

TEST(ForPackRuleTest, DifferentPrefixNamesBoth) {
  CompilationUnit impl = *CompilationUnit::Parse("Pack.Sub.Unit");
  absl::Status s = CheckForPackConsistency(impl, {});
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("Unit"));
  EXPECT_THAT(s.message(), HasSubstr("-for-pack Pack.Sub"));
  EXPECT_THAT(s.message(), HasSubstr("no -for-pack"));

  absl::Status s2 =
      CheckForPackConsistency(impl, *CompilationUnit::ParsePrefix("Other"));
  EXPECT_THAT(s2.message(), HasSubstr("-for-pack Other"));
}

}  // namespace
}  // namespace camlsym
