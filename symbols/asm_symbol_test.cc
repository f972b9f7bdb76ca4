#include "camlsym/symbols/asm_symbol.h"

#include "camlsym/symbols/middle_end_symbol.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace camlsym {
namespace {

using ::testing::HasSubstr;

AsmSyntax ElfX86() {
  return AsmSyntax(Architecture::kX86_64, ObjectFormat::kElf,
                   ManglingScheme::Ocaml413());
}

TEST(AsmContextTest, InternsSymbolsByEncodedName) {
  AsmContext ctx(ElfX86(), ObjectFile::Startup());
  AsmSymbol* a = ctx.GetOrCreateSymbol(BackendSymbol::Program());
  AsmSymbol* b = ctx.GetOrCreateSymbol(BackendSymbol::Program());
  EXPECT_EQ(a, b);
  EXPECT_EQ(ctx.num_symbols(), 1u);
  EXPECT_EQ(a->encoded(), "caml_program");
  EXPECT_FALSE(a->IsUndefined());
  // A unit's entry, seen from the startup file, is undefined there.
  AsmSymbol* entry = ctx.GetOrCreateSymbol(BackendSymbol::Marker(
      "Foo", UnitMarker::kEntry,
      ObjectFile::OtherUnit(*CompilationUnit::Parse("Foo")),
      ManglingScheme::Ocaml413()));
  EXPECT_TRUE(entry->IsUndefined());
  EXPECT_TRUE(ctx.GetOrCreateSymbol(BackendSymbol::CallGc())->IsUndefined());
}

TEST(AsmContextTest, CopiedAndMovedBackendSymbolsInternAlike) {
  for (AsmSyntax syntax :
       {ElfX86(), AsmSyntax(Architecture::kAArch64, ObjectFormat::kMachO,
                            ManglingScheme::Ocaml413())}) {
    AsmContext ctx(syntax, ObjectFile::Startup());
    const ObjectFile other =
        ObjectFile::OtherUnit(*CompilationUnit::Parse("A"));
    // `camlA__x'_3`: escaped as camlA__x$27_3.
    const BackendSymbol quoted = BackendSymbol::FromMiddleEnd(
        MiddleEndSymbol::CodePointer(*CompilationUnit::Parse("A"), "x'", 3),
        other, ManglingScheme::Ocaml413());
    for (const BackendSymbol& b : {BackendSymbol::Program(), quoted}) {
      AsmSymbol* copied = ctx.GetOrCreateSymbol(b);
      AsmSymbol* moved = ctx.GetOrCreateSymbol(BackendSymbol(b));
      EXPECT_EQ(copied, moved) << b.name();
      EXPECT_EQ(moved->encoded(), syntax.Encode(b.name()));
      EXPECT_EQ(moved->kind(), b.kind());
      EXPECT_EQ(moved->object_file(), b.object_file());
    }
    EXPECT_EQ(ctx.num_symbols(), 2u);
  }
}

TEST(AsmContextTest, DefineBindsOnceAndOnlyHere) {
  AsmContext ctx(ElfX86(), ObjectFile::Startup());
  AsmSymbol* prog = ctx.GetOrCreateSymbol(BackendSymbol::Program());
  ASSERT_TRUE(ctx.Define(*prog, Section::Text()).ok());
  EXPECT_EQ(prog->section(), Section::Text());
  absl::Status again = ctx.Define(*prog, Section::Data());
  EXPECT_EQ(again.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(prog->section(), Section::Text());

  AsmSymbol* gc = ctx.GetOrCreateSymbol(BackendSymbol::CallGc());
  absl::Status foreign = ctx.Define(*gc, Section::Text());
  EXPECT_EQ(foreign.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(foreign.message(), HasSubstr("caml_call_gc"));
  EXPECT_THAT(foreign.message(), HasSubstr("runtime"));
}

TEST(AsmContextTest, Labels) {
  AsmContext ctx(ElfX86(), ObjectFile::Startup());
  AsmLabel* l1 = ctx.CreateLabel();
  AsmLabel* l2 = ctx.CreateLabel();
  EXPECT_NE(l1->encoded(), l2->encoded());
  EXPECT_EQ(l1->encoded().substr(0, 2), ".L");
  absl::StatusOr<AsmLabel*> named = ctx.CreateNamedLabel("retry");
  ASSERT_TRUE(named.ok());
  EXPECT_EQ((*named)->encoded(), ".Lretry");
  EXPECT_EQ(ctx.CreateNamedLabel("retry").status().code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(ctx.CreateNamedLabel("a.b").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ctx.CreateNamedLabel("").status().code(),
            absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(ctx.Define(*l1, Section::Data()).ok());
  EXPECT_EQ(ctx.Define(*l1, Section::Data()).code(),
            absl::StatusCode::kAlreadyExists);

  AsmContext mac(AsmSyntax(Architecture::kAArch64, ObjectFormat::kMachO,
                           ManglingScheme::Ocaml413()),
                 ObjectFile::Startup());
  EXPECT_EQ(mac.CreateLabel()->encoded().substr(0, 1), "L");
  EXPECT_EQ(mac.GetOrCreateSymbol(BackendSymbol::Program())->encoded(),
            "_caml_program");
}

TEST(AsmDifferenceTest, RefusesCrossSectionArithmetic) {
  AsmContext ctx(ElfX86(), ObjectFile::Startup());
  AsmLabel* t1 = ctx.CreateLabel();
  AsmLabel* t2 = ctx.CreateLabel();
  AsmLabel* d1 = ctx.CreateLabel();
  AsmLabel* unbound = ctx.CreateLabel();
  ASSERT_TRUE(ctx.Define(*t1, Section::Text()).ok());
  ASSERT_TRUE(ctx.Define(*t2, Section::Text()).ok());
  ASSERT_TRUE(ctx.Define(*d1, Section::Data()).ok());

  absl::StatusOr<AsmDifference> ok = AsmDifference::Create(t2, t1);
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->Print(), t2->encoded() + "-" + t1->encoded());

  absl::StatusOr<AsmDifference> cross = AsmDifference::Create(d1, t1);
  ASSERT_FALSE(cross.ok());
  EXPECT_EQ(cross.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(cross.status().message(), HasSubstr(".text"));
  EXPECT_THAT(cross.status().message(), HasSubstr(".data"));

  EXPECT_EQ(AsmDifference::Create(t1, unbound).status().code(),
            absl::StatusCode::kFailedPrecondition);

  AsmSymbol* prog = ctx.GetOrCreateSymbol(BackendSymbol::Program());
  ASSERT_TRUE(ctx.Define(*prog, Section::Text()).ok());
  EXPECT_TRUE(AsmDifference::Create(t1, prog).ok());
}

TEST(AsmContextTest, ReferenceDecorates) {
  AsmContext ctx(ElfX86(), ObjectFile::Startup());
  AsmSymbol* gc = ctx.GetOrCreateSymbol(BackendSymbol::CallGc());
  EXPECT_EQ(*ctx.Reference(*gc, Relocation::kPlt), "caml_call_gc@PLT");
}

}  // namespace
}  // namespace camlsym
