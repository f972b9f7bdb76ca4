#include "camlsym/emitters/aarch64/asm_backend.h"

#include <elf.h>

#include <cstring>
#include <limits>

#include "camlsym/emitters/aarch64/instruction_encoder.h"
#include "camlsym/emitters/assembler.h"
#include "fmt/format.h"

namespace camlsym {

absl::StatusOr<EncodedInstruction> AArch64AsmBackend::Encode(
    const Instruction& insn) const {
  return EncodeAArch64Instruction(insn);
}

int AArch64AsmBackend::BranchSizeBytes(const RelaxableBranch&, bool) const {
  return 4;
}

bool AArch64AsmBackend::ShortBranchReaches(const RelaxableBranch&,
                                           int64_t) const {
  return true;
}

void AArch64AsmBackend::WriteBranch(const RelaxableBranch&, bool, int64_t,
                                    std::string& out) const {
  AppendLittleEndian(out, kAArch64Nop, 4);
}

void AArch64AsmBackend::WriteCodePadding(int64_t size_bytes,
                                         std::string& out) const {
  const int64_t zeros = size_bytes % 4;
  out.append(zeros, '\0');
  for (int64_t i = zeros; i < size_bytes; i += 4) {
    AppendLittleEndian(out, kAArch64Nop, 4);
  }
}

bool AArch64AsmBackend::IsPcRelative(FixupKind kind) const {
  return kind == kAArch64FixupCall26 || kind == kAArch64FixupJump26 ||
         kind == kAArch64FixupCondBr19 || kind == kFixupData32PcRel;
}

bool AArch64AsmBackend::NeedsSymbolRelocation(FixupKind) const {
  // GNU as refers to a local symbol's GOT entry through its section
  // symbol, as to any other local symbol.
  return false;
}

bool AArch64AsmBackend::ReferencesGot(FixupKind) const {
  // GNU as for AArch64 does not name _GLOBAL_OFFSET_TABLE_.
  return false;
}

absl::Status AArch64AsmBackend::ApplyFixup(FixupKind kind, int64_t value,
                                           const AsmName& target,
                                           char* field) const {
  auto out_of_range = [&](std::string_view what) {
    return absl::OutOfRangeError(
        fmt::format("AArch64 assembler: {} to {} ({} bytes) out of range", what,
                    EncodedName(target), value));
  };
  if (kind == kFixupData32PcRel) {
    if (value < std::numeric_limits<int32_t>::min() ||
        value > std::numeric_limits<int32_t>::max()) {
      return out_of_range("32-bit PC-relative value");
    }
    for (int i = 0; i < 4; ++i) field[i] = static_cast<char>(value >> (8 * i));
    return absl::OkStatus();
  }
  uint32_t word;
  std::memcpy(&word, field, 4);  // little-endian hosts only, as elf.h's
  if (value % 4 != 0) return out_of_range("branch not to a multiple of 4");
  if (kind == kAArch64FixupCondBr19) {
    if (value < -(int64_t{1} << 20) || value >= (int64_t{1} << 20)) {
      return out_of_range("conditional branch");
    }
    word |= (static_cast<uint32_t>(value >> 2) & 0x7FFFF) << 5;
  } else {
    if (value < -(int64_t{1} << 27) || value >= (int64_t{1} << 27)) {
      return out_of_range("branch");
    }
    word |= static_cast<uint32_t>(value >> 2) & 0x3FFFFFF;
  }
  std::memcpy(field, &word, 4);
  return absl::OkStatus();
}

CommonInformationEntry AArch64AsmBackend::Cie() const {
  CommonInformationEntry cie;
  cie.code_alignment_bytes = 4;
  cie.data_alignment_bytes = -8;
  cie.return_address_register = 30;
  cie.initial_instructions =
      std::string("\x0c\x1f\x00", 3);  // DW_CFA_def_cfa: r31 (sp) ofs 0
  cie.initial_cfa_offset_bytes = 0;
  return cie;
}

uint16_t AArch64ElfTargetWriter::Machine() const { return EM_AARCH64; }

absl::StatusOr<uint32_t> AArch64ElfTargetWriter::RelocationType(FixupKind kind,
                                                                bool) const {
  switch (kind) {
    case kFixupData64:
      return R_AARCH64_ABS64;
    case kFixupData32PcRel:
      return R_AARCH64_PREL32;
    case kAArch64FixupCall26:
      return R_AARCH64_CALL26;
    case kAArch64FixupJump26:
      return R_AARCH64_JUMP26;
    case kAArch64FixupCondBr19:
      return R_AARCH64_CONDBR19;
    case kAArch64FixupAdrGotPage:
      return R_AARCH64_ADR_GOT_PAGE;
    case kAArch64FixupLd64GotLo12:
      return R_AARCH64_LD64_GOT_LO12_NC;
    case kAArch64FixupAdrPrelPgHi21:
      return R_AARCH64_ADR_PREL_PG_HI21;
    case kAArch64FixupAddAbsLo12:
      return R_AARCH64_ADD_ABS_LO12_NC;
    default:
      return absl::InvalidArgumentError(
          fmt::format("AArch64 ELF writer: no relocation for fixup kind {}",
                      static_cast<int>(kind)));
  }
}

}  // namespace camlsym
