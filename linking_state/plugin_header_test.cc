#include "camlsym/linking_state/plugin_header.h"

#include <string>

#include "camlsym/formats/marshal_reader.h"
#include "camlsym/formats/marshal_value.h"
#include "camlsym/formats/marshal_writer.h"
#include "gtest/gtest.h"

namespace camlsym {
namespace {

formats::Digest MakeDigest(uint8_t first) {
  formats::Digest d{};
  for (size_t i = 0; i < d.size(); ++i) d[i] = static_cast<uint8_t>(first + i);
  return d;
}

PlannedUnit MakeUnit(const std::string& name, uint8_t crc) {
  formats::UnitInfos info;
  info.name = name;
  info.symbol = name;
  info.defines = {name};
  info.imports_cmi = {{"Stdlib", MakeDigest(1)},
                      {name, MakeDigest(crc + 1)},
                      {"Opt", std::nullopt}};
  info.imports_cmx = {{"Api", MakeDigest(40)}};
  absl::StatusOr<LinkedUnit> linked = TypeUnitInfos(info, name + ".cmx");
  EXPECT_TRUE(linked.ok()) << linked.status();
  return PlannedUnit{.linked = *std::move(linked),
                     .info = std::move(info),
                     .crc = MakeDigest(crc),
                     .file = name + ".cmx"};
}

// The nodes ocamlopt's .cmx files have: ui_name, ui_symbol, the head of
// ui_defines and the unit's own ui_imports_cmi entry are one object.
formats::UnitInfosNodes TypicalNodes() {
  formats::UnitInfosNodes n;
  n.name = n.symbol = 1;
  n.defines = {1};
  n.imports_cmi = {{2, 3}, {1, 4}, {5, std::nullopt}};
  n.imports_cmx = {{6, 7}};
  return n;
}

// Number of distinct objects in the Marshal data \p bytes (a shared
// back-reference creates none).
size_t NodeCount(const std::string& bytes) {
  absl::StatusOr<formats::MarshalData> d = formats::ReadMarshal(bytes);
  EXPECT_TRUE(d.ok()) << d.status();
  return d.ok() ? d->graph.node_count() : 0;
}

TEST(PluginHeaderTest, RoundTrips) {
  std::vector<PlannedUnit> units = {MakeUnit("A", 10), MakeUnit("B", 20)};
  absl::StatusOr<std::string> bytes =
      MarshalPluginHeader(units, formats::OcamlVersion::k413);
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  absl::StatusOr<PluginHeader> h = ParsePluginHeader(*bytes);
  ASSERT_TRUE(h.ok()) << h.status();
  EXPECT_EQ(h->magic, "Caml1999D030");
  ASSERT_EQ(h->units.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(h->units[i].name, units[i].info.name);
    EXPECT_EQ(h->units[i].crc, units[i].crc);
    EXPECT_EQ(h->units[i].imports_cmi, units[i].info.imports_cmi);
    EXPECT_EQ(h->units[i].imports_cmx, units[i].info.imports_cmx);
    EXPECT_EQ(h->units[i].defines, units[i].info.defines);
  }
}

TEST(PluginHeaderTest, EmptyPluginIsMagicAndNil) {
  absl::StatusOr<std::string> bytes =
      MarshalPluginHeader({}, formats::OcamlVersion::k413);
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  // Header, block tag 0 size 2, string of 12, the magic, int 0.
  EXPECT_EQ(bytes->substr(20), std::string("\xA0\x2C") + "Caml1999D030@");
}

TEST(PluginHeaderTest, SharesWhatWasOneObjectInTheSameFile) {
  PlannedUnit a = MakeUnit("A", 10);
  const size_t fresh =
      NodeCount(*MarshalPluginHeader({a}, formats::OcamlVersion::k413));
  a.nodes = TypicalNodes();
  const std::string shared =
      *MarshalPluginHeader({a}, formats::OcamlVersion::k413);
  // "A" in imports_cmi and defines reuse the name: two fewer objects.
  EXPECT_EQ(NodeCount(shared), fresh - 2);
  absl::StatusOr<PluginHeader> h = ParsePluginHeader(shared);
  ASSERT_TRUE(h.ok()) << h.status();
  EXPECT_EQ(h->units[0].imports_cmi, a.info.imports_cmi);
  EXPECT_EQ(h->units[0].defines, a.info.defines);

  // The same nodes in two different files are different objects.
  PlannedUnit b = MakeUnit("B", 20);
  b.nodes = TypicalNodes();
  const size_t two_files =
      NodeCount(*MarshalPluginHeader({a, b}, formats::OcamlVersion::k413));
  b.file = a.file;  // as two units of one .cmxa with clashing node numbers
  EXPECT_LT(
      NodeCount(*MarshalPluginHeader({a, b}, formats::OcamlVersion::k413)),
      two_files);
}

TEST(PluginHeaderTest, MismatchedNodesFallBackToFreshStrings) {
  PlannedUnit a = MakeUnit("A", 10);
  const std::string fresh =
      *MarshalPluginHeader({a}, formats::OcamlVersion::k413);
  a.nodes = TypicalNodes();
  a.nodes.defines.clear();
  EXPECT_EQ(*MarshalPluginHeader({a}, formats::OcamlVersion::k413), fresh);
  a.nodes = TypicalNodes();
  a.nodes.imports_cmi[2].crc = 9;  // a CRC node for a None
  EXPECT_EQ(*MarshalPluginHeader({a}, formats::OcamlVersion::k413), fresh);
}

TEST(ParsePluginHeaderTest, MalformedIsInvalidArgumentNamingTheField) {
  EXPECT_EQ(ParsePluginHeader("").status().code(),
            absl::StatusCode::kInvalidArgument);
  const std::string good =
      *MarshalPluginHeader({MakeUnit("A", 10)}, formats::OcamlVersion::k413);
  EXPECT_EQ(ParsePluginHeader(good.substr(0, good.size() - 3)).status().code(),
            absl::StatusCode::kInvalidArgument);

  formats::MarshalGraph g;
  const formats::Value bad_unit = g.AddBlock(
      0, {g.AddString("A"), g.AddString("short"), formats::Value::Int(0),
          formats::Value::Int(0), formats::Value::Int(0)});
  const formats::Value root =
      g.AddBlock(0, {g.AddString("Caml1999D030"), g.AddList({bad_unit})});
  absl::Status s = ParsePluginHeader(*formats::WriteMarshal(g, root)).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("dynu_units[0]: dynu_crc"), std::string::npos)
      << s.message();

  formats::MarshalGraph g2;
  const formats::Value cmx_magic =
      g2.AddBlock(0, {g2.AddString("Caml1999Y030"), formats::Value::Int(0)});
  s = ParsePluginHeader(*formats::WriteMarshal(g2, cmx_magic)).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("dynu_magic"), std::string::npos);
}

TEST(PluginHeaderTest, EachVersionWritesAndReadsItsMagic) {
  // cmxs_magic_number of utils/config.common.ml in each release.
  const std::pair<formats::OcamlVersion, const char*> magics[] = {
      {formats::OcamlVersion::k413, "Caml1999D030"},
      {formats::OcamlVersion::k51, "Caml1999D033"},
      {formats::OcamlVersion::k52, "Caml1999D034"},
      {formats::OcamlVersion::k53, "Caml1999D035"},
      {formats::OcamlVersion::k54, "Caml1999D036"}};
  for (const auto& [version, magic] : magics) {
    EXPECT_EQ(CmxsMagic(version), magic);
    absl::StatusOr<std::string> bytes =
        MarshalPluginHeader({MakeUnit("A", 10)}, version);
    ASSERT_TRUE(bytes.ok()) << bytes.status();
    absl::StatusOr<PluginHeader> h = ParsePluginHeader(*bytes);
    ASSERT_TRUE(h.ok()) << h.status();
    EXPECT_EQ(h->magic, magic);
    EXPECT_EQ(h->version, version);
    ASSERT_EQ(h->units.size(), 1u);
    EXPECT_EQ(h->units[0].name, "A");
  }
}

TEST(ParsePluginHeaderTest, OtherVersionsAreUnimplemented) {
  formats::MarshalGraph g;
  const formats::Value root =
      g.AddBlock(0, {g.AddString("Caml1999D031"), formats::Value::Int(0)});
  absl::Status s = ParsePluginHeader(*formats::WriteMarshal(g, root)).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kUnimplemented);
  EXPECT_NE(s.message().find("Caml1999D031"), std::string::npos);
  EXPECT_NE(s.message().find("OCaml 4.14"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace camlsym
