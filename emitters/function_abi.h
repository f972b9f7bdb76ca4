// What the OCaml backends decide alike on x86-64 and AArch64 when they lay
// out a function, per OCaml release: where arguments beyond the registers
// go (4.13: the stack; 5.x: the domain state's `extra_params`, then the
// stack), where a value lives while the function runs (a register, a stack
// slot, a word in memory or in the domain state), whether a function
// starts with OCaml 5's stack check and what that check and its
// `caml_call_realloc_stack` stub compute, and whether frame sizes are
// rounded to 16 bytes. The targets' startup emitters
// (x86_64/generic_functions.cc, aarch64/generic_functions.cc) supply the
// registers and the instructions; the numbers come from here.
//
// Mirrors: asmcomp/amd64/proc.ml and asmcomp/arm64/proc.ml
// (`calling_conventions`, `loc_arguments`, `size_domainstate_args`),
// asmcomp/amd64/emit.mlp and asmcomp/arm64/emit.mlp (`frame_size`,
// `fundecl`'s "Dynamic stack checking"), runtime/caml/domain_state.tbl
// (`current_stack`, `extra_params`), runtime/caml/stack.h
// (`Stack_threshold_words`) and runtime/caml/fiber.h (`Stack_ctx_words`)
// (OCaml 4.13.1, 5.3.0, 5.4.1).
#ifndef CAMLSYM_EMITTERS_FUNCTION_ABI_H_
#define CAMLSYM_EMITTERS_FUNCTION_ABI_H_

#include <span>

#include "camlsym/formats/ocaml_version.h"

namespace camlsym {

/// Bytes in a word on both 64-bit targets.
inline constexpr int kAbiWordBytes = 8;

/// Rounds \p n up to a multiple of \p a (a > 0).
constexpr int AlignUpBytes(int n, int a) { return (n + a - 1) / a * a; }

/// Where a value is while a function runs: a register, a stack slot (byte
/// offset from the stack pointer of the function body, before any
/// outgoing-argument area is pushed), a word in memory at a register plus
/// a displacement, or a word of the domain state (byte offset from the
/// domain state pointer, r14 / x28). \p Reg is the target's register type.
template <typename Reg>
struct ValueLoc {
  enum class Kind { kReg, kStack, kMem, kDomainState };
  Kind kind = Kind::kReg;
  Reg reg{};
  int offset = 0;

  static ValueLoc R(Reg r) { return ValueLoc{Kind::kReg, r, 0}; }
  static ValueLoc Stack(int offset) {
    return ValueLoc{Kind::kStack, Reg{}, offset};
  }
  static ValueLoc Mem(Reg base, int disp) {
    return ValueLoc{Kind::kMem, base, disp};
  }
  static ValueLoc DomainState(int offset) {
    return ValueLoc{Kind::kDomainState, Reg{}, offset};
  }
  friend bool operator==(const ValueLoc&, const ValueLoc&) = default;
};

/// Where OCaml calls of one release pass integer arguments (proc.ml
/// `loc_arguments` / `loc_parameters`): the target's argument registers
/// first; then, from OCaml 5.0, the 64 words of the domain state's
/// `extra_params`; then the stack, in an area the caller reserves,
/// 16-byte aligned. 4.13 has no domain-state words.
class ArgumentConvention {
 public:
  /// The convention of \p version with \p num_arg_regs integer argument
  /// registers (x86-64: 10; AArch64: 16, 8 on macOS).
  ArgumentConvention(formats::OcamlVersion version, int num_arg_regs);

  /// Argument registers.
  int num_arg_regs() const { return num_arg_regs_; }
  /// Words of the domain state's `extra_params` used for arguments (0 in
  /// 4.13, 64 in 5.x: proc.ml `size_domainstate_args`).
  int domain_state_words() const { return domain_state_words_; }
  /// Byte offset of `extra_params` in the domain state: its index in
  /// runtime/caml/domain_state.tbl times 8 (456 in 5.1, 472 in 5.2, 480 in
  /// 5.3, 512 in 5.4.1, as their tables and ocamlopt's code show); 0 in
  /// 4.13.
  int domain_state_offset_bytes() const { return domain_state_offset_; }

  /// Argument \p i on entry to a function whose frame (the part of the
  /// stack the function itself reserved, x86-64's return address
  /// included) is \p frame_bytes: `regs[i]`, a domain-state word or a
  /// stack slot above the frame. \p regs holds num_arg_regs() registers.
  template <typename Reg>
  ValueLoc<Reg> Incoming(std::span<const Reg> regs, int i,
                         int frame_bytes) const {
    if (i < num_arg_regs_) return ValueLoc<Reg>::R(regs[i]);
    const int extra = i - num_arg_regs_;
    if (extra < domain_state_words_) {
      return ValueLoc<Reg>::DomainState(domain_state_offset_ +
                                        kAbiWordBytes * extra);
    }
    return ValueLoc<Reg>::Stack(frame_bytes +
                                kAbiWordBytes * (extra - domain_state_words_));
  }

  /// Argument \p i of an outgoing call whose stack area (OutgoingAreaBytes)
  /// is \p area_bytes, as a body offset once that area is pushed.
  template <typename Reg>
  ValueLoc<Reg> Outgoing(std::span<const Reg> regs, int i,
                         int area_bytes) const {
    if (i < num_arg_regs_) return ValueLoc<Reg>::R(regs[i]);
    const int extra = i - num_arg_regs_;
    if (extra < domain_state_words_) {
      return ValueLoc<Reg>::DomainState(domain_state_offset_ +
                                        kAbiWordBytes * extra);
    }
    return ValueLoc<Reg>::Stack(kAbiWordBytes * (extra - domain_state_words_) -
                                area_bytes);
  }

  /// Bytes of stack a call with \p num_args arguments needs for those
  /// beyond the registers and the domain state, rounded up to 16 (proc.ml
  /// `calling_conventions`); 0 if they all fit.
  int OutgoingAreaBytes(int num_args) const;

 private:
  int num_arg_regs_;
  int domain_state_words_;
  int domain_state_offset_;
};

/// Whether a function makes non-tail calls (Mach's
/// `fun_contains_nontail_calls`), which OCaml 5's stack check depends on.
enum class NonTailCalls { kNo, kYes };

/// The functions of a startup file (cmm_helpers.ml `entry_point`,
/// `curry_function`, `tuplify_function`, `apply_function`,
/// `send_function`).
enum class StartupFunction {
  kProgram,       ///< caml_program
  kCurryClosure,  ///< caml_curryN, caml_curryN_K but the last
  kCurryApp,      ///< caml_curryN_K_app
  kFinalCurry,    ///< caml_curryN_{N-1}
  kTuplify,       ///< caml_tuplifyN
  kApply,         ///< caml_applyN
  kSend,          ///< caml_sendN
};

/// What a startup function's body calls, which decides OCaml 5's stack
/// check: whether it makes non-tail calls, and the largest
/// outgoing-argument area it pushes.
struct FunctionCalls {
  NonTailCalls calls = NonTailCalls::kNo;
  int extra_stack_bytes = 0;
};

/// The calls of \p f for arity \p arity (N of its name; unused for
/// kProgram and kCurryClosure) under \p conv, the same on every target:
/// caml_program calls each module's entry; a curry closure only allocates;
/// the full applications of caml_curryN_K_app, caml_curryN_{N-1} and
/// caml_tuplifyN are tail calls unless their N + 1 arguments overflow
/// the registers and the domain state (selectgen.ml: then a call with a
/// stack area, and a return); caml_applyN's slow path applies one
/// argument at a time, and so does caml_sendN's (N + 1 arguments and the
/// closure) when N > 0.
FunctionCalls CallsOf(StartupFunction f, int arity,
                      const ArgumentConvention& conv);

/// OCaml 5's stack check at a function's entry (emit.mlp `fundecl`): a
/// function that makes non-tail calls, or whose frame with its largest
/// outgoing-argument area reaches Stack_threshold_words words, first
/// compares the stack pointer with `Caml_state->current_stack` plus room
/// for the frame, the fiber's stack context and the threshold, and calls
/// `caml_call_realloc_stack` with the words it wants when that room is
/// missing. 4.13 has no check.
class StackCheck {
 public:
  /// Runtime/caml/stack.h `Stack_threshold_words` (Config.stack_threshold).
  static constexpr int kThresholdWords = 32;
  /// Runtime/caml/fiber.h `Stack_ctx_words` (Domainstate.stack_ctx_words).
  static constexpr int kStackCtxWords = 7;
  /// Byte offset of `current_stack` in the domain state (its 6th field in
  /// domain_state.tbl of 5.x).
  static constexpr int kCurrentStackOffsetBytes = 40;

  /// The check of a function of \p version whose frame is \p frame_bytes
  /// (emit.mlp `frame_size`) and whose body pushes at most
  /// \p extra_stack_bytes of outgoing arguments (`fun_extra_stack_used`).
  static StackCheck For(formats::OcamlVersion version, NonTailCalls calls,
                        int frame_bytes, int extra_stack_bytes);
  /// The same for the body's \p calls (CallsOf()).
  static StackCheck For(formats::OcamlVersion version,
                        const FunctionCalls& calls, int frame_bytes) {
    return For(version, calls.calls, frame_bytes, calls.extra_stack_bytes);
  }

  /// Whether the function starts with the check.
  bool needed() const { return needed_; }
  /// The frame plus the largest outgoing-argument area, in bytes.
  int max_frame_bytes() const { return max_frame_bytes_; }
  /// What the check adds to `current_stack` before comparing with the
  /// stack pointer: the frame and the (Stack_ctx_words +
  /// Stack_threshold_words) words below it, in bytes.
  int limit_offset_bytes() const {
    return max_frame_bytes_ +
           (kStackCtxWords + kThresholdWords) * kAbiWordBytes;
  }
  /// The words the stub asks `caml_call_realloc_stack` for:
  /// Stack_threshold_words plus the frame's words.
  int realloc_words() const {
    return kThresholdWords + max_frame_bytes_ / kAbiWordBytes;
  }

 private:
  StackCheck(bool needed, int max_frame_bytes)
      : needed_(needed), max_frame_bytes_(max_frame_bytes) {}
  bool needed_;
  int max_frame_bytes_;
};

/// Whether \p version's x86-64 emit.mlp `frame_size` rounds a frame that
/// holds anything (return address, locals) up to 16 bytes: 4.13 and 5.1
/// do; from 5.2 (whose caml_call_gc and C calls switch to the C stack)
/// frames are the bytes they hold. AArch64's `frame_size` rounds in every
/// release, since its stack pointer must stay 16-byte aligned.
constexpr bool X86_64RoundsFrames(formats::OcamlVersion version) {
  return version == formats::OcamlVersion::k413 ||
         version == formats::OcamlVersion::k51;
}

}  // namespace camlsym

#endif  // CAMLSYM_EMITTERS_FUNCTION_ABI_H_
