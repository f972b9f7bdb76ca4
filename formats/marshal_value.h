// A compact graph of OCaml values as Marshal reads and writes them.
//
// A MarshalGraph is an arena of nodes (blocks, strings, doubles, double
// arrays and custom blocks) addressed by NodeIndex. A Value is either an
// immediate OCaml int (63 bits, as on a 64-bit OCaml) or a reference to a
// node. Two fields that hold the same NodeIndex are the same OCaml object, so
// sharing (and cycles) are represented exactly: the Marshal writer emits a
// shared back-reference for the second occurrence, as extern.c does.
//
// Typed accessors (GetInt, GetString, GetList, ...) return
// kInvalidArgument with a message naming what was expected and what was
// found, so that callers decoding a Marshal'd OCaml record can report which
// field is malformed.
//
// Mirrors: runtime/caml/mlvalues.h, runtime/intern.c (OCaml 4.13.1).

#ifndef CAMLSYM_FORMATS_MARSHAL_VALUE_H_
#define CAMLSYM_FORMATS_MARSHAL_VALUE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace camlsym::formats {

/// Index of a node in a MarshalGraph; valid for the graph that returned it.
using NodeIndex = uint32_t;

/// OCaml block tags with a meaning for Marshal (runtime/caml/mlvalues.h).
inline constexpr uint8_t kLazyTag = 246;
inline constexpr uint8_t kClosureTag = 247;
inline constexpr uint8_t kObjectTag = 248;
inline constexpr uint8_t kInfixTag = 249;
inline constexpr uint8_t kForwardTag = 250;
inline constexpr uint8_t kAbstractTag = 251;
inline constexpr uint8_t kStringTag = 252;
inline constexpr uint8_t kDoubleTag = 253;
inline constexpr uint8_t kDoubleArrayTag = 254;
inline constexpr uint8_t kCustomTag = 255;

/// Smallest and largest OCaml int on a 64-bit platform (63-bit ints).
inline constexpr int64_t kMinOCamlInt = -(int64_t{1} << 62);
inline constexpr int64_t kMaxOCamlInt = (int64_t{1} << 62) - 1;

/// An OCaml value: an immediate int or a reference to a MarshalGraph node.
/// Encoded in one word like an OCaml value: ints are (n << 1) | 1.
class Value {
 public:
  /// The immediate int \p n. \p n outside [kMinOCamlInt, kMaxOCamlInt] wraps
  /// to 63 bits, as OCaml's Val_long does.
  static constexpr Value Int(int64_t n) {
    return Value(static_cast<uint64_t>(n) << 1 | 1);
  }
  /// A reference to node \p node of some MarshalGraph.
  static constexpr Value Ref(NodeIndex node) {
    return Value(static_cast<uint64_t>(node) << 1);
  }
  /// OCaml's unit, false, [] and None: the immediate 0.
  static constexpr Value Unit() { return Int(0); }

  /// True for an immediate int.
  constexpr bool is_int() const { return (bits_ & 1) != 0; }
  /// The int; meaningful only if is_int().
  constexpr int64_t int_value() const {
    return static_cast<int64_t>(bits_) >> 1;
  }
  /// The node; meaningful only if !is_int().
  constexpr NodeIndex node() const {
    return static_cast<NodeIndex>(bits_ >> 1);
  }

  friend constexpr bool operator==(Value, Value) = default;

 private:
  constexpr explicit Value(uint64_t bits) : bits_(bits) {}
  uint64_t bits_;
};

/// What a node holds.
enum class NodeKind : uint8_t {
  kBlock,        ///< A structured block: tag and fields.
  kString,       ///< String_tag: bytes.
  kDouble,       ///< Double_tag: one boxed float.
  kDoubleArray,  ///< Double_array_tag: unboxed floats.
  kCustom,       ///< Custom_tag: identifier and serialized payload.
};

/// The Marshal code a custom block was (or is to be) written with.
enum class CustomEncoding : uint8_t {
  kFixed,       ///< CODE_CUSTOM_FIXED: sizes implied by the identifier.
  kLen,         ///< CODE_CUSTOM_LEN: sizes stored before the payload.
  kDeprecated,  ///< CODE_CUSTOM: no sizes (pre-4.08 writers).
};

/// A custom block as stored in the graph. Views point into the graph.
struct CustomView {
  std::string_view identifier;  ///< E.g. "_i", "_j", "_n"; no NUL.
  std::string_view payload;     ///< The serialized bytes, as on the wire.
  CustomEncoding encoding;
  uint64_t size_32_bytes;  ///< In-memory size on a 32-bit platform.
  uint64_t size_64_bytes;  ///< In-memory size on a 64-bit platform.
};

/// A block as stored in the graph. The span points into the graph and is
/// invalidated by any Add* call.
struct BlockView {
  uint8_t tag;
  absl::Span<const Value> fields;
};

/// An arena of OCaml heap objects. Movable, not copyable (graphs are large).
class MarshalGraph {
 public:
  MarshalGraph() = default;
  MarshalGraph(MarshalGraph&&) = default;
  MarshalGraph& operator=(MarshalGraph&&) = default;
  MarshalGraph(const MarshalGraph&) = delete;
  MarshalGraph& operator=(const MarshalGraph&) = delete;

  /// Reserves room for \p nodes nodes, \p fields block fields and \p bytes
  /// string bytes, so that building a graph of known size does not
  /// reallocate. Callers bound the counts (e.g. by their input's size).
  void Reserve(size_t nodes, size_t fields, size_t bytes) {
    nodes_.reserve(nodes);
    fields_.reserve(fields);
    bytes_.reserve(bytes);
  }

  /// @{ Building. Each call adds one node and returns a reference to it.
  /// A block of tag \p tag whose fields are \p fields (may be empty: an atom).
  Value AddBlock(uint8_t tag, absl::Span<const Value> fields);
  /// A block of \p size fields, all Value::Int(0), to be set with SetField.
  Value AddBlockOfSize(uint8_t tag, size_t size);
  /// An OCaml string holding \p bytes (any bytes, including NUL).
  Value AddString(std::string_view bytes);
  /// A boxed float.
  Value AddDouble(double d);
  /// A flat float array (Double_array_tag).
  Value AddDoubleArray(absl::Span<const double> ds);
  /// A custom block; \p payload is the serialized form (e.g. 4 big-endian
  /// bytes for "_i"), sizes are the in-memory sizes in bytes.
  Value AddCustom(std::string_view identifier, std::string_view payload,
                  CustomEncoding encoding, uint64_t size_32_bytes,
                  uint64_t size_64_bytes);
  /// An Int32.t ("_i", fixed 4/4 bytes) holding \p n.
  Value AddInt32(int32_t n);
  /// An Int64.t ("_j", fixed 8/8 bytes) holding \p n.
  Value AddInt64(int64_t n);
  /// A Nativeint.t ("_n", fixed 4/8 bytes) holding \p n, serialized as a
  /// 64-bit runtime does (1 + 4 bytes if it fits 32 bits, else 1 + 8).
  Value AddNativeint(int64_t n);
  /// The OCaml list of \p elements (blocks of tag 0 and size 2, then 0).
  Value AddList(absl::Span<const Value> elements);
  /// None (for nullopt) or Some v (a block of tag 0 and size 1).
  Value AddOption(std::optional<Value> v);
  /// Sets field \p index of block \p block to \p v. kInvalidArgument if
  /// \p block is not a block node of this graph or \p index is out of range.
  absl::Status SetField(Value block, size_t index, Value v);
  /// @}

  /// Number of nodes.
  size_t node_count() const { return nodes_.size(); }
  /// True if \p v is an int or a reference to a node of this graph.
  bool IsValid(Value v) const { return v.is_int() || v.node() < nodes_.size(); }
  /// The kind of node \p v; kInvalidArgument if \p v is an int or dangling.
  absl::StatusOr<NodeKind> Kind(Value v) const;

  /// @{ Typed accessors. Each returns kInvalidArgument, with a message saying
  /// what was expected and what \p v is, if \p v has another shape.
  /// An immediate int.
  absl::StatusOr<int64_t> GetInt(Value v) const;
  /// An immediate int that fits an `int`.
  absl::StatusOr<int> GetSmallInt(Value v) const;
  /// An OCaml bool: the immediate 0 or 1.
  absl::StatusOr<bool> GetBool(Value v) const;
  /// A string node; the view lives as long as the graph (until the next Add*).
  absl::StatusOr<std::string_view> GetString(Value v) const;
  /// A boxed float.
  absl::StatusOr<double> GetDouble(Value v) const;
  /// A flat float array.
  absl::StatusOr<absl::Span<const double>> GetDoubleArray(Value v) const;
  /// A custom block.
  absl::StatusOr<CustomView> GetCustom(Value v) const;
  /// Any structured block, including atoms (size 0).
  absl::StatusOr<BlockView> GetBlock(Value v) const;
  /// A structured block with tag \p tag and exactly \p size fields.
  absl::StatusOr<absl::Span<const Value>> GetBlock(Value v, uint8_t tag,
                                                   size_t size) const;
  /// The elements of an OCaml list (0, or tag-0 size-2 blocks). A cyclic
  /// list is kInvalidArgument.
  absl::StatusOr<std::vector<Value>> GetList(Value v) const;
  /// An OCaml option: nullopt for None (0), the payload for Some.
  absl::StatusOr<std::optional<Value>> GetOption(Value v) const;
  /// @}

  /// A short description of \p v for error messages ("int 3",
  /// "block tag 0 size 2", "string of 5 bytes", ...).
  std::string Describe(Value v) const;

 private:
  struct Node {
    NodeKind kind;
    uint8_t tag;
    uint64_t begin;  // Into fields_, bytes_, doubles_ or customs_.
    uint64_t size;   // Fields, bytes or doubles; unused for customs.
  };
  struct Custom {
    uint64_t ident_begin, ident_size, payload_begin, payload_size;
    CustomEncoding encoding;
    uint64_t size_32_bytes, size_64_bytes;
  };

  absl::StatusOr<const Node*> GetNode(Value v, NodeKind kind,
                                      std::string_view expected) const;

  std::vector<Node> nodes_;
  std::vector<Value> fields_;
  std::string bytes_;
  std::vector<double> doubles_;
  std::vector<Custom> customs_;
};

}  // namespace camlsym::formats

#endif  // CAMLSYM_FORMATS_MARSHAL_VALUE_H_
