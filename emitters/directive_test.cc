#include "camlsym/emitters/directive.h"

#include <string>

#include "camlsym/emitters/aarch64/instruction_set.h"
#include "camlsym/emitters/asm_printer.h"
#include "camlsym/emitters/frame_table.h"
#include "camlsym/emitters/x86_64/instruction_set.h"
#include "camlsym/symbols/backend_symbol.h"
#include "camlsym/target_system/target_system.h"
#include "fmt/format.h"
#include "gtest/gtest.h"

namespace camlsym {
namespace {

AsmSyntax Syntax(std::string_view triple) {
  return TargetSystem::Parse(triple).value().asm_syntax();
}

std::string Print(const AsmSyntax& syntax, const DirectiveStream& s) {
  return GasPrinter(syntax).PrintAll(s.directives()).value();
}

TEST(DirectiveStreamTest, DefineNeedsASection) {
  AsmContext ctx(Syntax("x86_64-linux"), ObjectFile::Startup());
  DirectiveStream s(ctx);
  AsmSymbol* sym = ctx.GetOrCreateSymbol(BackendSymbol::Program());
  EXPECT_EQ(s.Define(*sym).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.Define(*ctx.CreateLabel()).code(),
            absl::StatusCode::kFailedPrecondition);
  s.SwitchTo(Section::Text());
  EXPECT_TRUE(s.Define(*sym).ok());
  EXPECT_EQ(sym->section(), Section::Text());
}

TEST(DirectiveStreamTest, DefineTwiceOrForeignIsRefused) {
  AsmContext ctx(Syntax("x86_64-linux"), ObjectFile::Startup());
  DirectiveStream s(ctx);
  s.SwitchTo(Section::Data());
  AsmSymbol* sym = ctx.GetOrCreateSymbol(BackendSymbol::GlobalsMap());
  ASSERT_TRUE(s.Define(*sym).ok());
  EXPECT_EQ(s.Define(*sym).code(), absl::StatusCode::kAlreadyExists);
  AsmLabel* l = ctx.CreateLabel();
  ASSERT_TRUE(s.Define(*l).ok());
  EXPECT_EQ(s.Define(*l).code(), absl::StatusCode::kAlreadyExists);
  AsmSymbol* gc = ctx.GetOrCreateSymbol(BackendSymbol::CallGc());
  EXPECT_EQ(s.Define(*gc).code(), absl::StatusCode::kFailedPrecondition);
  // Only the successful definitions produced labels.
  EXPECT_EQ(s.directives().size(), 3u);
}

TEST(GasPrinterTest, ElfX86_64) {
  AsmSyntax syntax = Syntax("x86_64-linux");
  AsmContext ctx(syntax, ObjectFile::Startup());
  DirectiveStream s(ctx);
  s.SwitchTo(Section::Text());
  AsmSymbol* f =
      ctx.GetOrCreateSymbol(BackendSymbol::Curry(3, ctx.current_file()));
  s.AlignTo(16);
  s.Append(Global{f});
  ASSERT_TRUE(s.Define(*f).ok());
  s.Append(Cfi{CfiKind::kStartProc});
  s.Emit(x86_64::Insn(
      X86_64Opcode::kCall,
      {x86_64::Target(ctx.GetOrCreateSymbol(BackendSymbol::CallGc()),
                      Relocation::kPlt)}));
  s.Emit(
      x86_64::Insn(X86_64Opcode::kMovq, {x86_64::Rip(f, Relocation::kGotPcRel),
                                         x86_64::Reg(X86_64Register::kRax)}));
  s.Emit(x86_64::Insn(
      X86_64Opcode::kCmpq,
      {x86_64::Reg(X86_64Register::kRbx),
       x86_64::Mem(X86_64Register::kRcx, X86_64Register::kRsi, 1, 23)}));
  s.Emit(x86_64::Insn(X86_64Opcode::kLeaq,
                      {x86_64::MemIndexOnly(X86_64Register::kRdx, 8, -23),
                       x86_64::Reg(X86_64Register::kRcx)}));
  s.Emit(x86_64::Insn(X86_64Opcode::kJmp, {x86_64::Reg(X86_64Register::kR11)}));
  s.Emit(x86_64::Insn(X86_64Opcode::kMovl,
                      {x86_64::Imm(1), x86_64::Reg(X86_64Register::kEax)}));
  s.AdjustCfa(-8);
  s.Append(Cfi{CfiKind::kEndProc});
  s.Append(Type{f, SymbolType::kFunction});
  s.Append(Size{f});
  s.SwitchTo(Section::Literal16());
  s.SwitchTo(Section::NoteGnuStack());
  EXPECT_EQ(Print(syntax, s),
            "\t.text\n"
            "\t.align\t16\n"
            "\t.globl\tcaml_curry3\n"
            "caml_curry3:\n"
            "\t.cfi_startproc\n"
            "\tcall\tcaml_call_gc@PLT\n"
            "\tmovq\tcaml_curry3@GOTPCREL(%rip), %rax\n"
            "\tcmpq\t%rbx, 23(%rcx,%rsi)\n"
            "\tleaq\t-23(,%rdx,8), %rcx\n"
            "\tjmp\t*%r11\n"
            "\tmovl\t$1, %eax\n"
            "\t.cfi_adjust_cfa_offset -8\n"
            "\t.cfi_endproc\n"
            "\t.type caml_curry3,@function\n"
            "\t.size caml_curry3,. - caml_curry3\n"
            "\t.section .rodata.cst16,\"aM\",%progbits,16\n"
            "\t.section .note.GNU-stack,\"\",%progbits\n");
}

TEST(GasPrinterTest, MachOUsesLog2AlignAndDropsElfDirectives) {
  AsmSyntax syntax = Syntax("aarch64-macos");
  AsmContext ctx(syntax, ObjectFile::Startup());
  DirectiveStream s(ctx);
  s.SwitchTo(Section::Data());
  AsmSymbol* g = ctx.GetOrCreateSymbol(BackendSymbol::GlobalsMap());
  s.AlignTo(8);
  ASSERT_TRUE(s.Define(*g).ok());
  s.Append(Type{g, SymbolType::kObject});
  s.Append(Size{g});
  s.SwitchTo(Section::NoteGnuStack());
  EXPECT_EQ(Print(syntax, s), "\t.data\n\t.align\t3\n_caml_globals_map:\n");
}

TEST(GasPrinterTest, MissingRelocationIsInvalidArgument) {
  AsmSyntax syntax = Syntax("aarch64-linux");
  AsmContext ctx(syntax, ObjectFile::Startup());
  DirectiveStream s(ctx);
  s.Emit(aarch64::Insn(
      AArch64Opcode::kBl,
      {aarch64::Target(ctx.GetOrCreateSymbol(BackendSymbol::CallGc()),
                       Relocation::kPlt)}));
  EXPECT_EQ(GasPrinter(syntax).PrintAll(s.directives()).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(GasPrinterTest, AArch64Instructions) {
  for (const char* triple : {"aarch64-linux", "aarch64-macos"}) {
    AsmSyntax syntax = Syntax(triple);
    AsmContext ctx(syntax, ObjectFile::Startup());
    DirectiveStream s(ctx);
    AsmSymbol* gc = ctx.GetOrCreateSymbol(BackendSymbol::CallGc());
    AsmLabel* l = ctx.CreateLabel();
    using namespace aarch64;
    s.Emit(
        Insn(AArch64Opcode::kAdrp, {X(3), Target(gc, Relocation::kGotPage)}));
    s.Emit(Insn(AArch64Opcode::kLdr,
                {X(3), MemSymbol(3, gc, Relocation::kGotPageOffset)}));
    s.Emit(Insn(AArch64Opcode::kMovz, {X(3), Imm(247), Lsl(16)}));
    s.Emit(Insn(AArch64Opcode::kStr, {X(30), Mem(kAArch64Sp, 8)}));
    s.Emit(Insn(AArch64Opcode::kSub, {Sp(), Sp(), Imm(16)}));
    s.Emit(Insn(AArch64Opcode::kAdd, {X(21), X(20), X(23), Lsl(3)}));
    s.Emit(Insn(AArch64Opcode::kMov, {X(0), Xzr()}));
    s.Emit(Insn(AArch64Opcode::kBLo, {Target(l)}));
    s.Emit(Insn(AArch64Opcode::kBl, {Target(gc)}));
    s.Emit(Insn(AArch64Opcode::kRet));
    const bool elf = std::string_view(triple) == "aarch64-linux";
    EXPECT_EQ(
        Print(syntax, s),
        fmt::format("\tadrp\tx3, {0}\n"
                    "\tldr\tx3, [x3, #{1}]\n"
                    "\tmovz\tx3, #247, lsl #16\n"
                    "\tstr\tx30, [sp, #8]\n"
                    "\tsub\tsp, sp, #16\n"
                    "\tadd\tx21, x20, x23, lsl #3\n"
                    "\tmov\tx0, xzr\n"
                    "\tb.lo\t{2}\n"
                    "\tbl\t{3}\n"
                    "\tret\n",
                    elf ? ":got:caml_call_gc" : "_caml_call_gc@GOTPAGE",
                    elf ? ":got_lo12:caml_call_gc" : "_caml_call_gc@GOTPAGEOFF",
                    l->encoded(), elf ? "caml_call_gc" : "_caml_call_gc"));
  }
}

TEST(GasPrinterTest, DataOperands) {
  AsmSyntax syntax = Syntax("x86_64-linux");
  AsmContext ctx(syntax, ObjectFile::Startup());
  DirectiveStream s(ctx);
  s.SwitchTo(Section::Data());
  AsmLabel* a = ctx.CreateLabel();
  AsmLabel* b = ctx.CreateLabel();
  ASSERT_TRUE(s.Define(*a).ok());
  s.Append(Data{DataWidth::kLong, int64_t{-5}});
  ASSERT_TRUE(s.Define(*b).ok());
  s.Append(Data{DataWidth::kQuad, AsmDifference::Create(b, a).value()});
  s.Append(Space{0});
  s.Append(Space{3});
  s.Append(Ascii{""});
  s.Append(Comment{"x */ y"});
  EXPECT_EQ(Print(syntax, s),
            "\t.data\n.L100:\n\t.long\t-5\n.L101:\n\t.quad\t.L101-.L100\n"
            "\t.space\t3\n\t/* x * / y */\n");
}

TEST(EscapeStringLiteralTest, LikeEmitaux) {
  EXPECT_EQ(EscapeStringLiteral("ab 09"), "\"ab 09\"");
  EXPECT_EQ(EscapeStringLiteral("\"\\"), "\"\\42\\134\"");
  // A digit after an escape is escaped too; a letter ends the run.
  EXPECT_EQ(EscapeStringLiteral(std::string("\0"
                                            "1a1",
                                            4)),
            "\"\\0\\61a1\"");
  EXPECT_EQ(EscapeStringLiteral("\x84\xff"), "\"\\204\\377\"");
}

TEST(FrameTableTest, RuntimeFormat) {
  AsmSyntax syntax = Syntax("x86_64-linux");
  AsmContext ctx(syntax, ObjectFile::Startup());
  DirectiveStream s(ctx);
  s.SwitchTo(Section::Data());
  AsmLabel* call = ctx.CreateLabel();
  AsmLabel* gc = ctx.CreateLabel();
  ASSERT_TRUE(EmitFrameTable(s, {{call, 32, {0, 8}, std::nullopt},
                                 {gc, 16, {1, 3}, std::vector<int>{6}}})
                  .ok());
  EXPECT_EQ(Print(syntax, s),
            "\t.data\n\t.quad\t2\n"
            "\t.quad\t.L100\n\t.word\t32\n\t.word\t2\n\t.word\t0\n"
            "\t.word\t8\n\t.align\t8\n"
            "\t.quad\t.L101\n\t.word\t18\n\t.word\t2\n\t.word\t1\n"
            "\t.word\t3\n\t.byte\t1\n\t.byte\t4\n\t.align\t8\n");
}

TEST(FrameTableTest, Errors) {
  AsmContext ctx(Syntax("x86_64-linux"), ObjectFile::Startup());
  DirectiveStream s(ctx);
  AsmLabel* l = ctx.CreateLabel();
  EXPECT_EQ(EmitFrameTable(s, {{l, 18, {}, std::nullopt}}).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(EmitFrameTable(s, {{l, 0x10000, {}, std::nullopt}}).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(EmitFrameTable(s, {{l, 16, {-2}, std::nullopt}}).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(EmitFrameTable(s, {{l, 16, {}, std::vector<int>{1}}}).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(EmitFrameTable(s, {{l, 16, {}, std::vector<int>(256, 2)}}).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(s.directives().empty());
}

}  // namespace
}  // namespace camlsym
