#include "camlsym/formats/crcs.h"

#include <cassert>

namespace camlsym::formats {

Crcs::Crcs(std::initializer_list<Import> imports) {
  size_t name_bytes = 0;
  for (const Import& i : imports) name_bytes += i.name.size();
  Reserve(imports.size(), name_bytes);
  for (const Import& i : imports) {
    [[maybe_unused]] const bool appended = Append(i.name, i.crc);
    assert(appended && "Crcs: names over kMaxNameBytes");
  }
}

void Crcs::Reserve(size_t entries, size_t name_bytes) {
  entries_.reserve(entries);
  names_.reserve(name_bytes);
}

bool operator==(const Crcs& a, const Crcs& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

}  // namespace camlsym::formats
