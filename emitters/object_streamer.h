// The integrated assembler's entry point: a DirectiveSink that assembles a
// directive stream into an ELF relocatable object without running the
// target's assembler. It picks the target's backend (x86_64/asm_backend.h,
// aarch64/asm_backend.h), feeds the assembler core (assembler.h) as
// directives arrive, and hands the laid-out object to the ELF writer
// (elf_object_writer.h).
//
// Its objects are meant to be interchangeable with GNU as 2.40's for the
// same directives: the same section contents, relocations and symbols
// (emitters/object_streamer_test and the corpus tests check this against
// `as`).
//
// Mirrors: asmcomp/emitaux.ml `binary_backend_available` and
// `create_asm_file` (OCaml 4.13.1), the hook through which a native backend
// assembles in-process instead of writing a `.s`; LLVM MC's
// MCELFStreamer and TargetRegistry.
#ifndef CAMLSYM_EMITTERS_OBJECT_STREAMER_H_
#define CAMLSYM_EMITTERS_OBJECT_STREAMER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "camlsym/emitters/directive.h"
#include "camlsym/target_system/target_system.h"

namespace camlsym {

class AsmBackend;
class Assembler;
class ElfTargetWriter;

/// The integrated assembler as a DirectiveSink: give it to a
/// DirectiveStream, emit, then Finish(). It keeps what the object needs and
/// not the directives themselves, so a large startup file is never held
/// twice.
class ElfObjectStreamer final : public DirectiveSink {
 public:
  /// Whether it writes objects for \p target: x86-64 and AArch64 ELF
  /// (Mach-O goes through the external assembler).
  static bool Supports(const TargetSystem& target);
  /// kUnimplemented for a target it does not support (Supports()).
  static absl::StatusOr<std::unique_ptr<ElfObjectStreamer>> Create(
      const TargetSystem& target);
  ~ElfObjectStreamer() override;

  void Consume(Directive d) override;

  /// The ELF relocatable object (the bytes of a `.o` file) for the
  /// directives consumed. Call once. Errors: those of Assembler::Finish()
  /// and ElfObjectWriter::Write(); the first error wins.
  absl::StatusOr<std::string> Finish();

 private:
  ElfObjectStreamer(std::unique_ptr<AsmBackend> backend,
                    std::unique_ptr<ElfTargetWriter> writer);
  std::unique_ptr<AsmBackend> backend_;
  std::unique_ptr<ElfTargetWriter> writer_;
  std::unique_ptr<Assembler> assembler_;
};

/// The object for the directives \p stream has stored, on \p target:
/// ElfObjectStreamer over them. Same errors as Create() and Finish().
absl::StatusOr<std::string> WriteElfObject(const TargetSystem& target,
                                           const DirectiveStream& stream);

}  // namespace camlsym

#endif  // CAMLSYM_EMITTERS_OBJECT_STREAMER_H_
