// Robustness test: real .cmx and .cmxa files, truncated at every byte and
// with random bytes flipped (fixed seed), must each parse or give an error,
// never crash or hang. Half of the .cmx mutants get their trailing CRC
// recomputed so that the corruption reaches the unit_infos decoder instead of
// stopping at the CRC check. Run it under --config=asan too.

#include <openssl/evp.h>

#include <cstdint>
#include <random>
#include <string>

#include "absl/strings/match.h"
#include "camlsym/formats/cmx.h"
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

}  // namespace
}  // namespace camlsym::formats
