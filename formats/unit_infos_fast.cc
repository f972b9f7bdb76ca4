#include "camlsym/formats/unit_infos_fast.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "camlsym/formats/marshal_codes.h"
#include "camlsym/formats/marshal_reader.h"

namespace camlsym::formats {
namespace {

namespace mc = marshal_codes;

// The index of ui_export_info in unit_infos (cmx_format.mli).
constexpr uint64_t kExportInfoField = 8;
// Fields of 4.13's unit_infos; 5.1 on add ui_for_pack at the end.
constexpr uint64_t kUnitInfosFields = 10;

// Reads one Marshal value's parts in order. Every method returns false on
// anything it does not handle; the decoder then gives up.
class Cursor {
 public:
  // \p objects is scratch space: a caller that decodes many files passes
  // the same vector to each, so its memory is reused. Each object takes at
  // least one byte, so there are at most min(\p max_objects, data size).
  Cursor(std::string_view data, uint64_t max_objects,
         std::vector<uint32_t>& objects)
      : data_(data),
        max_objects_(std::min<uint64_t>(max_objects, data.size())) {
    if (objects.size() < max_objects_) objects.resize(max_objects_);
    objects_ = objects.data();
  }

  bool AtEnd() const { return pos_ == data_.size(); }
  uint64_t size_32() const { return size_32_; }
  uint64_t size_64() const { return size_64_; }

  // A block header of \p tag and \p size > 0 fields (not shared).
  bool Block(uint8_t tag, uint64_t size) {
    uint8_t t;
    uint64_t s;
    if (!BlockHeader(t, s) || t != tag || s != size) return false;
    return RecordBlock(s);
  }

  // A string, new or a back-reference to one; its object number goes to
  // \p node.
  bool String(std::string_view& s, StringNode& node) {
    const uint64_t code_at = pos_;
    uint8_t code;
    if (!Byte(code)) return false;
    uint64_t len;
    if (code >= mc::kPrefixSmallString && code < mc::kPrefixSmallInt) {
      len = code & 0x1F;
    } else if (code == mc::kCodeString8 || code == mc::kCodeString32) {
      if (!Unsigned(code == mc::kCodeString8 ? 1 : 4, len)) return false;
    } else if (code == mc::kCodeShared8 || code == mc::kCodeShared16 ||
               code == mc::kCodeShared32) {
      uint64_t d;
      if (!Unsigned(code == mc::kCodeShared8    ? 1
                    : code == mc::kCodeShared16 ? 2
                                                : 4,
                    d) ||
          d == 0 || d > count_) {
        return false;
      }
      node = static_cast<StringNode>(count_ - d);
      return SharedString(objects_[node], s);
    } else {
      return false;
    }
    if (len > data_.size() - pos_) return false;
    node = static_cast<StringNode>(count_);
    if (!Record(static_cast<uint32_t>(code_at))) return false;
    s = data_.substr(pos_, len);
    pos_ += len;
    size_32_ += 1 + (len + 4) / 4;
    size_64_ += 1 + (len + 8) / 8;
    return true;
  }

  // An immediate integer.
  bool Int(int64_t& v) {
    uint8_t code;
    if (!Byte(code)) return false;
    if (code >= mc::kPrefixSmallInt && code < mc::kPrefixSmallBlock) {
      v = code & 0x3F;
      return true;
    }
    int bytes;
    switch (code) {
      case mc::kCodeInt8:
        bytes = 1;
        break;
      case mc::kCodeInt16:
        bytes = 2;
        break;
      case mc::kCodeInt32:
        bytes = 4;
        break;
      default:
        return false;
    }
    uint64_t n;
    if (!Unsigned(bytes, n)) return false;
    const int shift = 64 - 8 * bytes;
    v = static_cast<int64_t>(n << shift) >> shift;
    return true;
  }

  // A list: cons blocks (tag 0, 2 fields) ending in the immediate 0;
  // \p element reads each head.
  template <typename F>
  bool List(F element) {
    while (true) {
      if (PeekImmediateZero()) {
        ++pos_;
        return true;
      }
      if (!Block(0, 2) || !element()) return false;
    }
  }

  // The end of a list (the immediate 0), consumed if it is next.
  bool ListEnd() {
    if (!PeekImmediateZero()) return false;
    ++pos_;
    return true;
  }

  // The usual cell of a `crcs` list, read at once: a cons block whose head
  // is a pair block of a name (a new string of at most 31 bytes, or a
  // back-reference to a string: a unit's own entry names the string of its
  // ui_name) and None, or Some of a new 16-byte string (a CRC). \p crc is
  // null for None. Objects and sizes are counted as the part-by-part
  // reading counts them. false, having read nothing, for any other bytes:
  // the caller then reads them part by part (which decides whether they are
  // well formed).
  bool UsualCrcsCell(std::string_view& name, StringNode& name_node,
                     const char*& crc, StringNode& crc_node) {
    const UsualCell cell = UsualCrcsCellAt(pos_);
    // Objects: cons, pair, name, and for Some the block and the CRC.
    if (cell.size_bytes == 0 || max_objects_ - count_ < 5) return false;
    const char* p = data_.data() + pos_;
    const uint8_t code = static_cast<uint8_t>(p[2]);
    // The name is object count_ + 2 if new, after the cons and the pair.
    const uint64_t first_new = count_ + 2;
    const bool shared = code == mc::kCodeShared8;
    uint64_t len = 0;
    if (shared) {
      // A back-reference to an object before the cons (the cons and pair
      // are blocks): it must be a string.
      const uint64_t d = static_cast<uint8_t>(p[3]);
      if (d <= 2 || d > first_new ||
          !SharedString(objects_[first_new - d], name)) {
        return false;
      }
      name_node = static_cast<StringNode>(first_new - d);
    } else {
      len = code & 0x1F;
      name = std::string_view(p + 3, len);
      name_node = static_cast<StringNode>(first_new);
    }
    objects_[count_++] = kNotAString;  // The cons block, 2 fields.
    objects_[count_++] = kNotAString;  // The pair block, 2 fields.
    size_32_ += 6;
    size_64_ += 6;
    if (!shared) {
      objects_[count_++] = static_cast<uint32_t>(pos_ + 2);
      size_32_ += 1 + (len + 4) / 4;
      size_64_ += 1 + (len + 8) / 8;
    }
    const uint64_t option_at = pos_ + 2 + cell.name_bytes;
    pos_ += cell.size_bytes;
    if (static_cast<uint8_t>(data_[option_at]) == mc::kPrefixSmallInt) {
      crc = nullptr;
      return true;
    }
    objects_[count_++] = kNotAString;  // The Some block, 1 field.
    crc_node = static_cast<StringNode>(count_);
    objects_[count_++] = static_cast<uint32_t>(option_at + 1);
    crc = data_.data() + option_at + 2;
    size_32_ += 2 + 1 + (16 + 4) / 4;
    size_64_ += 2 + 1 + (16 + 8) / 8;
    return true;
  }

  // How many usual `crcs` cells (UsualCrcsCell) follow, and how many bytes
  // their new names (not the back-references) take, hopping from one to the
  // next without reading them; stops at the first other byte. Reads
  // nothing: it sizes the vectors the list is read into.
  struct UsualCells {
    uint64_t cells = 0;
    uint64_t new_name_bytes = 0;
    uint64_t shared_names = 0;  // Names that are back-references.
  };
  UsualCells CountUsualCrcsCells() const {
    UsualCells n;
    for (uint64_t at = pos_;;) {
      const UsualCell cell = UsualCrcsCellAt(at);
      if (cell.size_bytes == 0) return n;
      // A new name is its code byte and its bytes; a reference, 2 bytes.
      if (static_cast<uint8_t>(data_[at + 2]) != mc::kCodeShared8) {
        n.new_name_bytes += cell.name_bytes - 1;
      } else {
        ++n.shared_names;
      }
      at += cell.size_bytes;
      ++n.cells;
    }
  }

  // An option's header: the immediate 0 (None, \p some false) or a block
  // of tag 0 and one field (Some, whose field follows).
  bool OptionHeader(bool& some) {
    if (PeekImmediateZero()) {
      ++pos_;
      some = false;
      return true;
    }
    some = true;
    return Block(0, 1);
  }

  // Walks one value of any shape without decoding it (the export
  // information), checking and counting it as the general reader does.
  // Custom blocks and code pointers are left to the general reader.
  bool Skip() {
    uint64_t pending = 1;
    while (pending > 0) {
      --pending;
      const uint64_t code_at = pos_;
      uint8_t code;
      if (!Byte(code)) return false;
      if (code >= mc::kPrefixSmallBlock) {
        const uint64_t size = (code >> 4) & 0x7;
        if (size > 0) {
          if (!RecordBlock(size)) return false;
          pending += size;
        }
        continue;
      }
      if (code >= mc::kPrefixSmallInt) continue;
      if (code >= mc::kPrefixSmallString) {
        if (!SkipString(code_at, code & 0x1F)) return false;
        continue;
      }
      uint64_t n;
      switch (code) {
        case mc::kCodeInt8:
        case mc::kCodeInt16:
        case mc::kCodeInt32:
        case mc::kCodeInt64:
          if (!Unsigned(code == mc::kCodeInt8    ? 1
                        : code == mc::kCodeInt16 ? 2
                        : code == mc::kCodeInt32 ? 4
                                                 : 8,
                        n)) {
            return false;
          }
          break;
        case mc::kCodeShared8:
        case mc::kCodeShared16:
        case mc::kCodeShared32:
          if (!Unsigned(code == mc::kCodeShared8    ? 1
                        : code == mc::kCodeShared16 ? 2
                                                    : 4,
                        n) ||
              n == 0 || n > count_) {
            return false;
          }
          break;
        case mc::kCodeBlock32:
          if (!Unsigned(4, n)) return false;
          if ((n >> 10) > 0) {
            if (!RecordBlock(n >> 10)) return false;
            pending += n >> 10;
          }
          break;
        case mc::kCodeString8:
        case mc::kCodeString32:
          if (!Unsigned(code == mc::kCodeString8 ? 1 : 4, n) ||
              !SkipString(code_at, n)) {
            return false;
          }
          break;
        case mc::kCodeDoubleBig:
        case mc::kCodeDoubleLittle:
          if (data_.size() - pos_ < 8 || !Record(kNotAString)) {
            return false;
          }
          pos_ += 8;
          size_32_ += 3;
          size_64_ += 2;
          break;
        case mc::kCodeDoubleArray8Big:
        case mc::kCodeDoubleArray8Little:
        case mc::kCodeDoubleArray32Big:
        case mc::kCodeDoubleArray32Little: {
          const bool eight = code == mc::kCodeDoubleArray8Big ||
                             code == mc::kCodeDoubleArray8Little;
          if (!Unsigned(eight ? 1 : 4, n) || n > (data_.size() - pos_) / 8 ||
              !Record(kNotAString)) {
            return false;
          }
          pos_ += 8 * n;
          size_32_ += 1 + 2 * n;
          size_64_ += 1 + n;
          break;
        }
        default:
          return false;
      }
    }
    return true;
  }

 private:
  // Where the parts of the usual `crcs` cell (UsualCrcsCell) at a
  // position are; size_bytes is 0 if the bytes there are not one.
  struct UsualCell {
    uint64_t size_bytes;
    uint64_t name_bytes;  // The name's code and bytes, or its reference.
  };
  // The usual cell at \p at, from its bytes alone (a back-reference is not
  // followed).
  UsualCell UsualCrcsCellAt(uint64_t at) const {
    constexpr uint8_t kPairBlock = mc::kPrefixSmallBlock | 2 << 4;
    constexpr uint8_t kSomeBlock = mc::kPrefixSmallBlock | 1 << 4;
    constexpr uint8_t kCrcString = mc::kPrefixSmallString | 16;
    const uint64_t left = data_.size() - at;
    // cons, pair, name code, name or reference, None or Some.
    if (left < 4) return {0, 0};
    const char* p = data_.data() + at;
    const auto byte = [p](uint64_t i) { return static_cast<uint8_t>(p[i]); };
    if (byte(0) != kPairBlock || byte(1) != kPairBlock) return {0, 0};
    uint64_t name_bytes;
    if ((byte(2) & 0xE0) == mc::kPrefixSmallString) {
      name_bytes = 1 + (byte(2) & 0x1F);
    } else if (byte(2) == mc::kCodeShared8) {
      name_bytes = 2;
    } else {
      return {0, 0};
    }
    if (left < 3 + name_bytes) return {0, 0};
    const uint8_t option = byte(2 + name_bytes);
    if (option == mc::kPrefixSmallInt) return {3 + name_bytes, name_bytes};
    if (option == kSomeBlock && left >= 20 + name_bytes &&
        byte(3 + name_bytes) == kCrcString) {
      return {20 + name_bytes, name_bytes};
    }
    return {0, 0};
  }

  // What objects_ holds for an object that is not a string.
  static constexpr uint32_t kNotAString = UINT32_MAX;

  // The string whose code byte is at \p code_at (an objects_ entry), for a
  // back-reference to it; false if that object is not a string.
  bool SharedString(uint32_t code_at, std::string_view& s) const {
    if (code_at == kNotAString) return false;
    const uint8_t code = static_cast<uint8_t>(data_[code_at]);
    uint64_t at = code_at + 1, len;
    if (code >= mc::kPrefixSmallString && code < mc::kPrefixSmallInt) {
      len = code & 0x1F;
    } else if (code == mc::kCodeString8) {
      len = static_cast<uint8_t>(data_[at]);
      at += 1;
    } else {
      // kCodeString32: String() or SkipString() checked the 4 bytes and
      // the length when they recorded it.
      len = 0;
      for (int i = 0; i < 4; ++i)
        len = len << 8 | static_cast<uint8_t>(data_[at++]);
    }
    s = data_.substr(at, len);
    return true;
  }

  bool Byte(uint8_t& c) {
    if (pos_ >= data_.size()) return false;
    c = static_cast<uint8_t>(data_[pos_++]);
    return true;
  }
  bool Unsigned(int bytes, uint64_t& n) {
    if (data_.size() - pos_ < static_cast<uint64_t>(bytes)) return false;
    n = 0;
    for (int i = 0; i < bytes; ++i) {
      n = n << 8 | static_cast<uint8_t>(data_[pos_++]);
    }
    return true;
  }
  bool PeekImmediateZero() const {
    return pos_ < data_.size() &&
           static_cast<uint8_t>(data_[pos_]) == mc::kPrefixSmallInt;
  }
  bool BlockHeader(uint8_t& tag, uint64_t& size) {
    uint8_t code;
    if (!Byte(code)) return false;
    if (code >= mc::kPrefixSmallBlock) {
      tag = code & 0xF;
      size = (code >> 4) & 0x7;
      return true;
    }
    uint64_t hd;
    if (code != mc::kCodeBlock32 || !Unsigned(4, hd)) return false;
    tag = static_cast<uint8_t>(hd & 0xFF);
    size = hd >> 10;
    return true;
  }
  // Records a new object: \p code_at, the position of a string's code
  // byte, or kNotAString.
  bool Record(uint32_t code_at) {
    if (count_ >= max_objects_) return false;
    objects_[count_++] = code_at;
    return true;
  }
  bool RecordBlock(uint64_t size) {
    // Each field takes at least one byte of what is left.
    if (size > data_.size() - pos_) return false;
    if (!Record(kNotAString)) return false;
    size_32_ += 1 + size;
    size_64_ += 1 + size;
    return true;
  }
  // A string of \p len bytes whose header ends at pos_; \p code_at is the
  // position of its code byte.
  bool SkipString(uint64_t code_at, uint64_t len) {
    if (len > data_.size() - pos_ || !Record(static_cast<uint32_t>(code_at))) {
      return false;
    }
    pos_ += len;
    size_32_ += 1 + (len + 4) / 4;
    size_64_ += 1 + (len + 8) / 8;
    return true;
  }

  std::string_view data_;
  uint64_t max_objects_;
  uint64_t pos_ = 0;
  // For each object so far (count_ of them, max_objects_ at most), in
  // Marshal's numbering: the position of its code byte if it is a string
  // (back-references may name it), else kNotAString. 4 bytes an object: the
  // .cmx files of a deep graph have millions.
  uint32_t* objects_;
  uint64_t count_ = 0;
  uint64_t size_32_ = 0;
  uint64_t size_64_ = 0;
};

// One entry of a `crcs` list, part by part.
bool CrcsEntry(Cursor& c, Crcs& out, std::vector<ImportNodes>* nodes) {
  std::string_view name;
  ImportNodes n{};
  if (!c.Block(0, 2) || !c.String(name, n.name)) return false;
  bool some;
  if (!c.OptionHeader(some)) return false;
  Digest digest;
  if (some) {
    std::string_view crc;
    StringNode crc_node;
    if (!c.String(crc, crc_node) || crc.size() != 16) return false;
    std::memcpy(digest.data(), crc.data(), 16);
    n.crc = crc_node;
  }
  if (!out.Append(name, some ? &digest : nullptr)) return false;
  if (nodes != nullptr) nodes->push_back(n);
  return true;
}

// A `crcs` list: (string * Digest.t option) list; the string objects go
// to \p nodes unless it is null. A deep graph's .cmx files hold hundreds of
// thousands of entries in these lists: the usual cells are read at once.
bool ReadCrcs(Cursor& c, Crcs& out, std::vector<ImportNodes>* nodes) {
  // Sized once (growing would move a long list's entries a few times over
  // and fault in memory for each size it grows through); a list with other
  // cells grows past that.
  const Cursor::UsualCells usual = c.CountUsualCrcsCells();
  // A back-reference is usually the unit's own name (of its entry in
  // ui_imports_cmi): room for a long one each.
  out.Reserve(usual.cells, usual.new_name_bytes + 64 * usual.shared_names);
  if (nodes != nullptr) nodes->reserve(usual.cells);
  while (!c.ListEnd()) {
    std::string_view name;
    const char* crc;
    StringNode name_node, crc_node;
    if (c.UsualCrcsCell(name, name_node, crc, crc_node)) {
      Digest digest;
      if (crc != nullptr) std::memcpy(digest.data(), crc, 16);
      if (!out.Append(name, crc != nullptr ? &digest : nullptr)) return false;
      // Written in place: a copy of a local ImportNodes is read back in one
      // 8-byte load from two 4-byte stores, which stalls on every entry.
      if (nodes != nullptr) {
        ImportNodes& n = nodes->emplace_back();
        n.name = name_node;
        if (crc != nullptr) n.crc = crc_node;
      }
      continue;
    }
    if (!c.Block(0, 2) || !CrcsEntry(c, out, nodes)) return false;
  }
  return true;
}

bool Ints(Cursor& c, std::vector<int>& out) {
  return c.List([&] {
    int64_t v;
    if (!c.Int(v) || v < std::numeric_limits<int>::min() ||
        v > std::numeric_limits<int>::max()) {
      return false;
    }
    out.push_back(static_cast<int>(v));
    return true;
  });
}

}  // namespace

std::optional<FastUnitInfos> DecodeUnitInfosFast(std::string_view input,
                                                 ExportInfoKind kind,
                                                 OcamlVersion version,
                                                 ImportObjects import_objects) {
  absl::StatusOr<MarshalHeader> header = ReadMarshalHeader(input);
  // Positions are kept in 32 bits (Cursor::objects_).
  if (!header.ok() || header->data_size_bytes >= UINT32_MAX) {
    return std::nullopt;
  }
  // One scratch vector a thread: a link decodes thousands of files.
  thread_local std::vector<uint32_t> objects;
  Cursor c(input.substr(header->header_size_bytes, header->data_size_bytes),
           header->num_objects, objects);
  FastUnitInfos r;
  r.size_bytes = header->header_size_bytes + header->data_size_bytes;
  UnitInfos& ui = r.info;
  UnitInfosNodes& n = r.nodes;
  ui.export_info_kind = kind;
  ui.version = version;
  const bool has_for_pack = HasForPackField(version);
  std::string_view s;
  if (!c.Block(0, has_for_pack ? kUnitInfosFields + 1 : kUnitInfosFields)) {
    return std::nullopt;
  }
  if (!c.String(s, n.name)) return std::nullopt;
  ui.name = s;
  if (!c.String(s, n.symbol)) return std::nullopt;
  ui.symbol = s;
  if (!c.List([&] {
        StringNode node;
        if (!c.String(s, node)) return false;
        ui.defines.emplace_back(s);
        n.defines.push_back(node);
        return true;
      })) {
    return std::nullopt;
  }
  const bool record = import_objects == ImportObjects::kRecorded;
  if (!ReadCrcs(c, ui.imports_cmi, record ? &n.imports_cmi : nullptr) ||
      !ReadCrcs(c, ui.imports_cmx, record ? &n.imports_cmx : nullptr) ||
      !Ints(c, ui.curry_fun) || !Ints(c, ui.apply_fun) ||
      !Ints(c, ui.send_fun)) {
    return std::nullopt;
  }
  static_assert(kExportInfoField == 8);
  if (!c.Skip()) return std::nullopt;
  int64_t force_link;
  if (!c.Int(force_link) || (force_link != 0 && force_link != 1)) {
    return std::nullopt;
  }
  ui.force_link = force_link == 1;
  if (has_for_pack) {
    // ui_for_pack: string option.
    bool some;
    if (!c.OptionHeader(some)) return std::nullopt;
    if (some) {
      StringNode node;
      if (!c.String(s, node)) return std::nullopt;
      ui.for_pack = std::string(s);
    }
  }
  // What the general reader checks at the end.
  if (!c.AtEnd() || c.size_64() != header->size_64_words ||
      (header->size_32_words.has_value() &&
       *header->size_32_words != c.size_32())) {
    return std::nullopt;
  }
  return r;
}

}  // namespace camlsym::formats
