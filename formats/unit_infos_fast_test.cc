// The direct decoder (unit_infos_fast.h) against the general reader: on
// every .cmx of the OCaml installation and of Debian's 5.3 and 5.4, and on
// corrupted copies of them,
// ParseCmx (direct first) and ParseCmxGeneral give the same unit infos,
// the same string-object identities (up to renaming), or the same error.
#include "camlsym/formats/unit_infos_fast.h"

#include <openssl/evp.h>

#include <map>
#include <random>

#include "camlsym/tests/oracle_util.h"
#include "fmt/format.h"
#include "gtest/gtest.h"

namespace camlsym::formats {
namespace {

using ::camlsym::testing::HostStdlibDir;
using ::camlsym::testing::ReadFile;
using ::camlsym::testing::RunShell;

std::vector<std::string> InstalledCmx() {
  std::vector<std::string> files;
  std::string out = RunShell(fmt::format("ls {0}/*.cmx {0}/compiler-libs/*.cmx",
                                         HostStdlibDir()))
                        .out;
  size_t pos = 0;
  while (pos < out.size()) {
    size_t nl = out.find('\n', pos);
    files.push_back(out.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return files;
}

// The StringNodes of \p n in a fixed order.
std::vector<std::optional<StringNode>> Flatten(const UnitInfosNodes& n) {
  std::vector<std::optional<StringNode>> v = {n.name, n.symbol};
  for (StringNode d : n.defines) v.push_back(d);
  for (const auto* l : {&n.imports_cmi, &n.imports_cmx}) {
    for (const ImportNodes& i : *l) {
      v.push_back(i.name);
      v.push_back(i.crc);
    }
  }
  return v;
}

// Whether \p a and \p b name the same objects: equal where one is equal.
bool SameIdentities(const UnitInfosNodes& a, const UnitInfosNodes& b) {
  std::vector<std::optional<StringNode>> fa = Flatten(a), fb = Flatten(b);
  if (fa.size() != fb.size()) return false;
  std::map<StringNode, StringNode> ab, ba;
  for (size_t i = 0; i < fa.size(); ++i) {
    if (fa[i].has_value() != fb[i].has_value()) return false;
    if (!fa[i].has_value()) continue;
    auto [x, fresh_x] = ab.emplace(*fa[i], *fb[i]);
    auto [y, fresh_y] = ba.emplace(*fb[i], *fa[i]);
    if (x->second != *fb[i] || y->second != *fa[i]) return false;
  }
  return true;
}

// Every .cmx under \p dir, sorted.
std::vector<std::string> CmxUnder(const std::string& dir) {
  std::vector<std::string> files;
  const std::string out =
      RunShell(fmt::format("find {} -name '*.cmx' | sort", dir)).out;
  for (size_t pos = 0; pos < out.size();) {
    const size_t nl = out.find('\n', pos);
    files.push_back(out.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return files;
}

void ExpectSame(const std::string& bytes, const std::string& what) {
  absl::StatusOr<CmxFile> direct = ParseCmx(bytes, "f.cmx");
  absl::StatusOr<CmxFile> general = ParseCmxGeneral(bytes, "f.cmx");
  ASSERT_EQ(direct.ok(), general.ok())
      << what << ": " << direct.status() << " / " << general.status();
  if (!direct.ok()) {
    EXPECT_EQ(direct.status(), general.status()) << what;
    return;
  }
  EXPECT_EQ(direct->info, general->info) << what;
  EXPECT_EQ(direct->crc, general->crc) << what;
  EXPECT_TRUE(SameIdentities(direct->nodes, general->nodes)) << what;
  // Without the import lists' objects: the same infos and other objects,
  // and no import objects, from both readers.
  for (const bool fast : {true, false}) {
    absl::StatusOr<CmxFile> omitted =
        fast ? ParseCmx(bytes, "f.cmx", CrcCheck::kVerify,
                        ImportObjects::kOmitted)
             : ParseCmxGeneral(bytes, "f.cmx", CrcCheck::kVerify,
                               ImportObjects::kOmitted);
    ASSERT_TRUE(omitted.ok()) << what << ": " << omitted.status();
    EXPECT_EQ(omitted->info, direct->info) << what;
    EXPECT_EQ(omitted->crc, direct->crc) << what;
    EXPECT_TRUE(omitted->nodes.imports_cmi.empty()) << what;
    EXPECT_TRUE(omitted->nodes.imports_cmx.empty()) << what;
    const UnitInfosNodes& all = fast ? direct->nodes : general->nodes;
    EXPECT_EQ(omitted->nodes.name, all.name) << what;
    EXPECT_EQ(omitted->nodes.symbol, all.symbol) << what;
    EXPECT_EQ(omitted->nodes.defines, all.defines) << what;
  }
}

TEST(UnitInfosFastTest, SameAsTheGeneralReaderOnTheInstallation) {
  const std::vector<std::string> files = InstalledCmx();
  ASSERT_GT(files.size(), 100u) << "no .cmx under " << HostStdlibDir();
  int direct = 0;
  for (const std::string& f : files) {
    const std::string bytes = ReadFile(f);
    ExpectSame(bytes, f);
    direct += DecodeUnitInfosFast(std::string_view(bytes).substr(12),
                                  ExportInfoKind::kClambda, OcamlVersion::k413)
                  .has_value();
  }
  // The direct decoder takes most files (those with custom blocks in their
  // export information go to the general reader).
  EXPECT_GT(direct, static_cast<int>(files.size()) / 2)
      << direct << " of " << files.size();
}

// The same on Debian's OCaml 5.3 and 5.4 (scripts/install-ocaml5.sh),
// whose unit_infos have ui_for_pack: every .cmx of their standard library
// directory, and a unit compiled for a pack (ui_for_pack = Some "Pk").
TEST(UnitInfosFastTest, SameAsTheGeneralReaderOnOcaml5) {
  for (const char* suite : {"trixie", "sid"}) {
    std::string why;
    const std::optional<::camlsym::testing::Ocaml5Tree> tree =
        ::camlsym::testing::FindOcaml5Tree(suite, "amd64", why);
    ASSERT_TRUE(tree.has_value()) << why;
    const std::vector<std::string> files = CmxUnder(tree->stdlib);
    ASSERT_GT(files.size(), 50u) << "no .cmx under " << tree->stdlib;
    int direct = 0;
    for (const std::string& f : files) {
      const std::string bytes = ReadFile(f);
      ExpectSame(bytes, f);
      direct += DecodeUnitInfosFast(std::string_view(bytes).substr(12),
                                    ExportInfoKind::kClambda,
                                    ParseCmx(bytes, f)->info.version)
                    .has_value();
    }
    EXPECT_GT(direct, static_cast<int>(files.size()) / 2)
        << suite << ": " << direct << " of " << files.size();
    // A unit compiled for a pack: ui_for_pack is Some "Pk".
    const std::string dir = ::camlsym::testing::MakeTempDir("fast5");
    ::camlsym::testing::WriteFile(dir + "/m.ml", "let v = 1\n");
    const ::camlsym::testing::CommandResult r = RunShell(fmt::format(
        "cd {} && {} -for-pack Pk -c m.ml 2>&1", dir, tree->Tool("ocamlopt")));
    ASSERT_EQ(r.exit_code, 0) << r.out;
    const std::string bytes = ReadFile(dir + "/m.cmx");
    ExpectSame(bytes, suite);
    const absl::StatusOr<CmxFile> m = ParseCmx(bytes, "m.cmx");
    ASSERT_TRUE(m.ok()) << m.status();
    EXPECT_EQ(m->info.for_pack, "Pk") << suite;
    EXPECT_TRUE(DecodeUnitInfosFast(std::string_view(bytes).substr(12),
                                    ExportInfoKind::kClambda, m->info.version)
                    .has_value())
        << suite;
  }
}

TEST(UnitInfosFastTest, SameAsTheGeneralReaderOnCorruptedFiles) {
  // Every answer the direct decoder gives on a corrupted file, the general
  // reader gives too (and it reports the errors).
  std::mt19937 rng(11);
  const std::vector<std::string> files = InstalledCmx();
  // And 5.3's (ui_for_pack), one file in three.
  std::string why;
  const std::optional<::camlsym::testing::Ocaml5Tree> tree =
      ::camlsym::testing::FindOcaml5Tree("trixie", "amd64", why);
  ASSERT_TRUE(tree.has_value()) << why;
  const std::vector<std::string> files5 = CmxUnder(tree->stdlib);
  ASSERT_FALSE(files5.empty()) << "no .cmx under " << tree->stdlib;
  for (int i = 0; i < 4500; ++i) {
    const std::vector<std::string>& from = i % 3 == 2 ? files5 : files;
    std::string bytes = ReadFile(from[rng() % from.size()]);
    const size_t at = 12 + rng() % (bytes.size() - 28);
    bytes[at] = static_cast<char>(rng());
    // Keep the CRC right, so that the decoders' results are compared and
    // not just the MD5 check.
    unsigned int size = 0;
    ASSERT_EQ(EVP_Digest(bytes.data(), bytes.size() - 16,
                         reinterpret_cast<unsigned char*>(bytes.data()) +
                             bytes.size() - 16,
                         &size, EVP_md5(), nullptr),
              1);
    ExpectSame(bytes, fmt::format("byte {} of case {}", at, i));
  }
}

}  // namespace
}  // namespace camlsym::formats
