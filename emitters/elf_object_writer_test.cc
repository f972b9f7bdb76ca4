// The integrated assembler against GNU as: the same directive stream is
// printed for `as` and written by WriteElfObject(), and the two objects
// must have the same sections, relocations and symbols (CompareObjects).
// The stream covers every instruction form the x86-64 encoder knows, with
// all sixteen registers in each ModRM/SIB position, 8- and 32-bit
// displacements and immediates, branches that relax and branches that do
// not, and every kind of data and symbol reference the startup uses.
#include "camlsym/emitters/elf_object_writer.h"

#include <string>
#include <vector>

#include "camlsym/emitters/asm_printer.h"
#include "camlsym/emitters/x86_64/instruction_encoder.h"
#include "camlsym/symbols/backend_symbol.h"
#include "camlsym/target_system/target_system.h"
#include "camlsym/tests/object_compare.h"
#include "camlsym/tests/oracle_util.h"
#include "fmt/format.h"
#include "gtest/gtest.h"

namespace camlsym {
namespace {

using ::camlsym::testing::CompareObjects;
using ::camlsym::testing::MakeTempDir;
using ::camlsym::testing::RunShell;
using ::camlsym::testing::ShellQuote;
using ::camlsym::testing::WriteFile;

const char* const kRegs[] = {"%rax", "%rcx", "%rdx", "%rbx", "%rsp", "%rbp",
                             "%rsi", "%rdi", "%r8",  "%r9",  "%r10", "%r11",
                             "%r12", "%r13", "%r14", "%r15"};

TargetSystem X86_64() { return TargetSystem::Parse("x86_64-linux").value(); }

// Memory operands over every base and index, with the displacements that
// change the encoding (none, 0 on rbp/r13, 8-bit, 32-bit, negative).
std::vector<std::string> MemoryOperands() {
  std::vector<std::string> out;
  for (const char* base : kRegs) {
    for (const char* disp :
         {"", "8", "-8", "127", "-128", "128", "4096", "-100000"}) {
      out.push_back(fmt::format("{}({})", disp, base));
    }
  }
  for (const char* index : kRegs) {
    if (std::string_view(index) == "%rsp") continue;
    for (const char* scale : {"1", "2", "4", "8"}) {
      out.push_back(fmt::format("(%rsi,{},{})", index, scale));
      out.push_back(fmt::format("23(%r13,{},{})", index, scale));
      out.push_back(fmt::format("-23(,{},{})", index, scale));
    }
    out.push_back(fmt::format("15(%rcx,{})", index));
  }
  return out;
}

// Writes \p stream both ways and returns CompareObjects' verdict.
std::string AssembleBothWays(const DirectiveStream& stream,
                             std::string_view name) {
  const TargetSystem target = X86_64();
  absl::StatusOr<std::string> text =
      GasPrinter(target.asm_syntax()).PrintAll(stream.directives());
  if (!text.ok()) return std::string(text.status().message());
  absl::StatusOr<std::string> object = WriteElfObject(target, stream);
  if (!object.ok()) return std::string(object.status().message());
  const std::string dir = MakeTempDir(name);
  WriteFile(dir + "/in.s", *text);
  WriteFile(dir + "/ours.o", *object);
  testing::CommandResult as =
      RunShell(fmt::format("as -o {} {} 2>&1", ShellQuote(dir + "/gas.o"),
                           ShellQuote(dir + "/in.s")));
  if (as.exit_code != 0) return "as failed: " + as.out;
  return CompareObjects(dir + "/gas.o", dir + "/ours.o");
}

TEST(ElfObjectWriterTest, EveryInstructionFormEncodesAsGnuAsDoes) {
  AsmContext ctx(X86_64().asm_syntax(), ObjectFile::Startup());
  DirectiveStream s(ctx);
  s.SwitchTo(Section::Text());
  auto I = [&](std::string mnemonic, std::vector<InsnOperand> ops) {
    s.Emit(Instruction{std::move(mnemonic), std::move(ops)});
  };
  for (const char* a : kRegs) {
    for (const char* b : kRegs) {
      I("movq", {a, b});
      I("addq", {a, b});
      I("cmpq", {a, b});
      I("testq", {a, b});
    }
    for (const char* imm : {"$0", "$1", "$-1", "$127", "$-128", "$128", "$-129",
                            "$2147483647", "$-2147483648"}) {
      I("movq", {imm, a});
      for (const char* op : {"addq", "subq", "cmpq", "andq", "orq", "xorq"}) {
        I(op, {imm, a});
      }
    }
    for (const char* shift : {"sarq", "shrq", "salq"}) {
      I(shift, {"$1", a});
      I(shift, {"$56", a});
    }
    I("movabsq", {"$-9223372036854775807", a});
    I("movabsq", {"$1", a});
    I("call", {fmt::format("*{}", a)});
    I("jmp", {fmt::format("*{}", a)});
  }
  I("movl", {"$1", "%eax"});
  I("movl", {"$-5", "%r9d"});
  for (const std::string& m : MemoryOperands()) {
    I("movq", {m, "%r11"});
    I("movq", {"%rdx", m});
    I("movq", {"$7", m});
    I("cmpq", {m, "%rbx"});
    I("cmpq", {"%r9", m});
    I("addq", {"$1", m});
    I("subq", {"$1000", m});
    I("leaq", {m, "%rcx"});
  }
  // Alignment padding of every length (GNU as's nops).
  for (int n = 1; n < 16; ++n) {
    for (int i = 0; i < n; ++i) I("ret", {});
    s.AlignTo(16);
  }
  I("ret", {});
  ASSERT_EQ(AssembleBothWays(s, "encoder_forms"), "");
}

TEST(ElfObjectWriterTest, BranchesRelocationsDataAndCfi) {
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
  auto I = [&](std::string mnemonic, std::vector<InsnOperand> ops) {
    s.Emit(Instruction{std::move(mnemonic), std::move(ops)});
  };

  s.SwitchTo(Section::Text());
  s.AlignTo(16);
  s.Append(Global{curry});
  ASSERT_TRUE(s.Define(*curry).ok());
  s.Append(Type{curry, SymbolType::kFunction});
  s.Append(Cfi{CfiKind::kStartProc});
  ASSERT_TRUE(s.Define(*back).ok());
  I("subq", {"$8", "%rsp"});
  s.AdjustCfa(8);
  I("jb", {LabelOperand{near}});
  I("jne", {LabelOperand{far}});
  I("jmp", {LabelOperand{far}});
  I("call", {SymbolOperand{gc, Relocation::kPlt, ""}});
  I("call", {SymbolOperand{apply, Relocation::kPlt, ""}});
  I("jmp", {SymbolOperand{apply, Relocation::kPlt, ""}});
  I("movq", {SymbolOperand{inited, Relocation::kGotPcRel, "(%rip)"}, "%rax"});
  I("movq", {SymbolOperand{curry, Relocation::kGotPcRel, "(%rip)"}, "%rsi"});
  I("leaq", {LabelOperand{table, "(%rip)"}, "%rbx"});
  I("leaq", {LabelOperand{back, "(%rip)"}, "%rbx"});
  I("leaq", {SymbolOperand{map, Relocation::kNone, "(%rip)"}, "%rdx"});
  ASSERT_TRUE(s.Define(*near).ok());
  // Enough code that `far` is out of an 8-bit displacement's reach, and
  // `back` too from the end.
  for (int i = 0; i < 40; ++i) I("movq", {"-100000(%rbp)", "%r13"});
  s.AlignTo(16);
  ASSERT_TRUE(s.Define(*far).ok());
  I("addq", {"$8", "%rsp"});
  s.AdjustCfa(-8);
  I("ret", {});
  s.AdjustCfa(8);
  I("jl", {LabelOperand{back}});
  I("jge", {LabelOperand{far}});
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
  ASSERT_EQ(AssembleBothWays(s, "branches_relocations"), "");
}

TEST(ElfObjectWriterTest, RefusesWhatItCannotAssemble) {
  {
    AsmContext ctx(X86_64().asm_syntax(), ObjectFile::Startup());
    DirectiveStream s(ctx);
    s.SwitchTo(Section::Text());
    s.Emit(Instruction{"pushq", {"%rax"}});
    absl::StatusOr<std::string> o = WriteElfObject(X86_64(), s);
    EXPECT_EQ(o.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(o.status().message().find("pushq %rax"), std::string::npos)
        << o.status().message();
  }
  {
    AsmContext ctx(X86_64().asm_syntax(), ObjectFile::Startup());
    DirectiveStream s(ctx);
    s.SwitchTo(Section::Text());
    s.Emit(Instruction{"jmp", {LabelOperand{ctx.CreateLabel()}}});
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
    const TargetSystem arm = TargetSystem::Parse("aarch64-linux").value();
    AsmContext ctx(arm.asm_syntax(), ObjectFile::Startup());
    DirectiveStream s(ctx);
    s.SwitchTo(Section::Text());
    EXPECT_EQ(WriteElfObject(arm, s).status().code(),
              absl::StatusCode::kUnimplemented);
  }
}

TEST(X86_64EncoderTest, RefusesOperandsItCannotEncode) {
  auto code = [](std::string m, std::vector<InsnOperand> ops) {
    return EncodeX86_64Instruction(Instruction{std::move(m), std::move(ops)})
        .status()
        .code();
  };
  EXPECT_EQ(code("movq", {"%rax"}), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code("movq", {"8(%rax)", "16(%rbx)"}),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code("movq", {"%rax", "%eax"}), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code("movq", {"(%rax,%rsp,8)", "%rbx"}),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code("movq", {"(%rax,%rbx,3)", "%rbx"}),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code("movq", {"$x", "%rbx"}), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code("addq", {"$4294967296", "%rbx"}),
            absl::StatusCode::kOutOfRange);
  EXPECT_EQ(code("movq", {"4294967296(%rax)", "%rbx"}),
            absl::StatusCode::kOutOfRange);
  EXPECT_EQ(code("frobq", {"%rax", "%rbx"}),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace camlsym
