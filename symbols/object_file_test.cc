#include "camlsym/symbols/object_file.h"

#include "gtest/gtest.h"

namespace camlsym {
namespace {

TEST(ObjectFileTest, ReferencesAcrossFilesAreUndefined) {
  CompilationUnit a = *CompilationUnit::Parse("A");
  CompilationUnit b = *CompilationUnit::Parse("B");
  ObjectFile cur = ObjectFile::CurrentUnit(a);
  EXPECT_EQ(ObjectFile::ReferenceLinkage(cur, ObjectFile::CurrentUnit(a)),
            Linkage::kDefinedHere);
  // The current unit seen from elsewhere is the same object file.
  EXPECT_EQ(ObjectFile::ReferenceLinkage(cur, ObjectFile::OtherUnit(a)),
            Linkage::kDefinedHere);
  EXPECT_EQ(ObjectFile::ReferenceLinkage(cur, ObjectFile::OtherUnit(b)),
            Linkage::kUndefined);
  EXPECT_EQ(ObjectFile::ReferenceLinkage(cur, ObjectFile::Startup()),
            Linkage::kUndefined);
  EXPECT_EQ(ObjectFile::ReferenceLinkage(ObjectFile::Startup(),
                                         ObjectFile::Startup()),
            Linkage::kDefinedHere);
  EXPECT_EQ(ObjectFile::ReferenceLinkage(ObjectFile::Startup(),
                                         ObjectFile::SharedStartup()),
            Linkage::kUndefined);
  EXPECT_EQ(ObjectFile::ReferenceLinkage(ObjectFile::Startup(),
                                         ObjectFile::RuntimeAndExternalLibs()),
            Linkage::kUndefined);
}

TEST(ObjectFileTest, MarkerUnits) {
  EXPECT_EQ(ObjectFile::Startup().MarkerUnit().FullPath(), "_startup");
  EXPECT_EQ(ObjectFile::SharedStartup().MarkerUnit().FullPath(),
            "_shared_startup");
  EXPECT_EQ(ObjectFile::RuntimeAndExternalLibs().MarkerUnit().FullPath(),
            "_system");
  EXPECT_EQ(ObjectFile::OtherUnit(*CompilationUnit::Parse("P.U")).MarkerUnit(),
            *CompilationUnit::Parse("P.U"));
}

TEST(ObjectFileTest, Formats) {
  EXPECT_EQ(fmt::format("{}", ObjectFile::Startup()), "startup");
  EXPECT_EQ(
      fmt::format("{}", ObjectFile::OtherUnit(*CompilationUnit::Parse("P.U"))),
      "unit P.U");
}

}  // namespace
}  // namespace camlsym
