#include "camlsym/formats/marshal_reader.h"

#include <string>

#include "camlsym/formats/marshal_writer.h"
#include "camlsym/formats/test_util.h"
#include "gtest/gtest.h"

namespace camlsym::formats {
namespace {

using ::camlsym::formats::testing::FromHex;

std::string Small(std::string_view data, uint64_t objects, uint64_t size_32,
                  uint64_t size_64) {
  return EncodeMarshalHeader(data.size(), objects, size_32, size_64) +
         std::string(data);
}

std::string BigEndian(uint64_t n, int bytes) {
  std::string out;
  for (int i = bytes - 1; i >= 0; --i)
    out.push_back(char((n >> (8 * i)) & 0xFF));
  return out;
}

std::string Big(std::string_view data, uint64_t objects, uint64_t size_64) {
  return BigEndian(0x8495A6BF, 4) + BigEndian(0, 4) +
         BigEndian(data.size(), 8) + BigEndian(objects, 8) +
         BigEndian(size_64, 8) + std::string(data);
}

absl::StatusCode Code(std::string_view input) {
  return ReadMarshal(input).status().code();
}

std::string Message(std::string_view input) {
  return std::string(ReadMarshal(input).status().message());
}

TEST(ReadMarshalTest, SmallHeaderAndImmediates) {
  // 0x41 is the small int 1.
  absl::StatusOr<MarshalData> d = ReadMarshal(Small("\x41", 0, 0, 0));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->root, Value::Int(1));
  EXPECT_EQ(d->header.format, MarshalHeader::Format::kSmall);
  EXPECT_EQ(d->header.header_size_bytes, 20u);
  EXPECT_EQ(d->size_bytes, 21u);
  EXPECT_EQ(*d->header.size_32_words, 0u);
}

TEST(ReadMarshalTest, IntCodesSignExtend) {
  const std::pair<std::string, int64_t> cases[] = {
      {std::string("\x00\xff", 2), -1},
      {std::string("\x01\x80\x00", 3), -32768},
      {std::string("\x02\xff\xff\xff\xfe", 5), -2},
      {std::string("\x03\x3f\xff\xff\xff\xff\xff\xff\xff", 9), kMaxOCamlInt},
      {std::string("\x03\xc0\x00\x00\x00\x00\x00\x00\x00", 9), kMinOCamlInt},
  };
  for (const auto& [data, n] : cases) {
    absl::StatusOr<MarshalData> d = ReadMarshal(Small(data, 0, 0, 0));
    ASSERT_TRUE(d.ok()) << d.status();
    EXPECT_EQ(d->root, Value::Int(n));
  }
}

TEST(ReadMarshalTest, BigHeaderAndWideCodes) {
  // (block64 tag 3 size 2: [string64 "ab"; shared64 1]).
  const std::string data = std::string("\x13", 1) + BigEndian(2 << 10 | 3, 8) +
                           "\x15" + BigEndian(2, 8) + "ab" + "\x14" +
                           BigEndian(1, 8);
  absl::StatusOr<MarshalData> d = ReadMarshal(Big(data, 2, 3 + 2));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->header.format, MarshalHeader::Format::kBig);
  EXPECT_FALSE(d->header.size_32_words.has_value());
  absl::StatusOr<absl::Span<const Value>> b = d->graph.GetBlock(d->root, 3, 2);
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(*d->graph.GetString((*b)[0]), "ab");
  EXPECT_EQ((*b)[0], (*b)[1]);  // Shared.
}

TEST(ReadMarshalTest, FloatsInBothByteOrders) {
  // 1.5 is 0x3FF8000000000000.
  const std::string be = FromHex("3ff8000000000000");
  const std::string le = FromHex("000000000000f83f");
  for (const std::string& data :
       {std::string("\x0b") + be, std::string("\x0c") + le}) {
    absl::StatusOr<MarshalData> d = ReadMarshal(Small(data, 1, 3, 2));
    ASSERT_TRUE(d.ok()) << d.status();
    EXPECT_EQ(*d->graph.GetDouble(d->root), 1.5);
  }
  const std::string arrays[] = {
      std::string("\x0d\x02") + be + be,
      std::string("\x0e\x02") + le + le,
      std::string("\x0f") + BigEndian(2, 4) + be + be,
      std::string("\x07") + BigEndian(2, 4) + le + le,
      std::string("\x16") + BigEndian(2, 8) + be + be,
      std::string("\x17") + BigEndian(2, 8) + le + le,
  };
  for (const std::string& data : arrays) {
    absl::StatusOr<MarshalData> d = ReadMarshal(Small(data, 1, 5, 3));
    ASSERT_TRUE(d.ok()) << d.status();
    absl::StatusOr<absl::Span<const double>> a =
        d->graph.GetDoubleArray(d->root);
    ASSERT_EQ(a->size(), 2u);
    EXPECT_EQ((*a)[1], 1.5);
  }
}

TEST(ReadMarshalTest, CustomBlocks) {
  // CODE_CUSTOM_LEN "_j" with sizes 8/8, deprecated CODE_CUSTOM "_i".
  const std::string len = std::string("\x18_j\0", 4) + BigEndian(8, 4) +
                          BigEndian(8, 8) + BigEndian(7, 8);
  absl::StatusOr<MarshalData> d = ReadMarshal(Small(len, 1, 4, 3));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->graph.GetCustom(d->root)->encoding, CustomEncoding::kLen);
  EXPECT_EQ(d->graph.GetCustom(d->root)->payload, BigEndian(7, 8));
  const std::string old = std::string("\x12_i\0", 4) + BigEndian(7, 4);
  d = ReadMarshal(Small(old, 1, 3, 3));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->graph.GetCustom(d->root)->encoding, CustomEncoding::kDeprecated);
  // Wrong stored size for "_j".
  const std::string bad = std::string("\x18_j\0", 4) + BigEndian(8, 4) +
                          BigEndian(4, 8) + BigEndian(7, 8);
  EXPECT_EQ(Code(Small(bad, 1, 4, 3)), absl::StatusCode::kInvalidArgument);
  // Nativeint with a bad width byte.
  EXPECT_EQ(Code(Small(std::string("\x19_n\0\x03\0\0\0\0", 9), 1, 3, 3)),
            absl::StatusCode::kInvalidArgument);
  // Unknown identifiers cannot be sized.
  EXPECT_EQ(Code(Small(std::string("\x19_bigarr02\0\0", 13), 1, 3, 3)),
            absl::StatusCode::kUnimplemented);
  // Identifier without its NUL.
  EXPECT_EQ(Code(Small("\x19_n", 1, 3, 3)), absl::StatusCode::kInvalidArgument);
}

TEST(ReadMarshalTest, ClosuresAreUnimplemented) {
  EXPECT_EQ(Code(Small(std::string("\x10\0\0\0\0", 5) + std::string(16, 'x'), 0,
                       0, 0)),
            absl::StatusCode::kUnimplemented);
  EXPECT_EQ(Code(Small(std::string("\x11\0\0\0\x10\x41", 6), 0, 0, 0)),
            absl::StatusCode::kUnimplemented);
}

TEST(ReadMarshalTest, MalformedInputIsInvalidArgumentNamingTheOffset) {
  // Bad magic.
  EXPECT_EQ(Message(std::string(20, '\0')),
            "marshal data at byte 0: bad magic number 0x00000000 (expected "
            "0x8495A6BE or 0x8495A6BF)");
  // Truncated header.
  EXPECT_EQ(Code(Small("\x41", 0, 0, 0).substr(0, 10)),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Code(Big("\x41", 0, 0).substr(0, 25)),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Code(""), absl::StatusCode::kInvalidArgument);
  // Data shorter than announced.
  EXPECT_EQ(Code(Small("\x41", 0, 0, 0).substr(0, 20)),
            absl::StatusCode::kInvalidArgument);
  // A block of 2 fields with one byte left.
  EXPECT_EQ(Message(Small("\xa0\x41", 1, 3, 3)),
            "marshal data at byte 20: block of 2 fields is longer than the 1 "
            "bytes of data left");
  // Truncated int32.
  EXPECT_EQ(Message(Small(std::string("\x02\x00", 2), 0, 0, 0)),
            "marshal data at byte 21: truncated: an integer needs 4 bytes but "
            "the data has 1 left");
  // Back-reference out of range.
  EXPECT_EQ(Message(Small("\x04\x01", 0, 0, 0)),
            "marshal data at byte 20: back-reference 1 is out of range (0 "
            "objects read so far)");
  EXPECT_EQ(Code(Small("\x04\x00", 0, 0, 0)),
            absl::StatusCode::kInvalidArgument);
  // String longer than the data.
  EXPECT_EQ(Code(Small("\x09\xff"
                       "abc",
                       1, 0, 0)),
            absl::StatusCode::kInvalidArgument);
  // Absurd block size: 2^50 fields.
  EXPECT_EQ(Code(Small(std::string("\x13") + BigEndian(uint64_t{1} << 60, 8), 1,
                       0, 0)),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      Code(Small(std::string("\x17") + BigEndian(~uint64_t{0}, 8), 1, 0, 0)),
      absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      Code(Small(std::string("\x15") + BigEndian(~uint64_t{0}, 8), 1, 0, 0)),
      absl::StatusCode::kInvalidArgument);
  // More objects than the header's count.
  EXPECT_NE(Message(Small("\x21x", 0, 2, 2)).find("more objects"),
            std::string::npos);
  // The value ends before the data does.
  EXPECT_NE(Message(Small("\x41\x41", 0, 0, 0)).find("before the end"),
            std::string::npos);
  // Word sizes that disagree with the data.
  EXPECT_EQ(Code(Small("\x21x", 1, 2, 3)), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Code(Small("\x21x", 1, 3, 2)), absl::StatusCode::kInvalidArgument);
  // Unknown code.
  EXPECT_EQ(Message(Small("\x1a", 0, 0, 0)),
            "marshal data at byte 20: ill-formed message: unknown code 0x1a");
  // Offsets are shifted by the base offset.
  EXPECT_EQ(ReadMarshal(Small("\x1a", 0, 0, 0), 12).status().message(),
            "marshal data at byte 32: ill-formed message: unknown code 0x1a");
}

TEST(ReadMarshalTest, DeepNestingUsesNoRecursion) {
  // One million nested `Some`, written by our writer.
  MarshalGraph g;
  Value v = Value::Int(0);
  for (int i = 0; i < 1000000; ++i) v = g.AddOption(v);
  absl::StatusOr<std::string> bytes = WriteMarshal(g, v);
  ASSERT_TRUE(bytes.ok());
  absl::StatusOr<MarshalData> d = ReadMarshal(*bytes);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->graph.node_count(), 1000000u);
}

TEST(ReadMarshalTest, TrailingBytesAreLeftAlone) {
  absl::StatusOr<MarshalData> d = ReadMarshal(Small("\x41", 0, 0, 0) + "rest");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->size_bytes, 21u);
}

TEST(ReadMarshalTest, CyclesFromBackReferencesAreRepresented) {
  // A block whose field refers to itself: 0x90 is block tag 0 size 1.
  absl::StatusOr<MarshalData> d = ReadMarshal(Small("\x90\x04\x01", 1, 2, 2));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->graph.GetBlock(d->root)->fields[0], d->root);
  // And the writer reproduces the same bytes.
  EXPECT_EQ(*WriteMarshal(d->graph, d->root), Small("\x90\x04\x01", 1, 2, 2));
}

}  // namespace
}  // namespace camlsym::formats

namespace camlsym::formats {
namespace {

// A root block (a, big, c, d) where `big` is a nested block holding a shared
// string, and `d` refers back to `a`.
absl::StatusOr<std::string> SkipSample() {
  MarshalGraph g;
  Value a = g.AddString("kept");
  Value inner = g.AddString("inner");
  Value big = g.AddBlock(
      3, {inner, g.AddList({inner, Value::Int(7)}), g.AddDouble(1.5)});
  Value root = g.AddBlock(0, {a, big, Value::Int(42), a});
  return WriteMarshal(g, root);
}

TEST(ReadMarshalSkippingTest, SkipsOneRootFieldAndKeepsTheRest) {
  absl::StatusOr<std::string> bytes = SkipSample();
  ASSERT_TRUE(bytes.ok());
  absl::StatusOr<MarshalData> full = ReadMarshal(*bytes);
  absl::StatusOr<MarshalData> skip =
      ReadMarshalSkipping(*bytes, MarshalSkip{1});
  ASSERT_TRUE(full.ok() && skip.ok()) << skip.status();
  EXPECT_LT(skip->graph.node_count(), full->graph.node_count());
  EXPECT_EQ(skip->size_bytes, full->size_bytes);
  absl::StatusOr<absl::Span<const Value>> f =
      skip->graph.GetBlock(skip->root, 0, 4);
  ASSERT_TRUE(f.ok());
  ASSERT_EQ(f->size(), 4u);
  EXPECT_EQ(*skip->graph.GetString((*f)[0]), "kept");
  EXPECT_EQ((*f)[1], Value::Int(0));  // The skipped field.
  EXPECT_EQ(*skip->graph.GetInt((*f)[2]), 42);
  EXPECT_EQ((*f)[3], (*f)[0]);  // Sharing outside the skipped field is kept.
}

TEST(ReadMarshalSkippingTest, ErrorsInsideTheSkippedFieldStillReported) {
  absl::StatusOr<std::string> bytes = SkipSample();
  ASSERT_TRUE(bytes.ok());
  for (size_t cut = 0; cut < bytes->size(); ++cut) {
    EXPECT_FALSE(
        ReadMarshalSkipping(bytes->substr(0, cut), MarshalSkip{1}).ok())
        << cut;
  }
  // An unknown code (0x1a to 0x1f are none of intext.h's CODE_*) in place
  // of the header of the string "inner", inside the skipped field: both
  // readers must reject it.
  std::string bad = *bytes;
  const size_t inner = bad.find("inner");
  ASSERT_NE(inner, std::string::npos);
  ASSERT_EQ(bad[inner - 1], '\x25');  // PREFIX_SMALL_STRING + 5
  bad[inner - 1] = '\x1f';
  absl::StatusOr<MarshalData> full = ReadMarshal(bad);
  absl::StatusOr<MarshalData> skipping =
      ReadMarshalSkipping(bad, MarshalSkip{1});
  EXPECT_FALSE(full.ok());
  EXPECT_FALSE(skipping.ok());
  EXPECT_EQ(full.status().code(), skipping.status().code());
}

}  // namespace
}  // namespace camlsym::formats
