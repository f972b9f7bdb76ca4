#include "camlsym/formats/crcs.h"

#include <optional>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace camlsym::formats {
namespace {

Digest MakeDigest(uint8_t first) {
  Digest d;
  for (size_t i = 0; i < d.size(); ++i) d[i] = static_cast<uint8_t>(first + i);
  return d;
}

TEST(CrcsTest, EmptyList) {
  const Crcs c;
  EXPECT_TRUE(c.empty());
  EXPECT_EQ(c.size(), 0u);
  EXPECT_EQ(c.begin(), c.end());
  EXPECT_EQ(c, Crcs{});
}

TEST(CrcsTest, EntriesReadBackInOrderWithTheirCrcsOrNone) {
  const Crcs c = {{"Stdlib", MakeDigest(1)},
                  {"Opt", std::nullopt},
                  {"", MakeDigest(9)},
                  {"Stdlib__List", std::nullopt}};
  ASSERT_EQ(c.size(), 4u);
  EXPECT_FALSE(c.empty());
  EXPECT_EQ(c[0], (Import{"Stdlib", MakeDigest(1)}));
  EXPECT_EQ(c[1], (Import{"Opt", std::nullopt}));
  EXPECT_EQ(c[2], (Import{"", MakeDigest(9)}));
  EXPECT_EQ(c[3], (Import{"Stdlib__List", std::nullopt}));
  EXPECT_EQ(c.name(3), "Stdlib__List");
  ASSERT_NE(c.crc(0), nullptr);
  EXPECT_EQ(*c.crc(0), MakeDigest(1));
  EXPECT_EQ(c.crc(1), nullptr);
  // Iteration gives the same entries.
  std::vector<Import> seen;
  for (const Import i : c) seen.push_back(i);
  ASSERT_EQ(seen.size(), 4u);
  for (size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], c[i]);
}

TEST(CrcsTest, AppendCopiesTheNameAndCrc) {
  Crcs c;
  {
    std::string name = "Caller";
    std::optional<Digest> crc = MakeDigest(3);
    ASSERT_TRUE(c.Append(name, crc));
    name.assign("XXXXXX");
    crc.reset();
  }
  const Digest d = MakeDigest(5);
  ASSERT_TRUE(c.Append("B", &d));
  ASSERT_TRUE(c.Append("C", nullptr));
  EXPECT_EQ(c, (Crcs{{"Caller", MakeDigest(3)},
                     {"B", MakeDigest(5)},
                     {"C", std::nullopt}}));
}

TEST(CrcsTest, EqualityComparesEntriesNotStorage) {
  Crcs a;
  a.Reserve(10, 100);
  ASSERT_TRUE(a.Append("A", nullptr));
  ASSERT_TRUE(a.Append("B", MakeDigest(2)));
  const Crcs b = {{"A", std::nullopt}, {"B", MakeDigest(2)}};
  EXPECT_EQ(a, b);
  // One difference each: a name, a CRC, None for a CRC, the length.
  EXPECT_NE(a, (Crcs{{"A", std::nullopt}, {"C", MakeDigest(2)}}));
  EXPECT_NE(a, (Crcs{{"A", std::nullopt}, {"B", MakeDigest(3)}}));
  EXPECT_NE(a, (Crcs{{"A", std::nullopt}, {"B", std::nullopt}}));
  EXPECT_NE(a, (Crcs{{"A", std::nullopt}}));
  // Names split differently are different entries.
  EXPECT_NE((Crcs{{"AB", std::nullopt}, {"", std::nullopt}}),
            (Crcs{{"A", std::nullopt}, {"B", std::nullopt}}));
}

TEST(CrcsTest, CopiesAreIndependent) {
  Crcs a = {{"A", MakeDigest(1)}};
  const Crcs b = a;
  ASSERT_TRUE(a.Append("B", nullptr));
  EXPECT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0], (Import{"A", MakeDigest(1)}));
  EXPECT_EQ(a.size(), 2u);
}

}  // namespace
}  // namespace camlsym::formats
