#include "camlsym/emitters/x86_64/instruction_encoder.h"

#include <array>
#include <limits>
#include <string_view>
#include <variant>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "fmt/format.h"

namespace camlsym {

namespace {

// Register numbers as ModRM/REX encode them.
constexpr std::array<std::string_view, 16> kRegisters64 = {
    "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
    "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15"};
constexpr std::array<std::string_view, 16> kRegisters32 = {
    "eax", "ecx", "edx",  "ebx",  "esp",  "ebp",  "esi",  "edi",
    "r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d"};

struct Register {
  int number;
  int bits;  // 64 or 32
};

struct Immediate {
  int64_t value;
};

// `disp(base,index,scale)`, or `target(%rip)`.
struct Memory {
  std::optional<int> base;
  std::optional<int> index;
  int scale = 1;
  int64_t disp = 0;
  bool rip = false;
  std::optional<AsmName> target;
  Relocation reloc = Relocation::kNone;
};

// `*%reg`: an indirect call or jump target.
struct Indirect {
  int number;
};

// A bare symbol or label: a direct call or jump target.
struct Direct {
  AsmName target;
  Relocation reloc = Relocation::kNone;
};

using Operand = std::variant<Register, Immediate, Memory, Indirect, Direct>;

std::optional<Register> ParseRegister(std::string_view text) {
  if (text.empty() || text[0] != '%') return std::nullopt;
  text.remove_prefix(1);
  for (int i = 0; i < 16; ++i) {
    if (text == kRegisters64[i]) return Register{i, 64};
    if (text == kRegisters32[i]) return Register{i, 32};
  }
  return std::nullopt;
}

bool ParseInt(std::string_view text, int64_t& out) {
  return absl::SimpleAtoi(absl::string_view(text.data(), text.size()), &out);
}

// Parses `(base,index,scale)` (each part optional but the parentheses)
// into \p m.
bool ParseAddress(std::string_view text, Memory& m) {
  if (text.size() < 2 || text.front() != '(' || text.back() != ')') {
    return false;
  }
  text = text.substr(1, text.size() - 2);
  if (text == "%rip") {
    m.rip = true;
    return true;
  }
  std::string_view parts[3];
  int n = 0;
  for (size_t start = 0;;) {
    if (n == 3) return false;
    size_t comma = text.find(',', start);
    parts[n++] = text.substr(start, comma - start);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (!parts[0].empty()) {
    std::optional<Register> base = ParseRegister(parts[0]);
    if (!base || base->bits != 64) return false;
    m.base = base->number;
  }
  if (n >= 2) {
    std::optional<Register> index = ParseRegister(parts[1]);
    if (!index || index->bits != 64 || index->number == 4) return false;
    m.index = index->number;
    if (n == 3) {
      int64_t scale;
      if (!ParseInt(parts[2], scale) ||
          (scale != 1 && scale != 2 && scale != 4 && scale != 8)) {
        return false;
      }
      m.scale = static_cast<int>(scale);
    }
  }
  return m.base || m.index;
}

std::optional<Operand> ParseText(std::string_view text) {
  if (std::optional<Register> r = ParseRegister(text)) return *r;
  if (text.starts_with('$')) {
    int64_t v;
    if (!ParseInt(text.substr(1), v)) return std::nullopt;
    return Immediate{v};
  }
  if (text.starts_with('*')) {
    std::optional<Register> r = ParseRegister(text.substr(1));
    if (!r || r->bits != 64) return std::nullopt;
    return Indirect{r->number};
  }
  size_t paren = text.find('(');
  if (paren == std::string_view::npos) return std::nullopt;
  Memory m;
  if (paren > 0 && !ParseInt(text.substr(0, paren), m.disp)) {
    return std::nullopt;
  }
  if (!ParseAddress(text.substr(paren), m) || m.rip) return std::nullopt;
  return m;
}

std::optional<Operand> ParseOperand(const InsnOperand& op) {
  if (const auto* raw = std::get_if<std::string>(&op)) return ParseText(*raw);
  AsmName target;
  Relocation reloc = Relocation::kNone;
  std::string_view suffix;
  if (const auto* s = std::get_if<SymbolOperand>(&op)) {
    if (!s->prefix.empty()) return std::nullopt;
    target = s->symbol;
    reloc = s->reloc;
    suffix = s->suffix;
  } else {
    const auto& l = std::get<LabelOperand>(op);
    target = l.label;
    suffix = l.suffix;
  }
  if (suffix.empty()) return Direct{target, reloc};
  if (suffix != "(%rip)") return std::nullopt;
  Memory m;
  m.rip = true;
  m.target = target;
  m.reloc = reloc;
  return m;
}

bool FitsInt8(int64_t v) { return v >= -128 && v <= 127; }
bool FitsInt32(int64_t v) {
  return v >= std::numeric_limits<int32_t>::min() &&
         v <= std::numeric_limits<int32_t>::max();
}

// Builds one instruction's bytes.
class Builder {
 public:
  explicit Builder(const Instruction& insn) : insn_(insn) {}

  void Byte(uint8_t b) { out_.bytes += static_cast<char>(b); }
  void Little(int64_t v, int size) {
    for (int i = 0; i < size; ++i) Byte(static_cast<uint8_t>(v >> (8 * i)));
  }

  // REX prefix (if any bit is set), opcode, ModRM (and SIB, displacement)
  // for `reg` in the reg field and \p rm in the r/m field, then an
  // immediate of \p imm_size bytes.
  absl::Status Emit(bool rex_w, std::initializer_list<uint8_t> opcode, int reg,
                    const Operand& rm, int imm_size = 0, int64_t imm = 0) {
    uint8_t rex = 0x40 | (rex_w ? 8 : 0) | ((reg & 8) ? 4 : 0);
    if (const auto* r = std::get_if<Register>(&rm)) {
      if (r->number & 8) rex |= 1;
      if (rex != 0x40) Byte(rex);
      for (uint8_t b : opcode) Byte(b);
      Byte(0xC0 | ((reg & 7) << 3) | (r->number & 7));
    } else if (const auto* m = std::get_if<Memory>(&rm)) {
      if (m->index && (*m->index & 8)) rex |= 2;
      if (m->base && (*m->base & 8)) rex |= 1;
      if (rex != 0x40) Byte(rex);
      for (uint8_t b : opcode) Byte(b);
      absl::Status status = EmitMemory(reg, *m, imm_size);
      if (!status.ok()) return status;
    } else {
      return Unsupported();
    }
    Little(imm, imm_size);
    return absl::OkStatus();
  }

  // A 32-bit PC-relative field to \p target at the current offset, for an
  // instruction that ends \p trailing_bytes after the field.
  void Field32(AsmName target, X86_64FixupKind kind, int trailing_bytes) {
    out_.fixup = X86_64Fixup{static_cast<int>(out_.bytes.size()), kind, target,
                             -4 - trailing_bytes};
    Little(0, 4);
  }

  absl::Status Unsupported() const {
    std::string text = insn_.mnemonic;
    for (size_t i = 0; i < insn_.operands.size(); ++i) {
      text += i == 0 ? " " : ", ";
      const InsnOperand& op = insn_.operands[i];
      if (const auto* raw = std::get_if<std::string>(&op)) {
        text += *raw;
      } else if (const auto* s = std::get_if<SymbolOperand>(&op)) {
        text += s->prefix + s->symbol->encoded() + s->suffix;
      } else {
        const auto& l = std::get<LabelOperand>(op);
        text += l.label->encoded() + l.suffix;
      }
    }
    return absl::InvalidArgumentError(fmt::format(
        "x86-64 encoder: no encoding for `{}` (not an instruction form the "
        "startup emitters use)",
        text));
  }

  X86_64Encoding Take() { return std::move(out_); }

 private:
  absl::Status EmitMemory(int reg, const Memory& m, int imm_size) {
    const int r = (reg & 7) << 3;
    if (m.rip) {
      Byte(0x00 | r | 5);
      X86_64FixupKind kind = X86_64FixupKind::kPcRel32;
      if (m.reloc == Relocation::kGotPcRel) {
        kind = X86_64FixupKind::kRexGotPcRelX;
      } else if (m.reloc != Relocation::kNone) {
        return Unsupported();
      }
      if (!m.target) return Unsupported();
      Field32(*m.target, kind, imm_size);
      return absl::OkStatus();
    }
    if (!FitsInt32(m.disp)) {
      return absl::OutOfRangeError(fmt::format(
          "x86-64 encoder: displacement {} does not fit 32 bits", m.disp));
    }
    const uint8_t scale_bits = m.scale == 1   ? 0
                               : m.scale == 2 ? 1
                               : m.scale == 4 ? 2
                                              : 3;
    if (!m.base) {
      // disp32(,index,scale): SIB with no base.
      Byte(0x00 | r | 4);
      Byte((scale_bits << 6) | ((*m.index & 7) << 3) | 5);
      Little(m.disp, 4);
      return absl::OkStatus();
    }
    const int base = *m.base & 7;
    int mod;
    if (m.disp == 0 && base != 5) {
      mod = 0;
    } else if (FitsInt8(m.disp)) {
      mod = 1;
    } else {
      mod = 2;
    }
    if (m.index || base == 4) {
      Byte((mod << 6) | r | 4);
      const int index = m.index ? (*m.index & 7) : 4;
      Byte((scale_bits << 6) | (index << 3) | base);
    } else {
      Byte((mod << 6) | r | base);
    }
    if (mod == 1) Little(m.disp, 1);
    if (mod == 2) Little(m.disp, 4);
    return absl::OkStatus();
  }

  const Instruction& insn_;
  X86_64Encoding out_;
};

// ALU group 1 (`/digit` of 0x81/0x83 and opcode base `digit << 3`).
std::optional<int> AluDigit(std::string_view mnemonic) {
  if (mnemonic == "addq") return 0;
  if (mnemonic == "orq") return 1;
  if (mnemonic == "andq") return 4;
  if (mnemonic == "subq") return 5;
  if (mnemonic == "xorq") return 6;
  if (mnemonic == "cmpq") return 7;
  return std::nullopt;
}

// Shift group 2 (`/digit` of 0xC1/0xD1).
std::optional<int> ShiftDigit(std::string_view mnemonic) {
  if (mnemonic == "salq" || mnemonic == "shlq") return 4;
  if (mnemonic == "shrq") return 5;
  if (mnemonic == "sarq") return 7;
  return std::nullopt;
}

// Condition codes (the low nibble of 0x70+cc and 0x0F 0x80+cc).
std::optional<int> ConditionCode(std::string_view mnemonic) {
  static constexpr std::pair<std::string_view, int> kCodes[] = {
      {"jo", 0x0}, {"jno", 0x1}, {"jb", 0x2},  {"jae", 0x3},
      {"je", 0x4}, {"jne", 0x5}, {"jbe", 0x6}, {"ja", 0x7},
      {"js", 0x8}, {"jns", 0x9}, {"jp", 0xA},  {"jnp", 0xB},
      {"jl", 0xC}, {"jge", 0xD}, {"jle", 0xE}, {"jg", 0xF}};
  for (const auto& [name, code] : kCodes) {
    if (mnemonic == name) return code;
  }
  return std::nullopt;
}

bool Is64(const Operand& op) {
  const auto* r = std::get_if<Register>(&op);
  return r == nullptr || r->bits == 64;
}

}  // namespace

absl::StatusOr<X86_64Encoding> EncodeX86_64Instruction(
    const Instruction& insn) {
  Builder b(insn);
  std::vector<Operand> ops;
  ops.reserve(insn.operands.size());
  for (const InsnOperand& op : insn.operands) {
    std::optional<Operand> parsed = ParseOperand(op);
    if (!parsed) return b.Unsupported();
    ops.push_back(*parsed);
  }
  for (const Operand& op : ops) {
    if (const auto* imm = std::get_if<Immediate>(&op);
        imm && insn.mnemonic != "movabsq" && !FitsInt32(imm->value)) {
      return absl::OutOfRangeError(
          fmt::format("x86-64 encoder: immediate {} of {} does not fit 32 bits",
                      imm->value, insn.mnemonic));
    }
  }
  const std::string_view m = insn.mnemonic;
  auto reg = [&](size_t i) -> const Register* {
    return i < ops.size() ? std::get_if<Register>(&ops[i]) : nullptr;
  };
  auto imm = [&](size_t i) -> const Immediate* {
    return i < ops.size() ? std::get_if<Immediate>(&ops[i]) : nullptr;
  };
  auto is_rm = [&](size_t i) {
    return i < ops.size() &&
           (std::holds_alternative<Register>(ops[i]) ||
            std::holds_alternative<Memory>(ops[i])) &&
           Is64(ops[i]);
  };
  absl::Status status = absl::OkStatus();

  if (m == "ret" && ops.empty()) {
    b.Byte(0xC3);
  } else if (std::optional<int> digit = AluDigit(m);
             digit && ops.size() == 2 && is_rm(1)) {
    if (const Immediate* i = imm(0)) {
      const Register* dst = reg(1);
      if (FitsInt8(i->value)) {
        status = b.Emit(true, {0x83}, *digit, ops[1], 1, i->value);
      } else if (dst != nullptr && dst->number == 0) {
        b.Byte(0x48);
        b.Byte(static_cast<uint8_t>((*digit << 3) | 5));
        b.Little(i->value, 4);
      } else {
        status = b.Emit(true, {0x81}, *digit, ops[1], 4, i->value);
      }
    } else if (const Register* src = reg(0); src && src->bits == 64) {
      status = b.Emit(true, {static_cast<uint8_t>((*digit << 3) | 1)},
                      src->number, ops[1]);
    } else if (const Register* dst = reg(1);
               dst && std::holds_alternative<Memory>(ops[0])) {
      status = b.Emit(true, {static_cast<uint8_t>((*digit << 3) | 3)},
                      dst->number, ops[0]);
    } else {
      return b.Unsupported();
    }
  } else if (m == "testq" && ops.size() == 2 && reg(0) && is_rm(1) &&
             reg(0)->bits == 64) {
    status = b.Emit(true, {0x85}, reg(0)->number, ops[1]);
  } else if (std::optional<int> digit = ShiftDigit(m);
             digit && ops.size() == 2 && imm(0) && is_rm(1)) {
    if (imm(0)->value == 1) {
      status = b.Emit(true, {0xD1}, *digit, ops[1]);
    } else {
      status = b.Emit(true, {0xC1}, *digit, ops[1], 1, imm(0)->value);
    }
  } else if (m == "movq" && ops.size() == 2 && is_rm(1)) {
    if (const Immediate* i = imm(0)) {
      status = b.Emit(true, {0xC7}, 0, ops[1], 4, i->value);
    } else if (const Register* src = reg(0); src && src->bits == 64) {
      status = b.Emit(true, {0x89}, src->number, ops[1]);
    } else if (const Register* dst = reg(1);
               dst && std::holds_alternative<Memory>(ops[0])) {
      status = b.Emit(true, {0x8B}, dst->number, ops[0]);
    } else {
      return b.Unsupported();
    }
  } else if (m == "movabsq" && ops.size() == 2 && imm(0) && reg(1) &&
             reg(1)->bits == 64) {
    const int r = reg(1)->number;
    b.Byte(0x48 | ((r & 8) ? 1 : 0));
    b.Byte(static_cast<uint8_t>(0xB8 + (r & 7)));
    b.Little(imm(0)->value, 8);
  } else if (m == "movl" && ops.size() == 2 && imm(0) && reg(1) &&
             reg(1)->bits == 32) {
    const int r = reg(1)->number;
    if (r & 8) b.Byte(0x41);
    b.Byte(static_cast<uint8_t>(0xB8 + (r & 7)));
    b.Little(imm(0)->value, 4);
  } else if (m == "leaq" && ops.size() == 2 &&
             std::holds_alternative<Memory>(ops[0]) && reg(1) &&
             reg(1)->bits == 64) {
    status = b.Emit(true, {0x8D}, reg(1)->number, ops[0]);
  } else if ((m == "call" || m == "jmp") && ops.size() == 1) {
    const bool call = m == "call";
    if (const auto* ind = std::get_if<Indirect>(&ops[0])) {
      status = b.Emit(false, {0xFF}, call ? 2 : 4, Register{ind->number, 64});
    } else if (const auto* d = std::get_if<Direct>(&ops[0])) {
      const bool to_label = std::holds_alternative<const AsmLabel*>(d->target);
      if (!call && to_label) {
        X86_64Encoding e;
        e.branch = X86_64RelaxableBranch{
            std::get<const AsmLabel*>(d->target), 0xEB, {0xE9, 0}, 1};
        return e;
      }
      if (d->reloc != Relocation::kNone && d->reloc != Relocation::kPlt) {
        return b.Unsupported();
      }
      b.Byte(call ? 0xE8 : 0xE9);
      // GNU as 2.40 calls and jumps to symbols through the PLT even
      // without `@PLT` (R_X86_64_PLT32).
      b.Field32(d->target,
                to_label ? X86_64FixupKind::kPcRel32 : X86_64FixupKind::kPlt32,
                0);
    } else {
      return b.Unsupported();
    }
  } else if (std::optional<int> cc = ConditionCode(m);
             cc && ops.size() == 1 && std::holds_alternative<Direct>(ops[0]) &&
             std::holds_alternative<const AsmLabel*>(
                 std::get<Direct>(ops[0]).target)) {
    X86_64Encoding e;
    e.branch = X86_64RelaxableBranch{
        std::get<const AsmLabel*>(std::get<Direct>(ops[0]).target),
        static_cast<uint8_t>(0x70 + *cc),
        {0x0F, static_cast<uint8_t>(0x80 + *cc)},
        2};
    return e;
  } else {
    return b.Unsupported();
  }
  if (!status.ok()) return status;
  return b.Take();
}

std::string X86_64NopPadding(int64_t size_bytes) {
  // GNU as's x86-64 nop table (gas/config/tc-i386.c, alt_patt), 1 to 11
  // bytes.
  using namespace std::literals;
  static constexpr std::string_view kNops[] = {
      ""sv,
      "\x90"sv,
      "\x66\x90"sv,
      "\x0f\x1f\x00"sv,
      "\x0f\x1f\x40\x00"sv,
      "\x0f\x1f\x44\x00\x00"sv,
      "\x66\x0f\x1f\x44\x00\x00"sv,
      "\x0f\x1f\x80\x00\x00\x00\x00"sv,
      "\x0f\x1f\x84\x00\x00\x00\x00\x00"sv,
      "\x66\x0f\x1f\x84\x00\x00\x00\x00\x00"sv,
      "\x66\x2e\x0f\x1f\x84\x00\x00\x00\x00\x00"sv,
      "\x66\x66\x2e\x0f\x1f\x84\x00\x00\x00\x00\x00"sv};
  std::string out;
  while (size_bytes > 0) {
    const int64_t n = size_bytes > 11 ? 11 : size_bytes;
    out.append(kNops[n].data(), kNops[n].size());
    size_bytes -= n;
  }
  return out;
}

}  // namespace camlsym
