// The per-target half of the startup file: the code the startup file
// contains (caml_program and the generic functions caml_applyN, caml_curryN
// and friends, caml_tuplifyN, caml_sendN) and the frame descriptors of that
// code. The target-neutral half (data tables, markers, ordering) lives in
// startup.h and drives an implementation of this interface, one per
// architecture (x86_64/generic_functions.h, aarch64/generic_functions.h).
//
// Mirrors: asmcomp/cmm_helpers.ml (`entry_point`, `apply_function`,
// `curry_function`, `tuplify_function`, `send_function`) as compiled by
// asmcomp/<arch>/emit.mlp (`fundecl`, `begin_assembly`) (OCaml 4.13.1).
#ifndef CAMLSYM_EMITTERS_STARTUP_TARGET_H_
#define CAMLSYM_EMITTERS_STARTUP_TARGET_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "camlsym/emitters/directive.h"
#include "camlsym/emitters/frame_table.h"

namespace camlsym {

/// Largest arity of a generic function (cmm_helpers.ml: closures hold the
/// arity in 8 signed bits; caml_sendN takes one argument less).
inline constexpr int kMaxGenericArity = 126;
/// Largest N for which caml_curryN has the `_app` shortcuts
/// (cmm_helpers.ml `max_arity_optimized`).
inline constexpr int kMaxCurryAppArity = 15;

/// The closure info word (cmm_helpers.ml `closure_info`): \p arity in the
/// top 8 bits, the start of the environment (\p startenv_words) shifted
/// left by 1, and a low 1 bit so that the GC sees an integer.
constexpr int64_t ClosureInfo(int arity, int startenv_words) {
  return static_cast<int64_t>((static_cast<uint64_t>(arity) << 56) |
                              (static_cast<uint64_t>(startenv_words) << 1) |
                              1u);
}

/// The header of a white closure block of \p size_words fields
/// (Closure_tag 247; runtime/caml/mlvalues.h).
constexpr int64_t ClosureHeader(int size_words) {
  return (static_cast<int64_t>(size_words) << 10) | 247;
}

/// kInvalidArgument, naming \p what and the range, unless
/// \p lo <= \p arity <= \p hi.
absl::Status CheckGenericArity(std::string_view what, int arity, int lo,
                               int hi);

/// Emits the code of a startup file for one architecture. Each Emit* call
/// appends whole functions to \p out (switching to the text section), and
/// records their frame descriptors. Errors: kAlreadyExists if a function is
/// emitted twice into the same stream, kInvalidArgument for an arity the
/// generic function does not exist for; other codes as DirectiveStream.
class StartupTarget {
 public:
  virtual ~StartupTarget() = default;

  /// Target constants that emit.mlp `begin_assembly` puts first (x86-64:
  /// `caml_negf_mask`, `caml_absf_mask`); may append nothing.
  virtual absl::Status EmitBeginAssembly(DirectiveStream& out) = 0;

  /// `caml_program`: calls each of \p entries (the modules'
  /// `caml<U>__entry`) in order, adding 1 to `caml_globals_inited` after
  /// each, then returns Val_unit.
  virtual absl::Status EmitProgram(
      DirectiveStream& out, const std::vector<BackendSymbol>& entries) = 0;

  /// The functions cmm_helpers.ml `curry_function` generates for
  /// \p arity: for arity >= 2 the chain `caml_curryN`, `caml_curryN_K`
  /// (and `caml_curryN_K_app` while N <= 15); for arity <= -2
  /// `caml_tuplify<-arity>`. kInvalidArgument for -1, 0, 1 or |arity| > 126.
  /// The chain is the same on every target; the targets supply its pieces
  /// (the protected hooks below).
  absl::Status EmitCurry(DirectiveStream& out, int arity);

  /// `caml_apply<arity>`. kInvalidArgument unless 2 <= arity <= 126.
  virtual absl::Status EmitApply(DirectiveStream& out, int arity) = 0;

  /// `caml_send<arity>`. kInvalidArgument unless 0 <= arity <= 125.
  virtual absl::Status EmitSend(DirectiveStream& out, int arity) = 0;

  /// Whether the startup file's data symbols must all be global, including
  /// the anonymous constants (the predefined exceptions' names). True on
  /// AArch64, whose emit.mlp `emit_item` makes every `Cdefine_symbol`
  /// global under `-dlcode` because GOT relocations against local symbols
  /// go wrong; false on x86-64.
  virtual bool GlobalizesDataSymbols() const { return false; }

  /// Whether the file's frame table symbol gets `.type sym, %object`
  /// before its `.size` (emit.mlp `end_assembly`): arm64's in every
  /// release, amd64's from OCaml 5.4.
  virtual bool TypesFrametable() const { return false; }

  /// The descriptors of every call and GC point emitted so far, in
  /// emission order.
  const std::vector<FrameDescriptor>& frame_descriptors() const {
    return frames_;
  }
  /// Appends a descriptor (used by the targets' function emitters).
  void RecordFrame(FrameDescriptor fd) { frames_.push_back(std::move(fd)); }

 protected:
  /// `caml_curry<arity>` (\p num = 0) or `caml_curry<arity>_<num>`: takes
  /// one argument and a closure, returns the closure that waits for the
  /// next argument.
  virtual absl::Status EmitCurryClosure(DirectiveStream& out, int arity,
                                        int num) = 0;
  /// `caml_curry<arity>_<num>_app`: the full application from the partial
  /// closure after \p num arguments (arity <= kMaxCurryAppArity only).
  virtual absl::Status EmitCurryApp(DirectiveStream& out, int arity,
                                    int num) = 0;
  /// `caml_curry<arity>_<arity-1>`: the last argument, then the call.
  virtual absl::Status EmitFinalCurry(DirectiveStream& out, int arity) = 0;
  /// `caml_tuplify<arity>`.
  virtual absl::Status EmitTuplify(DirectiveStream& out, int arity) = 0;

 private:
  std::vector<FrameDescriptor> frames_;
};

/// The out-of-line calls to `caml_call_gc` of one function, kept as emit.mlp
/// keeps its `call_gc_sites`: each GC point (allocation or poll) branches
/// to its own site; after the function body each site calls caml_call_gc,
/// whose return address carries the point's frame descriptor, and branches
/// back. The instructions are the target's; the bookkeeping is this.
///
/// Mirrors: asmcomp/amd64/emit.mlp and asmcomp/arm64/emit.mlp
/// (`call_gc_sites`, `emit_call_gc`) (OCaml 4.13.1).
class CallGcSites {
 public:
  /// At a GC point: appends a conditional branch (opcode \p branch, e.g.
  /// x86-64 `jb`, AArch64 `b.lo`) to a new site, defines the label the site
  /// returns to, and records \p frame with \p target, its return address set to
  /// the site's call. Errors as DirectiveStream::Define().
  absl::Status Add(DirectiveStream& out, uint16_t branch, FrameDescriptor frame,
                   StartupTarget& target);

  /// After the body: for each site in order, its label, \p call, the
  /// return-address label, then an unconditional branch (opcode \p jump:
  /// `jmp`, `b`) back. Errors as
  /// DirectiveStream::Define().
  absl::Status Emit(DirectiveStream& out, const Instruction& call,
                    uint16_t jump) const;

 private:
  struct Site {
    AsmLabel* call;
    AsmLabel* frame;
    AsmLabel* resume;
  };
  std::vector<Site> sites_;
};

}  // namespace camlsym

#endif  // CAMLSYM_EMITTERS_STARTUP_TARGET_H_
