// The integrated assembler: turns a directive stream into an ELF
// relocatable object directly, without running the target's assembler, as
// LLVM MC's ELFObjectWriter does behind its object streamer. It lays out
// each section (alignment, branch relaxation), encodes instructions with
// the target's encoder, resolves what the assembler resolves (references
// to labels of the same section, label differences), turns the rest into
// RELA relocations as GNU as does (against the section symbol for labels
// and local symbols, against the symbol itself for global and undefined
// ones), builds `.eh_frame` from the CFI directives and writes the file.
//
// The output is meant to be interchangeable with GNU as 2.40's object for
// the same directives: the same section contents, relocations and symbols
// (tests/elf_object_oracle_test checks this against `as` on real startup
// files).
//
// Mirrors: asmcomp/emitaux.ml `binary_backend_available` and
// `create_asm_file` (OCaml 4.13.1), the hook through which a native backend
// assembles in-process instead of writing a `.s`; LLVM MC
// (MCAssembler::layout and relaxation, ELFObjectWriter, MCDwarf's CIE/FDE
// emission); the System V ABI and the x86-64 psABI
// (ELF64 structures, R_X86_64_* relocations, .eh_frame); GNU as
// (gas/dw2gencfi.c) for the CIE it writes.
#ifndef CAMLSYM_EMITTERS_ELF_OBJECT_WRITER_H_
#define CAMLSYM_EMITTERS_ELF_OBJECT_WRITER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "camlsym/emitters/directive.h"
#include "camlsym/target_system/target_system.h"

namespace camlsym {

class ElfAssembler;

/// The integrated assembler as a DirectiveSink: give it to a
/// DirectiveStream, emit, then Finish(). It keeps what the object needs and
/// not the directives themselves, so a large startup file is never held
/// twice.
class ElfObjectStreamer final : public DirectiveSink {
 public:
  /// Whether it writes objects for \p target: x86-64 ELF only (AArch64 and
  /// Mach-O still go through the external assembler).
  static bool Supports(const TargetSystem& target);
  /// kUnimplemented for a target it does not support (Supports()).
  static absl::StatusOr<std::unique_ptr<ElfObjectStreamer>> Create(
      const TargetSystem& target);
  ~ElfObjectStreamer() override;

  void Consume(Directive d) override;

  /// The ELF relocatable object (the bytes of a `.o` file) for the
  /// directives consumed. Call once.
  ///
  /// Errors: kInvalidArgument for an instruction the x86-64 encoder has no
  /// form for, a data directive other than `.quad` naming a symbol, a
  /// branch to a label of another section, bytes outside any section, or
  /// CFI outside `.cfi_startproc`/`.cfi_endproc`; kFailedPrecondition for
  /// a referenced label that is never defined; kOutOfRange for a value
  /// that does not fit its field. The first error wins.
  absl::StatusOr<std::string> Finish();

 private:
  ElfObjectStreamer();
  std::unique_ptr<ElfAssembler> assembler_;
};

/// The object for the directives \p stream has stored, on \p target:
/// ElfObjectStreamer over them. Same errors as Create() and Finish().
absl::StatusOr<std::string> WriteElfObject(const TargetSystem& target,
                                           const DirectiveStream& stream);

}  // namespace camlsym

#endif  // CAMLSYM_EMITTERS_ELF_OBJECT_WRITER_H_
