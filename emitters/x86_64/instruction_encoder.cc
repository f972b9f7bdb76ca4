#include "camlsym/emitters/x86_64/instruction_encoder.h"

#include <limits>
#include <optional>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_replace.h"
#include "camlsym/emitters/x86_64/instruction_printer.h"
#include "fmt/format.h"

namespace camlsym {

namespace {

using K = X86_64OperandKind;
using Op = X86_64Opcode;

constexpr int kRip = static_cast<int>(X86_64Register::kRip);
constexpr int kFirst32 = static_cast<int>(X86_64Register::kEax);

const std::vector<X86_64InstructionForm>& Forms() {
  static const auto* forms = [] {
    auto* v = new std::vector<X86_64InstructionForm>;
    auto add = [v](Op op, std::initializer_list<K> kinds) {
      X86_64InstructionForm f{op, static_cast<int>(kinds.size()), {}};
      int i = 0;
      for (K k : kinds) f.operands[i++] = k;
      v->push_back(f);
    };
    // Destinations a read-modify-write or store form writes to.
    constexpr K kRm[] = {K::kRegister64, K::kMemory, K::kRipRelative};
    add(Op::kRet, {});
    // OCaml 5's stack-overflow stubs: `pushq $words; ...; popq %r10`.
    add(Op::kPushq, {K::kImmediate});
    add(Op::kPopq, {K::kRegister64});
    for (Op op : {Op::kAddq, Op::kOrq, Op::kAndq, Op::kSubq, Op::kXorq,
                  Op::kCmpq, Op::kMovq}) {
      for (K dst : kRm) add(op, {K::kImmediate, dst});
      for (K dst : kRm) add(op, {K::kRegister64, dst});
      add(op, {K::kMemory, K::kRegister64});
      add(op, {K::kRipRelative, K::kRegister64});
    }
    add(Op::kMovq, {K::kGotPcRel, K::kRegister64});
    for (K dst : kRm) add(Op::kTestq, {K::kRegister64, dst});
    for (Op op : {Op::kSalq, Op::kShlq, Op::kShrq, Op::kSarq}) {
      for (K dst : kRm) add(op, {K::kImmediate, dst});
    }
    add(Op::kMovabsq, {K::kImmediate, K::kRegister64});
    add(Op::kMovl, {K::kImmediate, K::kRegister32});
    add(Op::kLeaq, {K::kMemory, K::kRegister64});
    add(Op::kLeaq, {K::kRipRelative, K::kRegister64});
    add(Op::kCall, {K::kRegister64});
    add(Op::kCall, {K::kSymbol});
    add(Op::kCall, {K::kLabel});
    // (Not `jmp sym`: GNU as relaxes it like a jump to a label when the
    // symbol is local or global without `@PLT` and defined in the same
    // section, which this encoder does not do; the startup never jumps to
    // a symbol.)
    add(Op::kJmp, {K::kRegister64});
    add(Op::kJmp, {K::kLabel});
    for (int cc = 0; cc < 16; ++cc) {
      add(static_cast<Op>(static_cast<int>(Op::kJo) + cc), {K::kLabel});
    }
    return v;
  }();
  return *forms;
}

absl::Status Unsupported(const Instruction& insn, std::string_view why) {
  std::string text;
  if (!PrintX86_64Instruction(
           insn,
           AsmSyntax(Architecture::kX86_64, ObjectFormat::kElf,
                     ManglingScheme::Ocaml413()),
           text)
           .ok()) {
    text = fmt::format("opcode {}", insn.opcode);
  }
  // `\tmovq\t%rax, %rbx\n` -> `movq %rax, %rbx`.
  absl::StripAsciiWhitespace(&text);
  absl::StrReplaceAll({{"\t", " "}}, &text);
  return absl::InvalidArgumentError(
      fmt::format("x86-64 encoder: no encoding for `{}` ({})", text, why));
}

std::optional<K> KindOf(const Operand& op) {
  if (const auto* r = std::get_if<RegisterOperand>(&op)) {
    if (r->number < kFirst32) return K::kRegister64;
    if (r->number < kRip) return K::kRegister32;
    return std::nullopt;
  }
  if (std::holds_alternative<ImmediateOperand>(op)) return K::kImmediate;
  if (const auto* m = std::get_if<MemoryOperand>(&op)) {
    if (m->indexing != MemoryIndexing::kOffset) return std::nullopt;
    if (m->base == kRip) {
      if (!m->symbol || m->index != kNoRegister) return std::nullopt;
      if (m->reloc == Relocation::kNone) return K::kRipRelative;
      if (m->reloc == Relocation::kGotPcRel) return K::kGotPcRel;
      return std::nullopt;
    }
    if (m->symbol) return std::nullopt;
    const bool base_ok =
        m->base == kNoRegister || (m->base >= 0 && m->base < kFirst32);
    const bool index_ok =
        m->index == kNoRegister || (m->index >= 0 && m->index < kFirst32);
    if (!base_ok || !index_ok) return std::nullopt;
    if (m->base == kNoRegister && m->index == kNoRegister) return std::nullopt;
    return K::kMemory;
  }
  if (const auto* t = std::get_if<SymbolOperand>(&op)) {
    if (std::holds_alternative<const AsmLabel*>(t->target)) {
      if (t->reloc != Relocation::kNone) return std::nullopt;
      return K::kLabel;
    }
    if (t->reloc != Relocation::kNone && t->reloc != Relocation::kPlt) {
      return std::nullopt;
    }
    return K::kSymbol;
  }
  return std::nullopt;
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
    if (const auto* r = std::get_if<RegisterOperand>(&rm)) {
      if (r->number & 8) rex |= 1;
      if (rex != 0x40) Byte(rex);
      for (uint8_t b : opcode) Byte(b);
      Byte(0xC0 | ((reg & 7) << 3) | (r->number & 7));
    } else {
      const auto& m = std::get<MemoryOperand>(rm);
      if (m.base != kRip) {
        if (m.index != kNoRegister && (m.index & 8)) rex |= 2;
        if (m.base != kNoRegister && (m.base & 8)) rex |= 1;
      }
      if (rex != 0x40) Byte(rex);
      for (uint8_t b : opcode) Byte(b);
      absl::Status status = EmitMemory(reg, m, imm_size);
      if (!status.ok()) return status;
    }
    Little(imm, imm_size);
    return absl::OkStatus();
  }

  // A 32-bit field to \p target at the current offset, for an instruction
  // that ends \p trailing_bytes after the field.
  void Field32(AsmName target, FixupKind kind, int trailing_bytes) {
    out_.fixup = InstructionFixup{static_cast<int>(out_.bytes.size()), kind,
                                  target, -4 - trailing_bytes};
    Little(0, 4);
  }

  EncodedInstruction Take() { return std::move(out_); }

 private:
  absl::Status EmitMemory(int reg, const MemoryOperand& m, int imm_size) {
    const int r = (reg & 7) << 3;
    if (m.base == kRip) {
      Byte(0x00 | r | 5);
      Field32(*m.symbol,
              m.reloc == Relocation::kGotPcRel ? kX86_64FixupRexGotPcRelX
                                               : kX86_64FixupPcRel32,
              imm_size);
      return absl::OkStatus();
    }
    if (!FitsInt32(m.displacement)) {
      return absl::OutOfRangeError(
          fmt::format("x86-64 encoder: displacement {} does not fit 32 bits",
                      m.displacement));
    }
    if (m.index == static_cast<int>(X86_64Register::kRsp)) {
      return Unsupported(insn_, "%rsp cannot be an index register");
    }
    if (m.scale != 1 && m.scale != 2 && m.scale != 4 && m.scale != 8) {
      return Unsupported(insn_, "the scale must be 1, 2, 4 or 8");
    }
    const uint8_t scale_bits = m.scale == 1   ? 0
                               : m.scale == 2 ? 1
                               : m.scale == 4 ? 2
                                              : 3;
    if (m.base == kNoRegister) {
      // disp32(,index,scale): SIB with no base.
      Byte(0x00 | r | 4);
      Byte((scale_bits << 6) | ((m.index & 7) << 3) | 5);
      Little(m.displacement, 4);
      return absl::OkStatus();
    }
    const int base = m.base & 7;
    int mod;
    if (m.displacement == 0 && base != 5) {
      mod = 0;
    } else if (FitsInt8(m.displacement)) {
      mod = 1;
    } else {
      mod = 2;
    }
    if (m.index != kNoRegister || base == 4) {
      Byte((mod << 6) | r | 4);
      const int index = m.index != kNoRegister ? (m.index & 7) : 4;
      Byte((scale_bits << 6) | (index << 3) | base);
    } else {
      Byte((mod << 6) | r | base);
    }
    if (mod == 1) Little(m.displacement, 1);
    if (mod == 2) Little(m.displacement, 4);
    return absl::OkStatus();
  }

  const Instruction& insn_;
  EncodedInstruction out_;
};

// ALU group 1 (`/digit` of 0x81/0x83 and opcode base `digit << 3`).
std::optional<int> AluDigit(Op op) {
  switch (op) {
    case Op::kAddq:
      return 0;
    case Op::kOrq:
      return 1;
    case Op::kAndq:
      return 4;
    case Op::kSubq:
      return 5;
    case Op::kXorq:
      return 6;
    case Op::kCmpq:
      return 7;
    default:
      return std::nullopt;
  }
}

// Shift group 2 (`/digit` of 0xC1/0xD1).
std::optional<int> ShiftDigit(Op op) {
  switch (op) {
    case Op::kSalq:
    case Op::kShlq:
      return 4;
    case Op::kShrq:
      return 5;
    case Op::kSarq:
      return 7;
    default:
      return std::nullopt;
  }
}

int RegisterNumber(const Operand& op) {
  return std::get<RegisterOperand>(op).number & 15;
}

}  // namespace

std::string_view X86_64OperandKindName(X86_64OperandKind kind) {
  switch (kind) {
    case K::kRegister64:
      return "reg64";
    case K::kRegister32:
      return "reg32";
    case K::kImmediate:
      return "imm";
    case K::kMemory:
      return "mem";
    case K::kRipRelative:
      return "rip";
    case K::kGotPcRel:
      return "gotpcrel";
    case K::kSymbol:
      return "symbol";
    case K::kLabel:
      return "label";
  }
  return "?";
}

std::span<const X86_64InstructionForm> X86_64EncoderForms() { return Forms(); }

absl::StatusOr<X86_64InstructionForm> X86_64FormOf(const Instruction& insn) {
  if (insn.opcode >= kNumX86_64Opcodes) {
    return Unsupported(insn, "not an x86-64 opcode");
  }
  if (insn.operands.size() > 2) {
    return Unsupported(insn, "too many operands");
  }
  X86_64InstructionForm form{
      static_cast<Op>(insn.opcode), static_cast<int>(insn.operands.size()), {}};
  for (size_t i = 0; i < insn.operands.size(); ++i) {
    std::optional<K> kind = KindOf(insn.operands[i]);
    if (!kind) return Unsupported(insn, "an operand of no accepted kind");
    form.operands[i] = *kind;
  }
  for (const X86_64InstructionForm& f : Forms()) {
    if (f == form) return form;
  }
  return Unsupported(insn, "not an instruction form the startup emitters use");
}

absl::StatusOr<EncodedInstruction> EncodeX86_64Instruction(
    const Instruction& insn) {
  absl::StatusOr<X86_64InstructionForm> form = X86_64FormOf(insn);
  if (!form.ok()) return form.status();
  const Op op = form->opcode;
  const std::vector<Operand>& ops = insn.operands;
  for (const Operand& o : ops) {
    if (const auto* imm = std::get_if<ImmediateOperand>(&o);
        imm && op != Op::kMovabsq && !FitsInt32(imm->value)) {
      return absl::OutOfRangeError(
          fmt::format("x86-64 encoder: immediate {} of {} does not fit 32 bits",
                      imm->value, X86_64Mnemonic(op)));
    }
  }
  auto kind = [&](int i) { return form->operands[i]; };
  Builder b(insn);
  absl::Status status = absl::OkStatus();
  if (op == Op::kRet) {
    b.Byte(0xC3);
  } else if (std::optional<int> digit = AluDigit(op); digit) {
    if (kind(0) == K::kImmediate) {
      const int64_t v = std::get<ImmediateOperand>(ops[0]).value;
      if (FitsInt8(v)) {
        status = b.Emit(true, {0x83}, *digit, ops[1], 1, v);
      } else if (kind(1) == K::kRegister64 && RegisterNumber(ops[1]) == 0) {
        b.Byte(0x48);
        b.Byte(static_cast<uint8_t>((*digit << 3) | 5));
        b.Little(v, 4);
      } else {
        status = b.Emit(true, {0x81}, *digit, ops[1], 4, v);
      }
    } else if (kind(0) == K::kRegister64) {
      status = b.Emit(true, {static_cast<uint8_t>((*digit << 3) | 1)},
                      RegisterNumber(ops[0]), ops[1]);
    } else {
      status = b.Emit(true, {static_cast<uint8_t>((*digit << 3) | 3)},
                      RegisterNumber(ops[1]), ops[0]);
    }
  } else if (op == Op::kTestq) {
    status = b.Emit(true, {0x85}, RegisterNumber(ops[0]), ops[1]);
  } else if (std::optional<int> digit = ShiftDigit(op); digit) {
    const int64_t v = std::get<ImmediateOperand>(ops[0]).value;
    if (v == 1) {
      status = b.Emit(true, {0xD1}, *digit, ops[1]);
    } else {
      status = b.Emit(true, {0xC1}, *digit, ops[1], 1, v);
    }
  } else if (op == Op::kMovq) {
    if (kind(0) == K::kImmediate) {
      status = b.Emit(true, {0xC7}, 0, ops[1], 4,
                      std::get<ImmediateOperand>(ops[0]).value);
    } else if (kind(0) == K::kRegister64) {
      status = b.Emit(true, {0x89}, RegisterNumber(ops[0]), ops[1]);
    } else {
      status = b.Emit(true, {0x8B}, RegisterNumber(ops[1]), ops[0]);
    }
  } else if (op == Op::kMovabsq) {
    const int r = RegisterNumber(ops[1]);
    b.Byte(0x48 | ((r & 8) ? 1 : 0));
    b.Byte(static_cast<uint8_t>(0xB8 + (r & 7)));
    b.Little(std::get<ImmediateOperand>(ops[0]).value, 8);
  } else if (op == Op::kMovl) {
    const int r = RegisterNumber(ops[1]);
    if (r & 8) b.Byte(0x41);
    b.Byte(static_cast<uint8_t>(0xB8 + (r & 7)));
    b.Little(std::get<ImmediateOperand>(ops[0]).value, 4);
  } else if (op == Op::kLeaq) {
    status = b.Emit(true, {0x8D}, RegisterNumber(ops[1]), ops[0]);
  } else if (op == Op::kPushq) {
    // 6A ib when the immediate fits a signed byte, else 68 id (both
    // sign-extended to 64 bits), as GNU as chooses.
    const int64_t v = std::get<ImmediateOperand>(ops[0]).value;
    if (v < std::numeric_limits<int32_t>::min() ||
        v > std::numeric_limits<int32_t>::max()) {
      return absl::InvalidArgumentError(
          fmt::format("pushq ${}: the immediate does not fit 32 bits", v));
    }
    const bool byte = v >= -128 && v <= 127;
    b.Byte(byte ? 0x6A : 0x68);
    b.Little(v, byte ? 1 : 4);
  } else if (op == Op::kPopq) {
    const int r = RegisterNumber(ops[0]);
    if (r & 8) b.Byte(0x41);
    b.Byte(static_cast<uint8_t>(0x58 + (r & 7)));
  } else if (op == Op::kCall || op == Op::kJmp) {
    const bool call = op == Op::kCall;
    if (kind(0) == K::kRegister64) {
      status = b.Emit(false, {0xFF}, call ? 2 : 4, ops[0]);
    } else {
      const SymbolOperand& t = std::get<SymbolOperand>(ops[0]);
      if (!call && kind(0) == K::kLabel) {
        EncodedInstruction e;
        e.branch = RelaxableBranch{std::get<const AsmLabel*>(t.target),
                                   kX86_64JmpBranchCode};
        return e;
      }
      b.Byte(0xE8);
      b.Field32(t.target,
                kind(0) == K::kLabel ? kX86_64FixupPcRel32 : kX86_64FixupCall32,
                0);
    }
  } else {
    EncodedInstruction e;
    e.branch = RelaxableBranch{
        std::get<const AsmLabel*>(std::get<SymbolOperand>(ops[0]).target),
        static_cast<uint32_t>(X86_64ConditionCode(op))};
    return e;
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
