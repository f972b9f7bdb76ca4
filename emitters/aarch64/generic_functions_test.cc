#include "camlsym/emitters/aarch64/generic_functions.h"

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "camlsym/emitters/asm_printer.h"
#include "camlsym/emitters/directive.h"
#include "camlsym/emitters/startup.h"
#include "camlsym/target_system/target_system.h"
#include "camlsym/tests/oracle_util.h"
#include "fmt/format.h"
#include "gtest/gtest.h"

namespace camlsym {
namespace {

// The modules of units named \p names, none packed.
std::vector<LinkedModule> Modules(std::vector<std::string_view> names) {
  std::vector<LinkedModule> out;
  for (std::string_view n : names) {
    CompilationUnit unit = CompilationUnit::Parse(n).value();
    out.push_back(LinkedModule{unit, ObjectFile::OtherUnit(unit)});
  }
  return out;
}

StartupSpec SmallSpec() {
  StartupSpec spec;
  spec.modules = Modules({"Stdlib", "A", "Std_exit"});
  spec.curry = {-2, 3, 17};
  spec.apply = {5, 18};
  spec.send = {0, 2};
  spec.globals_map = "map";
  return spec;
}

std::string Startup(std::string_view triple) {
  absl::StatusOr<std::string> s =
      MakeStartupFile(TargetSystem::Parse(triple).value(), SmallSpec());
  EXPECT_TRUE(s.ok()) << s.status();
  return s.value_or("");
}

bool Has(const std::string& text, std::string_view what) {
  return text.find(what) != std::string::npos;
}

// Emits into a fresh stream for \p triple and keeps both alive.
struct Fixture {
  explicit Fixture(std::string_view triple, int arg_regs = 16)
      : target(TargetSystem::Parse(triple).value()),
        ctx(target.asm_syntax(), ObjectFile::Startup()),
        out(ctx),
        code(ObjectFile::Startup(), target.mangling_scheme(), arg_regs) {}
  std::string Print() {
    return GasPrinter(target.asm_syntax()).PrintAll(out.directives()).value();
  }
  TargetSystem target;
  AsmContext ctx;
  DirectiveStream out;
  AArch64StartupTarget code;
};

TEST(AArch64GenericFunctionsTest, ElfSpelling) {
  const std::string t = Startup("aarch64-linux");
  // GOT loads for addresses, plain bl for calls, no x86 spelling.
  EXPECT_TRUE(Has(t,
                  "\tadrp\tx3, :got:caml_curry3_1\n"
                  "\tldr\tx3, [x3, #:got_lo12:caml_curry3_1]\n"));
  EXPECT_TRUE(Has(t,
                  "\tadrp\tx0, :got:caml_globals_inited\n"
                  "\tldr\tx0, [x0, #:got_lo12:caml_globals_inited]\n"));
  EXPECT_TRUE(Has(t, "\tbl\tcamlStdlib__entry\n"));
  EXPECT_TRUE(Has(t, "\tbl\tcaml_call_gc\n"));
  EXPECT_FALSE(Has(t, "@PLT"));
  EXPECT_FALSE(Has(t, "%r"));
  // Allocation: young limit at [x28], young pointer in x27.
  EXPECT_TRUE(Has(t,
                  "\tldr\tx16, [x28, #0]\n\tsub\tx27, x27, #40\n"
                  "\tcmp\tx27, x16\n\tb.lo\t.L"));
  // Frames: x30 saved at the top, described by CFI.
  EXPECT_TRUE(Has(t,
                  "caml_program:\n\t.cfi_startproc\n\tsub\tsp, sp, #16\n"
                  "\t.cfi_adjust_cfa_offset 16\n\t.cfi_offset 30, -8\n"
                  "\tstr\tx30, [sp, #8]\n"));
  EXPECT_TRUE(Has(t, "\t.type caml_apply2,@function\n"));
  EXPECT_TRUE(Has(t, "\t.size caml_apply2,. - caml_apply2\n"));
  EXPECT_TRUE(Has(t, "\t.align\t3\n\t.globl\tcaml_apply2\n"));
  // arm64 makes every data symbol global, the exceptions' names included.
  EXPECT_TRUE(Has(t, "\t.globl\tcaml_startup__1\ncaml_startup__1:\n"));
  EXPECT_TRUE(Has(t, ".note.GNU-stack"));
  EXPECT_FALSE(Has(t, "caml_negf_mask"));
  // Frame descriptors' 16-bit fields: `.word` is 32 bits on AArch64.
  EXPECT_TRUE(Has(t, "\t.short\t16\n"));
  EXPECT_FALSE(Has(t, "\t.word\t"));
}

// The startup of SmallSpec() for OCaml \p v on aarch64-linux.
std::string Ocaml5Startup(formats::OcamlVersion v) {
  StartupSpec spec = SmallSpec();
  spec.ocaml_version = v;
  absl::StatusOr<std::string> s = MakeStartupFile(
      TargetSystem::Parse("aarch64-linux").value().WithOcamlVersion(v), spec);
  EXPECT_TRUE(s.ok()) << s.status();
  return s.value_or("");
}

// The lines below are those of `ocamlopt -dstartup -S` of Debian's arm64
// 5.3.0 and 5.4.1 (caml_program, caml_curry18_17, caml_send0), but for
// `b.lo`, which ocamlopt spells `bcc` (the same instruction).
TEST(AArch64GenericFunctionsTest, Ocaml53LikeOcamlopt) {
  const std::string t = Ocaml5Startup(formats::OcamlVersion::k53);
  // The stub before the symbol, falling through into the check.
  EXPECT_TRUE(Has(t,
                  "\tmov\tx16, #34\n\tstp\tx16, x30, [sp, #-16]!\n"
                  "\tbl\tcaml_call_realloc_stack\n"
                  "\tldp\tx16, x30, [sp], #16\ncaml_program:\n"
                  "\t.cfi_startproc\n\tldr\tx16, [x28, #40]\n"
                  "\tadd\tx16, x16, #328\n\tcmp\tsp, x16\n\tb.lo\t.L"));
  EXPECT_TRUE(Has(t,
                  "\tsub\tsp, sp, #16\n\t.cfi_adjust_cfa_offset 16\n"
                  "\t.cfi_offset 30, -8\n\tstr\tx30, [sp, #8]\n"));
  EXPECT_TRUE(Has(t, "\tbl\tcamlStdlib.entry\n"));
  // Assigning stores: caml_globals_inited and caml_sendN's cache.
  EXPECT_TRUE(Has(t, "\tdmb\tishld\n\tstr\tx1, [x0, #0]\n"));
  EXPECT_TRUE(Has(t, "\tdmb\tishld\n\tstr\tx22, [x2, #0]\n"));
  // Arguments 16.. of caml_curry17_16's call in the domain state.
  EXPECT_TRUE(Has(t, ", [x28, #480]\n"));
  EXPECT_FALSE(Has(t, ", [x28, #512]\n"));
  // caml_curry17 allocates but calls nothing: no check.
  EXPECT_TRUE(Has(t, "caml_curry17:\n\t.cfi_startproc\n\tsub\tsp, sp, #16\n"));
  EXPECT_TRUE(Has(t,
                  "\t.cfi_endproc\n\t.type caml_program,@function\n"
                  "\t.size caml_program,. - caml_program\n"));
  EXPECT_TRUE(Has(t,
                  "\t.type caml_startup.frametable,@object\n"
                  "\t.size caml_startup.frametable,"));
  EXPECT_TRUE(Has(t, "\t.globl\tcaml_startup.gc_roots\n"));
  EXPECT_TRUE(Has(t, "\t.quad\tcaml_system.frametable\n"));
}

TEST(AArch64GenericFunctionsTest, Ocaml54SavesX30BelowSp) {
  const std::string t = Ocaml5Startup(formats::OcamlVersion::k54);
  EXPECT_TRUE(Has(t,
                  "\tb.lo\t.L100\n\tstr\tx30, [sp, #-8]\n"
                  "\t.cfi_offset 30, -8\n\tsub\tsp, sp, #16\n"
                  "\t.cfi_adjust_cfa_offset 16\n"));
  EXPECT_TRUE(Has(t,
                  "\tadd\tsp, sp, #16\n\t.cfi_adjust_cfa_offset -16\n"
                  "\tldr\tx30, [sp, #-8]\n\tret\n"));
  EXPECT_FALSE(Has(t, "\tstr\tx30, [sp, #8]\n"));
  EXPECT_TRUE(Has(t, ", [x28, #512]\n"));
  EXPECT_FALSE(Has(t, ", [x28, #480]\n"));
}

TEST(AArch64GenericFunctionsTest, Ocaml413HasNoOcaml5Code) {
  const std::string t = Startup("aarch64-linux");
  EXPECT_FALSE(Has(t, "caml_call_realloc_stack"));
  EXPECT_FALSE(Has(t, "dmb"));
  EXPECT_FALSE(Has(t, "[x28, #4"));
  EXPECT_FALSE(Has(t, "caml_startup__gc_roots"));
}

TEST(AArch64GenericFunctionsTest, MachOSpelling) {
  const std::string t = Startup("aarch64-macos");
  EXPECT_TRUE(Has(t,
                  "\tadrp\tx3, _caml_curry3_1@GOTPAGE\n"
                  "\tldr\tx3, [x3, #_caml_curry3_1@GOTPAGEOFF]\n"));
  EXPECT_TRUE(Has(t, "\tbl\t_camlStdlib__entry\n"));
  EXPECT_TRUE(Has(t, "\tbl\t_caml_call_gc\n"));
  EXPECT_TRUE(Has(t, "\n_caml_program:\n"));
  EXPECT_TRUE(Has(t, "\tb.lo\tL"));
  EXPECT_TRUE(Has(t, "\t.globl\t_caml_startup__1\n_caml_startup__1:\n"));
  EXPECT_FALSE(Has(t, ".L"));
  EXPECT_FALSE(Has(t, ":got:"));
  EXPECT_FALSE(Has(t, ".type"));
  EXPECT_FALSE(Has(t, ".size"));
  EXPECT_FALSE(Has(t, ".note.GNU-stack"));
  // The same instructions: only the spelling differs.
  const std::string elf = Startup("aarch64-linux");
  auto count = [](const std::string& s, std::string_view w) {
    size_t n = 0;
    for (size_t p = s.find(w); p != std::string::npos; p = s.find(w, p + 1)) {
      ++n;
    }
    return n;
  };
  for (std::string_view insn : {"\tadrp\t", "\tbl\t", "\tblr\t", "\tbr\t",
                                "\tret\n", "\tb.lo\t", "\tb.ls\t"}) {
    EXPECT_EQ(count(t, insn), count(elf, insn)) << insn;
  }
}

TEST(AArch64GenericFunctionsTest, MachOPassesEightArgumentsInRegisters) {
  // proc.ml: x0..x7 on macOS, so caml_apply9 (10 arguments) needs a stack
  // area for its full application and calls instead of jumping.
  Fixture f("aarch64-macos", 8);
  ASSERT_TRUE(f.code.EmitApply(f.out, 9).ok());
  const std::vector<FrameDescriptor>& fds = f.code.frame_descriptors();
  // The full application (with a 16-byte area), then 8 one-by-one calls.
  ASSERT_EQ(fds.size(), 9u);
  EXPECT_EQ(fds[0].frame_size_bytes, 80 + 16);
  EXPECT_TRUE(fds[0].live.empty());
  EXPECT_EQ(fds[1].frame_size_bytes, 80);
  EXPECT_EQ(fds[1].live.size(), 8u);
  const std::string t = f.Print();
  // Argument 9 (incoming at [sp, #80]) to the outgoing area, past the push.
  EXPECT_TRUE(Has(t, "\tldr\tx16, [sp, #96]\n\tstr\tx16, [sp, #0]\n"));
}

TEST(AArch64GenericFunctionsTest, FrameDescriptors) {
  Fixture f("aarch64-linux");
  ASSERT_TRUE(f.code.EmitApply(f.out, 3).ok());
  const std::vector<FrameDescriptor>& fds = f.code.frame_descriptors();
  ASSERT_EQ(fds.size(), 2u);
  // Arguments 2 and 3 saved at [sp, #0] and [sp, #8] of a 32-byte frame.
  EXPECT_EQ(fds[0].frame_size_bytes, 32);
  EXPECT_EQ(fds[0].live, (std::vector<int>{0, 8}));
  EXPECT_EQ(fds[1].live, (std::vector<int>{8}));
  EXPECT_FALSE(fds[0].allocation_words.has_value());

  ASSERT_TRUE(f.code.EmitCurry(f.out, 2).ok());
  ASSERT_EQ(fds.size(), 4u);
  // caml_curry2 allocates a 4-field closure with x0, x1 live (proc.ml
  // registers 0 and 1).
  EXPECT_EQ(fds[2].frame_size_bytes, 16);
  EXPECT_EQ(fds[2].live, (std::vector<int>{1, 3}));
  EXPECT_EQ(fds[2].allocation_words, (std::vector<int>{5}));
  // caml_curry2_1 polls before its tail call.
  EXPECT_EQ(fds[3].live, (std::vector<int>{1, 3}));
  EXPECT_EQ(fds[3].allocation_words, (std::vector<int>{}));

  // caml_curry4_1_app polls with its 3 arguments and closure (x0..x3) live.
  ASSERT_TRUE(f.code.EmitCurry(f.out, 4).ok());
  bool found_app_poll = false;
  for (const FrameDescriptor& fd : fds) {
    if (fd.live == std::vector<int>{1, 3, 5, 7}) found_app_poll = true;
  }
  EXPECT_TRUE(found_app_poll);

  // caml_send0 tail-calls without a frame or a descriptor.
  const size_t before = fds.size();
  ASSERT_TRUE(f.code.EmitSend(f.out, 0).ok());
  EXPECT_EQ(fds.size(), before);
  // Every descriptor's frame is a multiple of 16 (x30 in its top word).
  for (const FrameDescriptor& fd : fds) {
    EXPECT_EQ(fd.frame_size_bytes % 16, 0);
    EXPECT_GT(fd.frame_size_bytes, 0);
  }
}

// The largest arities assemble with GNU as (no warning) into every
// function they need, each with code. That they also compute the right
// thing is shown by running them: tests/programs/32_max_arity in
// corpus_aarch64_test.
TEST(AArch64GenericFunctionsTest, LargeArities) {
  Fixture f("aarch64-linux");
  ASSERT_TRUE(f.code.EmitApply(f.out, 126).ok());
  ASSERT_TRUE(f.code.EmitCurry(f.out, 126).ok());
  ASSERT_TRUE(f.code.EmitCurry(f.out, -126).ok());
  ASSERT_TRUE(f.code.EmitSend(f.out, 125).ok());
  ASSERT_TRUE(f.code.EmitCurry(f.out, 15).ok());
  ASSERT_TRUE(f.code.EmitCurry(f.out, 16).ok());
  absl::StatusOr<std::string> text =
      GasPrinter(f.target.asm_syntax()).PrintAll(f.out.directives());
  ASSERT_TRUE(text.ok()) << text.status();

  const std::string dir = testing::MakeTempDir("aarch64_large_arities");
  ASSERT_TRUE(testing::WriteFile(dir + "/g.s", *text));
  testing::CommandResult as = testing::RunShell(fmt::format(
      "cd {} && aarch64-linux-gnu-as --fatal-warnings -o g.o g.s 2>&1",
      testing::ShellQuote(dir)));
  ASSERT_EQ(as.exit_code, 0)
      << "aarch64-linux-gnu-as (binutils-aarch64-linux-gnu, "
         "scripts/install-deps.sh) rejected the generic functions:\n"
      << as.out;
  // name -> size in bytes, of each function defined.
  testing::CommandResult nm = testing::RunShell(
      fmt::format("aarch64-linux-gnu-nm -S --defined-only {} 2>&1",
                  testing::ShellQuote(dir + "/g.o")));
  ASSERT_EQ(nm.exit_code, 0) << nm.out;
  std::map<std::string, uint64_t> sizes;
  std::istringstream lines(nm.out);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream w(line);
    std::string value, size, kind, name;
    if (w >> value >> size >> kind >> name && kind == "T") {
      sizes[name] = std::stoull(size, nullptr, 16);
    }
  }
  std::vector<std::string> wanted = {"caml_apply126",   "caml_curry126",
                                     "caml_tuplify126", "caml_send125",
                                     "caml_curry15",    "caml_curry16"};
  for (int n = 1; n < 126; ++n) {
    wanted.push_back(fmt::format("caml_curry126_{}", n));
  }
  for (const std::string& name : wanted) {
    auto it = sizes.find(name);
    ASSERT_NE(it, sizes.end()) << name << " is not defined in:\n" << nm.out;
    EXPECT_GT(it->second, 0u) << name;
  }
}

TEST(AArch64GenericFunctionsTest, Errors) {
  Fixture f("aarch64-linux");
  for (int bad : {-127, -1, 0, 1, 127}) {
    EXPECT_EQ(f.code.EmitCurry(f.out, bad).code(),
              absl::StatusCode::kInvalidArgument)
        << bad;
  }
  for (int bad : {1, 127}) {
    EXPECT_EQ(f.code.EmitApply(f.out, bad).code(),
              absl::StatusCode::kInvalidArgument)
        << bad;
  }
  for (int bad : {-1, 126}) {
    EXPECT_EQ(f.code.EmitSend(f.out, bad).code(),
              absl::StatusCode::kInvalidArgument)
        << bad;
  }
  ASSERT_TRUE(f.code.EmitApply(f.out, 2).ok());
  EXPECT_EQ(f.code.EmitApply(f.out, 2).code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_TRUE(f.code.EmitBeginAssembly(f.out).ok());
  EXPECT_TRUE(f.code.GlobalizesDataSymbols());
}

}  // namespace
}  // namespace camlsym
