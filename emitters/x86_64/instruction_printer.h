// Prints x86-64 typed instructions (instruction_set.h) in AT&T syntax, as
// GNU as reads them: `movq 8(%r10), %r11`, `call *%rax`,
// `movq sym@GOTPCREL(%rip), %rax`, `call caml_call_gc@PLT`.
//
// Mirrors: asmcomp/x86_gas.ml `print_instr` and `arg` (OCaml 4.13.1);
// LLVM's X86ATTInstPrinter.
#ifndef CAMLSYM_EMITTERS_X86_64_INSTRUCTION_PRINTER_H_
#define CAMLSYM_EMITTERS_X86_64_INSTRUCTION_PRINTER_H_

#include <string>

#include "absl/status/status.h"
#include "camlsym/emitters/instruction.h"
#include "camlsym/symbols/asm_syntax.h"

namespace camlsym {

/// Appends `\t<mnemonic>\t<operands>\n` for \p insn to \p out, spelling
/// symbols with \p syntax. kInvalidArgument for an opcode that is not an
/// X86_64Opcode, a register number that names no register, or a
/// relocation \p syntax cannot spell (AsmSyntax::Decorate()).
absl::Status PrintX86_64Instruction(const Instruction& insn,
                                    const AsmSyntax& syntax, std::string& out);

}  // namespace camlsym

#endif  // CAMLSYM_EMITTERS_X86_64_INSTRUCTION_PRINTER_H_
