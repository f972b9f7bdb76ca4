// The consistency table of a link: for each interface or implementation
// name, the CRC the units agree on and the file that first recorded it.
// A link checks every import of every unit against it (asmlink.ml
// `check_consistency`): 500,000 checks for a 1000-unit chain, where each
// unit imports every earlier one, against about 1000 names. So the table
// is made for that: each name is hashed in a few loads and multiplies,
// kept once in the table's own buffer, and found by linear probing over a
// small array of (hash tag, entry index) pairs; an entry's name is compared
// only when its tag matches.
//
// It also remembers every name given to Note (imports without a CRC), as
// asmlink.ml's `interfaces` list does for Consistbl.extract.
//
// Mirrors: utils/consistbl.ml (`check`, `set`, `extract`) and
// asmcomp/asmlink.ml (`interfaces`) of OCaml 4.13.1 (the same in 5.1 to
// 5.4).
#ifndef CAMLSYM_LINKING_STATE_CONSISTBL_H_
#define CAMLSYM_LINKING_STATE_CONSISTBL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "camlsym/formats/crcs.h"

namespace camlsym {

/// name -> (CRC, source file) for one kind of import (interfaces or
/// implementations), plus the names noted without a CRC.
class Consistbl {
 public:
  /// What the table knows of a name.
  struct Entry {
    /// The CRC recorded; nullopt if the name was only noted.
    std::optional<formats::Digest> crc;
    /// The file that recorded the CRC (null if none did): the caller's
    /// string, which must outlive the table.
    const std::string* source = nullptr;
  };

  Consistbl();

  /// consistbl.ml `check`: if \p name has a CRC, returns its source when
  /// that CRC is not \p crc (the files disagree), else null; if it has none,
  /// records \p crc from \p source (which must outlive the table) and
  /// returns null.
  const std::string* Check(std::string_view name, const formats::Digest& crc,
                           const std::string& source);
  /// consistbl.ml `set`: records \p crc from \p source for \p name,
  /// replacing what was recorded.
  void Set(std::string_view name, const formats::Digest& crc,
           const std::string& source);
  /// Remembers \p name (imported without a CRC) for Names(), recording
  /// nothing else.
  void Note(std::string_view name);

  /// What is known of \p name, null if it was never checked, set or noted.
  /// Valid until the next change of the table.
  const Entry* Find(std::string_view name) const;
  /// Every name checked, set or noted, once each, in the order first seen.
  /// The views are valid until the next change of the table.
  std::vector<std::string_view> Names() const;

 private:
  struct Item {
    uint64_t hash;
    uint64_t name_offset;  // In names_.
    uint64_t name_size;
    Entry entry;
  };
  // A slot of the probing array: the high half of an item's hash and the
  // item's index + 1 (0: an empty slot).
  struct Slot {
    uint32_t tag;
    uint32_t item_plus_one;
  };

  // Where a probe for a name ended: its item, or the empty slot where it
  // goes (item -1).
  struct ProbeEnd {
    size_t slot;
    int64_t item;
  };
  // The probe sequence of \p name (whose NameHash is \p hash): the one
  // search of Find and FindOrAdd.
  ProbeEnd Probe(std::string_view name, uint64_t hash) const;
  // The entry of \p name, added (empty) if absent: one probe sequence.
  Entry& FindOrAdd(std::string_view name);
  void Grow();
  std::string_view NameOf(const Item& item) const {
    return std::string_view(names_.data() + item.name_offset, item.name_size);
  }

  std::vector<Item> items_;  // In the order first seen.
  std::vector<Slot> slots_;  // A power of 2, at most half full.
  // The names' bytes, one after the other (items hold offsets: the buffer
  // moves as it grows).
  std::string names_;
};

}  // namespace camlsym

#endif  // CAMLSYM_LINKING_STATE_CONSISTBL_H_
