#include "camlsym/emitters/x86_64/asm_backend.h"

#include <elf.h>

#include <limits>

#include "camlsym/emitters/assembler.h"
#include "camlsym/emitters/x86_64/instruction_encoder.h"
#include "fmt/format.h"

namespace camlsym {

absl::StatusOr<EncodedInstruction> X86_64AsmBackend::Encode(
    const Instruction& insn) const {
  return EncodeX86_64Instruction(insn);
}

int X86_64AsmBackend::BranchSizeBytes(const RelaxableBranch& branch,
                                      bool relaxed) const {
  if (!relaxed) return 2;                              // EB/7x rel8
  return branch.code == kX86_64JmpBranchCode ? 5 : 6;  // E9 / 0F 8x rel32
}

bool X86_64AsmBackend::ShortBranchReaches(const RelaxableBranch&,
                                          int64_t displacement_bytes) const {
  return displacement_bytes >= -128 && displacement_bytes <= 127;
}

void X86_64AsmBackend::WriteBranch(const RelaxableBranch& branch, bool relaxed,
                                   int64_t displacement_bytes,
                                   std::string& out) const {
  const bool jmp = branch.code == kX86_64JmpBranchCode;
  if (!relaxed) {
    out += static_cast<char>(jmp ? 0xEB : 0x70 + branch.code);
    AppendLittleEndian(out, static_cast<uint64_t>(displacement_bytes), 1);
    return;
  }
  if (jmp) {
    out += '\xE9';
  } else {
    out += '\x0F';
    out += static_cast<char>(0x80 + branch.code);
  }
  AppendLittleEndian(out, static_cast<uint64_t>(displacement_bytes), 4);
}

void X86_64AsmBackend::WriteCodePadding(int64_t size_bytes,
                                        std::string& out) const {
  out += X86_64NopPadding(size_bytes);
}

bool X86_64AsmBackend::IsPcRelative(FixupKind kind) const {
  return kind == kX86_64FixupPcRel32 || kind == kX86_64FixupCall32 ||
         kind == kFixupData32PcRel;
}

bool X86_64AsmBackend::NeedsSymbolRelocation(FixupKind kind) const {
  return kind == kX86_64FixupRexGotPcRelX;
}

bool X86_64AsmBackend::ReferencesGot(FixupKind kind) const {
  return kind == kX86_64FixupRexGotPcRelX;
}

absl::Status X86_64AsmBackend::ApplyFixup(FixupKind kind, int64_t value,
                                          const AsmName& target,
                                          char* field) const {
  int size_bytes = 4;
  if (kind == kFixupData64) {
    size_bytes = 8;
  } else if (value < std::numeric_limits<int32_t>::min() ||
             value > std::numeric_limits<int32_t>::max()) {
    return absl::OutOfRangeError(
        fmt::format("x86-64 assembler: displacement to {} does not fit 32 "
                    "bits",
                    EncodedName(target)));
  }
  for (int i = 0; i < size_bytes; ++i) {
    field[i] = static_cast<char>(static_cast<uint64_t>(value) >> (8 * i));
  }
  return absl::OkStatus();
}

CommonInformationEntry X86_64AsmBackend::Cie() const {
  CommonInformationEntry cie;
  cie.code_alignment_bytes = 1;
  cie.data_alignment_bytes = -8;
  cie.return_address_register = 16;
  cie.initial_instructions = std::string(
      "\x0c\x07\x08"  // DW_CFA_def_cfa: r7 (rsp) ofs 8
      "\x90\x01",     // DW_CFA_offset: r16 (rip) at cfa-8
      5);
  cie.initial_cfa_offset_bytes = 8;
  return cie;
}

uint16_t X86_64ElfTargetWriter::Machine() const { return EM_X86_64; }

absl::StatusOr<uint32_t> X86_64ElfTargetWriter::RelocationType(
    FixupKind kind, bool against_symbol) const {
  switch (kind) {
    case kFixupData64:
      return R_X86_64_64;
    case kFixupData32PcRel:
    case kX86_64FixupPcRel32:
      return R_X86_64_PC32;
    case kX86_64FixupCall32:
      return against_symbol ? R_X86_64_PLT32 : R_X86_64_PC32;
    case kX86_64FixupRexGotPcRelX:
      return R_X86_64_REX_GOTPCRELX;
    default:
      return absl::InvalidArgumentError(
          fmt::format("x86-64 ELF writer: no relocation for fixup kind {}",
                      static_cast<int>(kind)));
  }
}

}  // namespace camlsym
