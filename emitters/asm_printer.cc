#include "camlsym/emitters/asm_printer.h"

#include <bit>

#include "camlsym/emitters/aarch64/instruction_printer.h"
#include "camlsym/emitters/x86_64/instruction_printer.h"
#include "fmt/format.h"

namespace camlsym {

namespace {

// Appends `\ooo` (octal, no leading zeros) for \p u.
void AppendOctalEscape(unsigned char u, std::string& out) {
  out += '\\';
  if (u >= 64) out += static_cast<char>('0' + (u >> 6));
  if (u >= 8) out += static_cast<char>('0' + ((u >> 3) & 7));
  out += static_cast<char>('0' + (u & 7));
}

}  // namespace

std::string EscapeStringLiteral(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 2 + 2);
  out += '"';
  bool last_was_escape = false;
  for (char c : bytes) {
    unsigned char u = static_cast<unsigned char>(c);
    if (c >= '0' && c <= '9') {
      if (last_was_escape) {
        AppendOctalEscape(u, out);
      } else {
        out += c;
      }
    } else if (c >= ' ' && c <= '~' && c != '"' && c != '\\') {
      out += c;
      last_was_escape = false;
    } else {
      AppendOctalEscape(u, out);
      last_was_escape = true;
    }
  }
  out += '"';
  return out;
}

absl::StatusOr<std::string> AsmPrinter::PrintAll(
    const std::vector<Directive>& directives) const {
  std::string out;
  // Most lines are shorter: reserving enough up front avoids copying a
  // large file's text when the buffer would grow.
  out.reserve(directives.size() * 40);
  for (const Directive& d : directives) {
    absl::Status status = Print(d, out);
    if (!status.ok()) return status;
  }
  return out;
}

namespace {

std::string_view DataDirective(DataWidth w, const AsmSyntax& syntax) {
  switch (w) {
    case DataWidth::kQuad:
      return ".quad";
    case DataWidth::kLong:
      return ".long";
    case DataWidth::kWord:
      return syntax.Data16Directive();
    case DataWidth::kByte:
      return ".byte";
  }
  return "";
}

// Appends the text of \p op to \p out.
void AppendDataOperand(const DataOperand& op, std::string& out) {
  if (const int64_t* n = std::get_if<int64_t>(&op)) {
    fmt::format_to(std::back_inserter(out), "{}", *n);
  } else if (const AsmName* name = std::get_if<AsmName>(&op)) {
    out += EncodedName(*name);
  } else {
    out += std::get<AsmDifference>(op).Print();
  }
}

// `.section` line for an ELF section other than .text/.data.
std::string ElfSectionLine(Section s) {
  std::string line =
      fmt::format("\t.section {},\"{}\",%progbits", s.ElfName(), s.GasFlags());
  if (s.ElfEntrySizeBytes() != 0) {
    line += fmt::format(",{}", s.ElfEntrySizeBytes());
  }
  return line;
}

}  // namespace

absl::Status GasPrinter::Print(const Directive& d, std::string& out) const {
  const bool elf = syntax_.object_format() == ObjectFormat::kElf;
  if (const auto* s = std::get_if<SwitchSection>(&d)) {
    switch (s->section.kind()) {
      case Section::Kind::kText:
        out += "\t.text\n";
        return absl::OkStatus();
      case Section::Kind::kData:
        out += "\t.data\n";
        return absl::OkStatus();
      case Section::Kind::kNoteGnuStack:
        if (elf) out += ElfSectionLine(s->section) + "\n";
        return absl::OkStatus();
      default:
        if (elf) {
          out += ElfSectionLine(s->section) + "\n";
        } else {
          fmt::format_to(std::back_inserter(out), "\t.section {}\n",
                         s->section.MachOName());
        }
        return absl::OkStatus();
    }
  }
  if (const auto* l = std::get_if<Label>(&d)) {
    fmt::format_to(std::back_inserter(out), "{}:\n", EncodedName(l->name));
    return absl::OkStatus();
  }
  if (const auto* g = std::get_if<Global>(&d)) {
    fmt::format_to(std::back_inserter(out), "\t.globl\t{}\n",
                   g->symbol->encoded());
    return absl::OkStatus();
  }
  if (const auto* t = std::get_if<Type>(&d)) {
    if (syntax_.HasTypeAndSizeDirectives()) {
      fmt::format_to(
          std::back_inserter(out), "\t.type {},{}\n", t->symbol->encoded(),
          t->type == SymbolType::kFunction ? "@function" : "@object");
    }
    return absl::OkStatus();
  }
  if (const auto* z = std::get_if<Size>(&d)) {
    if (syntax_.HasTypeAndSizeDirectives()) {
      fmt::format_to(std::back_inserter(out), "\t.size {},. - {}\n",
                     z->symbol->encoded(), z->symbol->encoded());
    }
    return absl::OkStatus();
  }
  if (const auto* a = std::get_if<Align>(&d)) {
    int n = a->bytes;
    if (!syntax_.AlignTakesBytes()) {
      n = std::countr_zero(static_cast<unsigned>(a->bytes));
    }
    fmt::format_to(std::back_inserter(out), "\t.align\t{}\n", n);
    return absl::OkStatus();
  }
  if (const auto* v = std::get_if<Data>(&d)) {
    out += '\t';
    out += DataDirective(v->width, syntax_);
    out += '\t';
    AppendDataOperand(v->operand, out);
    out += '\n';
    return absl::OkStatus();
  }
  if (const auto* s = std::get_if<Ascii>(&d)) {
    if (!s->bytes.empty()) {
      fmt::format_to(std::back_inserter(out), "\t.ascii\t{}\n",
                     EscapeStringLiteral(s->bytes));
    }
    return absl::OkStatus();
  }
  if (const auto* s = std::get_if<Space>(&d)) {
    if (s->size_bytes > 0) {
      fmt::format_to(std::back_inserter(out), "\t.space\t{}\n", s->size_bytes);
    }
    return absl::OkStatus();
  }
  if (const auto* c = std::get_if<Cfi>(&d)) {
    switch (c->kind) {
      case CfiKind::kStartProc:
        out += "\t.cfi_startproc\n";
        break;
      case CfiKind::kEndProc:
        out += "\t.cfi_endproc\n";
        break;
      case CfiKind::kAdjustCfaOffset:
        fmt::format_to(std::back_inserter(out), "\t.cfi_adjust_cfa_offset {}\n",
                       c->offset_bytes);
        break;
      case CfiKind::kOffset:
        fmt::format_to(std::back_inserter(out), "\t.cfi_offset {}, {}\n",
                       c->dwarf_register, c->offset_bytes);
        break;
    }
    return absl::OkStatus();
  }
  if (const auto* c = std::get_if<Comment>(&d)) {
    std::string text = c->text;
    for (size_t pos; (pos = text.find("*/")) != std::string::npos;) {
      text.replace(pos, 2, "* /");
    }
    fmt::format_to(std::back_inserter(out), "\t/* {} */\n", text);
    return absl::OkStatus();
  }
  const auto& insn = std::get<Instruction>(d);
  switch (syntax_.architecture()) {
    case Architecture::kX86_64:
      return PrintX86_64Instruction(insn, syntax_, out);
    case Architecture::kAArch64:
      return PrintAArch64Instruction(insn, syntax_, out);
  }
  return absl::InvalidArgumentError("printer: unknown architecture");
}

}  // namespace camlsym
