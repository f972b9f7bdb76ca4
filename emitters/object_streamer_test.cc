// The integrated assembler against GNU as for what surrounds the
// instructions: branch relaxation, relocations against symbols and
// sections, data directives (addresses, differences, strings, spaces),
// alignment, section flags and CFI. The same directive stream is printed
// for `as` and written by WriteElfObject(), and the two objects must be
// equal (CompareObjects). Each instruction form is covered by
// x86_64/instruction_encoder_test.
#include <string>
#include <vector>

#include "camlsym/emitters/asm_printer.h"
#include "camlsym/emitters/output_streamer.h"
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
using Op = X86_64Opcode;
using R = X86_64Register;
using x86_64::Imm;
using x86_64::Insn;
using x86_64::Mem;
using x86_64::Reg;
using x86_64::Rip;
using x86_64::Target;

TargetSystem X86_64() { return TargetSystem::Parse("x86_64-linux").value(); }

TEST(ElfObjectStreamerTest, BranchesRelocationsDataAndCfi) {
  AsmContext ctx(X86_64().asm_syntax(), ObjectFile::Startup());
  DirectiveStream s(ctx);
  const ObjectFile& file = ctx.current_file();
  AsmSymbol* curry = ctx.GetOrCreateSymbol(BackendSymbol::Curry(3, file));
  AsmSymbol* apply = ctx.GetOrCreateSymbol(BackendSymbol::Apply(4, file));
  AsmSymbol* gc = ctx.GetOrCreateSymbol(BackendSymbol::CallGc());
  AsmSymbol* inited = ctx.GetOrCreateSymbol(BackendSymbol::GlobalsInited());
  AsmSymbol* map = ctx.GetOrCreateSymbol(BackendSymbol::GlobalsMap());
  AsmLabel* near = ctx.CreateLabel();
  AsmLabel* far = ctx.CreateLabel();
  AsmLabel* back = ctx.CreateLabel();
  AsmLabel* table = ctx.CreateLabel();

  s.SwitchTo(Section::Text());
  s.AlignTo(16);
  s.Append(Global{curry});
  ASSERT_TRUE(s.Define(*curry).ok());
  s.Append(Type{curry, SymbolType::kFunction});
  s.Append(Cfi{CfiKind::kStartProc});
  ASSERT_TRUE(s.Define(*back).ok());
  s.Emit(Insn(Op::kSubq, {Imm(8), Reg(R::kRsp)}));
  s.AdjustCfa(8);
  s.Emit(Insn(Op::kJb, {Target(near)}));
  s.Emit(Insn(Op::kJne, {Target(far)}));
  s.Emit(Insn(Op::kJmp, {Target(far)}));
  s.Emit(Insn(Op::kCall, {Target(gc, Relocation::kPlt)}));
  s.Emit(Insn(Op::kCall, {Target(apply, Relocation::kPlt)}));
  s.Emit(Insn(Op::kMovq, {Rip(inited, Relocation::kGotPcRel), Reg(R::kRax)}));
  s.Emit(Insn(Op::kMovq, {Rip(curry, Relocation::kGotPcRel), Reg(R::kRsi)}));
  s.Emit(Insn(Op::kLeaq, {Rip(table), Reg(R::kRbx)}));
  s.Emit(Insn(Op::kLeaq, {Rip(back), Reg(R::kRbx)}));
  s.Emit(Insn(Op::kLeaq, {Rip(map), Reg(R::kRdx)}));
  ASSERT_TRUE(s.Define(*near).ok());
  // Enough code that `far` is out of an 8-bit displacement's reach, and
  // `back` too from the end.
  for (int i = 0; i < 40; ++i) {
    s.Emit(Insn(Op::kMovq, {Mem(R::kRbp, -100000), Reg(R::kR13)}));
  }
  s.AlignTo(16);
  ASSERT_TRUE(s.Define(*far).ok());
  s.Emit(Insn(Op::kAddq, {Imm(8), Reg(R::kRsp)}));
  s.AdjustCfa(-8);
  s.Emit(Insn(Op::kRet));
  s.AdjustCfa(8);
  s.Emit(Insn(Op::kJl, {Target(back)}));
  s.Emit(Insn(Op::kJge, {Target(far)}));
  s.Append(Cfi{CfiKind::kEndProc});
  s.Append(Size{curry});

  s.SwitchTo(Section::Data());
  s.AlignTo(8);
  s.Append(Global{map});
  ASSERT_TRUE(s.Define(*map).ok());
  s.Append(Ascii{std::string("\x84\x95\xa6\xbe\0zero", 9)});
  s.Append(Space{3});
  s.Byte(3);
  s.AlignTo(8);
  ASSERT_TRUE(s.Define(*table).ok());
  s.Quad(AsmName{curry});
  s.Quad(AsmName{back});
  s.Quad(AsmName{far});
  s.Quad(AsmName{gc});
  s.Quad(AsmName{map});
  s.Quad(int64_t{-9});
  s.Word16(17);
  s.Append(Data{DataWidth::kLong, int64_t{0x12345678}});
  s.Append(Data{DataWidth::kQuad, AsmDifference::Create(table, map).value()});
  s.Append(Data{DataWidth::kLong, AsmDifference::Create(far, back).value()});

  s.SwitchTo(Section::Literal16());
  s.AlignTo(16);
  s.Quad(int64_t{-9223372036854775807 - 1});
  s.Quad(int64_t{0});
  s.SwitchTo(Section::NoteGnuStack());
  ASSERT_EQ(AssembleBothWays(X86_64(), s, "branches_relocations"), "");
}

TEST(ElfObjectStreamerTest, RefusesWhatItCannotAssemble) {
  {
    AsmContext ctx(X86_64().asm_syntax(), ObjectFile::Startup());
    DirectiveStream s(ctx);
    s.SwitchTo(Section::Text());
    s.Emit(Insn(Op::kLeaq, {Reg(R::kRax), Reg(R::kRbx)}));
    absl::StatusOr<std::string> o = WriteElfObject(X86_64(), s);
    EXPECT_EQ(o.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(o.status().message().find("leaq %rax, %rbx"), std::string::npos)
        << o.status().message();
  }
  {
    AsmContext ctx(X86_64().asm_syntax(), ObjectFile::Startup());
    DirectiveStream s(ctx);
    s.SwitchTo(Section::Text());
    s.Emit(Insn(Op::kJmp, {Target(ctx.CreateLabel())}));
    EXPECT_EQ(WriteElfObject(X86_64(), s).status().code(),
              absl::StatusCode::kFailedPrecondition);
  }
  {
    AsmContext ctx(X86_64().asm_syntax(), ObjectFile::Startup());
    DirectiveStream s(ctx);
    s.SwitchTo(Section::Text());
    s.Append(Cfi{CfiKind::kStartProc});
    EXPECT_EQ(WriteElfObject(X86_64(), s).status().code(),
              absl::StatusCode::kInvalidArgument);
  }
  {
    AsmContext ctx(X86_64().asm_syntax(), ObjectFile::Startup());
    DirectiveStream s(ctx);
    AsmLabel* other = ctx.CreateLabel();
    s.SwitchTo(Section::Data());
    ASSERT_TRUE(s.Define(*other).ok());
    s.SwitchTo(Section::Text());
    s.Emit(Insn(Op::kJe, {Target(other)}));
    EXPECT_EQ(WriteElfObject(X86_64(), s).status().code(),
              absl::StatusCode::kInvalidArgument);
  }
  {
    const TargetSystem mac = TargetSystem::Parse("aarch64-macos").value();
    AsmContext ctx(mac.asm_syntax(), ObjectFile::Startup());
    DirectiveStream s(ctx);
    s.SwitchTo(Section::Text());
    EXPECT_EQ(WriteElfObject(mac, s).status().code(),
              absl::StatusCode::kUnimplemented);
  }
}

}  // namespace
}  // namespace camlsym
