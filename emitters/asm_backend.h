// What the assembler core (assembler.h) and the ELF object writer
// (elf_object_writer.h) ask of a target: the target's half of the
// integrated assembler. AsmBackend encodes instructions, says which fixups
// the assembler may resolve and how to write them, how relaxable branches
// grow, how code is padded, and which CIE starts `.eh_frame`.
// ElfTargetWriter names the ELF machine and the relocation type of each
// fixup kind. Each target implements both in its own folder
// (x86_64/asm_backend.h, aarch64/asm_backend.h); adding a target adds
// files there and one case in output_streamer.cc, and edits neither the
// core nor the ELF writer.
//
// Mirrors: LLVM MC's MCAsmBackend (applyFixup, mayNeedRelaxation,
// relaxInstruction, writeNopData), MCCodeEmitter (encodeInstruction),
// MCFixupKind (FK_Data_8, FK_PCRel_4, then target kinds) and
// MCELFObjectTargetWriter::getRelocType; MCAsmInfo's initial frame state
// for the CIE.
#ifndef CAMLSYM_EMITTERS_ASM_BACKEND_H_
#define CAMLSYM_EMITTERS_ASM_BACKEND_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "camlsym/emitters/instruction.h"
#include "camlsym/symbols/asm_symbol.h"

namespace camlsym {

/// What a fixup computes. The generic kinds are for data; a target's
/// instruction fixups start at kFirstTargetFixupKind.
using FixupKind = uint8_t;
/// 8 bytes, the target's absolute address (`.quad sym`).
inline constexpr FixupKind kFixupData64 = 0;
/// 4 bytes, the target's address minus the field's (`.eh_frame`'s
/// pc_begin).
inline constexpr FixupKind kFixupData32PcRel = 1;
/// The first kind a target may define for its instructions.
inline constexpr FixupKind kFirstTargetFixupKind = 16;

/// A field of an encoded instruction to fill with a symbol's or label's
/// address.
struct InstructionFixup {
  /// Bytes from the start of the instruction to the field.
  int offset_bytes = 0;
  FixupKind kind = kFixupData64;
  AsmName target;
  /// Added to the target's address (x86-64: minus the bytes from the field
  /// to the end of the instruction).
  int64_t addend = 0;
};

/// A branch to a label that the core lays out short when the label is
/// within reach and long otherwise, growing it until layout is stable
/// (MCRelaxableFragment).
struct RelaxableBranch {
  const AsmLabel* target = nullptr;
  /// The target's description of the branch (e.g. an x86-64 condition
  /// code); the core only passes it back.
  uint32_t code = 0;
};

/// One encoded instruction: bytes with at most one fixup, or a relaxable
/// branch (then \p bytes is empty and \p fixup unset).
struct EncodedInstruction {
  std::string bytes;
  std::optional<InstructionFixup> fixup;
  std::optional<RelaxableBranch> branch;
};

/// The Common Information Entry of `.eh_frame` as the target's GNU as
/// writes it (version 1, augmentation "zR", PC-relative signed 4-byte FDE
/// pointers).
struct CommonInformationEntry {
  /// Factor of DW_CFA_advance_loc deltas, in bytes.
  int code_alignment_bytes = 1;
  /// Factor of DW_CFA_offset offsets, in bytes (negative).
  int data_alignment_bytes = -8;
  /// DWARF column of the return address.
  int return_address_register = 0;
  /// The CIE's initial instructions (CFA rule and return address rule).
  std::string initial_instructions;
  /// CFA offset after the initial instructions (what
  /// `.cfi_adjust_cfa_offset` adjusts), in bytes.
  int initial_cfa_offset_bytes = 0;
};

/// A target's assembler backend and code emitter.
class AsmBackend {
 public:
  virtual ~AsmBackend() = default;

  /// Encodes \p insn. kInvalidArgument for an instruction outside the
  /// forms the target's encoder accepts (naming it as printed);
  /// kOutOfRange for an immediate or displacement that does not fit.
  virtual absl::StatusOr<EncodedInstruction> Encode(
      const Instruction& insn) const = 0;

  /// Bytes of \p branch in its short (\p relaxed false) or long form.
  virtual int BranchSizeBytes(const RelaxableBranch& branch,
                              bool relaxed) const = 0;
  /// Whether the short form reaches \p displacement_bytes (target minus
  /// the end of the short instruction).
  virtual bool ShortBranchReaches(const RelaxableBranch& branch,
                                  int64_t displacement_bytes) const = 0;
  /// Appends \p branch in the chosen form, with \p displacement_bytes
  /// (target minus the end of the instruction in that form).
  virtual void WriteBranch(const RelaxableBranch& branch, bool relaxed,
                           int64_t displacement_bytes,
                           std::string& out) const = 0;

  /// Appends \p size_bytes bytes of padding for `.align` in code.
  virtual void WriteCodePadding(int64_t size_bytes, std::string& out) const = 0;

  /// Whether a fixup of \p kind that the assembler resolves computes
  /// S + A - P (PC-relative) rather than S + A. Only PC-relative fixups to
  /// the same section are resolved by the assembler.
  virtual bool IsPcRelative(FixupKind kind) const = 0;
  /// Whether a fixup of \p kind always becomes a relocation against its
  /// symbol, never a section symbol or a resolved value (GOT and PLT
  /// references).
  virtual bool NeedsSymbolRelocation(FixupKind kind) const = 0;
  /// Whether a fixup of \p kind refers to the GOT (GNU as then lists
  /// `_GLOBAL_OFFSET_TABLE_` in the symbol table).
  virtual bool ReferencesGot(FixupKind kind) const = 0;
  /// Writes the resolved \p value of a fixup of \p kind into the
  /// instruction bytes at \p field. kOutOfRange if it does not fit (the
  /// message names \p target).
  virtual absl::Status ApplyFixup(FixupKind kind, int64_t value,
                                  const AsmName& target, char* field) const = 0;

  /// The CIE the target's GNU as writes.
  virtual CommonInformationEntry Cie() const = 0;

  /// Whether the target's GNU as marks code and data with mapping symbols
  /// (`$x` and `$d` on AArch64, per the AArch64 ELF ABI).
  virtual bool UsesMappingSymbols() const { return false; }
};

/// The ELF half of a target (MCELFObjectTargetWriter).
class ElfTargetWriter {
 public:
  virtual ~ElfTargetWriter() = default;
  /// `e_machine` (EM_X86_64, EM_AARCH64).
  virtual uint16_t Machine() const = 0;
  /// The relocation type (R_X86_64_*, R_AARCH64_*) for a fixup of \p kind
  /// against a symbol (\p against_symbol) or a section symbol.
  /// kInvalidArgument for a kind the target has no relocation for.
  virtual absl::StatusOr<uint32_t> RelocationType(
      FixupKind kind, bool against_symbol) const = 0;
  /// Whether every section gets a section symbol, as the target's GNU as
  /// writes them (AArch64), rather than only those relocations or FDEs
  /// refer to (x86-64).
  virtual bool KeepsAllSectionSymbols() const { return false; }
};

}  // namespace camlsym

#endif  // CAMLSYM_EMITTERS_ASM_BACKEND_H_
