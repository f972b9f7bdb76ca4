#include "camlsym/linking_state/consistbl.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace camlsym {
namespace {

formats::Digest MakeDigest(uint8_t first) {
  formats::Digest d;
  for (size_t i = 0; i < d.size(); ++i) d[i] = static_cast<uint8_t>(first + i);
  return d;
}

TEST(ConsistblTest, TheFirstCheckRecordsLaterOnesCompare) {
  const std::string a = "a.cmx", b = "b.cmx", c = "c.cmx";
  Consistbl t;
  EXPECT_EQ(t.Find("M"), nullptr);
  EXPECT_EQ(t.Check("M", MakeDigest(1), a), nullptr);
  // The same CRC from another file agrees; the recorded source stays.
  EXPECT_EQ(t.Check("M", MakeDigest(1), b), nullptr);
  ASSERT_NE(t.Find("M"), nullptr);
  EXPECT_EQ(t.Find("M")->crc, MakeDigest(1));
  EXPECT_EQ(t.Find("M")->source, &a);
  // Another CRC disagrees: the file that recorded the first is returned.
  EXPECT_EQ(t.Check("M", MakeDigest(2), c), &a);
  EXPECT_EQ(t.Find("M")->crc, MakeDigest(1));
  // One byte of difference, in either half, disagrees.
  formats::Digest late = MakeDigest(1);
  late[15] ^= 1;
  EXPECT_EQ(t.Check("M", late, c), &a);
  formats::Digest early = MakeDigest(1);
  early[0] ^= 1;
  EXPECT_EQ(t.Check("M", early, c), &a);
}

TEST(ConsistblTest, SetReplacesTheRecordedCrcAndSource) {
  const std::string a = "a.cmx", b = "b.cmx";
  Consistbl t;
  EXPECT_EQ(t.Check("M", MakeDigest(1), a), nullptr);
  t.Set("M", MakeDigest(2), b);
  EXPECT_EQ(t.Find("M")->crc, MakeDigest(2));
  EXPECT_EQ(t.Find("M")->source, &b);
  EXPECT_EQ(t.Check("M", MakeDigest(1), a), &b);
  EXPECT_EQ(t.Check("M", MakeDigest(2), a), nullptr);
  // Set on a new name records it.
  t.Set("N", MakeDigest(3), a);
  EXPECT_EQ(t.Find("N")->crc, MakeDigest(3));
}

TEST(ConsistblTest, NoteRemembersTheNameWithoutACrc) {
  const std::string a = "a.cmx";
  Consistbl t;
  t.Note("M");
  ASSERT_NE(t.Find("M"), nullptr);
  EXPECT_EQ(t.Find("M")->crc, std::nullopt);
  EXPECT_EQ(t.Find("M")->source, nullptr);
  // A noted name takes the first CRC checked.
  EXPECT_EQ(t.Check("M", MakeDigest(4), a), nullptr);
  EXPECT_EQ(t.Find("M")->crc, MakeDigest(4));
  // Noting again changes nothing.
  t.Note("M");
  EXPECT_EQ(t.Find("M")->crc, MakeDigest(4));
}

TEST(ConsistblTest, NamesAreListedOnceInTheOrderFirstSeen) {
  const std::string a = "a.cmx";
  Consistbl t;
  EXPECT_TRUE(t.Names().empty());
  t.Note("B");
  EXPECT_EQ(t.Check("A", MakeDigest(1), a), nullptr);
  t.Set("C", MakeDigest(2), a);
  t.Note("A");
  EXPECT_EQ(t.Check("B", MakeDigest(3), a), nullptr);
  EXPECT_EQ(t.Names(), (std::vector<std::string_view>{"B", "A", "C"}));
}

// Names of every length from 0 to 40 bytes, many alike (one length, a
// common prefix, a difference in one byte anywhere), in a table grown many
// times: each keeps its own CRC.
TEST(ConsistblTest, ManyAlikeNamesKeepTheirOwnEntries) {
  const std::string a = "a.cmx";
  std::vector<std::string> names;
  for (size_t len = 0; len <= 40; ++len) {
    const std::string base(len, 'U');
    names.push_back(base);
    for (size_t pos = 0; pos < len; ++pos) {
      for (char c : {'0', '1', 'V'}) {
        std::string n = base;
        n[pos] = c;
        names.push_back(n);
      }
    }
  }
  Consistbl t;
  for (size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(t.Check(names[i], MakeDigest(static_cast<uint8_t>(i)), a),
              nullptr)
        << names[i];
  }
  ASSERT_EQ(t.Names().size(), names.size());
  for (size_t i = 0; i < names.size(); ++i) {
    const Consistbl::Entry* e = t.Find(names[i]);
    ASSERT_NE(e, nullptr) << names[i];
    EXPECT_EQ(e->crc, MakeDigest(static_cast<uint8_t>(i))) << names[i];
    EXPECT_EQ(t.Names()[i], names[i]);
  }
  EXPECT_EQ(t.Find("not a name"), nullptr);
  EXPECT_EQ(t.Find(std::string(41, 'U')), nullptr);
}

}  // namespace
}  // namespace camlsym
