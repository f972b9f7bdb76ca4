#include "camlsym/symbols/asm_syntax.h"

#include <algorithm>

#include "fmt/format.h"

namespace camlsym {

std::string_view RelocationName(Relocation reloc) {
  switch (reloc) {
    case Relocation::kNone:
      return "none";
    case Relocation::kPlt:
      return "PLT";
    case Relocation::kGotPcRel:
      return "GOTPCREL";
    case Relocation::kGotPage:
      return "got";
    case Relocation::kGotPageOffset:
      return "got_lo12";
    case Relocation::kPage:
      return "page";
    case Relocation::kPageOffset:
      return "lo12";
  }
  return "";
}

void AsmSyntax::AppendEscaped(std::string_view mangled,
                              std::string& out) const {
  static constexpr char kHex[] = "0123456789abcdef";
  // Most names pass through whole: copy each run of such characters at
  // once.
  size_t run = 0;
  for (size_t i = 0; i < mangled.size(); ++i) {
    const char c = mangled[i];
    if (scheme_.PassesThrough(c)) continue;
    out.append(mangled.data() + run, i - run);
    const unsigned char u = static_cast<unsigned char>(c);
    out += EscapeChar();
    out += kHex[u >> 4];
    out += kHex[u & 0xf];
    run = i + 1;
  }
  out.append(mangled.data() + run, mangled.size() - run);
}

std::string AsmSyntax::Escape(std::string_view mangled) const {
  std::string out;
  out.reserve(mangled.size());
  AppendEscaped(mangled, out);
  return out;
}

std::string AsmSyntax::EncodeMoved(std::string&& mangled) const {
  if (GlobalPrefix().empty() &&
      std::all_of(mangled.begin(), mangled.end(),
                  [&](char c) { return scheme_.PassesThrough(c); })) {
    return std::move(mangled);
  }
  return Encode(std::string_view(mangled));
}

std::string AsmSyntax::Encode(std::string_view mangled) const {
  const std::string_view prefix = GlobalPrefix();
  std::string out;
  out.reserve(prefix.size() + mangled.size());
  out.append(prefix);
  AppendEscaped(mangled, out);
  return out;
}

absl::StatusOr<std::string> AsmSyntax::Decorate(std::string_view encoded,
                                                Relocation reloc) const {
  if (reloc == Relocation::kNone) return std::string(encoded);
  const bool elf = format_ == ObjectFormat::kElf;
  if (arch_ == Architecture::kX86_64 && elf) {
    if (reloc == Relocation::kPlt) return fmt::format("{}@PLT", encoded);
    if (reloc == Relocation::kGotPcRel) {
      return fmt::format("{}@GOTPCREL", encoded);
    }
  } else if (arch_ == Architecture::kX86_64) {
    // Mach-O x86-64: calls need no PLT decoration; GOT loads are @GOTPCREL.
    if (reloc == Relocation::kPlt) return std::string(encoded);
    if (reloc == Relocation::kGotPcRel) {
      return fmt::format("{}@GOTPCREL", encoded);
    }
  } else if (elf) {
    switch (reloc) {
      case Relocation::kGotPage:
        return fmt::format(":got:{}", encoded);
      case Relocation::kGotPageOffset:
        return fmt::format(":got_lo12:{}", encoded);
      case Relocation::kPage:
        return std::string(encoded);
      case Relocation::kPageOffset:
        return fmt::format(":lo12:{}", encoded);
      default:
        break;
    }
  } else {
    switch (reloc) {
      case Relocation::kGotPage:
        return fmt::format("{}@GOTPAGE", encoded);
      case Relocation::kGotPageOffset:
        return fmt::format("{}@GOTPAGEOFF", encoded);
      case Relocation::kPage:
        return fmt::format("{}@PAGE", encoded);
      case Relocation::kPageOffset:
        return fmt::format("{}@PAGEOFF", encoded);
      default:
        break;
    }
  }
  return absl::InvalidArgumentError(
      fmt::format("relocation {} does not exist on {} {} (operand {})",
                  RelocationName(reloc),
                  arch_ == Architecture::kX86_64 ? "x86-64" : "AArch64",
                  elf ? "ELF" : "Mach-O", encoded));
}

}  // namespace camlsym
