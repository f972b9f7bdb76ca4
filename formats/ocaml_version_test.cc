#include "camlsym/formats/ocaml_version.h"

#include "gtest/gtest.h"

namespace camlsym::formats {
namespace {

TEST(OcamlVersionTest, MagicDigitsOfEachRelease) {
  // utils/config.common.ml of each release: cmx_magic_number's digits.
  EXPECT_EQ(MagicDigits(OcamlVersion::k413), "030");
  EXPECT_EQ(MagicDigits(OcamlVersion::k51), "033");
  EXPECT_EQ(MagicDigits(OcamlVersion::k52), "034");
  EXPECT_EQ(MagicDigits(OcamlVersion::k53), "035");
  EXPECT_EQ(MagicDigits(OcamlVersion::k54), "036");
  for (OcamlVersion v : kOcamlVersions) {
    EXPECT_EQ(VersionOfMagicDigits(MagicDigits(v)), v) << VersionName(v);
  }
  EXPECT_EQ(VersionOfMagicDigits("031"), std::nullopt);  // 4.14
  EXPECT_EQ(VersionOfMagicDigits("032"), std::nullopt);  // 5.0
  EXPECT_EQ(VersionOfMagicDigits("3"), std::nullopt);
}

TEST(OcamlVersionTest, NamesAndFields) {
  EXPECT_EQ(VersionName(OcamlVersion::k413), "4.13");
  EXPECT_EQ(VersionName(OcamlVersion::k53), "5.3");
  EXPECT_FALSE(HasForPackField(OcamlVersion::k413));
  EXPECT_TRUE(HasForPackField(OcamlVersion::k51));
  EXPECT_TRUE(HasForPackField(OcamlVersion::k54));
  // Checked against Debian's 5.3.0 and 5.4.1 by tests/link_checks_ocaml5.
  EXPECT_TRUE(QuotesNamesInMessages(OcamlVersion::k53));
  EXPECT_FALSE(QuotesNamesInMessages(OcamlVersion::k54));
  EXPECT_FALSE(QuotesNamesInMessages(OcamlVersion::k413));
  EXPECT_EQ(ReleaseOfMagicDigits("031"), "OCaml 4.14");
  EXPECT_EQ(ReleaseOfMagicDigits("035"), "OCaml 5.3");
  EXPECT_EQ(ReleaseOfMagicDigits("040"), "an OCaml newer than 5.4");
  EXPECT_EQ(ReleaseOfMagicDigits("010"), "an OCaml older than 4.06");
  EXPECT_EQ(ReleaseOfMagicDigits("024"), "an unknown OCaml version");
}

}  // namespace
}  // namespace camlsym::formats
