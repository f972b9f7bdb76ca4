#include "camlsym/formats/marshal_writer.h"

#include <bit>
#include <limits>
#include <vector>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "camlsym/formats/marshal_codes.h"
#include "camlsym/formats/str_cat.h"

namespace camlsym::formats {
namespace {

namespace mc = marshal_codes;

constexpr uint64_t kNotWritten = std::numeric_limits<uint64_t>::max();

void PutBigEndian(std::string& out, uint64_t n, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) {
    out.push_back(static_cast<char>((n >> (8 * i)) & 0xFF));
  }
}

void PutCode(std::string& out, uint8_t code, uint64_t n, int bytes) {
  out.push_back(static_cast<char>(code));
  PutBigEndian(out, n, bytes);
}

void PutDoubleLittle(std::string& out, double d) {
  const uint64_t bits = std::bit_cast<uint64_t>(d);
  for (int i = 0; i < 8; ++i) {
    out.push_back(static_cast<char>((bits >> (8 * i)) & 0xFF));
  }
}

class Writer {
 public:
  explicit Writer(const MarshalGraph& graph)
      : graph_(graph), position_(graph.node_count(), kNotWritten) {}

  absl::Status Run(Value root);

  const std::string& data() const { return out_; }
  uint64_t obj_counter() const { return obj_counter_; }
  uint64_t size_32() const { return size_32_; }
  uint64_t size_64() const { return size_64_; }

 private:
  // Fields of a block still to be written.
  struct Pending {
    absl::Span<const Value> fields;
  };

  void WriteInt(int64_t n);
  void WriteHeader(uint64_t size, uint8_t tag);
  void WriteSharedReference(uint64_t d);
  void RecordLocation(NodeIndex node) { position_[node] = obj_counter_++; }

  const MarshalGraph& graph_;
  std::vector<uint64_t> position_;  // Object number of each written node.
  std::string out_;
  uint64_t obj_counter_ = 0;
  uint64_t size_32_ = 0;
  uint64_t size_64_ = 0;
};

void Writer::WriteInt(int64_t n) {
  if (n >= 0 && n < 0x40) {
    out_.push_back(static_cast<char>(mc::kPrefixSmallInt + n));
  } else if (n >= -(1 << 7) && n < (1 << 7)) {
    PutCode(out_, mc::kCodeInt8, static_cast<uint64_t>(n), 1);
  } else if (n >= -(1 << 15) && n < (1 << 15)) {
    PutCode(out_, mc::kCodeInt16, static_cast<uint64_t>(n), 2);
  } else if (n < -(int64_t{1} << 30) || n >= (int64_t{1} << 30)) {
    PutCode(out_, mc::kCodeInt64, static_cast<uint64_t>(n), 8);
  } else {
    PutCode(out_, mc::kCodeInt32, static_cast<uint64_t>(n), 4);
  }
}

void Writer::WriteHeader(uint64_t size, uint8_t tag) {
  if (tag < 16 && size < 8) {
    out_.push_back(
        static_cast<char>(mc::kPrefixSmallBlock + tag + (size << 4)));
    return;
  }
  // Make_header(size, tag, Caml_white): color bits 8-9 are 0.
  const uint64_t hd = size << 10 | tag;
  if (hd < uint64_t{1} << 32) {
    PutCode(out_, mc::kCodeBlock32, hd, 4);
  } else {
    PutCode(out_, mc::kCodeBlock64, hd, 8);
  }
}

void Writer::WriteSharedReference(uint64_t d) {
  if (d < 0x100) {
    PutCode(out_, mc::kCodeShared8, d, 1);
  } else if (d < 0x10000) {
    PutCode(out_, mc::kCodeShared16, d, 2);
  } else if (d >= uint64_t{1} << 32) {
    PutCode(out_, mc::kCodeShared64, d, 8);
  } else {
    PutCode(out_, mc::kCodeShared32, d, 4);
  }
}

absl::Status Writer::Run(Value root) {
  std::vector<Pending> stack;
  Value v = root;
  while (true) {
    // Writes `v`; a block with fields continues with its first field.
    bool descended = false;
    if (v.is_int()) {
      WriteInt(v.int_value());
    } else {
      if (!graph_.IsValid(v)) {
        return absl::InvalidArgumentError(internal::StrCat(
            "WriteMarshal: dangling node reference ", v.node()));
      }
      const NodeIndex node = v.node();
      const NodeKind kind = *graph_.Kind(v);
      if (kind == NodeKind::kBlock) {
        const BlockView block = *graph_.GetBlock(v);
        if (block.tag == kForwardTag && block.fields.size() == 1) {
          // extern.c short-circuits a forwarded value unless it is a block
          // that is itself Forward_tag, Lazy_tag or Double_tag.
          const Value f = block.fields[0];
          bool keep = false;
          if (!f.is_int() && graph_.IsValid(f)) {
            const NodeKind fk = *graph_.Kind(f);
            keep = fk == NodeKind::kDouble ||
                   (fk == NodeKind::kBlock &&
                    (graph_.GetBlock(f)->tag == kForwardTag ||
                     graph_.GetBlock(f)->tag == kLazyTag));
          }
          if (!keep) {
            v = f;
            continue;
          }
        }
        if (block.tag == kClosureTag || block.tag == kInfixTag ||
            block.tag >= kAbstractTag) {
          return absl::InvalidArgumentError(internal::StrCat(
              "WriteMarshal: a plain block cannot have tag ", block.tag));
        }
        if (block.fields.empty()) {
          WriteHeader(0, block.tag);
        } else if (position_[node] != kNotWritten) {
          WriteSharedReference(obj_counter_ - position_[node]);
        } else {
          WriteHeader(block.fields.size(), block.tag);
          size_32_ += 1 + block.fields.size();
          size_64_ += 1 + block.fields.size();
          RecordLocation(node);
          if (block.fields.size() > 1) {
            stack.push_back(Pending{block.fields.subspan(1)});
          }
          v = block.fields[0];
          descended = true;
        }
      } else if (position_[node] != kNotWritten) {
        WriteSharedReference(obj_counter_ - position_[node]);
      } else {
        switch (kind) {
          case NodeKind::kString: {
            const std::string_view s = *graph_.GetString(v);
            const uint64_t len = s.size();
            if (len < 0x20) {
              out_.push_back(static_cast<char>(mc::kPrefixSmallString + len));
            } else if (len < 0x100) {
              PutCode(out_, mc::kCodeString8, len, 1);
            } else if (len < uint64_t{1} << 32) {
              PutCode(out_, mc::kCodeString32, len, 4);
            } else {
              PutCode(out_, mc::kCodeString64, len, 8);
            }
            out_.append(s);
            size_32_ += 1 + (len + 4) / 4;
            size_64_ += 1 + (len + 8) / 8;
            break;
          }
          case NodeKind::kDouble:
            out_.push_back(static_cast<char>(mc::kCodeDoubleLittle));
            PutDoubleLittle(out_, *graph_.GetDouble(v));
            size_32_ += 1 + 2;
            size_64_ += 1 + 1;
            break;
          case NodeKind::kDoubleArray: {
            const absl::Span<const double> ds = *graph_.GetDoubleArray(v);
            const uint64_t n = ds.size();
            if (n < 0x100) {
              PutCode(out_, mc::kCodeDoubleArray8Little, n, 1);
            } else if (n < uint64_t{1} << 32) {
              PutCode(out_, mc::kCodeDoubleArray32Little, n, 4);
            } else {
              PutCode(out_, mc::kCodeDoubleArray64Little, n, 8);
            }
            for (double d : ds) PutDoubleLittle(out_, d);
            size_32_ += 1 + 2 * n;
            size_64_ += 1 + n;
            break;
          }
          case NodeKind::kCustom: {
            const CustomView c = *graph_.GetCustom(v);
            switch (c.encoding) {
              case CustomEncoding::kFixed:
                out_.push_back(static_cast<char>(mc::kCodeCustomFixed));
                break;
              case CustomEncoding::kLen:
                out_.push_back(static_cast<char>(mc::kCodeCustomLen));
                break;
              case CustomEncoding::kDeprecated:
                out_.push_back(static_cast<char>(mc::kCodeCustom));
                break;
            }
            out_.append(c.identifier);
            out_.push_back('\0');
            if (c.encoding == CustomEncoding::kLen) {
              PutBigEndian(out_, c.size_32_bytes, 4);
              PutBigEndian(out_, c.size_64_bytes, 8);
            }
            out_.append(c.payload);
            size_32_ += 2 + (c.size_32_bytes + 3) / 4;
            size_64_ += 2 + (c.size_64_bytes + 7) / 8;
            break;
          }
          case NodeKind::kBlock:
            break;  // Handled above.
        }
        RecordLocation(node);
      }
    }
    if (descended) continue;
    // Pop the next field to write, if any.
    if (stack.empty()) return absl::OkStatus();
    Pending& top = stack.back();
    v = top.fields[0];
    top.fields.remove_prefix(1);
    if (top.fields.empty()) stack.pop_back();
  }
}

}  // namespace

std::string EncodeMarshalHeader(uint64_t data_size_bytes, uint64_t num_objects,
                                uint64_t size_32_words,
                                uint64_t size_64_words) {
  std::string header;
  constexpr uint64_t kLimit = uint64_t{1} << 32;
  if (data_size_bytes >= kLimit || size_32_words >= kLimit ||
      size_64_words >= kLimit) {
    PutBigEndian(header, mc::kMagicBig, 4);
    PutBigEndian(header, 0, 4);
    PutBigEndian(header, data_size_bytes, 8);
    PutBigEndian(header, num_objects, 8);
    PutBigEndian(header, size_64_words, 8);
  } else {
    PutBigEndian(header, mc::kMagicSmall, 4);
    PutBigEndian(header, data_size_bytes, 4);
    PutBigEndian(header, num_objects, 4);
    PutBigEndian(header, size_32_words, 4);
    PutBigEndian(header, size_64_words, 4);
  }
  return header;
}

absl::StatusOr<std::string> WriteMarshal(const MarshalGraph& graph,
                                         Value root) {
  Writer writer(graph);
  if (absl::Status s = writer.Run(root); !s.ok()) return s;
  std::string result =
      EncodeMarshalHeader(writer.data().size(), writer.obj_counter(),
                          writer.size_32(), writer.size_64());
  result.append(writer.data());
  return result;
}

}  // namespace camlsym::formats
