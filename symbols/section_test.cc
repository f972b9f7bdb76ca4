#include "camlsym/symbols/section.h"

#include "gtest/gtest.h"

namespace camlsym {
namespace {

// The names, flags and entry sizes are those of OCaml 4.13.1's
// amd64/emit.mlp and arm64/emit.mlp; readelf on an ocamlopt-built object
// shows the same (checked by tests/ against real objects).
TEST(SectionTest, ElfFacts) {
  EXPECT_EQ(Section::Text().ElfName(), ".text");
  EXPECT_EQ(Section::Text().ElfFlags(), kShfAlloc | kShfExecInstr);
  EXPECT_EQ(Section::Text().GasFlags(), "ax");
  EXPECT_TRUE(Section::Text().IsText());
  EXPECT_EQ(Section::Data().ElfFlags(), kShfAlloc | kShfWrite);
  EXPECT_FALSE(Section::Data().IsText());
  EXPECT_EQ(Section::ReadOnlyData().ElfName(), ".rodata");
  EXPECT_EQ(Section::Literal8().ElfName(), ".rodata.cst8");
  EXPECT_EQ(Section::Literal8().ElfEntrySizeBytes(), 8u);
  EXPECT_EQ(Section::Literal8().GasFlags(), "aM");
  EXPECT_EQ(Section::Literal16().ElfEntrySizeBytes(), 16u);
  EXPECT_EQ(Section::NoteGnuStack().ElfName(), ".note.GNU-stack");
  EXPECT_EQ(Section::NoteGnuStack().ElfFlags(), kShfNone);
  EXPECT_EQ(Section::Text().ElfType(), ElfSectionType::kProgbits);
  EXPECT_EQ(Section::Text().MachOName(), "__TEXT,__text");
  EXPECT_EQ(fmt::format("{}", Section::Data()), ".data");
  EXPECT_NE(Section::Text(), Section::Data());
}

}  // namespace
}  // namespace camlsym
