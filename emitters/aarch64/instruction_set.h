// The AArch64 instructions camlsym's emitters write, as typed instructions
// (emitters/instruction.h): the opcodes, the registers, and shorthands that
// build operands. The printer (instruction_printer.h) spells them as GNU as
// reads them; the encoder (asm_backend.h) turns them into machine code.
//
// Mirrors: asmcomp/arm64/emit.mlp (OCaml 4.13.1, 5.3 and 5.4: the
// instructions it prints, `emit_reg`, `emit_addressing`); LLVM's AArch64 opcode
// and register enumerations.
#ifndef CAMLSYM_EMITTERS_AARCH64_INSTRUCTION_SET_H_
#define CAMLSYM_EMITTERS_AARCH64_INSTRUCTION_SET_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "camlsym/emitters/instruction.h"

namespace camlsym {

/// Each AArch64 opcode with its mnemonic. The conditional branches are
/// listed in condition-code order: kBEq is code 0. kDmbIshld is OCaml 5's
/// barrier before an assigning store (arm64/emit.mlp `Istore`), the only
/// `dmb` option camlsym writes, so the option is part of its mnemonic.
#define CAMLSYM_AARCH64_OPCODES(X) \
  X(kAdd, "add")                   \
  X(kSub, "sub")                   \
  X(kAnd, "and")                   \
  X(kOrr, "orr")                   \
  X(kAsr, "asr")                   \
  X(kLsr, "lsr")                   \
  X(kLsl, "lsl")                   \
  X(kCmp, "cmp")                   \
  X(kMov, "mov")                   \
  X(kMovz, "movz")                 \
  X(kMovk, "movk")                 \
  X(kLdr, "ldr")                   \
  X(kStr, "str")                   \
  X(kLdp, "ldp")                   \
  X(kStp, "stp")                   \
  X(kDmbIshld, "dmb\tishld")       \
  X(kAdrp, "adrp")                 \
  X(kB, "b")                       \
  X(kBl, "bl")                     \
  X(kBr, "br")                     \
  X(kBlr, "blr")                   \
  X(kRet, "ret")                   \
  X(kBEq, "b.eq")                  \
  X(kBNe, "b.ne")                  \
  X(kBHs, "b.hs")                  \
  X(kBLo, "b.lo")                  \
  X(kBMi, "b.mi")                  \
  X(kBPl, "b.pl")                  \
  X(kBVs, "b.vs")                  \
  X(kBVc, "b.vc")                  \
  X(kBHi, "b.hi")                  \
  X(kBLs, "b.ls")                  \
  X(kBGe, "b.ge")                  \
  X(kBLt, "b.lt")                  \
  X(kBGt, "b.gt")                  \
  X(kBLe, "b.le")

/// An AArch64 opcode (Instruction::opcode on AArch64).
enum class AArch64Opcode : uint16_t {
#define CAMLSYM_AARCH64_OPCODE_ENUM(name, mnemonic) name,
  CAMLSYM_AARCH64_OPCODES(CAMLSYM_AARCH64_OPCODE_ENUM)
#undef CAMLSYM_AARCH64_OPCODE_ENUM
};

/// Number of AArch64Opcode values.
inline constexpr int kNumAArch64Opcodes = 0
#define CAMLSYM_AARCH64_OPCODE_COUNT(name, mnemonic) +1
    CAMLSYM_AARCH64_OPCODES(CAMLSYM_AARCH64_OPCODE_COUNT)
#undef CAMLSYM_AARCH64_OPCODE_COUNT
    ;

/// The mnemonic of \p op (`ldr`, `b.lo`).
std::string_view AArch64Mnemonic(AArch64Opcode op);

/// The condition code (0 to 13) of a conditional branch, or -1 for any
/// other opcode.
int AArch64ConditionCode(AArch64Opcode op);

/// AArch64 registers: x0 ... x30 by number, then the stack pointer and the
/// zero register (both encoded as 31; which one an instruction means
/// depends on the instruction).
inline constexpr int kAArch64Sp = 31;
inline constexpr int kAArch64Xzr = 32;

/// The name of register \p number (`x0`, `sp`, `xzr`); empty if none.
std::string AArch64RegisterName(int number);

/// Shorthands for building AArch64 instructions.
namespace aarch64 {

/// x<n> (0 <= n <= 30), kAArch64Sp or kAArch64Xzr.
inline Operand X(int n) { return RegisterOperand{static_cast<uint8_t>(n)}; }
inline Operand Sp() { return X(kAArch64Sp); }
inline Operand Xzr() { return X(kAArch64Xzr); }
inline Operand Imm(int64_t value) { return ImmediateOperand{value}; }
/// `lsl #amount`.
inline Operand Lsl(int amount) { return ShiftOperand{ShiftKind::kLsl, amount}; }
/// `[base, #displacement]` (base: x<n> or kAArch64Sp).
inline Operand Mem(int base, int64_t displacement) {
  MemoryOperand m;
  m.base = base;
  m.displacement = displacement;
  return m;
}
/// `[base, #:got_lo12:sym]` and the like: \p reloc of \p target.
inline Operand MemSymbol(int base, AsmName target, Relocation reloc) {
  MemoryOperand m;
  m.base = base;
  m.symbol = target;
  m.reloc = reloc;
  return m;
}
/// `[base, #displacement]!`: the base moves by \p displacement first.
inline Operand PreIndex(int base, int64_t displacement) {
  MemoryOperand m;
  m.base = base;
  m.displacement = displacement;
  m.indexing = MemoryIndexing::kPreIndex;
  return m;
}
/// `[base], #displacement`: the base moves by \p displacement after.
inline Operand PostIndex(int base, int64_t displacement) {
  MemoryOperand m;
  m.base = base;
  m.displacement = displacement;
  m.indexing = MemoryIndexing::kPostIndex;
  return m;
}
/// A branch target, or `adrp`'s page (`:got:sym`).
inline Operand Target(AsmName target, Relocation reloc = Relocation::kNone) {
  return SymbolOperand{target, reloc};
}
/// The instruction \p op with \p operands (destination first).
inline Instruction Insn(AArch64Opcode op, std::vector<Operand> operands = {}) {
  return Instruction{static_cast<uint16_t>(op), std::move(operands)};
}

}  // namespace aarch64

}  // namespace camlsym

#endif  // CAMLSYM_EMITTERS_AARCH64_INSTRUCTION_SET_H_
