#include "camlsym/linking_state/consistbl.h"

#include <cstring>

#include "absl/base/attributes.h"

namespace camlsym {
namespace {

uint64_t Load64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}
uint32_t Load32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

// The hash of a name: its bytes read 8 at a time (the last 8 overlapping
// the others; a shorter name's in two overlapping 4-byte loads or 3 single
// bytes), each multiplied in. Unit names are short: most take two loads.
ABSL_ATTRIBUTE_ALWAYS_INLINE inline uint64_t NameHash(std::string_view s) {
  constexpr uint64_t kMul = 0x9E3779B97F4A7C15;
  const size_t n = s.size();
  const char* p = s.data();
  uint64_t h = (n + 1) * kMul;
  auto mix = [&h](uint64_t v) {
    h = (h ^ v) * kMul;
    h ^= h >> 32;
  };
  if (n >= 8) {
    for (size_t i = 0; i + 8 < n; i += 8) mix(Load64(p + i));
    mix(Load64(p + n - 8));
  } else if (n >= 4) {
    mix(uint64_t{Load32(p)} << 32 | Load32(p + n - 4));
  } else if (n > 0) {
    mix(uint64_t{static_cast<uint8_t>(p[0])} << 16 |
        uint64_t{static_cast<uint8_t>(p[n / 2])} << 8 |
        static_cast<uint8_t>(p[n - 1]));
  }
  return h ^ (h >> 29);
}

// Whether \p a and \p b are equal: up to 16 bytes in two overlapping loads
// of each, without a call to memcmp.
ABSL_ATTRIBUTE_ALWAYS_INLINE inline bool SameName(std::string_view a,
                                                  std::string_view b) {
  const size_t n = a.size();
  if (n != b.size()) return false;
  const char* p = a.data();
  const char* q = b.data();
  if (n >= 8 && n <= 16) {
    return ((Load64(p) ^ Load64(q)) |
            (Load64(p + n - 8) ^ Load64(q + n - 8))) == 0;
  }
  if (n >= 4 && n < 8) {
    return ((Load32(p) ^ Load32(q)) |
            (Load32(p + n - 4) ^ Load32(q + n - 4))) == 0;
  }
  return a == b;
}

// Whether \p a and \p b are equal, in two 8-byte comparisons.
ABSL_ATTRIBUTE_ALWAYS_INLINE inline bool SameDigest(const formats::Digest& a,
                                                    const formats::Digest& b) {
  return ((Load64(reinterpret_cast<const char*>(a.data())) ^
           Load64(reinterpret_cast<const char*>(b.data()))) |
          (Load64(reinterpret_cast<const char*>(a.data()) + 8) ^
           Load64(reinterpret_cast<const char*>(b.data()) + 8))) == 0;
}

constexpr size_t kInitialSlots = 64;

}  // namespace

Consistbl::Consistbl() : slots_(kInitialSlots, Slot{0, 0}) {}

ABSL_ATTRIBUTE_ALWAYS_INLINE inline Consistbl::ProbeEnd Consistbl::Probe(
    std::string_view name, uint64_t hash) const {
  const size_t mask = slots_.size() - 1;
  const uint32_t tag = static_cast<uint32_t>(hash >> 32);
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    const Slot s = slots_[i];
    if (s.item_plus_one == 0) return ProbeEnd{i, -1};
    if (s.tag == tag) {
      const Item& item = items_[s.item_plus_one - 1];
      if (item.hash == hash && SameName(NameOf(item), name)) {
        return ProbeEnd{i, static_cast<int64_t>(s.item_plus_one) - 1};
      }
    }
  }
}

void Consistbl::Grow() {
  std::vector<Slot> slots(slots_.size() * 2, Slot{0, 0});
  const size_t mask = slots.size() - 1;
  for (size_t k = 0; k < items_.size(); ++k) {
    size_t i = items_[k].hash & mask;
    while (slots[i].item_plus_one != 0) i = (i + 1) & mask;
    slots[i] = Slot{static_cast<uint32_t>(items_[k].hash >> 32),
                    static_cast<uint32_t>(k + 1)};
  }
  slots_ = std::move(slots);
}

ABSL_ATTRIBUTE_ALWAYS_INLINE inline Consistbl::Entry& Consistbl::FindOrAdd(
    std::string_view name) {
  // One probe sequence: it ends at the name's item, or at the empty slot
  // where an absent name goes (this runs for every import).
  const uint64_t hash = NameHash(name);
  const ProbeEnd end = Probe(name, hash);
  if (end.item >= 0) return items_[end.item].entry;
  size_t i = end.slot;
  // At most half full, so that probes stay short and end.
  if (2 * (items_.size() + 1) > slots_.size()) {
    Grow();
    i = Probe(name, hash).slot;
  }
  items_.push_back(Item{hash, names_.size(), name.size(), Entry{}});
  names_.append(name);
  slots_[i] = Slot{static_cast<uint32_t>(hash >> 32),
                   static_cast<uint32_t>(items_.size())};
  return items_.back().entry;
}

const std::string* Consistbl::Check(std::string_view name,
                                    const formats::Digest& crc,
                                    const std::string& source) {
  Entry& e = FindOrAdd(name);
  if (!e.crc.has_value()) {
    e = Entry{crc, &source};
    return nullptr;
  }
  return SameDigest(*e.crc, crc) ? nullptr : e.source;
}

void Consistbl::Set(std::string_view name, const formats::Digest& crc,
                    const std::string& source) {
  FindOrAdd(name) = Entry{crc, &source};
}

void Consistbl::Note(std::string_view name) { FindOrAdd(name); }

const Consistbl::Entry* Consistbl::Find(std::string_view name) const {
  const ProbeEnd end = Probe(name, NameHash(name));
  return end.item < 0 ? nullptr : &items_[end.item].entry;
}

std::vector<std::string_view> Consistbl::Names() const {
  std::vector<std::string_view> names;
  names.reserve(items_.size());
  for (const Item& item : items_) names.push_back(NameOf(item));
  return names;
}

}  // namespace camlsym
