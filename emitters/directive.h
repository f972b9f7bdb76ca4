// The directive stream: an assembly file as a sequence of typed directives
// over camlsym's symbol types (sections, assembly symbols and labels,
// differences), before any spelling. Emitters append directives and choose
// relocations; printers (asm_printer.h) spell them for one assembler.
// Defining a symbol or label through the stream binds it, via AsmContext,
// to the current section, so a definition outside any section or a second
// definition is refused when it is emitted, not when the file is assembled.
//
// Mirrors: asmcomp/x86_ast.mli and asmcomp/x86_dsl.ml (the `D` directives),
// asmcomp/emitaux.ml (`emit_string_literal`, `emit_frames`) (OCaml 4.13.1);
// LLVM MC's MCStreamer and OxCaml's Asm_directives.Directive.
#ifndef CAMLSYM_EMITTERS_DIRECTIVE_H_
#define CAMLSYM_EMITTERS_DIRECTIVE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "camlsym/emitters/instruction.h"
#include "camlsym/symbols/asm_symbol.h"
#include "camlsym/symbols/asm_syntax.h"
#include "camlsym/symbols/section.h"

namespace camlsym {

/// `.text`, `.data`, `.section ...`: makes \p section current.
struct SwitchSection {
  Section section;
};

/// `name:`. Only DirectiveStream::Define() creates it, after binding.
struct Label {
  AsmName name;
};

/// `.globl sym`.
struct Global {
  const AsmSymbol* symbol;
};

/// ELF symbol types for `.type`.
enum class SymbolType { kFunction, kObject };

/// `.type sym,@function` (ELF only; printers drop it elsewhere).
struct Type {
  const AsmSymbol* symbol;
  SymbolType type;
};

/// `.size sym,. - sym` (ELF only; printers drop it elsewhere).
struct Size {
  const AsmSymbol* symbol;
};

/// Aligns to \p bytes (a power of two); the printer writes bytes or log2.
struct Align {
  int bytes;
};

/// The operand of a data directive: a constant, an address, or the
/// difference of two names bound to the same section.
using DataOperand = std::variant<int64_t, AsmName, AsmDifference>;

/// Data widths of `.quad`, `.long`, 16 bits (`.word` on x86-64, `.short` on
/// AArch64), `.byte`.
enum class DataWidth { kQuad, kLong, kWord, kByte };

/// One data item of \p width.
struct Data {
  DataWidth width;
  DataOperand operand;
};

/// `.ascii "..."`: raw bytes, escaped by the printer as emitaux.ml
/// `emit_string_literal` does.
struct Ascii {
  std::string bytes;
};

/// `.space n`: \p size_bytes zero bytes.
struct Space {
  int64_t size_bytes;
};

/// Call-frame information directives.
enum class CfiKind { kStartProc, kEndProc, kAdjustCfaOffset, kOffset };

/// `.cfi_startproc`, `.cfi_endproc`, `.cfi_adjust_cfa_offset n`,
/// `.cfi_offset reg, n` (register \p dwarf_register saved at CFA + n).
struct Cfi {
  CfiKind kind;
  /// For kAdjustCfaOffset and kOffset.
  int offset_bytes = 0;
  /// Only for kOffset: the DWARF register number (AArch64: 30 for x30).
  int dwarf_register = 0;
};

/// `/* text */`.
struct Comment {
  std::string text;
};

/// One directive of an assembly file.
using Directive = std::variant<SwitchSection, Label, Global, Type, Size, Align,
                               Data, Ascii, Space, Cfi, Comment, Instruction>;

/// Receives directives one at a time as they are emitted, instead of the
/// stream storing them: an object writer that assembles as it goes (LLVM
/// MC's MCObjectStreamer, as against MCAsmStreamer printing a buffer).
class DirectiveSink {
 public:
  virtual ~DirectiveSink() = default;
  /// Takes one directive, in emission order (read during the call, not
  /// kept: a sink copies what it needs). Errors are the sink's to keep and
  /// report when it is finished.
  virtual void Consume(const Directive& d) = 0;
};

/// Collects the directives of one assembly file, tracking the current
/// section, or hands each to a sink. Holds a reference to \p context, which
/// must outlive it.
class DirectiveStream {
 public:
  explicit DirectiveStream(AsmContext& context) : context_(context) {}
  /// A stream that passes every directive to \p sink (not owned; must
  /// outlive it) and stores none: directives() stays empty.
  DirectiveStream(AsmContext& context, DirectiveSink* sink)
      : context_(context), sink_(sink) {}
  DirectiveStream(const DirectiveStream&) = delete;
  DirectiveStream& operator=(const DirectiveStream&) = delete;

  AsmContext& context() { return context_; }
  const AsmContext& context() const { return context_; }
  /// The current section; nullopt before the first SwitchTo().
  const std::optional<Section>& current_section() const { return current_; }

  /// Appends SwitchSection and makes \p section current.
  void SwitchTo(Section section);

  /// Defines \p sym here: binds it to the current section and appends its
  /// Label. kFailedPrecondition if no section is current, or if \p sym
  /// belongs to another object file; kAlreadyExists if already defined.
  absl::Status Define(AsmSymbol& sym);
  /// Same for a label. kFailedPrecondition if no section is current;
  /// kAlreadyExists if already defined.
  absl::Status Define(AsmLabel& label);

  /// Appends any directive except Label and SwitchSection, which only
  /// Define() and SwitchTo() produce (a programmer error otherwise).
  void Append(Directive d);

  /// Shorthands for Append().
  void Emit(Instruction insn) { Append(std::move(insn)); }
  void Quad(DataOperand v) { Append(Data{DataWidth::kQuad, std::move(v)}); }
  void Word16(int64_t v) { Append(Data{DataWidth::kWord, v}); }
  void Byte(int64_t v) { Append(Data{DataWidth::kByte, v}); }
  void AlignTo(int bytes) { Append(Align{bytes}); }
  void AdjustCfa(int offset_bytes) {
    Append(Cfi{CfiKind::kAdjustCfaOffset, offset_bytes});
  }

  /// The directives so far, in order (none if a sink takes them).
  const std::vector<Directive>& directives() const { return directives_; }

 private:
  void Push(Directive&& d) {
    if (sink_ != nullptr) {
      sink_->Consume(d);
    } else {
      directives_.push_back(std::move(d));
    }
  }

  AsmContext& context_;
  DirectiveSink* sink_ = nullptr;
  std::optional<Section> current_;
  std::vector<Directive> directives_;
};

}  // namespace camlsym

#endif  // CAMLSYM_EMITTERS_DIRECTIVE_H_
