// The ELF object writer: turns an assembled object (assembler.h) into the
// bytes of an ELF64 little-endian relocatable file as GNU as lays it out:
// the content sections, `.eh_frame` built from the CFI directives, one
// `.rela` section per section with relocations, `.symtab` (null, section
// symbols, locals, then globals: defined, then undefined, then
// `_GLOBAL_OFFSET_TABLE_` when the GOT is referenced), `.strtab` and
// `.shstrtab`. It knows no target: the machine and each relocation's type
// come from an ElfTargetWriter, the CIE from the target's AsmBackend.
//
// Mirrors: LLVM MC's ELFObjectWriter (writeObject, computeSymbolTable,
// writeRelocations) and MCDwarf's FrameEmitterImpl (CIE and FDE emission);
// GNU as (gas/dw2gencfi.c) for the `.eh_frame` it writes; the System V ABI
// (ELF64 structures) and the psABIs' `.eh_frame` format.
#ifndef CAMLSYM_EMITTERS_ELF_OBJECT_WRITER_H_
#define CAMLSYM_EMITTERS_ELF_OBJECT_WRITER_H_

#include <string>

#include "absl/status/statusor.h"
#include "camlsym/emitters/asm_backend.h"
#include "camlsym/emitters/assembler.h"

namespace camlsym {

/// Writes one target's ELF relocatable objects.
class ElfObjectWriter {
 public:
  /// \p target is not owned and must outlive the writer; \p cie starts
  /// `.eh_frame`.
  ElfObjectWriter(const ElfTargetWriter& target, CommonInformationEntry cie)
      : target_(target), cie_(std::move(cie)) {}

  /// The file's bytes for \p object (consumed: its buffers are released as
  /// they are copied into the file). kInvalidArgument for a fixup kind the
  /// target has no relocation type for (ElfTargetWriter::RelocationType).
  absl::StatusOr<std::string> Write(AssembledObject object) const;

 private:
  const ElfTargetWriter& target_;
  CommonInformationEntry cie_;
};

}  // namespace camlsym

#endif  // CAMLSYM_EMITTERS_ELF_OBJECT_WRITER_H_
