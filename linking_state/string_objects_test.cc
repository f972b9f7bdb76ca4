// StringObjects, NodesMatch and NameNodesMatch: a string read from the same
// (file, node) twice is one object, which Marshal writes as a shared reference
// exactly as OCaml does; strings without a node, or of another file, are fresh
// objects; NodesMatch rejects node records that do not describe the infos.
#include "camlsym/linking_state/string_objects.h"

#include <string>

#include "camlsym/formats/marshal_writer.h"
#include "gtest/gtest.h"

namespace camlsym {
namespace {

using formats::MarshalGraph;
using formats::Value;

TEST(StringObjectsTest, SameFileAndNodeIsOneObject) {
  MarshalGraph g;
  StringObjects strings(g);
  const Value a = strings.String("a.cmx", 7, "Foo");
  EXPECT_EQ(strings.String("a.cmx", 7, "Foo"), a);
  EXPECT_EQ(g.node_count(), 1u);
  EXPECT_EQ(g.GetString(a).value_or(""), "Foo");
}

TEST(StringObjectsTest, OtherFileOtherNodeOrNoNodeIsAFreshObject) {
  MarshalGraph g;
  StringObjects strings(g);
  const Value a = strings.String("a.cmx", 7, "Foo");
  const Value other_file = strings.String("b.cmx", 7, "Foo");
  const Value other_node = strings.String("a.cmx", 8, "Foo");
  const Value no_node = strings.String("a.cmx", std::nullopt, "Foo");
  const Value no_node_again = strings.String("a.cmx", std::nullopt, "Foo");
  EXPECT_NE(other_file, a);
  EXPECT_NE(other_node, a);
  EXPECT_NE(no_node, a);
  EXPECT_NE(no_node_again, no_node);
  EXPECT_EQ(g.node_count(), 5u);
}

TEST(StringObjectsTest, MarshalsAsOcamlDoes) {
  // OCaml 4.13.1: let s = "abc" (built at run time) and t another "abc";
  // Marshal.to_string (s, s, t) [] is, after its 20-byte header,
  // b0 (block, tag 0, size 3) 23 61 62 63 ("abc") 04 01 (shared, 1 back)
  // 23 61 62 63 (a second "abc").
  MarshalGraph g;
  StringObjects strings(g);
  const Value s1 = strings.String("u.cmx", 3, "abc");
  const Value s2 = strings.String("u.cmx", 3, "abc");
  const Value t = strings.String("u.cmx", std::nullopt, "abc");
  absl::StatusOr<std::string> bytes =
      formats::WriteMarshal(g, g.AddBlock(0, {s1, s2, t}));
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  ASSERT_GT(bytes->size(), 20u);
  EXPECT_EQ(bytes->substr(20), std::string("\xb0\x23"
                                           "abc"
                                           "\x04\x01\x23"
                                           "abc"));
}

PlannedUnit Unit() {
  PlannedUnit u{.linked = LinkedUnitOf(CompilationUnit::Parse("U").value())};
  u.file = "u.cmx";
  u.info.name = "U";
  u.info.symbol = "camlU";
  u.info.defines = {"U"};
  u.info.imports_cmi = {{"U", formats::Digest{}}, {"Stdlib", std::nullopt}};
  u.info.imports_cmx = {{"Stdlib", formats::Digest{}}};
  u.nodes.name = 1;
  u.nodes.symbol = 2;
  u.nodes.defines = {1};
  u.nodes.imports_cmi = {{1, 3}, {4, std::nullopt}};
  u.nodes.imports_cmx = {{4, 5}};
  return u;
}

TEST(NodesMatchTest, NodesDescribingTheInfosMatch) {
  EXPECT_TRUE(NodesMatch(Unit()));
}

TEST(NodesMatchTest, EveryMismatchIsDetected) {
  PlannedUnit u = Unit();
  u.info.defines.push_back("U.Sub");
  EXPECT_FALSE(NodesMatch(u));
  u = Unit();
  u.info.imports_cmi = {{"U", formats::Digest{}}};  // One import fewer.
  EXPECT_FALSE(NodesMatch(u));
  u = Unit();
  u.info.imports_cmx.Append("Other", std::nullopt);
  EXPECT_FALSE(NodesMatch(u));
  // A CRC where the file had none, or none where it had one.
  u = Unit();
  u.info.imports_cmi = {{"U", formats::Digest{}},
                        {"Stdlib", formats::Digest{}}};
  EXPECT_FALSE(NodesMatch(u));
  u = Unit();
  u.info.imports_cmx = {{"Stdlib", std::nullopt}};
  EXPECT_FALSE(NodesMatch(u));
  // A unit built by hand has no nodes at all.
  u = Unit();
  u.nodes = {};
  EXPECT_FALSE(NodesMatch(u));
}

TEST(NameNodesMatchTest, OnlyTheNameAndDefinesCount) {
  PlannedUnit u = Unit();
  EXPECT_TRUE(NameNodesMatch(u));
  // Imports edited: the name and defines objects still describe the unit.
  u.info.imports_cmi = {{"U", formats::Digest{}}};
  u.info.imports_cmx = {{"Stdlib", std::nullopt}};
  EXPECT_FALSE(NodesMatch(u));
  EXPECT_TRUE(NameNodesMatch(u));
  u = Unit();
  u.info.defines.push_back("U.Sub");
  EXPECT_FALSE(NameNodesMatch(u));
  u = Unit();
  u.nodes = {};
  EXPECT_FALSE(NameNodesMatch(u));
}

}  // namespace
}  // namespace camlsym
