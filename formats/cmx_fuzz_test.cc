// Robustness test: real .cmx and .cmxa files of OCaml 4.13 (host) and of
// Debian's 5.3 and 5.4 (scripts/install-ocaml5.sh), truncated at every byte
// and with random bytes flipped (fixed seed), must each parse or give an
// error naming the file, never crash or hang. Half of the .cmx mutants get
// their trailing CRC recomputed so that the corruption reaches the
// unit_infos decoder instead of stopping at the CRC check. 5.x plugins
// (.cmxs) are cut and mutated too, half of the mutants inside their
// caml_plugin_header string, and decoded as Dynlink would. Run it under
// --config=asan too.

#include <openssl/evp.h>

#include <cstdint>
#include <optional>
#include <random>
#include <string>

#include "absl/strings/match.h"
#include "camlsym/formats/cmx.h"
#include "camlsym/formats/cmxs.h"
#include "camlsym/formats/unit_infos_fast.h"
#include "camlsym/linking_state/plugin_header.h"
#include "camlsym/tests/oracle_util.h"
#include "gtest/gtest.h"

namespace camlsym::formats {
namespace {

constexpr char kCmx[] = "/usr/lib/ocaml/stdlib__List.cmx";
constexpr char kCmxa[] = "/usr/lib/ocaml/unix.cmxa";
constexpr int kMutants = 3000;

std::string ReadOrDie(const char* path) {
  absl::StatusOr<std::string> bytes = ReadFileBounded(path, 1 << 20);
  EXPECT_TRUE(bytes.ok()) << bytes.status();
  return bytes.ok() ? *bytes : std::string();
}

void FixCrc(std::string& cmx) {
  if (cmx.size() < 16) return;
  unsigned char md5[16];
  unsigned int size = 0;
  EVP_Digest(cmx.data(), cmx.size() - 16, md5, &size, EVP_md5(), nullptr);
  cmx.replace(cmx.size() - 16, 16, reinterpret_cast<const char*>(md5), 16);
}

// Flips 1 to 4 random bytes of \p bytes in place.
void Mutate(std::string& bytes, std::mt19937& rng) {
  std::uniform_int_distribution<size_t> pos(0, bytes.size() - 1);
  std::uniform_int_distribution<int> count(1, 4), value(0, 255);
  for (int i = count(rng); i > 0; --i) {
    bytes[pos(rng)] = static_cast<char>(value(rng));
  }
}

TEST(CmxFuzzTest, TruncatedCmxFails) {
  const std::string bytes = ReadOrDie(kCmx);
  ASSERT_FALSE(bytes.empty());
  ASSERT_TRUE(ParseCmx(bytes, kCmx).ok());
  for (size_t n = 0; n < bytes.size(); ++n) {
    absl::StatusOr<CmxFile> cmx = ParseCmx(bytes.substr(0, n), kCmx);
    EXPECT_FALSE(cmx.ok()) << "truncated at " << n;
  }
}

TEST(CmxFuzzTest, TruncatedCmxaFails) {
  const std::string bytes = ReadOrDie(kCmxa);
  ASSERT_FALSE(bytes.empty());
  ASSERT_TRUE(ParseCmxa(bytes, kCmxa).ok());
  for (size_t n = 0; n < bytes.size(); ++n) {
    absl::StatusOr<CmxaFile> cmxa = ParseCmxa(bytes.substr(0, n), kCmxa);
    EXPECT_FALSE(cmxa.ok()) << "truncated at " << n;
  }
}

TEST(CmxFuzzTest, MutatedCmxParsesOrFails) {
  const std::string bytes = ReadOrDie(kCmx);
  ASSERT_FALSE(bytes.empty());
  std::mt19937 rng(20240513);
  int ok = 0, failed = 0;
  for (int i = 0; i < kMutants; ++i) {
    std::string mutant = bytes;
    Mutate(mutant, rng);
    if (i % 2 == 0) FixCrc(mutant);
    absl::StatusOr<CmxFile> cmx = ParseCmx(mutant, kCmx);
    if (cmx.ok()) {
      ++ok;
    } else {
      ++failed;
      EXPECT_TRUE(absl::StartsWith(cmx.status().message(), kCmx))
          << cmx.status();
    }
  }
  // Most mutants are rejected; those that pass touched bytes that do not
  // matter (e.g. inside strings, with the CRC fixed).
  EXPECT_GT(failed, 0);
  std::printf("cmx mutants: %d parsed, %d rejected\n", ok, failed);
}

// A link reads .cmx files without checking their CRC (CrcCheck::kAsStored,
// as ocamlopt does), so every mutant reaches the decoders: each parses or
// fails naming the file, like with the CRC checked, and a parsed mutant
// decodes the same with either decoder (unit_infos_fast.h).
TEST(CmxFuzzTest, MutatedCmxWithStoredCrcParsesOrFails) {
  const std::string bytes = ReadOrDie(kCmx);
  ASSERT_FALSE(bytes.empty());
  for (size_t n = 0; n < bytes.size(); ++n) {
    EXPECT_FALSE(ParseCmx(bytes.substr(0, n), kCmx, CrcCheck::kAsStored).ok())
        << "truncated at " << n;
  }
  std::mt19937 rng(20261130);
  int ok = 0, failed = 0;
  for (int i = 0; i < kMutants; ++i) {
    std::string mutant = bytes;
    Mutate(mutant, rng);
    absl::StatusOr<CmxFile> cmx = ParseCmx(mutant, kCmx, CrcCheck::kAsStored);
    absl::StatusOr<CmxFile> general =
        ParseCmxGeneral(mutant, kCmx, CrcCheck::kAsStored);
    ASSERT_EQ(cmx.ok(), general.ok()) << cmx.status() << general.status();
    if (cmx.ok()) {
      ++ok;
      EXPECT_EQ(cmx->info, general->info);
      EXPECT_EQ(cmx->crc, general->crc);
    } else {
      ++failed;
      EXPECT_EQ(cmx.status(), general.status());
      EXPECT_TRUE(absl::StartsWith(cmx.status().message(), kCmx))
          << cmx.status();
    }
  }
  EXPECT_GT(failed, 0);
  EXPECT_GT(ok, 0);
  std::printf("cmx mutants, stored CRC: %d parsed, %d rejected\n", ok, failed);
}

TEST(CmxFuzzTest, MutatedCmxaParsesOrFails) {
  const std::string bytes = ReadOrDie(kCmxa);
  ASSERT_FALSE(bytes.empty());
  std::mt19937 rng(42);
  int ok = 0, failed = 0;
  for (int i = 0; i < kMutants; ++i) {
    std::string mutant = bytes;
    Mutate(mutant, rng);
    absl::StatusOr<CmxaFile> cmxa = ParseCmxa(mutant, kCmxa);
    cmxa.ok() ? ++ok : ++failed;
  }
  EXPECT_GT(failed, 0);
  std::printf("cmxa mutants: %d parsed, %d rejected\n", ok, failed);
}

// A file of Debian's OCaml 5.x tree \p suite (amd64), relative to its
// standard library directory.
std::string Ocaml5File(const char* suite, const char* relative) {
  std::string why;
  const std::optional<::camlsym::testing::Ocaml5Tree> tree =
      ::camlsym::testing::FindOcaml5Tree(suite, "amd64", why);
  EXPECT_TRUE(tree.has_value()) << why;
  return tree.has_value() ? tree->stdlib + "/" + relative : std::string();
}

TEST(CmxFuzzTest, Ocaml5CmxAndCmxaCutAndMutated) {
  for (const char* suite : {"trixie", "sid"}) {
    const std::string cmx = Ocaml5File(suite, "stdlib__List.cmx");
    const std::string cmxa = Ocaml5File(suite, "unix/unix.cmxa");
    const std::string cmx_bytes = ReadOrDie(cmx.c_str());
    const std::string cmxa_bytes = ReadOrDie(cmxa.c_str());
    ASSERT_FALSE(cmx_bytes.empty() || cmxa_bytes.empty()) << suite;
    absl::StatusOr<CmxFile> good = ParseCmx(cmx_bytes, cmx);
    ASSERT_TRUE(good.ok()) << good.status();
    EXPECT_NE(good->info.version, OcamlVersion::k413);
    ASSERT_TRUE(ParseCmxa(cmxa_bytes, cmxa).ok());
    for (size_t n = 0; n < cmx_bytes.size(); ++n) {
      EXPECT_FALSE(ParseCmx(cmx_bytes.substr(0, n), cmx).ok()) << n;
    }
    for (size_t n = 0; n < cmxa_bytes.size(); ++n) {
      EXPECT_FALSE(ParseCmxa(cmxa_bytes.substr(0, n), cmxa).ok()) << n;
    }
    std::mt19937 rng(535);
    int failed = 0;
    for (int i = 0; i < kMutants; ++i) {
      std::string mutant = cmx_bytes;
      Mutate(mutant, rng);
      if (i % 2 == 0) FixCrc(mutant);
      absl::StatusOr<CmxFile> r = ParseCmx(mutant, cmx);
      if (!r.ok()) {
        ++failed;
        EXPECT_TRUE(absl::StartsWith(r.status().message(), cmx)) << r.status();
      }
      mutant = cmxa_bytes;
      Mutate(mutant, rng);
      absl::StatusOr<CmxaFile> ra = ParseCmxa(mutant, cmxa);
      if (!ra.ok()) {
        ++failed;
        EXPECT_TRUE(absl::StartsWith(ra.status().message(), cmxa))
            << ra.status();
      }
    }
    EXPECT_GT(failed, 0);
    std::printf("%s: %d of %d 5.x .cmx/.cmxa mutants rejected\n", suite, failed,
                2 * kMutants);
  }
}

// Reads a plugin header as `camlsym inspect` and Dynlink do: the string at
// caml_plugin_header, then its dynheader.
absl::Status ReadPlugin(std::string_view bytes, std::string_view file) {
  absl::StatusOr<std::string> header = ParseCmxsPluginHeader(bytes, file);
  if (!header.ok()) return header.status();
  return ParsePluginHeader(*header).status();
}

TEST(CmxFuzzTest, Ocaml5CmxsCutAndMutated) {
  constexpr int kCmxsMutants = 2000;
  for (const char* suite : {"trixie", "sid"}) {
    const std::string cmxs = Ocaml5File(suite, "str/str.cmxs");
    absl::StatusOr<std::string> read = ReadFileBounded(cmxs, 1 << 24);
    ASSERT_TRUE(read.ok()) << read.status();
    const std::string bytes = *read;
    absl::StatusOr<std::string> header = ParseCmxsPluginHeader(bytes, cmxs);
    ASSERT_TRUE(header.ok()) << header.status();
    absl::StatusOr<PluginHeader> h = ParsePluginHeader(*header);
    ASSERT_TRUE(h.ok()) << h.status();
    EXPECT_NE(h->version, OcamlVersion::k413);
    const size_t header_at = bytes.find(*header);
    ASSERT_NE(header_at, std::string::npos);
    // Cut: every 61st byte, and every byte of the header string.
    for (size_t n = 0; n < bytes.size(); ++n) {
      if (n % 61 != 0 && (n < header_at || n > header_at + header->size())) {
        continue;
      }
      EXPECT_FALSE(ReadPlugin(bytes.substr(0, n), cmxs).ok()) << n;
    }
    std::mt19937 rng(5354);
    std::uniform_int_distribution<size_t> in_header(0, header->size() - 1);
    std::uniform_int_distribution<int> value(0, 255);
    int failed = 0;
    for (int i = 0; i < kCmxsMutants; ++i) {
      std::string mutant = bytes;
      if (i % 2 == 0) {
        Mutate(mutant, rng);
      } else {
        mutant[header_at + in_header(rng)] = static_cast<char>(value(rng));
      }
      if (!ReadPlugin(mutant, cmxs).ok()) ++failed;
    }
    EXPECT_GT(failed, 0);
    std::printf("%s: %d of %d .cmxs mutants rejected\n", suite, failed,
                kCmxsMutants);
  }
}

}  // namespace
}  // namespace camlsym::formats
