// Writes a MarshalGraph value as OCaml's `Marshal.to_string v []` does on a
// 64-bit little-endian runtime (amd64, arm64), byte for byte.
//
// The traversal, the choice of codes, the numbering of objects and the
// shared back-references follow extern.c: a node reached a second time is
// written as a back-reference (node identity is OCaml's physical equality),
// blocks of size 0 (atoms) are neither numbered nor shared, a Forward_tag
// block whose field may be short-circuited is replaced by its field, and
// floats are written little-endian. The header is the 20-byte small one
// unless the data length or a word size reaches 2^32, then the 32-byte big
// one.
//
// Mirrors: runtime/extern.c, runtime/caml/intext.h (OCaml 4.13.1).

#ifndef CAMLSYM_FORMATS_MARSHAL_WRITER_H_
#define CAMLSYM_FORMATS_MARSHAL_WRITER_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "camlsym/formats/marshal_value.h"

namespace camlsym::formats {

/// Returns the Marshal header extern.c writes for data of \p data_size_bytes
/// bytes holding \p num_objects numbered objects that take \p size_32_words
/// and \p size_64_words heap words on 32- and 64-bit runtimes: 20 bytes
/// (magic 0x8495A6BE) if all of data size and word sizes are below 2^32,
/// else 32 bytes (magic 0x8495A6BF, no 32-bit size). Never fails.
std::string EncodeMarshalHeader(uint64_t data_size_bytes, uint64_t num_objects,
                                uint64_t size_32_words, uint64_t size_64_words);

/// Returns the bytes of `Marshal.to_string v []` for the value \p root of
/// \p graph (header included).
/// Errors: kInvalidArgument if a reference is dangling (not a node of
/// \p graph), or a block has a tag OCaml cannot marshal as a plain block
/// (Closure_tag 247, Infix_tag 249, Abstract_tag 251, or 252..255, which
/// only string, float, float array and custom nodes may have).
absl::StatusOr<std::string> WriteMarshal(const MarshalGraph& graph, Value root);

}  // namespace camlsym::formats

#endif  // CAMLSYM_FORMATS_MARSHAL_WRITER_H_
