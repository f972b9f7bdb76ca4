// The import lists of compiled units: OCaml's `Misc.crcs`, a list of unit
// names each with the CRC (an MD5 digest) of the interface or
// implementation it was compiled against, or None.
//
// A link reads every unit's two lists (ui_imports_cmi, ui_imports_cmx), and
// in a deep dependency graph they are most of what it reads: a 1000-unit
// chain, where each unit imports every earlier one, has 500,000 entries.
// So a Crcs keeps its entries compact, in two allocations whatever their
// number: the names' bytes one after the other in one buffer, and for each
// entry its name's place in that buffer and its CRC. Entries are read as
// Import views.
//
// Mirrors: utils/misc.mli `type crcs = (modname * Digest.t option) list`,
// file_formats/cmx_format.mli `ui_imports_cmi`, `ui_imports_cmx` (OCaml
// 4.13.1; the same in 5.1 to 5.4).
#ifndef CAMLSYM_FORMATS_CRCS_H_
#define CAMLSYM_FORMATS_CRCS_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace camlsym::formats {

/// An MD5 digest (OCaml's Digest.t), 16 bytes.
using Digest = std::array<uint8_t, 16>;

/// One entry of a Crcs: an imported interface or implementation and the CRC
/// it was compiled against; nullopt is OCaml's None (an interface whose CRC
/// was not needed, an implementation that was not inlined from).
///
/// \p name is a view: of the Crcs the entry was read from (valid while that
/// list lives and is not appended to), or of the caller's string when the
/// caller builds an Import to give to a Crcs.
struct Import {
  std::string_view name;
  std::optional<Digest> crc;
  friend bool operator==(const Import&, const Import&) = default;
};

/// A `crcs` list: Imports in the order of the file (or as appended).
/// A value: copies are independent, and == compares the entries (names and
/// CRCs), not how they are stored.
class Crcs {
 public:
  /// The most bytes the names of one list may take together (a buffer
  /// position is 32 bits): 4 GiB - 1. Append refuses more.
  static constexpr uint64_t kMaxNameBytes = UINT32_MAX;

  /// An empty list.
  Crcs() = default;
  /// The list of \p imports, in order (their names are copied). For lists
  /// written in code; their names must fit kMaxNameBytes (asserted).
  Crcs(std::initializer_list<Import> imports);

  /// The number of entries.
  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }

  /// Entry \p i (< size()): a view, see Import.
  Import operator[](size_t i) const {
    const Entry& e = entries_[i];
    return Import{Name(e),
                  HasCrc(e) ? std::optional<Digest>(e.crc) : std::nullopt};
  }
  /// The name of entry \p i (< size()), without copying its CRC; valid
  /// while the list lives and is not appended to.
  std::string_view name(size_t i) const { return Name(entries_[i]); }
  /// The CRC of entry \p i (< size()), nullptr for None; valid while the
  /// list lives and is not appended to.
  const Digest* crc(size_t i) const {
    const Entry& e = entries_[i];
    return HasCrc(e) ? &e.crc : nullptr;
  }

  /// Appends the entry \p name, \p crc (nullptr for None), copying both.
  /// false, with the list unchanged, if the names would take more than
  /// kMaxNameBytes (or \p name alone 2 GiB or more).
  bool Append(std::string_view name, const Digest* crc) {
    if (name.size() >= kHasCrc || name.size() > kMaxNameBytes - names_.size()) {
      return false;
    }
    // Inline: the decoders append every import of every unit.
    Entry& e = entries_.emplace_back();
    e.name_offset = static_cast<uint32_t>(names_.size());
    e.name_size_and_crc =
        static_cast<uint32_t>(name.size()) | (crc != nullptr ? kHasCrc : 0);
    e.crc = crc != nullptr ? *crc : Digest{};
    names_.append(name);
    return true;
  }
  /// As Append(name, crc pointer), from an optional.
  bool Append(std::string_view name, const std::optional<Digest>& crc) {
    return Append(name, crc.has_value() ? &*crc : nullptr);
  }
  /// Makes room for \p entries entries whose names take \p name_bytes in
  /// all, so that appending them allocates nothing.
  void Reserve(size_t entries, size_t name_bytes);

  /// Iterates over the entries as Import views.
  class const_iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = Import;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = Import;
    const_iterator() = default;
    Import operator*() const { return (*list_)[i_]; }
    const_iterator& operator++() {
      ++i_;
      return *this;
    }
    const_iterator operator++(int) {
      const_iterator old = *this;
      ++i_;
      return old;
    }
    friend bool operator==(const const_iterator&,
                           const const_iterator&) = default;

   private:
    friend class Crcs;
    const_iterator(const Crcs* list, size_t i) : list_(list), i_(i) {}
    const Crcs* list_ = nullptr;
    size_t i_ = 0;
  };
  const_iterator begin() const { return const_iterator(this, 0); }
  const_iterator end() const { return const_iterator(this, size()); }

  friend bool operator==(const Crcs& a, const Crcs& b);

 private:
  // The top bit of name_size_and_crc says whether the entry has a CRC
  // (names are shorter than 2 GiB: a file is at most 1 GiB).
  static constexpr uint32_t kHasCrc = uint32_t{1} << 31;
  struct Entry {
    uint32_t name_offset;        // In names_.
    uint32_t name_size_and_crc;  // Name size | kHasCrc.
    Digest crc;                  // Zeros for None.
  };
  static_assert(sizeof(Entry) == 24);
  std::string_view Name(const Entry& e) const {
    return std::string_view(names_.data() + e.name_offset,
                            e.name_size_and_crc & ~kHasCrc);
  }
  static bool HasCrc(const Entry& e) {
    return (e.name_size_and_crc & kHasCrc) != 0;
  }

  std::string names_;
  std::vector<Entry> entries_;
};

}  // namespace camlsym::formats

#endif  // CAMLSYM_FORMATS_CRCS_H_
