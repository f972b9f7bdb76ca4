// Prints AArch64 typed instructions (instruction_set.h) as GNU as (and
// Apple's assembler) read them: `ldr x16, [x19, #8]`,
// `adrp x0, :got:sym`, `movz x3, #247, lsl #0`, `b.lo .L12`.
//
// Mirrors: asmcomp/arm64/emit.mlp (OCaml 4.13.1: `emit_reg`,
// `emit_addressing`, `emit_symbol_addr`); LLVM's AArch64InstPrinter.
#ifndef CAMLSYM_EMITTERS_AARCH64_INSTRUCTION_PRINTER_H_
#define CAMLSYM_EMITTERS_AARCH64_INSTRUCTION_PRINTER_H_

#include <string>

#include "absl/status/status.h"
#include "camlsym/emitters/instruction.h"
#include "camlsym/symbols/asm_syntax.h"

namespace camlsym {

/// Appends `\t<mnemonic>\t<operands>\n` for \p insn to \p out, spelling
/// symbols with \p syntax. kInvalidArgument for an opcode that is not an
/// AArch64Opcode, a register number that names no register, or a
/// relocation \p syntax cannot spell (AsmSyntax::Decorate()).
absl::Status PrintAArch64Instruction(const Instruction& insn,
                                     const AsmSyntax& syntax, std::string& out);

}  // namespace camlsym

#endif  // CAMLSYM_EMITTERS_AARCH64_INSTRUCTION_PRINTER_H_
