#include "camlsym/linking_state/ocaml_hashtbl.h"

namespace camlsym {
namespace {

inline uint32_t Rotl32(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

inline uint32_t Mix(uint32_t h, uint32_t d) {
  d *= 0xcc9e2d51u;
  d = Rotl32(d, 15);
  d *= 0x1b873593u;
  h ^= d;
  h = Rotl32(h, 13);
  return h * 5 + 0xe6546b64u;
}

// caml_hash_mix_string: the bytes as little-endian 32-bit words, the last
// partial word zero-padded, then the length.
uint32_t MixString(uint32_t h, std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t len = s.size();
  size_t i = 0;
  for (; i + 4 <= len; i += 4) {
    uint32_t w = uint32_t{p[i]} | (uint32_t{p[i + 1]} << 8) |
                 (uint32_t{p[i + 2]} << 16) | (uint32_t{p[i + 3]} << 24);
    h = Mix(h, w);
  }
  uint32_t w = 0;
  switch (len & 3) {
    case 3:
      w = uint32_t{p[i + 2]} << 16;
      [[fallthrough]];
    case 2:
      w |= uint32_t{p[i + 1]} << 8;
      [[fallthrough]];
    case 1:
      w |= p[i];
      h = Mix(h, w);
      break;
    default:
      break;
  }
  return h ^ static_cast<uint32_t>(len);
}

// FINAL_MIX, then caml_hash's fold to 30 bits.
uint32_t FinalMix(uint32_t h) {
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  h ^= h >> 16;
  return h & 0x3FFFFFFFu;
}

}  // namespace

uint32_t OcamlStringHash(std::string_view s) {
  return FinalMix(MixString(0, s));  // 0: the seed of Hashtbl.hash.
}

uint32_t OcamlStringPairHash(std::string_view a, std::string_view b) {
  // Cleanhd_hd of a block of 2 fields, tag 0: wosize << 10, no color.
  constexpr uint32_t kPairHeader = 2u << 10;
  return FinalMix(MixString(MixString(Mix(0, kPairHeader), a), b));
}

}  // namespace camlsym
