#include "camlsym/symbols/mangling_scheme.h"

#include "gtest/gtest.h"

namespace camlsym {
namespace {

TEST(ManglingSchemeTest, Ocaml413JoinsWithDoubleUnderscore) {
  ManglingScheme s = ManglingScheme::Ocaml413();
  CompilationUnit u = *CompilationUnit::Parse("Pack.Sub.Unit");
  // compilenv.ml symbolname_for_pack replaces each '.' of the pack by "__".
  EXPECT_EQ(s.UnitSymbolName(u), "Pack__Sub__Unit");
  EXPECT_EQ(s.MangleModuleBlock("Pack__Sub__Unit"), "camlPack__Sub__Unit");
  EXPECT_EQ(s.Mangle("Stdlib__List", "map_123"), "camlStdlib__List__map_123");
  EXPECT_EQ(s.name(), "ocaml-4.13");
  EXPECT_FALSE(s.PassesThrough('.'));
  EXPECT_FALSE(s.PassesThrough('$'));
  EXPECT_TRUE(s.PassesThrough('_'));
}

TEST(ManglingSchemeTest, Ocaml51UsesDot) {
  ManglingScheme s(ManglingVersion::kOcaml51, SeparatorPlatform::kUnixNotApple);
  EXPECT_EQ(s.UnitSymbolName(*CompilationUnit::Parse("P.U")), "P.U");
  EXPECT_EQ(s.Mangle("Stdlib.List", "map_1"), "camlStdlib.List.map_1");
  EXPECT_TRUE(s.PassesThrough('.'));
  EXPECT_FALSE(s.PassesThrough('$'));
}

TEST(ManglingSchemeTest, Ocaml54DependsOnPlatform) {
  ManglingScheme apple(ManglingVersion::kOcaml54,
                       SeparatorPlatform::kAppleOrNonUnix);
  ManglingScheme linux(ManglingVersion::kOcaml54,
                       SeparatorPlatform::kUnixNotApple);
  EXPECT_EQ(apple.separator(), "$");
  EXPECT_EQ(linux.separator(), ".");
  EXPECT_EQ(apple.Mangle("Fib", "fib_1"), "camlFib$fib_1");
}

TEST(ManglingSchemeTest, ParseNamesSupportedSchemes) {
  EXPECT_TRUE(
      ManglingScheme::Parse("ocaml-5.1", SeparatorPlatform::kUnixNotApple)
          .ok());
  absl::StatusOr<ManglingScheme> bad =
      ManglingScheme::Parse("ocaml-6", SeparatorPlatform::kUnixNotApple);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("ocaml-4.13, ocaml-5.1, ocaml-5.4"),
            absl::string_view::npos);
}

}  // namespace
}  // namespace camlsym
