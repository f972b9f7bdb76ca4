#include "camlsym/emitters/x86_64/instruction_set.h"

#include <array>

namespace camlsym {

std::string_view X86_64Mnemonic(X86_64Opcode op) {
  static constexpr std::string_view kMnemonics[] = {
#define CAMLSYM_X86_64_OPCODE_NAME(name, mnemonic) mnemonic,
      CAMLSYM_X86_64_OPCODES(CAMLSYM_X86_64_OPCODE_NAME)
#undef CAMLSYM_X86_64_OPCODE_NAME
  };
  const auto i = static_cast<size_t>(op);
  return i < std::size(kMnemonics) ? kMnemonics[i] : std::string_view("?");
}

int X86_64ConditionCode(X86_64Opcode op) {
  const int i = static_cast<int>(op);
  const int first = static_cast<int>(X86_64Opcode::kJo);
  const int last = static_cast<int>(X86_64Opcode::kJg);
  return i >= first && i <= last ? i - first : -1;
}

std::string_view X86_64RegisterName(X86_64Register r) {
  static constexpr std::array<std::string_view, 33> kNames = {
      "rax",  "rcx",  "rdx",  "rbx",  "rsp",  "rbp", "rsi", "rdi", "r8",
      "r9",   "r10",  "r11",  "r12",  "r13",  "r14", "r15", "eax", "ecx",
      "edx",  "ebx",  "esp",  "ebp",  "esi",  "edi", "r8d", "r9d", "r10d",
      "r11d", "r12d", "r13d", "r14d", "r15d", "rip"};
  const auto i = static_cast<size_t>(r);
  return i < kNames.size() ? kNames[i] : std::string_view("?");
}

}  // namespace camlsym
