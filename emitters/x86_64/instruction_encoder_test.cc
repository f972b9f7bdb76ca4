// The x86-64 encoder against GNU as, form by form. The cases are derived
// from the encoder's own list of accepted forms (X86_64EncoderForms()):
// every form is instantiated with operand samples chosen for its operand
// kinds (all sixteen registers in each position; displacements and
// immediates at every size boundary; RIP-relative references to labels
// and local, global and undefined symbols, with and without a trailing
// immediate; branches that relax and branches that do not), printed for
// `as` and assembled by camlsym, and the two objects must be equal
// (CompareObjects). A form whose operand kind has no samples fails the
// test, so a form added to the encoder cannot go untested.
#include "camlsym/emitters/x86_64/instruction_encoder.h"

#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "camlsym/emitters/asm_printer.h"
#include "camlsym/emitters/object_streamer.h"
#include "camlsym/emitters/x86_64/instruction_set.h"
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
using K = X86_64OperandKind;
using Op = X86_64Opcode;
using R = X86_64Register;

TargetSystem X86_64() { return TargetSystem::Parse("x86_64-linux").value(); }

// An operand sample, with the labels to define around the instruction
// (branches just before or after it, so that they stay short).
struct Sample {
  Operand operand;
  AsmLabel* define_before = nullptr;
  AsmLabel* define_after = nullptr;
};

// The names the samples refer to, defined where the samples need them.
struct Names {
  AsmContext& ctx;
  AsmSymbol* local_symbol;   // defined in .text, not global
  AsmSymbol* global_symbol;  // defined in .text, global
  AsmSymbol* undefined;      // not defined here
  AsmLabel* text_start;      // first byte of .text (far behind)
  AsmLabel* text_end;        // last byte of .text (far ahead)
  AsmLabel* data_label;      // in .data
};

std::vector<Operand> Registers64() {
  std::vector<Operand> out;
  for (int r = 0; r < 16; ++r) out.push_back(x86_64::Reg(static_cast<R>(r)));
  return out;
}

// Memory operands over every base and index, with the displacements that
// change the encoding (none, 0 on rbp/r13, 8-bit, 32-bit, negative).
std::vector<Operand> MemoryOperands() {
  std::vector<Operand> out;
  for (int b = 0; b < 16; ++b) {
    for (int64_t disp : {0, 8, -8, 127, -128, 128, 4096, -100000}) {
      out.push_back(x86_64::Mem(static_cast<R>(b), disp));
    }
  }
  for (int i = 0; i < 16; ++i) {
    if (static_cast<R>(i) == R::kRsp) continue;
    for (int scale : {1, 2, 4, 8}) {
      out.push_back(x86_64::Mem(R::kRsi, static_cast<R>(i), scale));
      out.push_back(x86_64::Mem(R::kR13, static_cast<R>(i), scale, 23));
      out.push_back(x86_64::MemIndexOnly(static_cast<R>(i), scale, -23));
    }
  }
  return out;
}

std::vector<int64_t> Immediates(Op op) {
  switch (op) {
    case Op::kSalq:
    case Op::kShlq:
    case Op::kShrq:
    case Op::kSarq:
      return {1, 2, 56, 63};
    case Op::kMovabsq:
      return {0, 1, -1, std::numeric_limits<int64_t>::min() + 1, 0x123456789LL};
    case Op::kMovl:
      return {0, 1, -5, std::numeric_limits<int32_t>::max()};
    default:
      return {0,
              1,
              -1,
              127,
              -128,
              128,
              -129,
              std::numeric_limits<int32_t>::max(),
              std::numeric_limits<int32_t>::min()};
  }
}

std::vector<Sample> Samples(Op op, K kind, Names& n) {
  std::vector<Sample> out;
  auto add = [&](Operand o) { out.push_back(Sample{std::move(o)}); };
  switch (kind) {
    case K::kRegister64:
      for (Operand& o : Registers64()) add(std::move(o));
      break;
    case K::kRegister32:
      for (int r = 0; r < 16; ++r) {
        add(x86_64::Reg(static_cast<R>(static_cast<int>(R::kEax) + r)));
      }
      break;
    case K::kImmediate:
      for (int64_t v : Immediates(op)) add(x86_64::Imm(v));
      break;
    case K::kMemory:
      for (Operand& o : MemoryOperands()) add(std::move(o));
      break;
    case K::kRipRelative:
      add(x86_64::Rip(n.text_start));
      add(x86_64::Rip(n.text_end));
      add(x86_64::Rip(n.data_label));
      add(x86_64::Rip(n.local_symbol));
      add(x86_64::Rip(n.global_symbol));
      add(x86_64::Rip(n.undefined));
      break;
    case K::kGotPcRel:
      add(x86_64::Rip(n.global_symbol, Relocation::kGotPcRel));
      add(x86_64::Rip(n.undefined, Relocation::kGotPcRel));
      break;
    case K::kSymbol:
      for (AsmSymbol* s : {n.local_symbol, n.global_symbol, n.undefined}) {
        add(x86_64::Target(s));
        add(x86_64::Target(s, Relocation::kPlt));
      }
      break;
    case K::kLabel: {
      add(x86_64::Target(n.text_start));
      add(x86_64::Target(n.text_end));
      AsmLabel* before = n.ctx.CreateLabel();
      out.push_back(Sample{x86_64::Target(before), before, nullptr});
      AsmLabel* after = n.ctx.CreateLabel();
      out.push_back(Sample{x86_64::Target(after), nullptr, after});
      break;
    }
  }
  return out;
}

std::string FormName(const X86_64InstructionForm& f) {
  std::string s(X86_64Mnemonic(f.opcode));
  for (int i = 0; i < f.num_operands; ++i) {
    s += i == 0 ? " " : ", ";
    s += X86_64OperandKindName(f.operands[i]);
  }
  return s;
}

TEST(X86_64EncoderTest, EveryFormEncodesAsGnuAsDoes) {
  AsmContext ctx(X86_64().asm_syntax(), ObjectFile::Startup());
  DirectiveStream s(ctx);
  const ObjectFile& file = ctx.current_file();
  Names n{ctx,
          ctx.GetOrCreateSymbol(BackendSymbol::Curry(3, file)),
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
  int instructions = 0;
  for (const X86_64InstructionForm& form : X86_64EncoderForms()) {
    SCOPED_TRACE(FormName(form));
    std::vector<std::vector<Sample>> samples;
    for (int i = 0; i < form.num_operands; ++i) {
      samples.push_back(Samples(form.opcode, form.operands[i], n));
      ASSERT_FALSE(samples.back().empty())
          << "no operand samples for kind "
          << X86_64OperandKindName(form.operands[i]);
    }
    // Each combination of samples when there are few (two registers: all
    // 256 pairs), else each sample of each operand at least once.
    std::vector<std::vector<size_t>> combinations;
    if (form.num_operands == 2 &&
        samples[0].size() * samples[1].size() <= size_t{300}) {
      for (size_t a = 0; a < samples[0].size(); ++a) {
        for (size_t b = 0; b < samples[1].size(); ++b) {
          combinations.push_back({a, b});
        }
      }
    } else {
      size_t count = 1;
      for (const auto& v : samples) count = std::max(count, v.size());
      for (size_t k = 0; k < count; ++k) {
        std::vector<size_t> c;
        for (const auto& v : samples) c.push_back(k % v.size());
        combinations.push_back(c);
      }
    }
    for (const std::vector<size_t>& c : combinations) {
      std::vector<Operand> ops;
      std::vector<AsmLabel*> after;
      for (int i = 0; i < form.num_operands; ++i) {
        const Sample& sample = samples[i][c[i]];
        if (sample.define_before != nullptr &&
            !sample.define_before->section().has_value()) {
          ASSERT_TRUE(s.Define(*sample.define_before).ok());
        }
        if (sample.define_after != nullptr &&
            !sample.define_after->section().has_value()) {
          after.push_back(sample.define_after);
        }
        ops.push_back(sample.operand);
      }
      const Instruction insn = x86_64::Insn(form.opcode, ops);
      ASSERT_TRUE(EncodeX86_64Instruction(insn).ok())
          << EncodeX86_64Instruction(insn).status();
      s.Emit(insn);
      ++instructions;
      for (AsmLabel* l : after) ASSERT_TRUE(s.Define(*l).ok());
    }
  }
  // Alignment padding of every length (GNU as's nops).
  for (int k = 1; k < 16; ++k) {
    for (int i = 0; i < k; ++i) s.Emit(x86_64::Insn(Op::kRet));
    s.AlignTo(16);
  }
  ASSERT_TRUE(s.Define(*n.text_end).ok());
  s.Emit(x86_64::Insn(Op::kRet));
  s.SwitchTo(Section::Data());
  ASSERT_TRUE(s.Define(*n.data_label).ok());
  s.Quad(int64_t{1});
  EXPECT_GT(instructions, 1000);
  ASSERT_EQ(AssembleBothWays(X86_64(), s, "x86_64_encoder_forms"), "");
}

TEST(X86_64EncoderTest, EveryOpcodeHasAForm) {
  std::set<Op> with_form;
  for (const X86_64InstructionForm& f : X86_64EncoderForms()) {
    with_form.insert(f.opcode);
  }
  for (int op = 0; op < kNumX86_64Opcodes; ++op) {
    EXPECT_TRUE(with_form.contains(static_cast<Op>(op)))
        << X86_64Mnemonic(static_cast<Op>(op)) << " has no encoder form";
  }
}

TEST(X86_64EncoderTest, RefusesOperandsItCannotEncode) {
  auto code = [](Op op, std::vector<Operand> ops) {
    return EncodeX86_64Instruction(x86_64::Insn(op, std::move(ops)))
        .status()
        .code();
  };
  using x86_64::Imm;
  using x86_64::Mem;
  using x86_64::Reg;
  EXPECT_EQ(code(Op::kMovq, {Reg(R::kRax)}),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code(Op::kMovq, {Mem(R::kRax, 8), Mem(R::kRbx, 16)}),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code(Op::kMovq, {Reg(R::kRax), Reg(R::kEax)}),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code(Op::kMovq, {Mem(R::kRax, R::kRsp, 8), Reg(R::kRbx)}),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code(Op::kMovq, {Mem(R::kRax, R::kRbx, 3), Reg(R::kRbx)}),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code(Op::kMovq, {Mem(R::kEax, 0), Reg(R::kRbx)}),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code(Op::kAddq, {Imm(4294967296), Reg(R::kRbx)}),
            absl::StatusCode::kOutOfRange);
  EXPECT_EQ(code(Op::kMovq, {Mem(R::kRax, 4294967296), Reg(R::kRbx)}),
            absl::StatusCode::kOutOfRange);
  EXPECT_EQ(code(Op::kLeaq, {Reg(R::kRax), Reg(R::kRbx)}),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code(static_cast<Op>(kNumX86_64Opcodes), {}),
            absl::StatusCode::kInvalidArgument);
  absl::Status s =
      EncodeX86_64Instruction(x86_64::Insn(Op::kTestq, {Imm(1), Reg(R::kRax)}))
          .status();
  EXPECT_NE(s.message().find("testq $1, %rax"), std::string::npos) << s;
}

}  // namespace
}  // namespace camlsym
