// Frame descriptors and frame tables: how the runtime's GC and exception
// unwinder find the live OCaml values and the caller of every return
// address in generated code. Target-neutral: a descriptor is a return
// address label, a frame size and live slots, written in the runtime's
// format (runtime/caml/stack.h `frame_descr`).
//
// Mirrors: asmcomp/emitaux.ml (`frame_descr`, `record_frame_descr`,
// `emit_frames`) and runtime/caml/stack.h (OCaml 4.13.1).
#ifndef CAMLSYM_EMITTERS_FRAME_TABLE_H_
#define CAMLSYM_EMITTERS_FRAME_TABLE_H_

#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "camlsym/emitters/directive.h"
#include "camlsym/symbols/asm_symbol.h"

namespace camlsym {

/// One frame descriptor, without debug information (camlsym's generated
/// code carries none, so flag bit 0 is never set).
struct FrameDescriptor {
  /// The label right after the call instruction.
  const AsmLabel* return_address = nullptr;
  /// Bytes from the stack pointer at the call to just above this function's
  /// own return address (emit.mlp `frame_size`, outgoing arguments
  /// included). A multiple of 4.
  int frame_size_bytes = 0;
  /// Live OCaml values at the call: a stack offset in bytes from the stack
  /// pointer at the call, or `(register number << 1) | 1` for a register
  /// (proc.ml numbering).
  std::vector<int> live;
  /// Set for allocation and poll points (flag bit 1): the size in words,
  /// header included, of each allocation the GC must perform on return;
  /// empty for a poll point. nullopt for ordinary calls.
  std::optional<std::vector<int>> allocation_words;
};

/// Appends, in the current section, the descriptor count (a word) and each
/// descriptor of \p descriptors in the runtime's format: return address
/// (word), frame size | flags (16 bits), live count and live slots (16 bits
/// each), for allocation points the allocation count and `words - 2` (8
/// bits each), then alignment to \p word_size_bytes. kInvalidArgument if a
/// frame size is not a multiple of 4 or a value does not fit its field
/// (Stack_frame_too_large in emitaux.ml), if an allocation is outside
/// [2, 257] words, or if there are 256 allocations or more.
absl::Status EmitFrameTable(DirectiveStream& out,
                            const std::vector<FrameDescriptor>& descriptors,
                            int word_size_bytes = 8);

}  // namespace camlsym

#endif  // CAMLSYM_EMITTERS_FRAME_TABLE_H_
