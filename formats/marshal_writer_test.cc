#include "camlsym/formats/marshal_writer.h"

#include "camlsym/formats/marshal_reader.h"
#include "camlsym/formats/test_util.h"
#include "gtest/gtest.h"

namespace camlsym::formats {
namespace {

using ::camlsym::formats::testing::CompareGraphs;
using ::camlsym::formats::testing::ToHex;

TEST(EncodeMarshalHeaderTest, SmallUnlessASizeReaches2To32) {
  EXPECT_EQ(ToHex(EncodeMarshalHeader(1, 2, 3, 4)),
            "8495a6be00000001000000020000000300000004");
  EXPECT_EQ(EncodeMarshalHeader(0xFFFFFFFF, 0, 0xFFFFFFFF, 0xFFFFFFFF).size(),
            20u);
  const uint64_t big = uint64_t{1} << 32;
  EXPECT_EQ(ToHex(EncodeMarshalHeader(big, 5, 0, 6)),
            "8495a6bf000000000000000100000000"
            "00000000000000050000000000000006");
  EXPECT_EQ(EncodeMarshalHeader(1, 0, big, 0).size(), 32u);
  EXPECT_EQ(EncodeMarshalHeader(1, 0, 0, big).size(), 32u);
}

TEST(WriteMarshalTest, SmallValues) {
  MarshalGraph g;
  EXPECT_EQ(ToHex(*WriteMarshal(g, Value::Int(1))),
            "8495a6be00000001000000000000000000000000"
            "41");
  const Value s = g.AddString("ab");
  const Value p[] = {s, s};
  // Block tag 0 size 2, string "ab", shared back-reference 1; 2 objects of
  // 3 + 2 words on both word sizes.
  EXPECT_EQ(ToHex(*WriteMarshal(g, g.AddBlock(0, p))),
            "8495a6be0000000600000002000000050000000"
            "5a02261620401");
}

TEST(WriteMarshalTest, LargeBlockHeaderUsesBlock32AndBlock64Sizes) {
  MarshalGraph g;
  const Value b = g.AddBlock(17, std::vector<Value>(3, Value::Int(0)));
  // tag >= 16: CODE_BLOCK32 with header (3 << 10) | 17.
  EXPECT_EQ(ToHex(WriteMarshal(g, b)->substr(20, 5)), "0800000c11");
}

TEST(WriteMarshalTest, ForwardBlocksAreShortCircuitedLikeExtern) {
  MarshalGraph g;
  const Value s = g.AddString("x");
  const Value fwd_fields[] = {s};
  const Value fwd = g.AddBlock(kForwardTag, fwd_fields);
  EXPECT_EQ(*WriteMarshal(g, fwd), *WriteMarshal(g, s));
  // Not short-circuited when the target is a float.
  const Value d = g.AddDouble(1.0);
  const Value fwd_d_fields[] = {d};
  const Value fwd_d = g.AddBlock(kForwardTag, fwd_d_fields);
  EXPECT_NE(*WriteMarshal(g, fwd_d), *WriteMarshal(g, d));
}

TEST(WriteMarshalTest, RejectsUnmarshalableTagsAndDanglingReferences) {
  MarshalGraph g;
  for (uint8_t tag : {kClosureTag, kInfixTag, kAbstractTag, kStringTag,
                      kDoubleTag, kDoubleArrayTag, kCustomTag}) {
    const Value f[] = {Value::Int(0)};
    EXPECT_EQ(WriteMarshal(g, g.AddBlock(tag, f)).status().code(),
              absl::StatusCode::kInvalidArgument)
        << int{tag};
  }
  const Value dangling[] = {Value::Ref(1000)};
  EXPECT_EQ(WriteMarshal(g, g.AddBlock(0, dangling)).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(WriteMarshalTest, RoundTripsThroughTheReader) {
  MarshalGraph g;
  const Value s = g.AddString(std::string(300, 'z'));
  std::vector<Value> fields = {s,
                               Value::Int(-70000),
                               g.AddDouble(0.25),
                               g.AddInt64(1),
                               g.AddNativeint(-3),
                               s,
                               g.AddBlock(9, {})};
  const Value root = g.AddBlock(200, fields);
  absl::StatusOr<std::string> bytes = WriteMarshal(g, root);
  ASSERT_TRUE(bytes.ok());
  absl::StatusOr<MarshalData> d = ReadMarshal(*bytes);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(CompareGraphs(d->graph, d->root, g, root), "");
  EXPECT_EQ(*WriteMarshal(d->graph, d->root), *bytes);
}

}  // namespace
}  // namespace camlsym::formats
