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

}  // namespace

uint32_t OcamlStringHash(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t len = s.size();
  uint32_t h = 0;  // The seed of Hashtbl.hash.
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
  h ^= static_cast<uint32_t>(len);
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  h ^= h >> 16;
  return h & 0x3FFFFFFFu;
}

}  // namespace camlsym
