#include "camlsym/emitters/object_streamer.h"

#include "camlsym/emitters/aarch64/asm_backend.h"
#include "camlsym/emitters/assembler.h"
#include "camlsym/emitters/elf_object_writer.h"
#include "camlsym/emitters/x86_64/asm_backend.h"
#include "fmt/format.h"

namespace camlsym {

ElfObjectStreamer::ElfObjectStreamer(std::unique_ptr<AsmBackend> backend,
                                     std::unique_ptr<ElfTargetWriter> writer)
    : backend_(std::move(backend)),
      writer_(std::move(writer)),
      assembler_(std::make_unique<Assembler>(*backend_)) {}

ElfObjectStreamer::~ElfObjectStreamer() = default;

bool ElfObjectStreamer::Supports(const TargetSystem& target) {
  return target.object_format() == ObjectFormat::kElf &&
         (target.architecture() == Architecture::kX86_64 ||
          target.architecture() == Architecture::kAArch64);
}

absl::StatusOr<std::unique_ptr<ElfObjectStreamer>> ElfObjectStreamer::Create(
    const TargetSystem& target) {
  if (!Supports(target)) {
    return absl::UnimplementedError(
        fmt::format("the integrated assembler writes ELF objects for x86-64 "
                    "and AArch64 only, not {}",
                    target.Triple()));
  }
  // The target registry: one backend and ELF writer per architecture.
  if (target.architecture() == Architecture::kAArch64) {
    return std::unique_ptr<ElfObjectStreamer>(
        new ElfObjectStreamer(std::make_unique<AArch64AsmBackend>(),
                              std::make_unique<AArch64ElfTargetWriter>()));
  }
  return std::unique_ptr<ElfObjectStreamer>(
      new ElfObjectStreamer(std::make_unique<X86_64AsmBackend>(),
                            std::make_unique<X86_64ElfTargetWriter>()));
}

void ElfObjectStreamer::Consume(Directive d) {
  assembler_->Consume(std::move(d));
}

absl::StatusOr<std::string> ElfObjectStreamer::Finish() {
  absl::StatusOr<AssembledObject> object = assembler_->Finish();
  if (!object.ok()) return object.status();
  return ElfObjectWriter(*writer_, backend_->Cie()).Write(std::move(*object));
}

absl::StatusOr<std::string> WriteElfObject(const TargetSystem& target,
                                           const DirectiveStream& stream) {
  absl::StatusOr<std::unique_ptr<ElfObjectStreamer>> streamer =
      ElfObjectStreamer::Create(target);
  if (!streamer.ok()) return streamer.status();
  for (const Directive& d : stream.directives()) (*streamer)->Consume(d);
  return (*streamer)->Finish();
}

}  // namespace camlsym
