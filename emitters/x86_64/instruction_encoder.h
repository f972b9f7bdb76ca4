// Machine code for the x86-64 instructions camlsym's emitters write: the
// integrated assembler's encoder, as LLVM's X86MCCodeEmitter is for MC.
// Takes one Instruction of the directive stream (AT&T operand order, the
// operand text the emitters write: `%rax`, `$8`, `-8(%rdi)`,
// `(%rsi,%rcx,8)`, `*%r11`, symbol and label operands) and returns its
// bytes, chosen as GNU as 2.40 chooses them without -O (shortest immediate
// and displacement, store form for register-to-register moves, the
// accumulator form for 32-bit immediates on %rax, D1 for shifts by 1), plus
// the one fixup it may need. Branches to labels are returned in both sizes
// so that the object writer can relax them as `as` does.
//
// Mirrors: asmcomp/x86_ast.mli (OCaml 4.13.1: the x86 instructions and
// operand forms ocamlopt's amd64 emitter writes; this encoder takes the
// subset asmcomp/amd64/emit.mlp uses in the startup file, spelled in AT&T
// syntax); the Intel SDM's encoding tables (REX, ModRM, SIB); GNU as
// (gas/config/tc-i386.c) for the choices between equivalent encodings.
#ifndef CAMLSYM_EMITTERS_X86_64_INSTRUCTION_ENCODER_H_
#define CAMLSYM_EMITTERS_X86_64_INSTRUCTION_ENCODER_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "camlsym/emitters/directive.h"

namespace camlsym {

/// How a fixup's field is computed from its target (ELF x86-64 psABI).
enum class X86_64FixupKind {
  /// 32-bit PC-relative S + A - P (R_X86_64_PC32); resolved by the
  /// assembler when the target is a label or local symbol of the same
  /// section.
  kPcRel32,
  /// 32-bit PC-relative through the PLT (R_X86_64_PLT32): `call sym@PLT`.
  kPlt32,
  /// 32-bit PC-relative to the GOT entry, relaxable by the linker
  /// (R_X86_64_REX_GOTPCRELX): `movq sym@GOTPCREL(%rip), %reg`.
  kRexGotPcRelX,
};

/// A field of an encoded instruction to be filled with a target's address.
struct X86_64Fixup {
  /// Bytes from the start of the instruction to the 4-byte field.
  int offset_bytes = 0;
  X86_64FixupKind kind = X86_64FixupKind::kPcRel32;
  /// The symbol or label referenced.
  AsmName target;
  /// The addend, in bytes: minus the distance from the field to the end of
  /// the instruction (-4 unless an immediate follows the field).
  int64_t addend = 0;
};

/// A jump to a label, which the object writer lays out short (8-bit
/// displacement) if the label is within reach, else long (32-bit).
struct X86_64RelaxableBranch {
  const AsmLabel* target = nullptr;
  /// Opcode of the short form: 0xEB (jmp) or 0x70 + condition (jcc).
  uint8_t short_opcode = 0;
  /// Opcode bytes of the long form: {0xE9} or {0x0F, 0x80 + condition}.
  uint8_t long_opcode[2] = {0, 0};
  int long_opcode_size = 0;
};

/// One encoded instruction: bytes with at most one fixup, or a relaxable
/// branch (then \p bytes is empty).
struct X86_64Encoding {
  /// The instruction's bytes (at most 15).
  std::string bytes;
  std::optional<X86_64Fixup> fixup;
  std::optional<X86_64RelaxableBranch> branch;
};

/// Encodes \p insn. kInvalidArgument (naming the instruction as written)
/// for an operand that does not parse or a mnemonic/operand combination
/// outside what the startup emitters use (this is not a general
/// assembler: see the header comment); kOutOfRange for an immediate or
/// displacement that does not fit its field.
absl::StatusOr<X86_64Encoding> EncodeX86_64Instruction(const Instruction& insn);

/// The `nop` bytes GNU as 2.40 pads x86-64 code with: \p size_bytes bytes
/// of the longest nops first (at most 11 bytes each).
std::string X86_64NopPadding(int64_t size_bytes);

}  // namespace camlsym

#endif  // CAMLSYM_EMITTERS_X86_64_INSTRUCTION_ENCODER_H_
