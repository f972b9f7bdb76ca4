// The target-neutral half of emitting one startup function: the function's
// symbol and frame, the outgoing-argument areas pushed below the frame, the
// frame descriptors of its calls and GC points (their frame size is the
// frame plus what is pushed), its out-of-line `caml_call_gc` sites, and
// OCaml 5's stack check decision. The x86-64 and AArch64 FunctionEmitters
// (x86_64/generic_functions.cc, aarch64/generic_functions.cc) derive from
// it and supply the instructions.
//
// Mirrors: asmcomp/<arch>/emit.mlp (`fundecl`, `frame_size` with
// `stack_offset`, `record_frame_label`, `call_gc_sites`) (OCaml 4.13.1,
// 5.3.0, 5.4.1).
#ifndef CAMLSYM_EMITTERS_FUNCTION_EMITTER_H_
#define CAMLSYM_EMITTERS_FUNCTION_EMITTER_H_

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "camlsym/emitters/directive.h"
#include "camlsym/emitters/function_abi.h"
#include "camlsym/emitters/parallel_move.h"
#include "camlsym/emitters/startup_target.h"
#include "camlsym/symbols/backend_symbol.h"

namespace camlsym {

/// The bookkeeping of one function being emitted into a DirectiveStream.
/// Not copyable; lives while its function is emitted.
class FunctionEmitterBase {
 public:
  FunctionEmitterBase(const FunctionEmitterBase&) = delete;
  FunctionEmitterBase& operator=(const FunctionEmitterBase&) = delete;

  /// A fresh local label, and its definition here (errors as
  /// DirectiveStream::Define()).
  AsmLabel* NewLabel() { return ctx_.CreateLabel(); }
  absl::Status DefineLabel(AsmLabel* label) { return out_.Define(*label); }

  /// The offset from the stack pointer right now of the body stack slot at
  /// \p body_offset_bytes (an offset before any area was pushed).
  int SlotOffset(int body_offset_bytes) const {
    return body_offset_bytes + adjust_bytes_;
  }

 protected:
  /// Emits the function named \p name, whose frame is \p frame_bytes (the
  /// target's emit.mlp `frame_size`) and whose body makes \p calls, into
  /// \p out for \p target (which collects the frame descriptors).
  FunctionEmitterBase(StartupTarget& target, formats::OcamlVersion version,
                      DirectiveStream& out, const BackendSymbol& name,
                      int frame_bytes, const FunctionCalls& calls)
      : target_(target),
        version_(version),
        out_(out),
        ctx_(out.context()),
        sym_(ctx_.GetOrCreateSymbol(name)),
        frame_bytes_(frame_bytes),
        check_(StackCheck::For(version, calls, frame_bytes)) {}
  ~FunctionEmitterBase() = default;

  /// Records that \p bytes were pushed below the frame (negative: popped),
  /// and tells the CFA.
  void NoteStackPushed(int bytes) {
    out_.AdjustCfa(bytes);
    adjust_bytes_ += bytes;
  }

  /// Defines \p label here and records a descriptor for it: the frame plus
  /// what is pushed, \p live slots, and \p alloc_words for a GC point.
  absl::Status RecordFrameAt(AsmLabel* label, std::vector<int> live,
                             std::optional<std::vector<int>> alloc_words) {
    if (absl::Status s = out_.Define(*label); !s.ok()) return s;
    target_.RecordFrame(FrameDescriptor{label, frame_bytes_ + adjust_bytes_,
                                        std::move(live),
                                        std::move(alloc_words)});
    return absl::OkStatus();
  }

  /// A GC point: the conditional branch \p branch to a new `caml_call_gc`
  /// site, whose return address carries a descriptor with \p live_slots
  /// and \p alloc_words (empty for a poll).
  absl::Status AddGcSite(uint16_t branch, std::vector<int> live_slots,
                         std::vector<int> alloc_words) {
    return gc_sites_.Add(
        out_, branch,
        FrameDescriptor{nullptr, frame_bytes_ + adjust_bytes_,
                        std::move(live_slots), std::move(alloc_words)},
        target_);
  }

  /// After the body: each GC site's \p call_gc and \p jump back.
  absl::Status EmitGcSites(const Instruction& call_gc, uint16_t jump) {
    return gc_sites_.Emit(out_, call_gc, jump);
  }

  /// Performs all of \p moves as if simultaneously with \p move (one
  /// word); kInternal, naming the function, if they form a cycle.
  template <typename Loc, typename MoveFn>
  absl::Status ParallelMoveWith(std::vector<std::pair<Loc, Loc>> moves,
                                MoveFn move) {
    return SequentializeMoves(std::move(moves), move, sym_->encoded());
  }

  StartupTarget& target_;
  formats::OcamlVersion version_;
  DirectiveStream& out_;
  AsmContext& ctx_;
  AsmSymbol* sym_;
  int frame_bytes_;
  StackCheck check_;
  int adjust_bytes_ = 0;

 private:
  CallGcSites gc_sites_;
};

}  // namespace camlsym

#endif  // CAMLSYM_EMITTERS_FUNCTION_EMITTER_H_
