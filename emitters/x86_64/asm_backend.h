// The x86-64 half of the integrated assembler (asm_backend.h): the
// encoder, jump relaxation (rel8 to rel32, as GNU as does), nop padding,
// the PC-relative fixups the assembler resolves, the CIE GNU as writes,
// and the R_X86_64_* relocation of each fixup kind.
//
// Mirrors: LLVM's X86AsmBackend and X86ELFObjectWriter; the x86-64 psABI
// (relocation types, `.eh_frame`); GNU as 2.40 (gas/config/tc-i386.c,
// gas/dw2gencfi.c).
#ifndef CAMLSYM_EMITTERS_X86_64_ASM_BACKEND_H_
#define CAMLSYM_EMITTERS_X86_64_ASM_BACKEND_H_

#include "camlsym/emitters/asm_backend.h"

namespace camlsym {

/// Encoding, relaxation and fixups for x86-64.
class X86_64AsmBackend final : public AsmBackend {
 public:
  absl::StatusOr<EncodedInstruction> Encode(
      const Instruction& insn) const override;
  int BranchSizeBytes(const RelaxableBranch& branch,
                      bool relaxed) const override;
  bool ShortBranchReaches(const RelaxableBranch& branch,
                          int64_t displacement_bytes) const override;
  void WriteBranch(const RelaxableBranch& branch, bool relaxed,
                   int64_t displacement_bytes, std::string& out) const override;
  void WriteCodePadding(int64_t size_bytes, std::string& out) const override;
  bool IsPcRelative(FixupKind kind) const override;
  bool NeedsSymbolRelocation(FixupKind kind) const override;
  bool ReferencesGot(FixupKind kind) const override;
  absl::Status ApplyFixup(FixupKind kind, int64_t value, const AsmName& target,
                          char* field) const override;
  /// Code alignment 1, data alignment -8, return address in column 16
  /// (%rip); CFA = %rsp + 8, return address at CFA - 8.
  CommonInformationEntry Cie() const override;
};

/// EM_X86_64 and the R_X86_64_* types: R_X86_64_64 (`.quad`),
/// R_X86_64_PC32 (PC-relative data and instruction fields),
/// R_X86_64_PLT32 (calls to global or undefined symbols),
/// R_X86_64_REX_GOTPCRELX.
class X86_64ElfTargetWriter final : public ElfTargetWriter {
 public:
  uint16_t Machine() const override;
  absl::StatusOr<uint32_t> RelocationType(FixupKind kind,
                                          bool against_symbol) const override;
};

}  // namespace camlsym

#endif  // CAMLSYM_EMITTERS_X86_64_ASM_BACKEND_H_
