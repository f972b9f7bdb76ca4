#include "camlsym/formats/unit_infos_fast.h"

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
constexpr uint64_t kUnitInfosFields = 10;

// Reads one Marshal value's parts in order. Every method returns false on
// anything it does not handle; the decoder then gives up.
class Cursor {
 public:
  Cursor(std::string_view data, uint64_t max_objects)
      : data_(data), max_objects_(max_objects) {}

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
          d == 0 || d > objects_.size()) {
        return false;
      }
      const Object& o = objects_[objects_.size() - d];
      if (!o.is_string) return false;
      s = data_.substr(o.offset, o.length);
      node = static_cast<StringNode>(objects_.size() - d);
      return true;
    } else {
      return false;
    }
    if (len > data_.size() - pos_) return false;
    node = static_cast<StringNode>(objects_.size());
    if (!Record(Object{pos_, len, true})) return false;
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
        if (!SkipString(code & 0x1F)) return false;
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
              n == 0 || n > objects_.size()) {
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
              !SkipString(n)) {
            return false;
          }
          break;
        case mc::kCodeDoubleBig:
        case mc::kCodeDoubleLittle:
          if (data_.size() - pos_ < 8 || !Record(Object{pos_, 8, false})) {
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
              !Record(Object{pos_, 8 * n, false})) {
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
  struct Object {
    uint64_t offset;
    uint64_t length;
    bool is_string;
  };

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
  bool Record(Object o) {
    if (objects_.size() >= max_objects_) return false;
    objects_.push_back(o);
    return true;
  }
  bool RecordBlock(uint64_t size) {
    // Each field takes at least one byte of what is left.
    if (size > data_.size() - pos_) return false;
    if (!Record(Object{pos_, 0, false})) return false;
    size_32_ += 1 + size;
    size_64_ += 1 + size;
    return true;
  }
  bool SkipString(uint64_t len) {
    if (len > data_.size() - pos_ || !Record(Object{pos_, len, true})) {
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
  std::vector<Object> objects_;
  uint64_t size_32_ = 0;
  uint64_t size_64_ = 0;
};

// A `crcs` list: (string * Digest.t option) list.
bool Crcs(Cursor& c, std::vector<Import>& out,
          std::vector<ImportNodes>& nodes) {
  return c.List([&] {
    std::string_view name;
    ImportNodes n{};
    if (!c.Block(0, 2) || !c.String(name, n.name)) return false;
    Import import{std::string(name), std::nullopt};
    bool some;
    if (!c.OptionHeader(some)) return false;
    if (some) {
      std::string_view crc;
      StringNode crc_node;
      if (!c.String(crc, crc_node) || crc.size() != 16) return false;
      Digest d;
      std::memcpy(d.data(), crc.data(), 16);
      import.crc = d;
      n.crc = crc_node;
    }
    out.push_back(std::move(import));
    nodes.push_back(n);
    return true;
  });
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
                                                 ExportInfoKind kind) {
  absl::StatusOr<MarshalHeader> header = ReadMarshalHeader(input);
  if (!header.ok()) return std::nullopt;
  Cursor c(input.substr(header->header_size_bytes, header->data_size_bytes),
           header->num_objects);
  FastUnitInfos r;
  r.size_bytes = header->header_size_bytes + header->data_size_bytes;
  UnitInfos& ui = r.info;
  UnitInfosNodes& n = r.nodes;
  ui.export_info_kind = kind;
  std::string_view s;
  if (!c.Block(0, kUnitInfosFields)) return std::nullopt;
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
  if (!Crcs(c, ui.imports_cmi, n.imports_cmi) ||
      !Crcs(c, ui.imports_cmx, n.imports_cmx) || !Ints(c, ui.curry_fun) ||
      !Ints(c, ui.apply_fun) || !Ints(c, ui.send_fun)) {
    return std::nullopt;
  }
  static_assert(kExportInfoField == 8);
  if (!c.Skip()) return std::nullopt;
  int64_t force_link;
  if (!c.Int(force_link) || (force_link != 0 && force_link != 1)) {
    return std::nullopt;
  }
  ui.force_link = force_link == 1;
  // What the general reader checks at the end.
  if (!c.AtEnd() || c.size_64() != header->size_64_words ||
      (header->size_32_words.has_value() &&
       *header->size_32_words != c.size_32())) {
    return std::nullopt;
  }
  return r;
}

}  // namespace camlsym::formats
