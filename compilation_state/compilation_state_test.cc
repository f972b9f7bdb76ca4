#include "camlsym/compilation_state/compilation_state.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace camlsym {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(CompilationStateTest, AnonymousConstantsCountFromOne) {
  CompilationState st(*CompilationUnit::Parse("Pack.Foo"),
                      ManglingScheme::Ocaml413());
  EXPECT_EQ(st.unit_symbol_name(), "Pack__Foo");
  EXPECT_EQ(st.NewConstSymbol().name(), "camlPack__Foo__1");
  EXPECT_EQ(st.NewConstSymbol().name(), "camlPack__Foo__2");
  EXPECT_EQ(st.object_file(),
            ObjectFile::CurrentUnit(*CompilationUnit::Parse("Pack.Foo")));
}

// The startup file's exception names are its constants: ocamlopt -dstartup
// shows caml_exn_Out_of_memory pointing at the string caml_startup__2.
TEST(CompilationStateTest, StartupIsAPseudoUnit) {
  CompilationState st =
      CompilationState::ForStartup(ManglingScheme::Ocaml413());
  EXPECT_EQ(st.unit_symbol_name(), "_startup");
  EXPECT_EQ(st.object_file(), ObjectFile::Startup());
  EXPECT_EQ(st.NewConstSymbol().name(), "caml_startup__1");
  CompilationState sh =
      CompilationState::ForSharedStartup(ManglingScheme::Ocaml413());
  EXPECT_EQ(sh.NewConstSymbol().name(), "caml_shared_startup__1");
}

TEST(CompilationStateTest, SharedConstantsAreSharedWhenEqual) {
  CompilationState st(*CompilationUnit::Parse("Foo"),
                      ManglingScheme::Ocaml413());
  StructuredConstant hello{StructuredConstant::String{"hello"}};
  StructuredConstant pi{StructuredConstant::Float{0x400921fb54442d18ULL}};
  BackendSymbol a = st.StructuredConstantSymbol(hello, Sharing::kShared);
  BackendSymbol b = st.StructuredConstantSymbol(hello, Sharing::kShared);
  BackendSymbol c = st.StructuredConstantSymbol(hello, Sharing::kUnshared);
  BackendSymbol d = st.StructuredConstantSymbol(pi, Sharing::kShared);
  StructuredConstant block{
      StructuredConstant::Block{0, {int64_t{1}, std::string(a.name())}}};
  BackendSymbol e = st.StructuredConstantSymbol(block, Sharing::kShared);
  BackendSymbol f = st.StructuredConstantSymbol(block, Sharing::kShared);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_NE(a, d);
  EXPECT_EQ(e, f);
  ASSERT_EQ(st.closure().size(), 4u);
  EXPECT_EQ(st.closure().constants()[0].symbol.name(), "camlFoo__1");
  EXPECT_EQ(st.closure().constants()[1].symbol.name(), "camlFoo__2");
  EXPECT_EQ(st.closure().constants()[3].constant, block);
}

TEST(CompilationStateTest, NoTwoSymbolsAlike) {
  CompilationUnit foo = *CompilationUnit::Parse("Foo");
  CompilationState st(foo, ManglingScheme::Ocaml413());
  MiddleEndSymbol f = MiddleEndSymbol::CodePointer(foo, "f", 12);
  absl::StatusOr<BackendSymbol> first = st.Define(f);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->name(), "camlFoo__f_12");
  EXPECT_EQ(first->kind(), SymbolKind::kCode);
  absl::StatusOr<BackendSymbol> again = st.Define(f);
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(again.status().message(), HasSubstr("camlFoo__f_12"));

  MiddleEndSymbol other =
      MiddleEndSymbol::CodePointer(*CompilationUnit::Parse("Bar"), "g", 1);
  EXPECT_EQ(st.Define(other).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(st.Define(MiddleEndSymbol::Exception(PredefinedException::kFailure))
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(CompilationStateTest, ReferencesPointAtTheDefiningObjectFile) {
  CompilationUnit foo = *CompilationUnit::Parse("Foo");
  CompilationUnit bar = *CompilationUnit::Parse("Bar");
  CompilationState st(foo, ManglingScheme::Ocaml413());
  BackendSymbol g = st.Reference(MiddleEndSymbol::CodePointer(bar, "g", 3));
  EXPECT_EQ(g.object_file(), ObjectFile::OtherUnit(bar));
  EXPECT_EQ(ObjectFile::ReferenceLinkage(st.object_file(), g.object_file()),
            Linkage::kUndefined);
  BackendSymbol exn =
      st.Reference(MiddleEndSymbol::Exception(PredefinedException::kNotFound));
  EXPECT_EQ(exn.name(), "caml_exn_Not_found");
  EXPECT_EQ(exn.object_file(), ObjectFile::Startup());
}

TEST(CompilationStateTest, FlambdaLiftsWithFreshStamps) {
  CompilationState st(*CompilationUnit::Parse("Foo"),
                      ManglingScheme::Ocaml413());
  absl::StatusOr<BackendSymbol> x = st.LiftVariable("x");
  absl::StatusOr<BackendSymbol> x2 = st.LiftVariable("x");
  absl::StatusOr<BackendSymbol> f = st.LiftClosure("f");
  ASSERT_TRUE(x.ok() && x2.ok() && f.ok());
  EXPECT_EQ(x->name(), "camlFoo__x_1");
  EXPECT_EQ(x2->name(), "camlFoo__x_2");
  EXPECT_EQ(f->name(), "camlFoo__f_3_closure");
  EXPECT_EQ(st.flambda().lifted_variables().size(), 2u);
  EXPECT_EQ(st.flambda().lifted_closures().size(), 1u);
}

TEST(CompilationStateTest, GenericFunctionNeeds) {
  CompilationState st(*CompilationUnit::Parse("Foo"),
                      ManglingScheme::Ocaml413());
  for (int a : {3, -2, 3, 1, 0, 17}) st.NeedCurryFunction(a);
  for (int a : {2, 5, 1}) st.NeedApplyFunction(a);
  for (int a : {0, 2, -1}) st.NeedSendFunction(a);
  EXPECT_THAT(st.curry_functions(), ElementsAre(-2, 3, 17));
  EXPECT_THAT(st.apply_functions(), ElementsAre(2, 5));
  EXPECT_THAT(st.send_functions(), ElementsAre(0, 2));
}

}  // namespace
}  // namespace camlsym
