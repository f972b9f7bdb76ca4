// The direct decoder (unit_infos_fast.h) against the general reader: on
// every .cmx of the OCaml installation, and on corrupted copies of them,
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
}

TEST(UnitInfosFastTest, SameAsTheGeneralReaderOnTheInstallation) {
  const std::vector<std::string> files = InstalledCmx();
  ASSERT_GT(files.size(), 100u) << "no .cmx under " << HostStdlibDir();
  int direct = 0;
  for (const std::string& f : files) {
    const std::string bytes = ReadFile(f);
    ExpectSame(bytes, f);
    direct += DecodeUnitInfosFast(std::string_view(bytes).substr(12),
                                  ExportInfoKind::kClambda)
                  .has_value();
  }
  // The direct decoder takes most files (those with custom blocks in their
  // export information go to the general reader).
  EXPECT_GT(direct, static_cast<int>(files.size()) / 2)
      << direct << " of " << files.size();
}

TEST(UnitInfosFastTest, SameAsTheGeneralReaderOnCorruptedFiles) {
  // Every answer the direct decoder gives on a corrupted file, the general
  // reader gives too (and it reports the errors).
  std::mt19937 rng(11);
  const std::vector<std::string> files = InstalledCmx();
  for (int i = 0; i < 3000; ++i) {
    std::string bytes = ReadFile(files[rng() % files.size()]);
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
