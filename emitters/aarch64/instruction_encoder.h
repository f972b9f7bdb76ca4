// Machine code for the AArch64 instructions camlsym's emitters write: the
// integrated assembler's code emitter for AArch64, as LLVM's
// AArch64MCCodeEmitter is for MC. Takes one typed instruction
// (instruction_set.h) and returns its four bytes, chosen as GNU as 2.40
// chooses them (`ldr`/`str` with a scaled unsigned offset when it fits,
// else the unscaled `ldur`/`stur`; `mov` of a register as `orr`, of an
// immediate as `movz` or `movn`; `lsl`/`lsr`/`asr` as `ubfm`/`sbfm`;
// `cmp` as `subs` to xzr), plus the one fixup it may need, with the
// relocation GNU as chooses (R_AARCH64_CALL26, JUMP26, CONDBR19,
// ADR_GOT_PAGE, LD64_GOT_LO12_NC, ADR_PREL_PG_HI21, ADD_ABS_LO12_NC).
// AArch64 branches have one size: nothing is relaxed.
//
// The forms it accepts are listed once, in AArch64EncoderForms(): the
// encoder refuses any instruction whose opcode and operand kinds are not
// listed, and the tests derive their cases from the same list, so a form
// added here (OCaml 5's stack checks, `dmb ishld`, ...) is tested against
// GNU as without further edits.
//
// Mirrors: asmcomp/arm64/emit.mlp (OCaml 4.13.1: the instructions the arm64
// emitter writes); the Arm Architecture Reference Manual's A64 encodings;
// GNU as (gas/config/tc-aarch64.c) for the choices between aliases and for
// the relocations; the AArch64 ELF ABI (relocation types).
#ifndef CAMLSYM_EMITTERS_AARCH64_INSTRUCTION_ENCODER_H_
#define CAMLSYM_EMITTERS_AARCH64_INSTRUCTION_ENCODER_H_

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "absl/status/statusor.h"
#include "camlsym/emitters/aarch64/instruction_set.h"
#include "camlsym/emitters/asm_backend.h"
#include "camlsym/emitters/instruction.h"

namespace camlsym {

/// AArch64 instruction fixup kinds: each fills the immediate field of a
/// 4-byte instruction word (the fixup is at the instruction's start).
enum AArch64FixupKind : FixupKind {
  /// `bl`: imm26, R_AARCH64_CALL26.
  kAArch64FixupCall26 = kFirstTargetFixupKind,
  /// `b`: imm26, R_AARCH64_JUMP26.
  kAArch64FixupJump26,
  /// `b.cond`: imm19, R_AARCH64_CONDBR19.
  kAArch64FixupCondBr19,
  /// `adrp x, :got:sym`: R_AARCH64_ADR_GOT_PAGE.
  kAArch64FixupAdrGotPage,
  /// `ldr x, [x, #:got_lo12:sym]`: R_AARCH64_LD64_GOT_LO12_NC.
  kAArch64FixupLd64GotLo12,
  /// `adrp x, sym`: R_AARCH64_ADR_PREL_PG_HI21.
  kAArch64FixupAdrPrelPgHi21,
  /// `add x, x, #:lo12:sym`: R_AARCH64_ADD_ABS_LO12_NC.
  kAArch64FixupAddAbsLo12,
};

/// The kinds of operand an encoder form takes.
enum class AArch64OperandKind : uint8_t {
  /// x0 ... x30.
  kRegister,
  /// sp.
  kSp,
  /// xzr.
  kXzr,
  /// `#n`.
  kImmediate,
  /// `lsl #n`.
  kShift,
  /// `[base, #n]`, base x0 ... x30 or sp.
  kMemory,
  /// `[base, #n]!` (pre-indexed: the base moves first).
  kPreIndexed,
  /// `[base], #n` (post-indexed: the base moves after).
  kPostIndexed,
  /// `[base, #:got_lo12:sym]`.
  kGotPageOffset,
  /// `:got:sym` (adrp).
  kGotPage,
  /// `sym` as adrp's page (kPage).
  kPage,
  /// `#:lo12:sym` (kPageOffset, add's immediate).
  kPageOffset,
  /// A symbol as a branch target.
  kSymbol,
  /// A label as a branch target.
  kLabel,
};

/// The name of \p kind, for test and error messages (`x`, `mem`).
std::string_view AArch64OperandKindName(AArch64OperandKind kind);

/// One accepted form: an opcode and the kinds of its operands.
struct AArch64InstructionForm {
  AArch64Opcode opcode;
  int num_operands = 0;
  std::array<AArch64OperandKind, 4> operands{};
  friend bool operator==(const AArch64InstructionForm&,
                         const AArch64InstructionForm&) = default;
};

/// Every form the encoder accepts, each once.
std::span<const AArch64InstructionForm> AArch64EncoderForms();

/// The form of \p insn, or kInvalidArgument (naming the instruction as
/// printed) if its opcode and operand kinds are not a listed form.
absl::StatusOr<AArch64InstructionForm> AArch64FormOf(const Instruction& insn);

/// Encodes \p insn. kInvalidArgument for an instruction outside
/// AArch64EncoderForms(); kOutOfRange for an immediate, shift or offset
/// its encoding cannot hold (e.g. `orr` with a value that is not a
/// bitmask immediate, `ldr` with an offset neither scaled nor within
/// -256..255).
absl::StatusOr<EncodedInstruction> EncodeAArch64Instruction(
    const Instruction& insn);

/// `nop`.
inline constexpr uint32_t kAArch64Nop = 0xd503201f;

}  // namespace camlsym

#endif  // CAMLSYM_EMITTERS_AARCH64_INSTRUCTION_ENCODER_H_
