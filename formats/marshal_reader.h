// Reads OCaml Marshal data (output_value / Marshal.to_string) into a
// MarshalGraph.
//
// Every code of the 4.13 format is understood. Code pointers and infix
// pointers (closures marshaled with [Closures]) cannot be represented and are
// kUnimplemented, as are custom blocks other than Int32 ("_i"), Int64 ("_j")
// and Nativeint ("_n"), whose payload length only their deserializer knows.
//
// The reader trusts nothing in its input: every length is checked against
// the bytes that remain before anything is allocated, back-references are
// range-checked, the object count, data length and the 32- and 64-bit word
// sizes of the header are verified against the data, and nesting is handled
// with an explicit stack (no recursion), so any input yields a graph or an
// error.
//
// Mirrors: runtime/intern.c, runtime/caml/intext.h (OCaml 4.13.1).

#ifndef CAMLSYM_FORMATS_MARSHAL_READER_H_
#define CAMLSYM_FORMATS_MARSHAL_READER_H_

#include <cstdint>
#include <optional>
#include <string_view>

#include "absl/status/statusor.h"
#include "camlsym/formats/marshal_value.h"

namespace camlsym::formats {

/// The header in front of Marshal data.
struct MarshalHeader {
  enum class Format {
    kSmall,  ///< Magic 0x8495A6BE, 20 bytes, 32-bit fields.
    kBig,    ///< Magic 0x8495A6BF, 32 bytes, 64-bit fields.
  };
  Format format;
  uint64_t header_size_bytes;  ///< 20 or 32.
  uint64_t data_size_bytes;    ///< Bytes of data after the header.
  uint64_t num_objects;        ///< Objects that a back-reference can name.
  /// Heap words the value takes on a 32-bit runtime (small header only).
  std::optional<uint64_t> size_32_words;
  /// Heap words the value takes on a 64-bit runtime.
  uint64_t size_64_words;

  friend bool operator==(const MarshalHeader&, const MarshalHeader&) = default;
};

/// Parses the header at the start of \p input.
/// \p base_offset_bytes is added to the byte offsets in error messages (pass
/// the position of \p input in its file).
/// Errors: kInvalidArgument ("marshal data at byte N: ...") if the magic is
/// neither small nor big, the header is truncated, or the data it announces
/// is longer than \p input.
absl::StatusOr<MarshalHeader> ReadMarshalHeader(std::string_view input,
                                                uint64_t base_offset_bytes = 0);

/// A value read by ReadMarshal.
struct MarshalData {
  MarshalHeader header;
  MarshalGraph graph;  ///< Owns every node of the value.
  Value root;          ///< The value that was marshaled.
  /// Bytes consumed from the input: header plus data. Whatever follows
  /// (e.g. the CRC of a .cmx file) is not read.
  uint64_t size_bytes;
};

/// Reads one marshaled value from the start of \p input; trailing bytes after
/// the header's data length are left alone.
/// \p base_offset_bytes is added to the byte offsets in error messages.
/// Errors, each "marshal data at byte N: ..." with N the offset of the
/// offending code or field:
/// - kInvalidArgument: bad magic; truncated header or data; an unknown code;
///   a back-reference to no object; a length or size past the end of the
///   data; more objects than the header's count; the value ending before or
///   after the header's data length; header word sizes that differ from the
///   data's; a malformed custom payload.
/// - kUnimplemented: a code pointer or infix pointer (marshaled closures), a
///   custom block with an identifier other than "_i", "_j" and "_n".
absl::StatusOr<MarshalData> ReadMarshal(std::string_view input,
                                        uint64_t base_offset_bytes = 0);

/// Options of ReadMarshalSkipping.
struct MarshalSkip {
  /// The field of the root block whose value is read and checked (every
  /// error above still applies) but not stored: the field reads as the
  /// immediate 0, and so does a back-reference to an object inside it.
  /// Skipping a large field that the caller does not need (such as a .cmx's
  /// export information) saves building its nodes.
  uint64_t root_field;
};

/// ReadMarshal, with \p skip.root_field of the root block skipped.
absl::StatusOr<MarshalData> ReadMarshalSkipping(std::string_view input,
                                                MarshalSkip skip,
                                                uint64_t base_offset_bytes = 0);

}  // namespace camlsym::formats

#endif  // CAMLSYM_FORMATS_MARSHAL_READER_H_
