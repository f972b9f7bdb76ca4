#include "camlsym/emitters/aarch64/instruction_encoder.h"

#include <bit>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_replace.h"
#include "camlsym/emitters/aarch64/instruction_printer.h"
#include "fmt/format.h"

namespace camlsym {

namespace {

using K = AArch64OperandKind;
using Op = AArch64Opcode;

const std::vector<AArch64InstructionForm>& Forms() {
  static const auto* forms = [] {
    auto* v = new std::vector<AArch64InstructionForm>;
    auto add = [v](Op op, std::initializer_list<K> kinds) {
      AArch64InstructionForm f{op, static_cast<int>(kinds.size()), {}};
      int i = 0;
      for (K k : kinds) f.operands[i++] = k;
      v->push_back(f);
    };
    for (Op op : {Op::kAdd, Op::kSub}) {
      add(op, {K::kRegister, K::kRegister, K::kImmediate});
      add(op, {K::kSp, K::kSp, K::kImmediate});
      add(op, {K::kRegister, K::kRegister, K::kRegister});
      add(op, {K::kRegister, K::kRegister, K::kRegister, K::kShift});
    }
    add(Op::kAdd, {K::kRegister, K::kRegister, K::kPageOffset});
    add(Op::kAnd, {K::kRegister, K::kRegister, K::kRegister});
    add(Op::kOrr, {K::kRegister, K::kRegister, K::kImmediate});
    for (Op op : {Op::kAsr, Op::kLsr, Op::kLsl}) {
      add(op, {K::kRegister, K::kRegister, K::kImmediate});
    }
    add(Op::kCmp, {K::kRegister, K::kRegister});
    add(Op::kCmp, {K::kSp, K::kRegister});
    add(Op::kCmp, {K::kRegister, K::kImmediate});
    add(Op::kMov, {K::kRegister, K::kRegister});
    add(Op::kMov, {K::kRegister, K::kXzr});
    add(Op::kMov, {K::kRegister, K::kImmediate});
    add(Op::kMovz, {K::kRegister, K::kImmediate, K::kShift});
    add(Op::kMovk, {K::kRegister, K::kImmediate, K::kShift});
    add(Op::kLdr, {K::kRegister, K::kMemory});
    add(Op::kLdr, {K::kRegister, K::kGotPageOffset});
    add(Op::kStr, {K::kRegister, K::kMemory});
    // OCaml 5's stack-overflow stub: `stp x16, x30, [sp, #-16]!` and
    // `ldp x16, x30, [sp], #16` (arm64/emit.mlp `fundecl`).
    add(Op::kStp, {K::kRegister, K::kRegister, K::kPreIndexed});
    add(Op::kLdp, {K::kRegister, K::kRegister, K::kPostIndexed});
    add(Op::kDmbIshld, {});
    add(Op::kAdrp, {K::kRegister, K::kGotPage});
    add(Op::kAdrp, {K::kRegister, K::kPage});
    add(Op::kB, {K::kLabel});
    add(Op::kB, {K::kSymbol});
    add(Op::kBl, {K::kLabel});
    add(Op::kBl, {K::kSymbol});
    add(Op::kBr, {K::kRegister});
    add(Op::kBlr, {K::kRegister});
    add(Op::kRet, {});
    for (int cc = static_cast<int>(Op::kBEq); cc <= static_cast<int>(Op::kBLe);
         ++cc) {
      add(static_cast<Op>(cc), {K::kLabel});
    }
    return v;
  }();
  return *forms;
}

absl::Status Refuse(absl::StatusCode code, const Instruction& insn,
                    std::string_view why) {
  std::string text;
  if (!PrintAArch64Instruction(
           insn,
           AsmSyntax(Architecture::kAArch64, ObjectFormat::kElf,
                     ManglingScheme::Ocaml413()),
           text)
           .ok()) {
    text = fmt::format("opcode {}", insn.opcode);
  }
  // `\tldr\tx0, [x1, #8]\n` -> `ldr x0, [x1, #8]`.
  absl::StripAsciiWhitespace(&text);
  absl::StrReplaceAll({{"\t", " "}}, &text);
  return absl::Status(
      code,
      fmt::format("AArch64 encoder: no encoding for `{}` ({})", text, why));
}

std::optional<K> KindOf(const Operand& op) {
  if (const auto* r = std::get_if<RegisterOperand>(&op)) {
    if (r->number <= 30) return K::kRegister;
    if (r->number == kAArch64Sp) return K::kSp;
    if (r->number == kAArch64Xzr) return K::kXzr;
    return std::nullopt;
  }
  if (std::holds_alternative<ImmediateOperand>(op)) return K::kImmediate;
  if (std::holds_alternative<ShiftOperand>(op)) return K::kShift;
  if (const auto* m = std::get_if<MemoryOperand>(&op)) {
    if (m->index != kNoRegister || m->base < 0 || m->base > kAArch64Sp) {
      return std::nullopt;
    }
    if (m->indexing != MemoryIndexing::kOffset) {
      if (m->symbol) return std::nullopt;
      return m->indexing == MemoryIndexing::kPreIndex ? K::kPreIndexed
                                                      : K::kPostIndexed;
    }
    if (!m->symbol) return K::kMemory;
    if (m->reloc == Relocation::kGotPageOffset && m->displacement == 0) {
      return K::kGotPageOffset;
    }
    return std::nullopt;
  }
  if (const auto* t = std::get_if<SymbolOperand>(&op)) {
    switch (t->reloc) {
      case Relocation::kNone:
        return std::holds_alternative<const AsmLabel*>(t->target) ? K::kLabel
                                                                  : K::kSymbol;
      case Relocation::kGotPage:
        return K::kGotPage;
      case Relocation::kPage:
        return K::kPage;
      case Relocation::kPageOffset:
        return K::kPageOffset;
      default:
        return std::nullopt;
    }
  }
  return std::nullopt;
}

// Register number as encoded (sp and xzr are both 31).
uint32_t Reg(const Operand& op) {
  const int n = std::get<RegisterOperand>(op).number;
  return n >= kAArch64Sp ? 31u : static_cast<uint32_t>(n);
}
uint32_t Base(const Operand& op) {
  const int n = std::get<MemoryOperand>(op).base;
  return n >= kAArch64Sp ? 31u : static_cast<uint32_t>(n);
}
int64_t Imm(const Operand& op) { return std::get<ImmediateOperand>(op).value; }
int ShiftAmount(const Operand& op) { return std::get<ShiftOperand>(op).amount; }

// The N:immr:imms fields of the 64-bit logical immediate \p value (a
// rotated run of ones, replicated), or nullopt if it is not one. Searches
// every element size, run length and rotation.
std::optional<uint32_t> LogicalImmediate(uint64_t value) {
  for (int size = 2; size <= 64; size *= 2) {
    const uint64_t mask = size == 64 ? ~uint64_t{0} : (uint64_t{1} << size) - 1;
    for (int ones = 1; ones < size; ++ones) {
      const uint64_t run = (uint64_t{1} << ones) - 1;
      for (int rotate = 0; rotate < size; ++rotate) {
        uint64_t element =
            rotate == 0 ? run
                        : ((run >> rotate) | (run << (size - rotate))) & mask;
        uint64_t pattern = 0;
        for (int at = 0; at < 64; at += size) pattern |= element << at;
        if (pattern != value) continue;
        const uint32_t n = size == 64 ? 1 : 0;
        const uint32_t size_bits =
            size == 64
                ? 0
                : (0x3Fu << (std::countr_zero(unsigned(size)) + 1)) & 0x3F;
        const uint32_t imms = size_bits | static_cast<uint32_t>(ones - 1);
        return (n << 12) | (static_cast<uint32_t>(rotate) << 6) | imms;
      }
    }
  }
  return std::nullopt;
}

}  // namespace

std::string_view AArch64OperandKindName(AArch64OperandKind kind) {
  switch (kind) {
    case K::kRegister:
      return "x";
    case K::kSp:
      return "sp";
    case K::kXzr:
      return "xzr";
    case K::kImmediate:
      return "imm";
    case K::kShift:
      return "lsl";
    case K::kMemory:
      return "mem";
    case K::kPreIndexed:
      return "mem!";
    case K::kPostIndexed:
      return "mem,#";
    case K::kGotPageOffset:
      return "got_lo12";
    case K::kGotPage:
      return "got";
    case K::kPage:
      return "page";
    case K::kPageOffset:
      return "lo12";
    case K::kSymbol:
      return "symbol";
    case K::kLabel:
      return "label";
  }
  return "?";
}

std::span<const AArch64InstructionForm> AArch64EncoderForms() {
  return Forms();
}

absl::StatusOr<AArch64InstructionForm> AArch64FormOf(const Instruction& insn) {
  if (insn.opcode >= kNumAArch64Opcodes) {
    return Refuse(absl::StatusCode::kInvalidArgument, insn,
                  "not an AArch64 opcode");
  }
  if (insn.operands.size() > 4) {
    return Refuse(absl::StatusCode::kInvalidArgument, insn,
                  "too many operands");
  }
  AArch64InstructionForm form{
      static_cast<Op>(insn.opcode), static_cast<int>(insn.operands.size()), {}};
  for (size_t i = 0; i < insn.operands.size(); ++i) {
    std::optional<K> kind = KindOf(insn.operands[i]);
    if (!kind) {
      return Refuse(absl::StatusCode::kInvalidArgument, insn,
                    "an operand of no accepted kind");
    }
    form.operands[i] = *kind;
  }
  for (const AArch64InstructionForm& f : Forms()) {
    if (f == form) return form;
  }
  return Refuse(absl::StatusCode::kInvalidArgument, insn,
                "not an instruction form the startup emitters use");
}

absl::StatusOr<EncodedInstruction> EncodeAArch64Instruction(
    const Instruction& insn) {
  absl::StatusOr<AArch64InstructionForm> form = AArch64FormOf(insn);
  if (!form.ok()) return form.status();
  const Op op = form->opcode;
  const std::vector<Operand>& ops = insn.operands;
  auto kind = [&](int i) { return form->operands[i]; };
  auto out_of_range = [&](std::string_view why) {
    return Refuse(absl::StatusCode::kOutOfRange, insn, why);
  };
  std::optional<InstructionFixup> fixup;
  auto fix = [&](const AsmName& target, FixupKind k) {
    fixup = InstructionFixup{0, k, target, 0};
  };
  auto target_of = [&](const Operand& o) -> AsmName {
    if (const auto* m = std::get_if<MemoryOperand>(&o)) return *m->symbol;
    return std::get<SymbolOperand>(o).target;
  };
  uint32_t word = 0;
  switch (op) {
    case Op::kAdd:
    case Op::kSub: {
      const bool sub = op == Op::kSub;
      const uint32_t rd = Reg(ops[0]), rn = Reg(ops[1]);
      if (kind(2) == K::kImmediate) {
        const int64_t v = Imm(ops[2]);
        uint32_t imm12, shift = 0;
        if (v >= 0 && v <= 4095) {
          imm12 = static_cast<uint32_t>(v);
        } else if (v > 0 && v % 4096 == 0 && v / 4096 <= 4095) {
          imm12 = static_cast<uint32_t>(v / 4096);
          shift = 1;
        } else {
          return out_of_range(
              "the immediate is not a 12-bit value, shifted "
              "by 0 or 12");
        }
        word = (sub ? 0xD1000000u : 0x91000000u) | shift << 22 | imm12 << 10 |
               rn << 5 | rd;
      } else if (kind(2) == K::kPageOffset) {
        word = 0x91000000u | rn << 5 | rd;
        fix(target_of(ops[2]), kAArch64FixupAddAbsLo12);
      } else {
        uint32_t amount = 0;
        if (form->num_operands == 4) {
          const int a = ShiftAmount(ops[3]);
          if (a < 0 || a > 63) return out_of_range("shift amount above 63");
          amount = static_cast<uint32_t>(a);
        }
        word = (sub ? 0xCB000000u : 0x8B000000u) | Reg(ops[2]) << 16 |
               amount << 10 | rn << 5 | rd;
      }
      break;
    }
    case Op::kAnd:
      word = 0x8A000000u | Reg(ops[2]) << 16 | Reg(ops[1]) << 5 | Reg(ops[0]);
      break;
    case Op::kOrr: {
      std::optional<uint32_t> bits =
          LogicalImmediate(static_cast<uint64_t>(Imm(ops[2])));
      if (!bits) return out_of_range("not a bitmask immediate");
      word = 0xB2000000u | *bits << 10 | Reg(ops[1]) << 5 | Reg(ops[0]);
      break;
    }
    case Op::kAsr:
    case Op::kLsr:
    case Op::kLsl: {
      const int64_t s = Imm(ops[2]);
      if (s < 0 || s > 63) return out_of_range("shift amount above 63");
      const uint32_t base = op == Op::kAsr ? 0x93400000u : 0xD3400000u;
      uint32_t immr, imms;
      if (op == Op::kLsl) {  // ubfm xd, xn, #(-s mod 64), #(63 - s)
        immr = static_cast<uint32_t>((64 - s) & 63);
        imms = static_cast<uint32_t>(63 - s);
      } else {  // sbfm/ubfm xd, xn, #s, #63
        immr = static_cast<uint32_t>(s);
        imms = 63;
      }
      word = base | immr << 16 | imms << 10 | Reg(ops[1]) << 5 | Reg(ops[0]);
      break;
    }
    case Op::kCmp:
      if (kind(1) == K::kImmediate) {
        const int64_t v = Imm(ops[1]);
        if (v < 0 || v > 4095) return out_of_range("not a 12-bit immediate");
        word = 0xF1000000u | static_cast<uint32_t>(v) << 10 | Reg(ops[0]) << 5 |
               31;
      } else if (kind(0) == K::kSp) {
        // subs xzr, sp, xm, uxtx: the extended-register form, the only one
        // that reads sp.
        word = 0xEB206000u | Reg(ops[1]) << 16 | 31u << 5 | 31;
      } else {
        word = 0xEB000000u | Reg(ops[1]) << 16 | Reg(ops[0]) << 5 | 31;
      }
      break;
    case Op::kMov:
      if (kind(1) == K::kImmediate) {
        // movz, else movn, as GNU as picks.
        const uint64_t v = static_cast<uint64_t>(Imm(ops[1]));
        std::optional<uint32_t> chosen;
        for (uint32_t hw = 0; hw < 4 && !chosen; ++hw) {
          if ((v & ~(uint64_t{0xFFFF} << (16 * hw))) == 0) {
            chosen = 0xD2800000u | hw << 21 |
                     static_cast<uint32_t>((v >> (16 * hw)) & 0xFFFF) << 5;
          }
        }
        for (uint32_t hw = 0; hw < 4 && !chosen; ++hw) {
          if ((~v & ~(uint64_t{0xFFFF} << (16 * hw))) == 0) {
            chosen = 0x92800000u | hw << 21 |
                     static_cast<uint32_t>((~v >> (16 * hw)) & 0xFFFF) << 5;
          }
        }
        if (!chosen) return out_of_range("not a movz or movn immediate");
        word = *chosen | Reg(ops[0]);
      } else {  // orr xd, xzr, xm
        word = 0xAA0003E0u | Reg(ops[1]) << 16 | Reg(ops[0]);
      }
      break;
    case Op::kMovz:
    case Op::kMovk: {
      const int64_t v = Imm(ops[1]);
      const int shift = ShiftAmount(ops[2]);
      if (v < 0 || v > 0xFFFF) return out_of_range("not a 16-bit immediate");
      if (shift < 0 || shift > 48 || shift % 16 != 0) {
        return out_of_range("the shift is not 0, 16, 32 or 48");
      }
      word = (op == Op::kMovz ? 0xD2800000u : 0xF2800000u) |
             static_cast<uint32_t>(shift / 16) << 21 |
             static_cast<uint32_t>(v) << 5 | Reg(ops[0]);
      break;
    }
    case Op::kLdr:
    case Op::kStr: {
      const bool load = op == Op::kLdr;
      const uint32_t rt = Reg(ops[0]), rn = Base(ops[1]);
      if (kind(1) == K::kGotPageOffset) {
        word = 0xF9400000u | rn << 5 | rt;
        fix(target_of(ops[1]), kAArch64FixupLd64GotLo12);
        break;
      }
      const int64_t d = std::get<MemoryOperand>(ops[1]).displacement;
      if (d >= 0 && d % 8 == 0 && d / 8 <= 4095) {
        word = (load ? 0xF9400000u : 0xF9000000u) |
               static_cast<uint32_t>(d / 8) << 10 | rn << 5 | rt;
      } else if (d >= -256 && d <= 255) {  // ldur / stur
        word = (load ? 0xF8400000u : 0xF8000000u) |
               (static_cast<uint32_t>(d) & 0x1FF) << 12 | rn << 5 | rt;
      } else {
        return out_of_range(
            "the offset is neither a scaled 12-bit one nor within -256..255");
      }
      break;
    }
    case Op::kStp:
    case Op::kLdp: {
      // 64-bit pair, pre-indexed (stp) or post-indexed (ldp): a signed
      // 7-bit offset in words.
      const int64_t d = std::get<MemoryOperand>(ops[2]).displacement;
      if (d % 8 != 0 || d < -512 || d > 504) {
        return out_of_range("the offset is not a multiple of 8 in -512..504");
      }
      word = (op == Op::kStp ? 0xA9800000u : 0xA8C00000u) |
             (static_cast<uint32_t>(d / 8) & 0x7F) << 15 | Reg(ops[1]) << 10 |
             Base(ops[2]) << 5 | Reg(ops[0]);
      break;
    }
    case Op::kDmbIshld:
      word = 0xD50339BFu;
      break;
    case Op::kAdrp:
      word = 0x90000000u | Reg(ops[0]);
      fix(target_of(ops[1]), kind(1) == K::kGotPage
                                 ? kAArch64FixupAdrGotPage
                                 : kAArch64FixupAdrPrelPgHi21);
      break;
    case Op::kB:
      word = 0x14000000u;
      fix(target_of(ops[0]), kAArch64FixupJump26);
      break;
    case Op::kBl:
      word = 0x94000000u;
      fix(target_of(ops[0]), kAArch64FixupCall26);
      break;
    case Op::kBr:
      word = 0xD61F0000u | Reg(ops[0]) << 5;
      break;
    case Op::kBlr:
      word = 0xD63F0000u | Reg(ops[0]) << 5;
      break;
    case Op::kRet:
      word = 0xD65F03C0u;
      break;
    default:  // b.cond
      word = 0x54000000u | static_cast<uint32_t>(AArch64ConditionCode(op));
      fix(target_of(ops[0]), kAArch64FixupCondBr19);
      break;
  }
  EncodedInstruction e;
  for (int i = 0; i < 4; ++i) e.bytes += static_cast<char>(word >> (8 * i));
  e.fixup = fixup;
  return e;
}

}  // namespace camlsym
