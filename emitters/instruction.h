// A machine instruction as typed data: an opcode of one target and typed
// operands (registers, immediates, memory references, symbol or label
// targets, shifts). The startup emitters build them; the target's printer
// spells them (x86_64/instruction_printer.h, aarch64/instruction_printer.h)
// and the target's encoder turns them into bytes (x86_64/asm_backend.h,
// aarch64/asm_backend.h). Nothing parses instruction text.
//
// Mirrors: LLVM MC's MCInst and MCOperand; asmcomp/x86_ast.mli `arg` and
// `instruction` (OCaml 4.13.1), whose operands are typed the same way.
#ifndef CAMLSYM_EMITTERS_INSTRUCTION_H_
#define CAMLSYM_EMITTERS_INSTRUCTION_H_

#include <cstdint>
#include <optional>
#include <variant>
#include <vector>

#include "camlsym/symbols/asm_symbol.h"
#include "camlsym/symbols/asm_syntax.h"

namespace camlsym {

/// A register, by the target's register number (X86_64Register,
/// AArch64Register as an integer).
struct RegisterOperand {
  uint8_t number = 0;
  friend bool operator==(const RegisterOperand&,
                         const RegisterOperand&) = default;
};

/// An immediate value (`$8` on x86-64, `#8` on AArch64).
struct ImmediateOperand {
  int64_t value = 0;
  friend bool operator==(const ImmediateOperand&,
                         const ImmediateOperand&) = default;
};

/// No register in a MemoryOperand's base or index.
inline constexpr int kNoRegister = -1;

/// How a memory reference updates its base register (AArch64's indexed
/// addressing): kOffset leaves it alone; kPreIndex adds the displacement
/// before the access (`[sp, #-16]!`), kPostIndex after it (`[sp], #16`).
/// x86-64 uses kOffset only.
enum class MemoryIndexing : uint8_t { kOffset, kPreIndex, kPostIndex };

/// A memory reference: base + index * scale + displacement, plus a symbol
/// or label's address (with \p reloc) when \p symbol is set. x86-64:
/// `disp(base,index,scale)`, `sym@GOTPCREL(%rip)` (base = %rip); AArch64:
/// `[base, #disp]`, `[base, #:got_lo12:sym]`, and with \p indexing
/// `[base, #disp]!` or `[base], #disp`.
struct MemoryOperand {
  int base = kNoRegister;
  int index = kNoRegister;
  int scale = 1;
  int64_t displacement = 0;
  /// A symbol or label whose address (as \p reloc asks) is added.
  std::optional<AsmName> symbol;
  Relocation reloc = Relocation::kNone;
  /// Whether the base register is written back (AArch64 only).
  MemoryIndexing indexing = MemoryIndexing::kOffset;
};

/// A symbol or label named by an instruction: a call or branch target, or
/// a page address (AArch64 `adrp x0, :got:sym`).
struct SymbolOperand {
  AsmName target;
  Relocation reloc = Relocation::kNone;
};

/// Shifts applied to the operand before it (AArch64 `lsl #16`).
enum class ShiftKind : uint8_t { kLsl };

/// A shift modifier, e.g. AArch64 `movz x0, #1, lsl #16` or
/// `add x0, x1, x2, lsl #3`.
struct ShiftOperand {
  ShiftKind kind = ShiftKind::kLsl;
  int amount = 0;
};

/// One operand of an instruction.
using Operand = std::variant<RegisterOperand, ImmediateOperand, MemoryOperand,
                             SymbolOperand, ShiftOperand>;

/// One machine instruction: the target's opcode (X86_64Opcode,
/// AArch64Opcode as an integer) and its operands in the target
/// assembler's order (AT&T source-then-destination on x86-64, destination
/// first on AArch64).
struct Instruction {
  uint16_t opcode = 0;
  std::vector<Operand> operands;
};

}  // namespace camlsym

#endif  // CAMLSYM_EMITTERS_INSTRUCTION_H_
