#include "camlsym/formats/marshal_reader.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "camlsym/formats/marshal_codes.h"
#include "camlsym/formats/str_cat.h"

namespace camlsym::formats {
namespace {

namespace mc = marshal_codes;

// Reads the value part of Marshal data with an explicit stack of blocks whose
// fields are still to be read.
class Reader {
 public:
  // \p data is the data after the header; \p data_offset its offset in the
  // caller's coordinates (for messages).
  Reader(std::string_view data, uint64_t data_offset,
         const MarshalHeader& header,
         std::optional<uint64_t> skip_root_field = std::nullopt)
      : data_(data),
        data_offset_(data_offset),
        header_(header),
        skip_root_field_(skip_root_field) {}

  absl::StatusOr<Value> Run(MarshalGraph& graph);

 private:
  struct Frame {
    Value block;
    uint64_t next;  // Next field to read.
    uint64_t size;  // Fields in the block.
    bool skipped;   // Part of a skipped subtree: no node was built.
  };

  // What an object of a skipped subtree reads as.
  static constexpr Value kSkipped = Value::Int(0);

  uint64_t remaining() const { return data_.size() - pos_; }

  absl::Status Error(uint64_t at, std::string_view what) const {
    return absl::InvalidArgumentError(internal::StrCat(
        "marshal data at byte ", data_offset_ + at, ": ", what));
  }
  absl::Status Unimplemented(uint64_t at, std::string_view what) const {
    return absl::UnimplementedError(internal::StrCat(
        "marshal data at byte ", data_offset_ + at, ": ", what));
  }

  // Checks that \p n more bytes are available.
  absl::Status Need(uint64_t n, std::string_view what) const {
    if (n > remaining()) {
      return Error(pos_, internal::StrCat("truncated: ", what, " needs ", n,
                                          " bytes but the data has ",
                                          remaining(), " left"));
    }
    return absl::OkStatus();
  }
  // Reads an unsigned big-endian number of \p bytes bytes; Need() first.
  uint64_t ReadUnsigned(int bytes) {
    uint64_t n = 0;
    for (int i = 0; i < bytes; ++i) {
      n = n << 8 | static_cast<uint8_t>(data_[pos_++]);
    }
    return n;
  }
  absl::StatusOr<uint64_t> ReadLength(int bytes, std::string_view what) {
    if (absl::Status s = Need(bytes, what); !s.ok()) return s;
    return ReadUnsigned(bytes);
  }

  // Records a new numbered object.
  absl::Status Record(Value v, uint64_t at) {
    if (objects_.size() >= header_.num_objects) {
      return Error(at,
                   internal::StrCat("more objects than the header's count of ",
                                    header_.num_objects));
    }
    objects_.push_back(v);
    return absl::OkStatus();
  }

  absl::StatusOr<Value> ReadBlock(MarshalGraph& graph, uint64_t at, uint8_t tag,
                                  uint64_t size);
  absl::StatusOr<Value> ReadString(MarshalGraph& graph, uint64_t at,
                                   uint64_t len);
  absl::StatusOr<Value> ReadDoubleArray(MarshalGraph& graph, uint64_t at,
                                        uint64_t len, bool big_endian);
  absl::StatusOr<Value> ReadCustom(MarshalGraph& graph, uint64_t at,
                                   uint8_t code);
  absl::StatusOr<Value> ReadShared(uint64_t at, uint64_t distance);
  // Reads one item; a block with fields is pushed on the stack.
  absl::StatusOr<Value> ReadItem(MarshalGraph& graph);

  std::string_view data_;
  uint64_t data_offset_;
  const MarshalHeader& header_;
  uint64_t pos_ = 0;
  std::vector<Value> objects_;
  std::vector<Frame> stack_;
  uint64_t pending_fields_ = 0;  // Fields allocated but not yet read.
  std::optional<uint64_t> skip_root_field_;
  bool skipping_ = false;  // The item being read is in a skipped subtree.
  uint64_t size_32_ = 0;
  uint64_t size_64_ = 0;
};

absl::StatusOr<Value> Reader::ReadBlock(MarshalGraph& graph, uint64_t at,
                                        uint8_t tag, uint64_t size) {
  if (size == 0) return graph.AddBlock(tag, {});  // Atoms are not numbered.
  // Each field takes at least one byte, including those still pending.
  if (size > remaining() || pending_fields_ + size > remaining()) {
    return Error(
        at, internal::StrCat("block of ", size, " fields is longer than the ",
                             remaining(), " bytes of data left"));
  }
  Value v = skipping_ ? kSkipped : graph.AddBlockOfSize(tag, size);
  if (absl::Status s = Record(v, at); !s.ok()) return s;
  size_32_ += 1 + size;
  size_64_ += 1 + size;
  stack_.push_back(Frame{v, 0, size, skipping_});
  pending_fields_ += size;
  return v;
}

absl::StatusOr<Value> Reader::ReadString(MarshalGraph& graph, uint64_t at,
                                         uint64_t len) {
  if (len > remaining()) {
    return Error(
        at, internal::StrCat("string of ", len, " bytes is longer than the ",
                             remaining(), " bytes of data left"));
  }
  Value v = skipping_ ? kSkipped : graph.AddString(data_.substr(pos_, len));
  pos_ += len;
  if (absl::Status s = Record(v, at); !s.ok()) return s;
  size_32_ += 1 + (len + 4) / 4;
  size_64_ += 1 + (len + 8) / 8;
  return v;
}

double DecodeDouble(std::string_view bytes, bool big_endian) {
  uint64_t bits = 0;
  for (int i = 0; i < 8; ++i) {
    const int index = big_endian ? i : 7 - i;
    bits = bits << 8 | static_cast<uint8_t>(bytes[index]);
  }
  return std::bit_cast<double>(bits);
}

absl::StatusOr<Value> Reader::ReadDoubleArray(MarshalGraph& graph, uint64_t at,
                                              uint64_t len, bool big_endian) {
  if (len > remaining() / 8) {
    return Error(at, internal::StrCat("float array of ", len,
                                      " elements is longer than the ",
                                      remaining(), " bytes of data left"));
  }
  Value v = kSkipped;
  if (!skipping_) {
    std::vector<double> ds(len);
    for (uint64_t i = 0; i < len; ++i) {
      ds[i] = DecodeDouble(data_.substr(pos_ + 8 * i, 8), big_endian);
    }
    v = graph.AddDoubleArray(ds);
  }
  pos_ += 8 * len;
  if (absl::Status s = Record(v, at); !s.ok()) return s;
  size_32_ += 1 + 2 * len;
  size_64_ += 1 + len;
  return v;
}

absl::StatusOr<Value> Reader::ReadCustom(MarshalGraph& graph, uint64_t at,
                                         uint8_t code) {
  const uint64_t ident_at = pos_;
  const size_t nul = data_.find('\0', pos_);
  if (nul == std::string_view::npos) {
    return Error(ident_at,
                 "truncated: custom block identifier has no terminating NUL");
  }
  const std::string_view ident = data_.substr(pos_, nul - pos_);
  pos_ = nul + 1;
  std::optional<uint64_t> stored_size_32, stored_size_64;
  if (code == mc::kCodeCustomLen) {
    if (absl::Status s = Need(12, "custom block sizes"); !s.ok()) return s;
    stored_size_32 = ReadUnsigned(4);
    stored_size_64 = ReadUnsigned(8);
  }
  // The payload length is known only to the deserializer of each identifier.
  uint64_t size_32 = 0, size_64 = 0, wire = 0;
  const uint64_t payload_at = pos_;
  if (ident == "_i") {
    size_32 = size_64 = wire = 4;
  } else if (ident == "_j") {
    size_32 = size_64 = wire = 8;
  } else if (ident == "_n") {
    size_32 = 4;
    size_64 = 8;
    if (absl::Status s = Need(1, "nativeint payload"); !s.ok()) return s;
    const uint8_t kind = static_cast<uint8_t>(data_[pos_]);
    if (kind == 1) {
      wire = 5;
    } else if (kind == 2) {
      wire = 9;
    } else {
      return Error(payload_at, "ill-formed native integer");
    }
  } else {
    return Unimplemented(
        ident_at, internal::StrCat("custom block identifier \"", ident,
                                   "\" is not supported (only _i, _j, _n)"));
  }
  if (stored_size_64.has_value() && *stored_size_64 != size_64) {
    return Error(ident_at,
                 internal::StrCat(
                     "incorrect length of serialized custom block \"", ident,
                     "\": ", *stored_size_64, " instead of ", size_64));
  }
  if (absl::Status s = Need(wire, "custom block payload"); !s.ok()) return s;
  const CustomEncoding encoding =
      code == mc::kCodeCustomFixed ? CustomEncoding::kFixed
      : code == mc::kCodeCustomLen ? CustomEncoding::kLen
                                   : CustomEncoding::kDeprecated;
  Value v = skipping_
                ? kSkipped
                : graph.AddCustom(ident, data_.substr(pos_, wire), encoding,
                                  stored_size_32.value_or(size_32),
                                  stored_size_64.value_or(size_64));
  pos_ += wire;
  if (absl::Status s = Record(v, at); !s.ok()) return s;
  size_32_ += 2 + (stored_size_32.value_or(size_32) + 3) / 4;
  size_64_ += 2 + (size_64 + 7) / 8;
  return v;
}

absl::StatusOr<Value> Reader::ReadShared(uint64_t at, uint64_t distance) {
  if (distance == 0 || distance > objects_.size()) {
    return Error(
        at, internal::StrCat("back-reference ", distance, " is out of range (",
                             objects_.size(), " objects read so far)"));
  }
  return objects_[objects_.size() - distance];
}

absl::StatusOr<Value> Reader::ReadItem(MarshalGraph& graph) {
  const uint64_t at = pos_;
  if (absl::Status s = Need(1, "a value"); !s.ok()) return s;
  const uint8_t code = static_cast<uint8_t>(data_[pos_++]);
  if (code >= mc::kPrefixSmallBlock) {
    return ReadBlock(graph, at, code & 0xF, (code >> 4) & 0x7);
  }
  if (code >= mc::kPrefixSmallInt) return Value::Int(code & 0x3F);
  if (code >= mc::kPrefixSmallString) {
    return ReadString(graph, at, code & 0x1F);
  }
  switch (code) {
    case mc::kCodeInt8:
    case mc::kCodeInt16:
    case mc::kCodeInt32:
    case mc::kCodeInt64: {
      const int bytes = code == mc::kCodeInt8    ? 1
                        : code == mc::kCodeInt16 ? 2
                        : code == mc::kCodeInt32 ? 4
                                                 : 8;
      absl::StatusOr<uint64_t> n = ReadLength(bytes, "an integer");
      if (!n.ok()) return n.status();
      // Sign-extend from the field's width; 64-bit values wrap to 63 bits.
      const int shift = 64 - 8 * bytes;
      return Value::Int(static_cast<int64_t>(*n << shift) >> shift);
    }
    case mc::kCodeShared8:
    case mc::kCodeShared16:
    case mc::kCodeShared32:
    case mc::kCodeShared64: {
      const int bytes = code == mc::kCodeShared8    ? 1
                        : code == mc::kCodeShared16 ? 2
                        : code == mc::kCodeShared32 ? 4
                                                    : 8;
      absl::StatusOr<uint64_t> d = ReadLength(bytes, "a back-reference");
      if (!d.ok()) return d.status();
      return ReadShared(at, *d);
    }
    case mc::kCodeBlock32:
    case mc::kCodeBlock64: {
      absl::StatusOr<uint64_t> hd =
          ReadLength(code == mc::kCodeBlock32 ? 4 : 8, "a block header");
      if (!hd.ok()) return hd.status();
      return ReadBlock(graph, at, static_cast<uint8_t>(*hd & 0xFF), *hd >> 10);
    }
    case mc::kCodeString8:
    case mc::kCodeString32:
    case mc::kCodeString64: {
      const int bytes = code == mc::kCodeString8    ? 1
                        : code == mc::kCodeString32 ? 4
                                                    : 8;
      absl::StatusOr<uint64_t> len = ReadLength(bytes, "a string length");
      if (!len.ok()) return len.status();
      return ReadString(graph, at, *len);
    }
    case mc::kCodeDoubleBig:
    case mc::kCodeDoubleLittle: {
      if (absl::Status s = Need(8, "a float"); !s.ok()) return s;
      Value v = graph.AddDouble(
          DecodeDouble(data_.substr(pos_, 8), code == mc::kCodeDoubleBig));
      pos_ += 8;
      if (absl::Status s = Record(v, at); !s.ok()) return s;
      size_32_ += 1 + 2;
      size_64_ += 1 + 1;
      return v;
    }
    case mc::kCodeDoubleArray8Big:
    case mc::kCodeDoubleArray8Little:
    case mc::kCodeDoubleArray32Big:
    case mc::kCodeDoubleArray32Little:
    case mc::kCodeDoubleArray64Big:
    case mc::kCodeDoubleArray64Little: {
      const bool big = code == mc::kCodeDoubleArray8Big ||
                       code == mc::kCodeDoubleArray32Big ||
                       code == mc::kCodeDoubleArray64Big;
      const int bytes = (code == mc::kCodeDoubleArray8Big ||
                         code == mc::kCodeDoubleArray8Little)
                            ? 1
                        : (code == mc::kCodeDoubleArray32Big ||
                           code == mc::kCodeDoubleArray32Little)
                            ? 4
                            : 8;
      absl::StatusOr<uint64_t> len = ReadLength(bytes, "a float array length");
      if (!len.ok()) return len.status();
      return ReadDoubleArray(graph, at, *len, big);
    }
    case mc::kCodeCodepointer:
      return Unimplemented(at,
                           "code pointers (marshaled closures) are not "
                           "supported");
    case mc::kCodeInfixpointer:
      return Unimplemented(at,
                           "infix pointers (marshaled closures) are not "
                           "supported");
    case mc::kCodeCustom:
    case mc::kCodeCustomLen:
    case mc::kCodeCustomFixed:
      return ReadCustom(graph, at, code);
    default:
      return Error(at, internal::StrCat("ill-formed message: unknown code 0x",
                                        absl::Hex(code, absl::kZeroPad2)));
  }
}

absl::StatusOr<Value> Reader::Run(MarshalGraph& graph) {
  objects_.reserve(std::min<uint64_t>(header_.num_objects, data_.size()));
  // Every node, field and string byte takes at least one byte of input, and
  // a graph has at most the header's 64-bit word count of fields: both bound
  // what is reserved.
  graph.Reserve(std::min<uint64_t>(header_.num_objects, data_.size()),
                std::min<uint64_t>(header_.size_64_words, data_.size()),
                data_.size());
  absl::StatusOr<Value> root = ReadItem(graph);
  if (!root.ok()) return root.status();
  while (!stack_.empty()) {
    Frame& top = stack_.back();
    const Value block = top.block;
    const uint64_t field = top.next++;
    skipping_ = top.skipped || (stack_.size() == 1 && skip_root_field_ &&
                                *skip_root_field_ == field);
    if (top.next == top.size) stack_.pop_back();  // `top` is now dangling.
    --pending_fields_;
    absl::StatusOr<Value> v = ReadItem(graph);
    if (!v.ok()) return v.status();
    if (skipping_) continue;
    if (absl::Status s = graph.SetField(block, field, *v); !s.ok()) return s;
  }
  if (pos_ != data_.size()) {
    return Error(pos_, internal::StrCat("the value ends ", data_.size() - pos_,
                                        " bytes before the end of the data"));
  }
  if (header_.size_32_words.has_value() && *header_.size_32_words != size_32_) {
    return Error(pos_,
                 internal::StrCat(
                     "the header says the value takes ", *header_.size_32_words,
                     " words on 32-bit platforms but it takes ", size_32_));
  }
  if (header_.size_64_words != size_64_) {
    return Error(pos_,
                 internal::StrCat(
                     "the header says the value takes ", header_.size_64_words,
                     " words on 64-bit platforms but it takes ", size_64_));
  }
  return *root;
}

uint64_t BigEndian(std::string_view bytes) {
  uint64_t n = 0;
  for (char c : bytes) n = n << 8 | static_cast<uint8_t>(c);
  return n;
}

}  // namespace

absl::StatusOr<MarshalHeader> ReadMarshalHeader(std::string_view input,
                                                uint64_t base_offset_bytes) {
  auto error = [&](uint64_t at, std::string_view what) {
    return absl::InvalidArgumentError(internal::StrCat(
        "marshal data at byte ", base_offset_bytes + at, ": ", what));
  };
  if (input.size() < 4) {
    return error(0, internal::StrCat("truncated: the header needs at least 20 "
                                     "bytes but the input has ",
                                     input.size()));
  }
  const uint32_t magic = static_cast<uint32_t>(BigEndian(input.substr(0, 4)));
  MarshalHeader h;
  if (magic == mc::kMagicSmall) {
    if (input.size() < mc::kSmallHeaderSizeBytes) {
      return error(0,
                   internal::StrCat("truncated: the header needs 20 bytes but "
                                    "the input has ",
                                    input.size()));
    }
    h.format = MarshalHeader::Format::kSmall;
    h.header_size_bytes = mc::kSmallHeaderSizeBytes;
    h.data_size_bytes = BigEndian(input.substr(4, 4));
    h.num_objects = BigEndian(input.substr(8, 4));
    h.size_32_words = BigEndian(input.substr(12, 4));
    h.size_64_words = BigEndian(input.substr(16, 4));
  } else if (magic == mc::kMagicBig) {
    if (input.size() < mc::kBigHeaderSizeBytes) {
      return error(0,
                   internal::StrCat("truncated: the big header needs 32 bytes "
                                    "but the input has ",
                                    input.size()));
    }
    h.format = MarshalHeader::Format::kBig;
    h.header_size_bytes = mc::kBigHeaderSizeBytes;
    h.data_size_bytes = BigEndian(input.substr(8, 8));
    h.num_objects = BigEndian(input.substr(16, 8));
    h.size_32_words = std::nullopt;
    h.size_64_words = BigEndian(input.substr(24, 8));
  } else {
    return error(0, internal::StrCat("bad magic number 0x",
                                     absl::Hex(magic, absl::kZeroPad8),
                                     " (expected 0x8495A6BE or 0x8495A6BF)"));
  }
  if (h.data_size_bytes > input.size() - h.header_size_bytes) {
    return error(
        4, internal::StrCat("truncated: the header announces ",
                            h.data_size_bytes, " bytes of data but ",
                            input.size() - h.header_size_bytes, " follow it"));
  }
  return h;
}

namespace {

absl::StatusOr<MarshalData> Read(std::string_view input,
                                 std::optional<uint64_t> skip_root_field,
                                 uint64_t base_offset_bytes) {
  absl::StatusOr<MarshalHeader> header =
      ReadMarshalHeader(input, base_offset_bytes);
  if (!header.ok()) return header.status();
  MarshalData result{*header, MarshalGraph(), Value::Unit(),
                     header->header_size_bytes + header->data_size_bytes};
  Reader reader(
      input.substr(header->header_size_bytes, header->data_size_bytes),
      base_offset_bytes + header->header_size_bytes, result.header,
      skip_root_field);
  absl::StatusOr<Value> root = reader.Run(result.graph);
  if (!root.ok()) return root.status();
  result.root = *root;
  return result;
}

}  // namespace

absl::StatusOr<MarshalData> ReadMarshal(std::string_view input,
                                        uint64_t base_offset_bytes) {
  return Read(input, std::nullopt, base_offset_bytes);
}

absl::StatusOr<MarshalData> ReadMarshalSkipping(std::string_view input,
                                                MarshalSkip skip,
                                                uint64_t base_offset_bytes) {
  return Read(input, skip.root_field, base_offset_bytes);
}

}  // namespace camlsym::formats
