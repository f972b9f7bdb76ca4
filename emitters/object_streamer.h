// The integrated assembler's streamer: a DirectiveSink that assembles a
// directive stream into an ELF relocatable object without running the
// target's assembler. Given a target's backend (x86_64/asm_backend.h,
// aarch64/asm_backend.h), it feeds the assembler core (assembler.h) as
// directives arrive and hands the laid-out object to the ELF writer
// (elf_object_writer.h). Which backend a target gets, and whether it has
// one, is output_streamer.h's choice (the target registry); emitters create
// their streamers there.
//
// Its objects are meant to be interchangeable with GNU as 2.40's for the
// same directives: the same section contents, relocations and symbols
// (emitters/object_streamer_test and the corpus tests check this against
// `as`).
//
// Mirrors: the in-process assembler that asmcomp/emitaux.ml's
// `binary_backend_available` announces (OCaml 4.13.1), through which a
// native backend assembles instead of writing a `.s`; LLVM MC's
// MCELFStreamer.
#ifndef CAMLSYM_EMITTERS_OBJECT_STREAMER_H_
#define CAMLSYM_EMITTERS_OBJECT_STREAMER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "camlsym/emitters/directive.h"

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
  /// The streamer for one target: its encoder and assembler backend
  /// (\p backend) and its ELF half (\p writer).
  ElfObjectStreamer(std::unique_ptr<AsmBackend> backend,
                    std::unique_ptr<ElfTargetWriter> writer);
  ~ElfObjectStreamer() override;

  void Consume(const Directive& d) override;

  /// The ELF relocatable object (the bytes of a `.o` file) for the
  /// directives consumed. Call once. Errors: those of Assembler::Finish()
  /// and ElfObjectWriter::Write(); the first error wins.
  absl::StatusOr<std::string> Finish();

 private:
  std::unique_ptr<AsmBackend> backend_;
  std::unique_ptr<ElfTargetWriter> writer_;
  std::unique_ptr<Assembler> assembler_;
};

}  // namespace camlsym

#endif  // CAMLSYM_EMITTERS_OBJECT_STREAMER_H_
