#include "camlsym/symbols/middle_end_symbol.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace camlsym {
namespace {

using ::testing::HasSubstr;

TEST(PredefinedExceptionTest, ExactlyThe12Of413) {
  EXPECT_EQ(kPredefinedExceptions.size(), 12u);
  EXPECT_EQ(PredefinedExceptionName(kPredefinedExceptions[0]), "Out_of_memory");
  EXPECT_EQ(PredefinedExceptionName(kPredefinedExceptions[11]),
            "Undefined_recursive_module");
  for (PredefinedException e : kPredefinedExceptions) {
    absl::StatusOr<PredefinedException> back =
        ParsePredefinedException(PredefinedExceptionName(e));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, e);
  }
  absl::StatusOr<PredefinedException> five =
      ParsePredefinedException("Continuation_already_taken");
  ASSERT_FALSE(five.ok());
  EXPECT_EQ(five.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(five.status().message(), HasSubstr("Continuation_already_taken"));
  EXPECT_THAT(five.status().message(), HasSubstr("Not_found"));
}

TEST(MiddleEndSymbolTest, KindsAndLocalNames) {
  CompilationUnit u = *CompilationUnit::Parse("Foo");
  MiddleEndSymbol block = MiddleEndSymbol::ModuleBlock(u);
  EXPECT_EQ(block.kind(), MiddleEndSymbol::Kind::kModuleBlock);
  EXPECT_FALSE(block.LocalName().has_value());
  EXPECT_EQ(*block.unit(), u);

  EXPECT_EQ(*MiddleEndSymbol::LiftedVariable(u, "x", 12).LocalName(), "x_12");
  EXPECT_EQ(*MiddleEndSymbol::LiftedClosure(u, "f", 7).LocalName(),
            "f_7_closure");
  EXPECT_EQ(*MiddleEndSymbol::AnonymousConstant(u, 3).LocalName(), "3");
  MiddleEndSymbol code = MiddleEndSymbol::CodePointer(u, "map", 123);
  EXPECT_EQ(*code.LocalName(), "map_123");
  EXPECT_EQ(code.stamp(), 123);
  EXPECT_TRUE(code.IsText());
  EXPECT_FALSE(MiddleEndSymbol::LiftedClosure(u, "f", 7).IsText());

  absl::StatusOr<MiddleEndSymbol> exn =
      MiddleEndSymbol::PredefinedExceptionNamed("Not_found");
  ASSERT_TRUE(exn.ok());
  EXPECT_FALSE(exn->unit().has_value());
  EXPECT_EQ(exn->exception(), PredefinedException::kNotFound);
  EXPECT_FALSE(MiddleEndSymbol::PredefinedExceptionNamed("Exit").ok());
}

}  // namespace
}  // namespace camlsym
