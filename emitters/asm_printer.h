// Printers render a directive stream (directive.h) as assembly text in one
// assembler's syntax, taking every target fact (symbol prefixes, escapes,
// relocation spelling, `.align` in bytes or log2, section names, ELF-only
// directives) from the AsmSyntax built by TargetSystem::asm_syntax().
//
// Mirrors: asmcomp/x86_gas.ml and asmcomp/emitaux.ml
// (`emit_string_literal`) of OCaml 4.13.1; OxCaml's Asm_directives
// `Directive.print`; LLVM's MCAsmStreamer.
#ifndef CAMLSYM_EMITTERS_ASM_PRINTER_H_
#define CAMLSYM_EMITTERS_ASM_PRINTER_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "camlsym/emitters/directive.h"
#include "camlsym/symbols/asm_syntax.h"

namespace camlsym {

/// Renders directives in one assembler dialect.
class AsmPrinter {
 public:
  virtual ~AsmPrinter() = default;

  /// Appends the text of \p d, one line or none, to \p out.
  /// kInvalidArgument if an operand asks for a relocation the target lacks
  /// (AsmSyntax::Decorate()).
  virtual absl::Status Print(const Directive& d, std::string& out) const = 0;

  /// All of \p directives, in order, as one buffer. Errors as Print().
  absl::StatusOr<std::string> PrintAll(
      const std::vector<Directive>& directives) const;
};

/// GNU as syntax (and Apple's assembler, which reads the same directives
/// for what camlsym emits): AT&T operands on x86-64.
class GasPrinter : public AsmPrinter {
 public:
  explicit GasPrinter(AsmSyntax syntax) : syntax_(std::move(syntax)) {}

  absl::Status Print(const Directive& d, std::string& out) const override;

  const AsmSyntax& syntax() const { return syntax_; }

 private:
  AsmSyntax syntax_;
};

/// \p bytes as a double-quoted assembler string literal, escaped as
/// emitaux.ml `emit_string_literal`: printable ASCII other than `"` and `\`
/// as is, everything else as `\ooo` octal; a digit right after an octal
/// escape is itself escaped so that it cannot extend the escape.
std::string EscapeStringLiteral(std::string_view bytes);

}  // namespace camlsym

#endif  // CAMLSYM_EMITTERS_ASM_PRINTER_H_
