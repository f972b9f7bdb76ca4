#include "camlsym/emitters/object_streamer.h"

#include "camlsym/emitters/asm_backend.h"
#include "camlsym/emitters/assembler.h"
#include "camlsym/emitters/elf_object_writer.h"

namespace camlsym {

ElfObjectStreamer::ElfObjectStreamer(std::unique_ptr<AsmBackend> backend,
                                     std::unique_ptr<ElfTargetWriter> writer)
    : backend_(std::move(backend)),
      writer_(std::move(writer)),
      assembler_(std::make_unique<Assembler>(*backend_)) {}

ElfObjectStreamer::~ElfObjectStreamer() = default;

void ElfObjectStreamer::Consume(const Directive& d) { assembler_->Consume(d); }

absl::StatusOr<std::string> ElfObjectStreamer::Finish() {
  absl::StatusOr<AssembledObject> object = assembler_->Finish();
  if (!object.ok()) return object.status();
  return ElfObjectWriter(*writer_, backend_->Cie()).Write(std::move(*object));
}

}  // namespace camlsym
