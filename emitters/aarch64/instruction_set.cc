#include "camlsym/emitters/aarch64/instruction_set.h"

#include "fmt/format.h"

namespace camlsym {

std::string_view AArch64Mnemonic(AArch64Opcode op) {
  static constexpr std::string_view kMnemonics[] = {
#define CAMLSYM_AARCH64_OPCODE_NAME(name, mnemonic) mnemonic,
      CAMLSYM_AARCH64_OPCODES(CAMLSYM_AARCH64_OPCODE_NAME)
#undef CAMLSYM_AARCH64_OPCODE_NAME
  };
  const auto i = static_cast<size_t>(op);
  return i < std::size(kMnemonics) ? kMnemonics[i] : std::string_view("?");
}

int AArch64ConditionCode(AArch64Opcode op) {
  const int i = static_cast<int>(op);
  const int first = static_cast<int>(AArch64Opcode::kBEq);
  const int last = static_cast<int>(AArch64Opcode::kBLe);
  return i >= first && i <= last ? i - first : -1;
}

std::string AArch64RegisterName(int number) {
  if (number >= 0 && number <= 30) return fmt::format("x{}", number);
  if (number == kAArch64Sp) return "sp";
  if (number == kAArch64Xzr) return "xzr";
  return "";
}

}  // namespace camlsym
