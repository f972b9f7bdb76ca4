// Per-target assembler spelling of symbols and labels: escaping, the global
// symbol prefix, the local label prefix and relocation decorations. This is
// the only place that knows these facts; emitters never branch on the OS.
//
// Mirrors: LLVM's MCAsmInfo (one object of target facts, each documented
// with its default) and OCaml 4.13.1's asmcomp/emitaux.ml (`emit_symbol`),
// asmcomp/amd64/emit.mlp (`emit_call`, `load_symbol_addr`: `@PLT`,
// `@GOTPCREL`), asmcomp/arm64/emit.mlp (`:got:`, `:got_lo12:`, `:lo12:`,
// and Mach-O `@GOTPAGE`, `@GOTPAGEOFF`, `@PAGEOFF`).
#ifndef CAMLSYM_SYMBOLS_ASM_SYNTAX_H_
#define CAMLSYM_SYMBOLS_ASM_SYNTAX_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "camlsym/symbols/mangling_scheme.h"
#include "camlsym/target_system/architecture.h"
#include "camlsym/target_system/object_format.h"

namespace camlsym {

/// The relocation a symbol reference asks the assembler for.
enum class Relocation {
  /// The plain symbol (absolute or PC-relative by instruction).
  kNone,
  /// x86-64 ELF `sym@PLT` (R_X86_64_PLT32): a call through the PLT.
  kPlt,
  /// x86-64 ELF `sym@GOTPCREL` (R_X86_64_REX_GOTPCRELX): the symbol's GOT
  /// entry, PC-relative.
  kGotPcRel,
  /// AArch64 page of the GOT entry: ELF `:got:sym`
  /// (R_AARCH64_ADR_GOT_PAGE), Mach-O `sym@GOTPAGE`.
  kGotPage,
  /// AArch64 low 12 bits within that page: ELF `:got_lo12:sym`
  /// (R_AARCH64_LD64_GOT_LO12_NC), Mach-O `sym@GOTPAGEOFF`.
  kGotPageOffset,
  /// AArch64 page of the symbol: ELF `sym` (R_AARCH64_ADR_PREL_PG_HI21),
  /// Mach-O `sym@PAGE`.
  kPage,
  /// AArch64 low 12 bits of the symbol: ELF `:lo12:sym`
  /// (R_AARCH64_ADD_ABS_LO12_NC), Mach-O `sym@PAGEOFF`.
  kPageOffset,
};

/// Assembler spelling for one target. Immutable value; built by
/// TargetSystem::asm_syntax() (target_system/target_system.h).
class AsmSyntax {
 public:
  AsmSyntax(Architecture arch, ObjectFormat format, ManglingScheme scheme)
      : arch_(arch), format_(format), scheme_(scheme) {}

  Architecture architecture() const { return arch_; }
  ObjectFormat object_format() const { return format_; }
  const ManglingScheme& scheme() const { return scheme_; }

  /// Prefix of global symbols: `_` on Mach-O, empty on ELF.
  std::string_view GlobalPrefix() const {
    return format_ == ObjectFormat::kMachO ? "_" : "";
  }
  /// Prefix of assembler-local labels: `.L` on ELF, `L` on Mach-O.
  std::string_view LocalLabelPrefix() const {
    return format_ == ObjectFormat::kMachO ? "L" : ".L";
  }
  /// The escape character: `$` on x86-64 and AArch64.
  char EscapeChar() const { return '$'; }

  /// Whether `.align n` takes bytes (x86-64 ELF, GNU as) rather than a power
  /// of two (AArch64, and every Mach-O target).
  bool AlignTakesBytes() const {
    return arch_ == Architecture::kX86_64 && format_ == ObjectFormat::kElf;
  }
  /// The directive for 16-bit data: `.word` on x86-64, `.short` on AArch64
  /// (where `.word` is 32 bits).
  std::string_view Data16Directive() const {
    return arch_ == Architecture::kAArch64 ? ".short" : ".word";
  }
  /// Whether the object format has ELF's `.type` and `.size` directives
  /// (false on Mach-O).
  bool HasTypeAndSizeDirectives() const {
    return format_ == ObjectFormat::kElf;
  }

  /// Replaces every character the scheme does not pass through by
  /// `$` + two lowercase hex digits (emitaux.ml `emit_symbol`).
  std::string Escape(std::string_view mangled) const;
  /// Escape() of \p mangled appended to \p out.
  void AppendEscaped(std::string_view mangled, std::string& out) const;

  /// Escape() plus the global prefix: the name as it appears in the object
  /// file's symbol table (`_camlFoo$2b_12` on macOS).
  std::string Encode(std::string_view mangled) const;
  /// Encode() of \p mangled, reusing its storage when the name needs no
  /// change (no global prefix, no character escaped): the usual case on ELF.
  std::string EncodeMoved(std::string&& mangled) const;

  /// Applies \p reloc to the already-encoded operand \p encoded:
  /// `f@PLT`, `:got:f`, `f@GOTPAGEOFF`... kInvalidArgument if this target
  /// has no such relocation (e.g. `@PLT` on AArch64), naming both.
  absl::StatusOr<std::string> Decorate(std::string_view encoded,
                                       Relocation reloc) const;

  friend bool operator==(const AsmSyntax&, const AsmSyntax&) = default;

 private:
  Architecture arch_;
  ObjectFormat format_;
  ManglingScheme scheme_;
};

/// `none`, `PLT`, `GOTPCREL`, `got`, `got_lo12`, `page`, `lo12`.
std::string_view RelocationName(Relocation reloc);

}  // namespace camlsym

#endif  // CAMLSYM_SYMBOLS_ASM_SYNTAX_H_
