// The AArch64 encoder against GNU as (aarch64-linux-gnu-as), form by form.
// The cases are derived from the encoder's own list of accepted forms
// (AArch64EncoderForms()): every form is instantiated with operand samples
// chosen for its operand kinds (all 31 general registers in each position,
// sp, immediates and offsets at the edges of each encoding, GOT and page
// references to local, global and undefined symbols and labels, branches
// backwards and forwards), printed for `as` and assembled by camlsym, and
// the two objects must be equal (CompareObjects), mapping symbols and
// `.eh_frame` included. A form whose operand kind has no samples fails the
// test, so a form added to the encoder cannot go untested.
#include "camlsym/emitters/aarch64/instruction_encoder.h"

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "camlsym/emitters/aarch64/instruction_set.h"
#include "camlsym/emitters/asm_printer.h"
#include "camlsym/emitters/object_streamer.h"
#include "camlsym/symbols/backend_symbol.h"
#include "camlsym/target_system/target_system.h"
#include "camlsym/tests/assemble_both_ways.h"
#include "camlsym/tests/object_compare.h"
#include "camlsym/tests/oracle_util.h"
#include "fmt/format.h"
#include "gtest/gtest.h"

namespace camlsym {
namespace {

using ::camlsym::testing::AssembleBothWays;
using ::camlsym::testing::CompareObjects;
using K = AArch64OperandKind;
using Op = AArch64Opcode;
namespace a64 = ::camlsym::aarch64;

TargetSystem Arm() { return TargetSystem::Parse("aarch64-linux").value(); }

// The names the samples refer to.
struct Names {
  AsmSymbol* local_symbol;   // defined in .text, not global
  AsmSymbol* global_symbol;  // defined in .text, global
  AsmSymbol* undefined;      // not defined here
  AsmLabel* text_start;      // first byte of .text
  AsmLabel* text_end;        // after the last instruction
  AsmLabel* data_label;      // in .data
};

std::vector<int64_t> Immediates(Op op) {
  switch (op) {
    case Op::kAdd:
    case Op::kSub:
      return {0, 1, 8, 23, 4095, 4096, 8192, 0xFFF000};
    case Op::kOrr:
      return {1,
              3,
              0xFF,
              0x5555555555555555,
              static_cast<int64_t>(0xFFFFFFFFFFFFFFFEULL),
              0x0F0F0F0F0F0F0F0F,
              static_cast<int64_t>(0x8000000000000000ULL),
              0x7FFFFFFFFFFFFFFF};
    case Op::kAsr:
    case Op::kLsr:
    case Op::kLsl:
      return {1, 3, 56, 63};
    case Op::kCmp:
      return {0, 1, 126, 4095};
    case Op::kMov:
      return {0,  3,  0xFFFF, 0x10000, 0xFFFF0000, 0xFFFF00000000,
              -1, -2, -65536};
    case Op::kMovz:
    case Op::kMovk:
      return {0, 1, 247, 0xFFFF};
    default:
      return {};
  }
}

std::vector<int> Shifts(Op op) {
  if (op == Op::kMovz || op == Op::kMovk) return {0, 16, 32, 48};
  return {0, 3, 63};
}

std::vector<Operand> Samples(Op op, K kind, const Names& n) {
  std::vector<Operand> out;
  switch (kind) {
    case K::kRegister:
      for (int r = 0; r <= 30; ++r) out.push_back(a64::X(r));
      break;
    case K::kSp:
      out.push_back(a64::Sp());
      break;
    case K::kXzr:
      out.push_back(a64::Xzr());
      break;
    case K::kImmediate:
      for (int64_t v : Immediates(op)) out.push_back(a64::Imm(v));
      break;
    case K::kShift:
      for (int s : Shifts(op)) out.push_back(a64::Lsl(s));
      break;
    case K::kMemory:
      for (int base = 0; base <= kAArch64Sp; ++base) {
        for (int64_t d : {0, 8, 16, -8, 23, 15, 32760, 255, -256}) {
          out.push_back(a64::Mem(base, d));
        }
      }
      break;
    case K::kPreIndexed:
    case K::kPostIndexed:
      // sp only: a written-back base that is also a transfer register is
      // UNPREDICTABLE, and the samples' registers cycle through x0..x30.
      for (int64_t d : {-16, 16, 0, 8, -512, 504, -8}) {
        out.push_back(kind == K::kPreIndexed ? a64::PreIndex(kAArch64Sp, d)
                                             : a64::PostIndex(kAArch64Sp, d));
      }
      break;
    case K::kGotPageOffset:
      for (AsmSymbol* s : {n.local_symbol, n.global_symbol, n.undefined}) {
        for (int base : {0, 3, 30}) {
          out.push_back(a64::MemSymbol(base, s, Relocation::kGotPageOffset));
        }
      }
      break;
    case K::kGotPage:
      for (AsmSymbol* s : {n.local_symbol, n.global_symbol, n.undefined}) {
        out.push_back(a64::Target(s, Relocation::kGotPage));
      }
      break;
    case K::kPage:
    case K::kPageOffset: {
      const Relocation r =
          kind == K::kPage ? Relocation::kPage : Relocation::kPageOffset;
      for (AsmSymbol* s : {n.local_symbol, n.global_symbol, n.undefined}) {
        out.push_back(a64::Target(s, r));
      }
      out.push_back(a64::Target(n.data_label, r));
      out.push_back(a64::Target(n.text_start, r));
      break;
    }
    case K::kSymbol:
      for (AsmSymbol* s : {n.local_symbol, n.global_symbol, n.undefined}) {
        out.push_back(a64::Target(s));
      }
      break;
    case K::kLabel:
      out.push_back(a64::Target(n.text_start));
      out.push_back(a64::Target(n.text_end));
      break;
  }
  return out;
}

std::string FormName(const AArch64InstructionForm& f) {
  std::string s(AArch64Mnemonic(f.opcode));
  for (int i = 0; i < f.num_operands; ++i) {
    s += i == 0 ? " " : ", ";
    s += AArch64OperandKindName(f.operands[i]);
  }
  return s;
}

TEST(AArch64EncoderTest, EveryFormEncodesAsGnuAsDoes) {
  AsmContext ctx(Arm().asm_syntax(), ObjectFile::Startup());
  DirectiveStream s(ctx);
  const ObjectFile& file = ctx.current_file();
  Names n{ctx.GetOrCreateSymbol(BackendSymbol::Curry(3, file)),
          ctx.GetOrCreateSymbol(BackendSymbol::Apply(4, file)),
          ctx.GetOrCreateSymbol(BackendSymbol::CallGc()),
          ctx.CreateLabel(),
          ctx.CreateLabel(),
          ctx.CreateLabel()};
  s.SwitchTo(Section::Text());
  ASSERT_TRUE(s.Define(*n.text_start).ok());
  ASSERT_TRUE(s.Define(*n.local_symbol).ok());
  s.Append(Global{n.global_symbol});
  ASSERT_TRUE(s.Define(*n.global_symbol).ok());
  s.Append(Cfi{CfiKind::kStartProc});
  int instructions = 0;
  for (const AArch64InstructionForm& form : AArch64EncoderForms()) {
    SCOPED_TRACE(FormName(form));
    std::vector<std::vector<Operand>> samples;
    size_t count = 1;
    for (int i = 0; i < form.num_operands; ++i) {
      samples.push_back(Samples(form.opcode, form.operands[i], n));
      ASSERT_FALSE(samples.back().empty())
          << "no operand samples for kind "
          << AArch64OperandKindName(form.operands[i]);
      count = std::max(count, samples.back().size());
    }
    // Each sample of each operand at least once; the operands cycle at
    // different lengths, so registers meet in many combinations.
    for (size_t k = 0; k < count; ++k) {
      std::vector<Operand> ops;
      for (int i = 0; i < form.num_operands; ++i) {
        const std::vector<Operand>& v = samples[i];
        ops.push_back(v[(k + static_cast<size_t>(i) * 7) % v.size()]);
      }
      const Instruction insn = a64::Insn(form.opcode, ops);
      ASSERT_TRUE(EncodeAArch64Instruction(insn).ok())
          << EncodeAArch64Instruction(insn).status();
      s.Emit(insn);
      ++instructions;
    }
    // Alignment between forms: padding with nops when needed.
    if (instructions % 3 == 0) s.AlignTo(8);
  }
  s.AdjustCfa(16);
  s.Append(Cfi{CfiKind::kOffset, -8, 30});
  s.Emit(a64::Insn(Op::kRet));
  s.AdjustCfa(-16);
  s.Emit(a64::Insn(Op::kRet));
  ASSERT_TRUE(s.Define(*n.text_end).ok());
  s.Emit(a64::Insn(Op::kRet));
  s.Append(Cfi{CfiKind::kEndProc});
  s.SwitchTo(Section::Data());
  s.AlignTo(8);
  ASSERT_TRUE(s.Define(*n.data_label).ok());
  s.Quad(AsmName{n.text_end});
  s.Quad(AsmName{n.undefined});
  s.Quad(int64_t{1});
  s.SwitchTo(Section::NoteGnuStack());
  EXPECT_GT(instructions, 200);
  ASSERT_EQ(AssembleBothWays(Arm(), s, "aarch64_encoder_forms"), "");
}

TEST(AArch64EncoderTest, EveryOpcodeHasAForm) {
  std::set<Op> with_form;
  for (const AArch64InstructionForm& f : AArch64EncoderForms()) {
    with_form.insert(f.opcode);
  }
  for (int op = 0; op < kNumAArch64Opcodes; ++op) {
    EXPECT_TRUE(with_form.contains(static_cast<Op>(op)))
        << AArch64Mnemonic(static_cast<Op>(op)) << " has no encoder form";
  }
}

TEST(AArch64EncoderTest, RefusesWhatItCannotEncode) {
  auto code = [](Op op, std::vector<Operand> ops) {
    return EncodeAArch64Instruction(a64::Insn(op, std::move(ops)))
        .status()
        .code();
  };
  using a64::Imm;
  using a64::Mem;
  using a64::X;
  EXPECT_EQ(code(Op::kLdr, {X(0)}), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code(Op::kLdr, {X(0), X(1)}), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code(Op::kAdd, {X(0), a64::Sp(), Imm(1)}),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code(Op::kLdr, {X(0), Mem(1, 32768)}),
            absl::StatusCode::kOutOfRange);
  EXPECT_EQ(code(Op::kLdr, {X(0), Mem(1, -257)}),
            absl::StatusCode::kOutOfRange);
  EXPECT_EQ(code(Op::kAdd, {X(0), X(1), Imm(4097)}),
            absl::StatusCode::kOutOfRange);
  EXPECT_EQ(code(Op::kOrr, {X(0), X(1), Imm(0)}),
            absl::StatusCode::kOutOfRange);
  EXPECT_EQ(code(Op::kOrr, {X(0), X(1), Imm(5)}),
            absl::StatusCode::kOutOfRange);
  EXPECT_EQ(code(Op::kMov, {X(0), Imm(0x12345)}),
            absl::StatusCode::kOutOfRange);
  EXPECT_EQ(code(Op::kMovz, {X(0), Imm(1), a64::Lsl(8)}),
            absl::StatusCode::kOutOfRange);
  EXPECT_EQ(code(Op::kStp, {X(16), X(30), a64::PreIndex(kAArch64Sp, -12)}),
            absl::StatusCode::kOutOfRange);
  EXPECT_EQ(code(Op::kLdp, {X(16), X(30), a64::PostIndex(kAArch64Sp, 512)}),
            absl::StatusCode::kOutOfRange);
  EXPECT_EQ(code(Op::kStp, {X(16), X(30), a64::PostIndex(kAArch64Sp, 16)}),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code(Op::kLdr, {X(0), a64::PreIndex(1, 8)}),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code(static_cast<Op>(kNumAArch64Opcodes), {}),
            absl::StatusCode::kInvalidArgument);
  absl::Status s =
      EncodeAArch64Instruction(a64::Insn(Op::kLdr, {X(0), Mem(1, 32768)}))
          .status();
  EXPECT_NE(s.message().find("ldr x0, [x1, #32768]"), std::string::npos) << s;
}

}  // namespace
}  // namespace camlsym
