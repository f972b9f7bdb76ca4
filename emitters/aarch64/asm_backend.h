// The AArch64 half of the integrated assembler (asm_backend.h): the
// encoder (nothing to relax: every instruction is 4 bytes), the branch
// fixups the assembler resolves within a section (CALL26, JUMP26,
// CONDBR19), code padding with `nop`, mapping symbols, the CIE GNU as
// writes, and the R_AARCH64_* relocation of each fixup kind.
//
// Mirrors: LLVM's AArch64AsmBackend and AArch64ELFObjectWriter; the
// AArch64 ELF ABI (relocation types, mapping symbols); GNU as 2.40
// (gas/config/tc-aarch64.c, gas/dw2gencfi.c).
#ifndef CAMLSYM_EMITTERS_AARCH64_ASM_BACKEND_H_
#define CAMLSYM_EMITTERS_AARCH64_ASM_BACKEND_H_

#include "camlsym/emitters/asm_backend.h"

namespace camlsym {

/// Encoding and fixups for AArch64.
class AArch64AsmBackend final : public AsmBackend {
 public:
  absl::StatusOr<EncodedInstruction> Encode(
      const Instruction& insn) const override;
  /// AArch64 branches are not relaxed: the encoder returns none, so these
  /// are never called; they describe a 4-byte branch.
  int BranchSizeBytes(const RelaxableBranch& branch,
                      bool relaxed) const override;
  bool ShortBranchReaches(const RelaxableBranch& branch,
                          int64_t displacement_bytes) const override;
  void WriteBranch(const RelaxableBranch& branch, bool relaxed,
                   int64_t displacement_bytes, std::string& out) const override;
  /// Zero bytes up to a multiple of 4, then `nop`s, as GNU as pads code.
  void WriteCodePadding(int64_t size_bytes, std::string& out) const override;
  bool IsPcRelative(FixupKind kind) const override;
  bool NeedsSymbolRelocation(FixupKind kind) const override;
  bool ReferencesGot(FixupKind kind) const override;
  absl::Status ApplyFixup(FixupKind kind, int64_t value, const AsmName& target,
                          char* field) const override;
  /// Code alignment 4, data alignment -8, return address in column 30
  /// (x30); CFA = sp + 0.
  CommonInformationEntry Cie() const override;
  bool UsesMappingSymbols() const override { return true; }
};

/// EM_AARCH64 and the R_AARCH64_* types: ABS64 (`.quad`), PREL32
/// (`.eh_frame`), CALL26, JUMP26, CONDBR19, ADR_GOT_PAGE,
/// LD64_GOT_LO12_NC, ADR_PREL_PG_HI21, ADD_ABS_LO12_NC.
class AArch64ElfTargetWriter final : public ElfTargetWriter {
 public:
  uint16_t Machine() const override;
  absl::StatusOr<uint32_t> RelocationType(FixupKind kind,
                                          bool against_symbol) const override;
  bool KeepsAllSectionSymbols() const override { return true; }
};

}  // namespace camlsym

#endif  // CAMLSYM_EMITTERS_AARCH64_ASM_BACKEND_H_
