#include "camlsym/emitters/output_streamer.h"

#include <utility>

#include "camlsym/emitters/aarch64/asm_backend.h"
#include "camlsym/emitters/object_streamer.h"
#include "camlsym/emitters/x86_64/asm_backend.h"
#include "fmt/format.h"

namespace camlsym {

namespace {

// The target registry: which backend and ELF writer the integrated
// assembler uses for a target. Adding a target adds a case here.
enum class ObjectBackend { kNone, kX86_64Elf, kAArch64Elf };

ObjectBackend ObjectBackendFor(const TargetSystem& target) {
  // Mach-O goes through the external assembler.
  if (target.object_format() != ObjectFormat::kElf) return ObjectBackend::kNone;
  switch (target.architecture()) {
    case Architecture::kX86_64:
      return ObjectBackend::kX86_64Elf;
    case Architecture::kAArch64:
      return ObjectBackend::kAArch64Elf;
  }
  return ObjectBackend::kNone;
}

absl::StatusOr<std::unique_ptr<ElfObjectStreamer>> CreateObjectStreamer(
    const TargetSystem& target) {
  switch (ObjectBackendFor(target)) {
    case ObjectBackend::kX86_64Elf:
      return std::make_unique<ElfObjectStreamer>(
          std::make_unique<X86_64AsmBackend>(),
          std::make_unique<X86_64ElfTargetWriter>());
    case ObjectBackend::kAArch64Elf:
      return std::make_unique<ElfObjectStreamer>(
          std::make_unique<AArch64AsmBackend>(),
          std::make_unique<AArch64ElfTargetWriter>());
    case ObjectBackend::kNone:
      break;
  }
  return absl::UnimplementedError(fmt::format(
      "the integrated assembler writes ELF objects for x86-64 and AArch64 "
      "only, not {}; emit the assembly and run {}",
      target.Triple(), target.DefaultAssembler()));
}

}  // namespace

OutputForms FormsForObjectFile(const TargetSystem& target,
                               const ObjectFileRequest& request) {
  const bool integrated = request.integrated_assembler &&
                          ObjectBackendFor(target) != ObjectBackend::kNone;
  return {.assembly = request.keep_assembly || !integrated,
          .object = integrated};
}

OutputStreamer::OutputStreamer(std::optional<GasPrinter> printer,
                               std::unique_ptr<ElfObjectStreamer> object)
    : printer_(std::move(printer)), object_(std::move(object)) {}

OutputStreamer::~OutputStreamer() = default;

absl::StatusOr<std::unique_ptr<OutputStreamer>> OutputStreamer::Create(
    const TargetSystem& target, OutputForms forms) {
  if (!forms.assembly && !forms.object) {
    return absl::InvalidArgumentError(fmt::format(
        "no output form asked for on {}: neither assembly nor object",
        target.Triple()));
  }
  std::unique_ptr<ElfObjectStreamer> object;
  if (forms.object) {
    absl::StatusOr<std::unique_ptr<ElfObjectStreamer>> streamer =
        CreateObjectStreamer(target);
    if (!streamer.ok()) return streamer.status();
    object = *std::move(streamer);
  }
  std::optional<GasPrinter> printer;
  if (forms.assembly) printer.emplace(target.asm_syntax());
  return std::unique_ptr<OutputStreamer>(
      new OutputStreamer(std::move(printer), std::move(object)));
}

void OutputStreamer::Consume(const Directive& d) {
  if (printer_.has_value() && print_status_.ok()) {
    print_status_ = printer_->Print(d, assembly_);
  }
  if (object_ != nullptr) object_->Consume(d);
}

absl::StatusOr<OutputFiles> OutputStreamer::Finish() {
  if (!print_status_.ok()) return print_status_;
  OutputFiles files;
  files.assembly = std::move(assembly_);
  if (object_ != nullptr) {
    absl::StatusOr<std::string> object = object_->Finish();
    if (!object.ok()) return object.status();
    files.object = *std::move(object);
  }
  return files;
}

absl::StatusOr<std::string> WriteElfObject(const TargetSystem& target,
                                           const DirectiveStream& stream) {
  absl::StatusOr<std::unique_ptr<OutputStreamer>> streamer =
      OutputStreamer::Create(target, {.object = true});
  if (!streamer.ok()) return streamer.status();
  for (const Directive& d : stream.directives()) (*streamer)->Consume(d);
  absl::StatusOr<OutputFiles> files = (*streamer)->Finish();
  if (!files.ok()) return files.status();
  return std::move(files->object);
}

}  // namespace camlsym
