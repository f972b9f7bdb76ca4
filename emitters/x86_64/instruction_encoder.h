// Machine code for the x86-64 instructions camlsym's emitters write: the
// integrated assembler's code emitter, as LLVM's X86MCCodeEmitter is for
// MC. Takes one typed instruction (instruction_set.h) and returns its
// bytes, chosen as GNU as 2.40 chooses them without -O (shortest immediate
// and displacement, store form for register-to-register moves and ALU
// operations, the accumulator form for 32-bit immediates on %rax, D1 for
// shifts by 1), plus the one fixup it may need. Branches to labels are
// returned as relaxable branches (asm_backend.h) for the core to size.
//
// The forms it accepts are listed once, in X86_64EncoderForms(): the
// encoder refuses any instruction whose opcode and operand kinds are not
// listed, and the tests derive their cases from the same list, so a form
// added here is tested against GNU as without further edits.
//
// Mirrors: asmcomp/x86_ast.mli and asmcomp/amd64/emit.mlp (OCaml 4.13.1:
// the instructions the amd64 emitter writes; this encoder takes the subset
// the startup file uses); the Intel SDM's encoding tables (REX, ModRM,
// SIB); GNU as (gas/config/tc-i386.c) for the choices between equivalent
// encodings and relocation types.
#ifndef CAMLSYM_EMITTERS_X86_64_INSTRUCTION_ENCODER_H_
#define CAMLSYM_EMITTERS_X86_64_INSTRUCTION_ENCODER_H_

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "camlsym/emitters/asm_backend.h"
#include "camlsym/emitters/instruction.h"
#include "camlsym/emitters/x86_64/instruction_set.h"

namespace camlsym {

/// x86-64 instruction fixup kinds (ELF x86-64 psABI).
enum X86_64FixupKind : FixupKind {
  /// 32-bit PC-relative S + A - P (R_X86_64_PC32); resolved by the
  /// assembler when the target is a label or local symbol of the same
  /// section.
  kX86_64FixupPcRel32 = kFirstTargetFixupKind,
  /// A call's 32-bit displacement to a symbol, with or without `@PLT`: as
  /// GNU as 2.40 (tc-i386.c `need_plt32_p`), R_X86_64_PLT32 against a
  /// global or undefined symbol, and like kX86_64FixupPcRel32 for a local
  /// one (resolved in its section, else R_X86_64_PC32).
  kX86_64FixupCall32,
  /// 32-bit PC-relative to the GOT entry, relaxable by the linker
  /// (R_X86_64_REX_GOTPCRELX): `movq sym@GOTPCREL(%rip), %reg`.
  kX86_64FixupRexGotPcRelX,
};

/// RelaxableBranch::code of `jmp label`; a conditional jump's code is its
/// condition code (0 to 15).
inline constexpr uint32_t kX86_64JmpBranchCode = 16;

/// The kinds of operand an encoder form takes.
enum class X86_64OperandKind : uint8_t {
  /// A 64-bit register (`%rax` ... `%r15`).
  kRegister64,
  /// A 32-bit register (`%eax` ... `%r15d`).
  kRegister32,
  /// An immediate (`$n`).
  kImmediate,
  /// `disp(base,index,scale)` with 64-bit base and index registers.
  kMemory,
  /// `target(%rip)`: a label or symbol, no relocation operator.
  kRipRelative,
  /// `sym@GOTPCREL(%rip)`.
  kGotPcRel,
  /// A symbol as a direct call or jump target (with or without `@PLT`).
  kSymbol,
  /// A label as a direct call or jump target.
  kLabel,
};

/// The name of \p kind, for test and error messages (`reg64`, `rip`).
std::string_view X86_64OperandKindName(X86_64OperandKind kind);

/// One accepted form: an opcode and the kinds of its operands (AT&T
/// order).
struct X86_64InstructionForm {
  X86_64Opcode opcode;
  int num_operands = 0;
  std::array<X86_64OperandKind, 2> operands{};
  friend bool operator==(const X86_64InstructionForm&,
                         const X86_64InstructionForm&) = default;
};

/// Every form the encoder accepts, each once.
std::span<const X86_64InstructionForm> X86_64EncoderForms();

/// The form of \p insn, or kInvalidArgument (naming the instruction as
/// printed) if its opcode and operand kinds are not a listed form.
absl::StatusOr<X86_64InstructionForm> X86_64FormOf(const Instruction& insn);

/// Encodes \p insn. kInvalidArgument for an instruction outside
/// X86_64EncoderForms() (or an index register %rsp, or a scale other than
/// 1, 2, 4, 8); kOutOfRange for an immediate or displacement that does not
/// fit its field.
absl::StatusOr<EncodedInstruction> EncodeX86_64Instruction(
    const Instruction& insn);

/// The `nop` bytes GNU as 2.40 pads x86-64 code with: \p size_bytes bytes
/// of the longest nops first (at most 11 bytes each).
std::string X86_64NopPadding(int64_t size_bytes);

}  // namespace camlsym

#endif  // CAMLSYM_EMITTERS_X86_64_INSTRUCTION_ENCODER_H_
