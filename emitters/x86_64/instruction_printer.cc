#include "camlsym/emitters/x86_64/instruction_printer.h"

#include <iterator>

#include "camlsym/emitters/x86_64/instruction_set.h"
#include "fmt/format.h"

namespace camlsym {

namespace {

absl::Status AppendRegister(int number, std::string& out) {
  if (number < 0 || number > static_cast<int>(X86_64Register::kRip)) {
    return absl::InvalidArgumentError(
        fmt::format("x86-64 printer: no register numbered {}", number));
  }
  out += '%';
  out += X86_64RegisterName(static_cast<X86_64Register>(number));
  return absl::OkStatus();
}

absl::Status AppendTarget(const AsmName& target, Relocation reloc,
                          const AsmSyntax& syntax, std::string& out) {
  absl::StatusOr<std::string> text =
      syntax.Decorate(EncodedName(target), reloc);
  if (!text.ok()) return text.status();
  out += *text;
  return absl::OkStatus();
}

absl::Status AppendOperand(const Operand& op, bool indirect,
                           const AsmSyntax& syntax, std::string& out) {
  if (const auto* r = std::get_if<RegisterOperand>(&op)) {
    if (indirect) out += '*';
    return AppendRegister(r->number, out);
  }
  if (const auto* i = std::get_if<ImmediateOperand>(&op)) {
    fmt::format_to(std::back_inserter(out), "${}", i->value);
    return absl::OkStatus();
  }
  if (const auto* m = std::get_if<MemoryOperand>(&op)) {
    if (m->indexing != MemoryIndexing::kOffset) {
      return absl::InvalidArgumentError(
          "x86-64 printer: pre- and post-indexed addressing is AArch64's");
    }
    if (m->symbol) {
      if (absl::Status s = AppendTarget(*m->symbol, m->reloc, syntax, out);
          !s.ok()) {
        return s;
      }
      if (m->displacement != 0) {
        fmt::format_to(std::back_inserter(out), "{:+}", m->displacement);
      }
    } else if (m->displacement != 0) {
      fmt::format_to(std::back_inserter(out), "{}", m->displacement);
    }
    out += '(';
    if (m->base != kNoRegister) {
      if (absl::Status s = AppendRegister(m->base, out); !s.ok()) return s;
    }
    if (m->index != kNoRegister) {
      out += ',';
      if (absl::Status s = AppendRegister(m->index, out); !s.ok()) return s;
      if (m->scale != 1)
        fmt::format_to(std::back_inserter(out), ",{}", m->scale);
    }
    out += ')';
    return absl::OkStatus();
  }
  if (const auto* t = std::get_if<SymbolOperand>(&op)) {
    return AppendTarget(t->target, t->reloc, syntax, out);
  }
  return absl::InvalidArgumentError(
      "x86-64 printer: a shift operand has no x86-64 spelling");
}

}  // namespace

absl::Status PrintX86_64Instruction(const Instruction& insn,
                                    const AsmSyntax& syntax, std::string& out) {
  if (insn.opcode >= kNumX86_64Opcodes) {
    return absl::InvalidArgumentError(
        fmt::format("x86-64 printer: no opcode numbered {}", insn.opcode));
  }
  const auto op = static_cast<X86_64Opcode>(insn.opcode);
  // asmcomp/x86_gas.ml prints indirect call and jump targets with `*`.
  const bool indirect = op == X86_64Opcode::kCall || op == X86_64Opcode::kJmp;
  out += '\t';
  out += X86_64Mnemonic(op);
  for (size_t i = 0; i < insn.operands.size(); ++i) {
    out += i == 0 ? "\t" : ", ";
    if (absl::Status s = AppendOperand(insn.operands[i], indirect, syntax, out);
        !s.ok()) {
      return s;
    }
  }
  out += '\n';
  return absl::OkStatus();
}

}  // namespace camlsym
