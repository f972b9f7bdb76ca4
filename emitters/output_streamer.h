// Where an emission's directives go, chosen once from the target: the
// assembly printer, the integrated assembler, or both from one emission.
// This is the only module that knows which targets the integrated
// assembler writes objects for; callers ask for forms and get the sink that
// makes them.
//
// Mirrors: asmcomp/emitaux.ml `binary_backend_available` and
// `create_asm_file`, and asmcomp/asmgen.ml `compile_unit` (`create_asm =
// keep_asm || not !Emitaux.binary_backend_available`) (OCaml 4.13.1); LLVM
// MC's TargetRegistry (createMCAsmBackend, createAsmStreamer,
// createMCObjectStreamer) and LLVMTargetMachine::createMCStreamer, which
// picks the streamer for a CodeGenFileType.
#ifndef CAMLSYM_EMITTERS_OUTPUT_STREAMER_H_
#define CAMLSYM_EMITTERS_OUTPUT_STREAMER_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "camlsym/emitters/asm_printer.h"
#include "camlsym/emitters/directive.h"
#include "camlsym/target_system/target_system.h"

namespace camlsym {

class ElfObjectStreamer;

/// Which forms one emission makes (llc's `-filetype=asm` and `obj`; both
/// for a kept assembly file beside the object).
struct OutputForms {
  /// Assembly text for the target's assembler (GasPrinter).
  bool assembly = false;
  /// The object assembled by camlsym itself (object_streamer.h): what the
  /// target's assembler would make of that text.
  bool object = false;
};

/// An emission in the forms asked for; a form not asked for is empty.
struct OutputFiles {
  std::string assembly;
  /// The bytes of the `.o` file.
  std::string object;
};

/// How a caller that needs an object file wants it made.
struct ObjectFileRequest {
  /// The integrated assembler may make it (false: the target's assembler
  /// does, as with `-fno-integrated-as` or a named assembler).
  bool integrated_assembler = true;
  /// The assembly text is wanted too (`-S`, `ocamlopt -dstartup`).
  bool keep_assembly = false;
};

/// The forms to emit on \p target for an object file made as \p request
/// says (asmgen.ml `compile_unit`): the object, when the integrated
/// assembler may make it and writes objects for \p target (x86-64 and
/// AArch64 ELF: emitaux.ml `binary_backend_available`); the assembly
/// otherwise, which the caller then assembles with the target's assembler
/// (TargetSystem::DefaultAssembler), and whenever it is kept. The result's
/// `object` says which of the two makes the object file.
OutputForms FormsForObjectFile(const TargetSystem& target,
                               const ObjectFileRequest& request);

/// The sink of one emission: prints each directive as it arrives, or
/// assembles it, or both, keeping no directive. Give it to a DirectiveStream
/// (DirectiveStream(context, sink)), emit, then Finish().
class OutputStreamer final : public DirectiveSink {
 public:
  /// The streamer for \p forms on \p target. kUnimplemented, naming the
  /// triple, if \p forms asks for an object and the integrated assembler
  /// does not write objects for \p target (ask FormsForObjectFile() for
  /// the forms that make an object file on any target); kInvalidArgument
  /// if \p forms asks for nothing.
  static absl::StatusOr<std::unique_ptr<OutputStreamer>> Create(
      const TargetSystem& target, OutputForms forms);
  ~OutputStreamer() override;

  void Consume(const Directive& d) override;

  /// The forms asked for, for the directives consumed. Call once. Errors:
  /// the first of AsmPrinter::Print(), Assembler::Finish() and
  /// ElfObjectWriter::Write().
  absl::StatusOr<OutputFiles> Finish();

 private:
  OutputStreamer(std::optional<GasPrinter> printer,
                 std::unique_ptr<ElfObjectStreamer> object);
  std::optional<GasPrinter> printer_;
  std::string assembly_;
  absl::Status print_status_;
  std::unique_ptr<ElfObjectStreamer> object_;
};

/// The object for the directives \p stream has stored, on \p target: an
/// OutputStreamer for the object alone over them. Errors as Create() and
/// Finish().
absl::StatusOr<std::string> WriteElfObject(const TargetSystem& target,
                                           const DirectiveStream& stream);

}  // namespace camlsym

#endif  // CAMLSYM_EMITTERS_OUTPUT_STREAMER_H_
