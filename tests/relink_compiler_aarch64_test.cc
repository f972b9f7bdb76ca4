// A large, real program on AArch64: the arm64 native compiler (ocamlopt
// 4.13.1), relinked by `camlsym link --target=aarch64-linux` (with the
// startup object camlsym's integrated assembler writes) from its own
// libraries (compiler-libs: ocamlcommon.cmxa ocamloptcomp.cmxa
// optmain.cmx), compiles a small two-module program under qemu-aarch64
// (also with OCAMLRUNPARAM=s=256, so that the compiler's allocations go
// through caml_call_gc and camlsym's frame descriptors); the result runs
// correctly under qemu, and the relinked compiler writes the same assembly
// as Debian's ocamlopt.opt for it.
#include <cstdlib>

#include "camlsym/tests/corpus.h"
#include "camlsym/tests/oracle_util.h"
#include "fmt/format.h"
#include "gtest/gtest.h"

namespace camlsym::testing {
namespace {

constexpr std::string_view kQemu = "qemu-aarch64 -L /usr/aarch64-linux-gnu";

std::string Arm64Tree() {
  if (const char* c = std::getenv("CAMLSYM_CACHE"); c != nullptr && *c) {
    return std::string(c) + "/arm64-ocaml";
  }
  const char* home = std::getenv("HOME");
  return fmt::format("{}/.cache/camlsym/arm64-ocaml",
                     home != nullptr ? home : "");
}

constexpr std::string_view kShapes =
    "type shape = Circle of float | Rect of float * float\n"
    "let area = function Circle r -> 3.0 *. r *. r | Rect (w, h) -> w *. h\n"
    "class counter = object val mutable n = 0 method incr = n <- n + 1; n "
    "end\n";
constexpr std::string_view kMain =
    "let rec fib n = if n < 2 then n else fib (n - 1) + fib (n - 2)\n"
    "let add3 a b c = a + b + c\n"
    "let () =\n"
    "  let c = new Shapes.counter in\n"
    "  let p = Sys.opaque_identity add3 1 in\n"
    "  let l = List.init 1000 (fun i -> string_of_int (p i 2)) in\n"
    "  Printf.printf \"fib %d = %d\\n\" 25 (fib 25);\n"
    "  Printf.printf \"%s %d\\n\" (List.nth l 999) (List.length l);\n"
    "  Printf.printf \"%.1f %.1f\\n\" (Shapes.area (Shapes.Circle 1.0))\n"
    "    (Shapes.area (Shapes.Rect (2.0, 3.5)));\n"
    "  ignore c#incr; Printf.printf \"counter %d\\n\" c#incr\n";
constexpr std::string_view kExpected =
    "fib 25 = 75025\n1002 1000\n3.0 7.0\ncounter 2\n";

TEST(RelinkCompilerAArch64Test, RelinkedCompilerCompilesAndRuns) {
  const std::string tree = Arm64Tree();
  const std::string lib = tree + "/usr/lib/ocaml";
  ASSERT_EQ(RunShell(fmt::format("test -f {}/compiler-libs/optmain.cmx",
                                 ShellQuote(lib)))
                .exit_code,
            0)
      << "no arm64 compiler-libs under " << lib
      << " (scripts/install-deps.sh unpacks them)";
  const std::string dir = MakeTempDir("relink_compiler_aarch64");
  CommandResult link = RunShell(fmt::format(
      "cd {} && {} link --verbose --target=aarch64-linux --ocaml-stdlib={} -I "
      "{}/compiler-libs -o myocamlopt.exe ocamlcommon.cmxa ocamloptcomp.cmxa "
      "optmain.cmx 2>&1",
      ShellQuote(dir), CamlsymBinary(), ShellQuote(lib), ShellQuote(lib)));
  ASSERT_EQ(link.exit_code, 0) << link.out;
  // Its startup object was written by camlsym's AArch64 assembler.
  EXPECT_NE(link.out.find("(integrated assembler)"), std::string::npos)
      << link.out;
  ASSERT_TRUE(WriteFile(dir + "/shapes.ml", kShapes));
  ASSERT_TRUE(WriteFile(dir + "/main.ml", kMain));

  const std::string env = fmt::format("OCAMLLIB={}", ShellQuote(lib));
  for (const char* gc : {"", "OCAMLRUNPARAM=s=256"}) {
    CommandResult build = RunShell(fmt::format(
        "cd {0} && rm -f *.cm* *.o prog.exe && {1} {2} {3} ./myocamlopt.exe "
        "-S -o prog.exe shapes.ml main.ml 2>&1",
        ShellQuote(dir), gc, env, kQemu));
    ASSERT_EQ(build.exit_code, 0) << gc << "\n" << build.out;
    CommandResult run = RunShell(
        fmt::format("cd {} && {} ./prog.exe 2>&1", ShellQuote(dir), kQemu));
    EXPECT_EQ(run.exit_code, 0) << gc;
    EXPECT_EQ(run.out, kExpected) << gc;
    CommandResult run_gc =
        RunShell(fmt::format("cd {} && OCAMLRUNPARAM=s=256 {} ./prog.exe 2>&1",
                             ShellQuote(dir), kQemu));
    EXPECT_EQ(run_gc.out, kExpected) << gc;
  }
  // The relinked compiler generates what the original one does.
  const std::string ours = ReadFile(dir + "/main.s");
  ASSERT_FALSE(ours.empty());
  CommandResult ref = RunShell(fmt::format(
      "cd {0} && rm -f *.cm* main.s && {1} {2} {3}/usr/bin/ocamlopt.opt -S -c "
      "shapes.ml main.ml 2>&1",
      ShellQuote(dir), env, kQemu, ShellQuote(tree)));
  ASSERT_EQ(ref.exit_code, 0) << ref.out;
  EXPECT_EQ(ours, ReadFile(dir + "/main.s"));
  RunShell("rm -rf " + ShellQuote(dir));
}

}  // namespace
}  // namespace camlsym::testing
