// The x86-64 instructions camlsym's emitters write, as typed instructions
// (emitters/instruction.h): the opcodes, the registers, and shorthands that
// build operands. The printer (instruction_printer.h) spells them in AT&T
// syntax; the encoder (asm_backend.h) turns them into machine code.
//
// Mirrors: asmcomp/x86_ast.mli (OCaml 4.13.1: `reg64`, `arg`, the
// instruction constructors; camlsym keeps the subset the startup file
// needs, with AT&T's size suffixes as asmcomp/x86_gas.ml prints them);
// LLVM's X86 opcode and register enumerations.
#ifndef CAMLSYM_EMITTERS_X86_64_INSTRUCTION_SET_H_
#define CAMLSYM_EMITTERS_X86_64_INSTRUCTION_SET_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "camlsym/emitters/instruction.h"

namespace camlsym {

/// Each x86-64 opcode with its AT&T mnemonic. The conditional jumps are
/// listed in condition-code order (0x70 + code): kJo is code 0.
#define CAMLSYM_X86_64_OPCODES(X) \
  X(kRet, "ret")                  \
  X(kPushq, "pushq")              \
  X(kPopq, "popq")                \
  X(kMovq, "movq")                \
  X(kMovabsq, "movabsq")          \
  X(kMovl, "movl")                \
  X(kLeaq, "leaq")                \
  X(kAddq, "addq")                \
  X(kOrq, "orq")                  \
  X(kAndq, "andq")                \
  X(kSubq, "subq")                \
  X(kXorq, "xorq")                \
  X(kCmpq, "cmpq")                \
  X(kTestq, "testq")              \
  X(kSalq, "salq")                \
  X(kShlq, "shlq")                \
  X(kShrq, "shrq")                \
  X(kSarq, "sarq")                \
  X(kCall, "call")                \
  X(kJmp, "jmp")                  \
  X(kJo, "jo")                    \
  X(kJno, "jno")                  \
  X(kJb, "jb")                    \
  X(kJae, "jae")                  \
  X(kJe, "je")                    \
  X(kJne, "jne")                  \
  X(kJbe, "jbe")                  \
  X(kJa, "ja")                    \
  X(kJs, "js")                    \
  X(kJns, "jns")                  \
  X(kJp, "jp")                    \
  X(kJnp, "jnp")                  \
  X(kJl, "jl")                    \
  X(kJge, "jge")                  \
  X(kJle, "jle")                  \
  X(kJg, "jg")

/// An x86-64 opcode (Instruction::opcode on x86-64).
enum class X86_64Opcode : uint16_t {
#define CAMLSYM_X86_64_OPCODE_ENUM(name, mnemonic) name,
  CAMLSYM_X86_64_OPCODES(CAMLSYM_X86_64_OPCODE_ENUM)
#undef CAMLSYM_X86_64_OPCODE_ENUM
};

/// Number of X86_64Opcode values.
inline constexpr int kNumX86_64Opcodes = 0
#define CAMLSYM_X86_64_OPCODE_COUNT(name, mnemonic) +1
    CAMLSYM_X86_64_OPCODES(CAMLSYM_X86_64_OPCODE_COUNT)
#undef CAMLSYM_X86_64_OPCODE_COUNT
    ;

/// The AT&T mnemonic of \p op (`movq`, `jne`).
std::string_view X86_64Mnemonic(X86_64Opcode op);

/// The condition code (0 to 15) of a conditional jump, or -1 for any
/// other opcode.
int X86_64ConditionCode(X86_64Opcode op);

/// x86-64 registers. The 64-bit registers are numbered as ModRM and REX
/// encode them (kRax = 0 ... kR15 = 15); the 32-bit ones follow in the
/// same order (kEax = 16 ... kR15d = 31); kRip is the instruction pointer
/// of RIP-relative addressing.
enum class X86_64Register : uint8_t {
  kRax,
  kRcx,
  kRdx,
  kRbx,
  kRsp,
  kRbp,
  kRsi,
  kRdi,
  kR8,
  kR9,
  kR10,
  kR11,
  kR12,
  kR13,
  kR14,
  kR15,
  kEax,
  kEcx,
  kEdx,
  kEbx,
  kEsp,
  kEbp,
  kEsi,
  kEdi,
  kR8d,
  kR9d,
  kR10d,
  kR11d,
  kR12d,
  kR13d,
  kR14d,
  kR15d,
  kRip,
};

/// The AT&T name of \p r without `%` (`rax`, `r8d`, `rip`).
std::string_view X86_64RegisterName(X86_64Register r);

/// Shorthands for building x86-64 instructions.
namespace x86_64 {

inline Operand Reg(X86_64Register r) {
  return RegisterOperand{static_cast<uint8_t>(r)};
}
inline Operand Imm(int64_t value) { return ImmediateOperand{value}; }
/// `disp(base)`.
inline Operand Mem(X86_64Register base, int64_t displacement = 0) {
  MemoryOperand m;
  m.base = static_cast<int>(base);
  m.displacement = displacement;
  return m;
}
/// `disp(base,index,scale)`.
inline Operand Mem(X86_64Register base, X86_64Register index, int scale,
                   int64_t displacement = 0) {
  MemoryOperand m;
  m.base = static_cast<int>(base);
  m.index = static_cast<int>(index);
  m.scale = scale;
  m.displacement = displacement;
  return m;
}
/// `disp(,index,scale)`: no base register.
inline Operand MemIndexOnly(X86_64Register index, int scale,
                            int64_t displacement) {
  MemoryOperand m;
  m.index = static_cast<int>(index);
  m.scale = scale;
  m.displacement = displacement;
  return m;
}
/// `target@reloc(%rip)`: a RIP-relative reference to a symbol or label.
inline Operand Rip(AsmName target, Relocation reloc = Relocation::kNone) {
  MemoryOperand m;
  m.base = static_cast<int>(X86_64Register::kRip);
  m.symbol = target;
  m.reloc = reloc;
  return m;
}
/// A direct call or jump target.
inline Operand Target(AsmName target, Relocation reloc = Relocation::kNone) {
  return SymbolOperand{target, reloc};
}
/// The instruction \p op with \p operands (AT&T order).
inline Instruction Insn(X86_64Opcode op, std::vector<Operand> operands = {}) {
  return Instruction{static_cast<uint16_t>(op), std::move(operands)};
}

}  // namespace x86_64

}  // namespace camlsym

#endif  // CAMLSYM_EMITTERS_X86_64_INSTRUCTION_SET_H_
