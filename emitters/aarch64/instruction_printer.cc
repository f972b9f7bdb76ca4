#include "camlsym/emitters/aarch64/instruction_printer.h"

#include <iterator>

#include "camlsym/emitters/aarch64/instruction_set.h"
#include "fmt/format.h"

namespace camlsym {

namespace {

absl::Status AppendRegister(int number, std::string& out) {
  std::string name = AArch64RegisterName(number);
  if (name.empty()) {
    return absl::InvalidArgumentError(
        fmt::format("AArch64 printer: no register numbered {}", number));
  }
  out += name;
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

absl::Status AppendOperand(const Operand& op, const AsmSyntax& syntax,
                           std::string& out) {
  if (const auto* r = std::get_if<RegisterOperand>(&op)) {
    return AppendRegister(r->number, out);
  }
  if (const auto* i = std::get_if<ImmediateOperand>(&op)) {
    fmt::format_to(std::back_inserter(out), "#{}", i->value);
    return absl::OkStatus();
  }
  if (const auto* m = std::get_if<MemoryOperand>(&op)) {
    if (m->index != kNoRegister) {
      return absl::InvalidArgumentError(
          "AArch64 printer: register-indexed addressing is not used");
    }
    out += '[';
    if (absl::Status s = AppendRegister(m->base, out); !s.ok()) return s;
    if (m->indexing != MemoryIndexing::kOffset) {
      if (m->symbol) {
        return absl::InvalidArgumentError(
            "AArch64 printer: an indexed address names no symbol");
      }
      if (m->indexing == MemoryIndexing::kPreIndex) {
        fmt::format_to(std::back_inserter(out), ", #{}]!", m->displacement);
      } else {
        fmt::format_to(std::back_inserter(out), "], #{}", m->displacement);
      }
      return absl::OkStatus();
    }
    out += ", #";
    if (m->symbol) {
      if (absl::Status s = AppendTarget(*m->symbol, m->reloc, syntax, out);
          !s.ok()) {
        return s;
      }
    } else {
      fmt::format_to(std::back_inserter(out), "{}", m->displacement);
    }
    out += ']';
    return absl::OkStatus();
  }
  if (const auto* t = std::get_if<SymbolOperand>(&op)) {
    return AppendTarget(t->target, t->reloc, syntax, out);
  }
  const auto& shift = std::get<ShiftOperand>(op);
  fmt::format_to(std::back_inserter(out), "lsl #{}", shift.amount);
  return absl::OkStatus();
}

}  // namespace

absl::Status PrintAArch64Instruction(const Instruction& insn,
                                     const AsmSyntax& syntax,
                                     std::string& out) {
  if (insn.opcode >= kNumAArch64Opcodes) {
    return absl::InvalidArgumentError(
        fmt::format("AArch64 printer: no opcode numbered {}", insn.opcode));
  }
  out += '\t';
  out += AArch64Mnemonic(static_cast<AArch64Opcode>(insn.opcode));
  for (size_t i = 0; i < insn.operands.size(); ++i) {
    out += i == 0 ? "\t" : ", ";
    if (absl::Status s = AppendOperand(insn.operands[i], syntax, out);
        !s.ok()) {
      return s;
    }
  }
  out += '\n';
  return absl::OkStatus();
}

}  // namespace camlsym
