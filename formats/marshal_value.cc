#include "camlsym/formats/marshal_value.h"

#include <limits>

#include "absl/status/status.h"
#include "camlsym/formats/str_cat.h"

namespace camlsym::formats {
namespace {

void AppendBigEndian(std::string& out, uint64_t n, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) {
    out.push_back(static_cast<char>((n >> (8 * i)) & 0xFF));
  }
}

}  // namespace

Value MarshalGraph::AddBlock(uint8_t tag, absl::Span<const Value> fields) {
  nodes_.push_back(Node{NodeKind::kBlock, tag, fields_.size(), fields.size()});
  fields_.insert(fields_.end(), fields.begin(), fields.end());
  return Value::Ref(static_cast<NodeIndex>(nodes_.size() - 1));
}

Value MarshalGraph::AddBlockOfSize(uint8_t tag, size_t size) {
  nodes_.push_back(Node{NodeKind::kBlock, tag, fields_.size(), size});
  fields_.resize(fields_.size() + size, Value::Int(0));
  return Value::Ref(static_cast<NodeIndex>(nodes_.size() - 1));
}

Value MarshalGraph::AddString(std::string_view bytes) {
  nodes_.push_back(
      Node{NodeKind::kString, kStringTag, bytes_.size(), bytes.size()});
  bytes_.append(bytes);
  return Value::Ref(static_cast<NodeIndex>(nodes_.size() - 1));
}

Value MarshalGraph::AddDouble(double d) {
  nodes_.push_back(Node{NodeKind::kDouble, kDoubleTag, doubles_.size(), 1});
  doubles_.push_back(d);
  return Value::Ref(static_cast<NodeIndex>(nodes_.size() - 1));
}

Value MarshalGraph::AddDoubleArray(absl::Span<const double> ds) {
  nodes_.push_back(Node{NodeKind::kDoubleArray, kDoubleArrayTag,
                        doubles_.size(), ds.size()});
  doubles_.insert(doubles_.end(), ds.begin(), ds.end());
  return Value::Ref(static_cast<NodeIndex>(nodes_.size() - 1));
}

Value MarshalGraph::AddCustom(std::string_view identifier,
                              std::string_view payload, CustomEncoding encoding,
                              uint64_t size_32_bytes, uint64_t size_64_bytes) {
  Custom c;
  c.ident_begin = bytes_.size();
  c.ident_size = identifier.size();
  bytes_.append(identifier);
  c.payload_begin = bytes_.size();
  c.payload_size = payload.size();
  bytes_.append(payload);
  c.encoding = encoding;
  c.size_32_bytes = size_32_bytes;
  c.size_64_bytes = size_64_bytes;
  nodes_.push_back(Node{NodeKind::kCustom, kCustomTag, customs_.size(), 0});
  customs_.push_back(c);
  return Value::Ref(static_cast<NodeIndex>(nodes_.size() - 1));
}

Value MarshalGraph::AddInt32(int32_t n) {
  std::string payload;
  AppendBigEndian(payload, static_cast<uint32_t>(n), 4);
  return AddCustom("_i", payload, CustomEncoding::kFixed, 4, 4);
}

Value MarshalGraph::AddInt64(int64_t n) {
  std::string payload;
  AppendBigEndian(payload, static_cast<uint64_t>(n), 8);
  return AddCustom("_j", payload, CustomEncoding::kFixed, 8, 8);
}

Value MarshalGraph::AddNativeint(int64_t n) {
  std::string payload;
  if (n >= std::numeric_limits<int32_t>::min() &&
      n <= std::numeric_limits<int32_t>::max()) {
    payload.push_back(1);
    AppendBigEndian(payload, static_cast<uint32_t>(n), 4);
  } else {
    payload.push_back(2);
    AppendBigEndian(payload, static_cast<uint64_t>(n), 8);
  }
  return AddCustom("_n", payload, CustomEncoding::kFixed, 4, 8);
}

Value MarshalGraph::AddList(absl::Span<const Value> elements) {
  Value list = Value::Int(0);
  for (auto it = elements.rbegin(); it != elements.rend(); ++it) {
    const Value cell[2] = {*it, list};
    list = AddBlock(0, cell);
  }
  return list;
}

Value MarshalGraph::AddOption(std::optional<Value> v) {
  if (!v.has_value()) return Value::Int(0);
  const Value field[1] = {*v};
  return AddBlock(0, field);
}

absl::Status MarshalGraph::SetField(Value block, size_t index, Value v) {
  if (block.is_int() || block.node() >= nodes_.size() ||
      nodes_[block.node()].kind != NodeKind::kBlock) {
    return absl::InvalidArgumentError(
        internal::StrCat("SetField: expected a block, got ", Describe(block)));
  }
  const Node& n = nodes_[block.node()];
  if (index >= n.size) {
    return absl::InvalidArgumentError(internal::StrCat(
        "SetField: field ", index, " out of range for ", Describe(block)));
  }
  fields_[n.begin + index] = v;
  return absl::OkStatus();
}

absl::StatusOr<NodeKind> MarshalGraph::Kind(Value v) const {
  if (v.is_int()) {
    return absl::InvalidArgumentError(
        internal::StrCat("expected a heap object, got ", Describe(v)));
  }
  if (v.node() >= nodes_.size()) {
    return absl::InvalidArgumentError(
        internal::StrCat("dangling node reference ", v.node()));
  }
  return nodes_[v.node()].kind;
}

std::string MarshalGraph::Describe(Value v) const {
  if (v.is_int()) return internal::StrCat("int ", v.int_value());
  if (v.node() >= nodes_.size()) {
    return internal::StrCat("dangling node ", v.node());
  }
  const Node& n = nodes_[v.node()];
  switch (n.kind) {
    case NodeKind::kBlock:
      return internal::StrCat("block tag ", n.tag, " size ", n.size);
    case NodeKind::kString:
      return internal::StrCat("string of ", n.size, " bytes");
    case NodeKind::kDouble:
      return "float";
    case NodeKind::kDoubleArray:
      return internal::StrCat("float array of ", n.size, " elements");
    case NodeKind::kCustom: {
      const Custom& c = customs_[n.begin];
      return internal::StrCat(
          "custom block \"",
          std::string_view(bytes_).substr(c.ident_begin, c.ident_size), "\"");
    }
  }
  return "unknown node";
}

absl::StatusOr<const MarshalGraph::Node*> MarshalGraph::GetNode(
    Value v, NodeKind kind, std::string_view expected) const {
  if (v.is_int() || v.node() >= nodes_.size() ||
      nodes_[v.node()].kind != kind) {
    return absl::InvalidArgumentError(
        internal::StrCat("expected ", expected, ", got ", Describe(v)));
  }
  return &nodes_[v.node()];
}

absl::StatusOr<int64_t> MarshalGraph::GetInt(Value v) const {
  if (!v.is_int()) {
    return absl::InvalidArgumentError(
        internal::StrCat("expected an int, got ", Describe(v)));
  }
  return v.int_value();
}

absl::StatusOr<int> MarshalGraph::GetSmallInt(Value v) const {
  absl::StatusOr<int64_t> n = GetInt(v);
  if (!n.ok()) return n.status();
  if (*n < std::numeric_limits<int>::min() ||
      *n > std::numeric_limits<int>::max()) {
    return absl::InvalidArgumentError(
        internal::StrCat("int ", *n, " does not fit 32 bits"));
  }
  return static_cast<int>(*n);
}

absl::StatusOr<bool> MarshalGraph::GetBool(Value v) const {
  if (v == Value::Int(0)) return false;
  if (v == Value::Int(1)) return true;
  return absl::InvalidArgumentError(
      internal::StrCat("expected a bool (int 0 or 1), got ", Describe(v)));
}

absl::StatusOr<std::string_view> MarshalGraph::GetString(Value v) const {
  absl::StatusOr<const Node*> n = GetNode(v, NodeKind::kString, "a string");
  if (!n.ok()) return n.status();
  return std::string_view(bytes_).substr((*n)->begin, (*n)->size);
}

absl::StatusOr<double> MarshalGraph::GetDouble(Value v) const {
  absl::StatusOr<const Node*> n = GetNode(v, NodeKind::kDouble, "a float");
  if (!n.ok()) return n.status();
  return doubles_[(*n)->begin];
}

absl::StatusOr<absl::Span<const double>> MarshalGraph::GetDoubleArray(
    Value v) const {
  absl::StatusOr<const Node*> n =
      GetNode(v, NodeKind::kDoubleArray, "a float array");
  if (!n.ok()) return n.status();
  return absl::MakeConstSpan(doubles_).subspan((*n)->begin, (*n)->size);
}

absl::StatusOr<CustomView> MarshalGraph::GetCustom(Value v) const {
  absl::StatusOr<const Node*> n =
      GetNode(v, NodeKind::kCustom, "a custom block");
  if (!n.ok()) return n.status();
  const Custom& c = customs_[(*n)->begin];
  std::string_view bytes(bytes_);
  return CustomView{bytes.substr(c.ident_begin, c.ident_size),
                    bytes.substr(c.payload_begin, c.payload_size), c.encoding,
                    c.size_32_bytes, c.size_64_bytes};
}

absl::StatusOr<BlockView> MarshalGraph::GetBlock(Value v) const {
  absl::StatusOr<const Node*> n = GetNode(v, NodeKind::kBlock, "a block");
  if (!n.ok()) return n.status();
  return BlockView{
      (*n)->tag, absl::MakeConstSpan(fields_).subspan((*n)->begin, (*n)->size)};
}

absl::StatusOr<absl::Span<const Value>> MarshalGraph::GetBlock(
    Value v, uint8_t tag, size_t size) const {
  if (v.is_int() || v.node() >= nodes_.size() ||
      nodes_[v.node()].kind != NodeKind::kBlock ||
      nodes_[v.node()].tag != tag || nodes_[v.node()].size != size) {
    return absl::InvalidArgumentError(internal::StrCat(
        "expected a block tag ", tag, " size ", size, ", got ", Describe(v)));
  }
  const Node& n = nodes_[v.node()];
  return absl::MakeConstSpan(fields_).subspan(n.begin, n.size);
}

absl::StatusOr<std::vector<Value>> MarshalGraph::GetList(Value v) const {
  std::vector<Value> elements;
  size_t index = 0;
  while (v != Value::Int(0)) {
    // A list longer than the number of nodes must revisit a cell.
    if (index > nodes_.size()) {
      return absl::InvalidArgumentError("expected a list, got a cyclic list");
    }
    absl::StatusOr<absl::Span<const Value>> cell = GetBlock(v, 0, 2);
    if (!cell.ok()) {
      return absl::InvalidArgumentError(internal::StrCat(
          "expected a list, got ", Describe(v),
          index == 0 ? "" : internal::StrCat(" at element ", index)));
    }
    elements.push_back((*cell)[0]);
    v = (*cell)[1];
    ++index;
  }
  return elements;
}

absl::StatusOr<std::optional<Value>> MarshalGraph::GetOption(Value v) const {
  if (v == Value::Int(0)) return std::optional<Value>();
  absl::StatusOr<absl::Span<const Value>> some = GetBlock(v, 0, 1);
  if (!some.ok()) {
    return absl::InvalidArgumentError(
        internal::StrCat("expected an option, got ", Describe(v)));
  }
  return std::optional<Value>((*some)[0]);
}

}  // namespace camlsym::formats
