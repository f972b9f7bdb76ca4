// Issue proof on x86-64: OCaml's native compiler, relinked by camlsym from
// `$(ocamlopt -where)/compiler-libs` (ocamlcommon.cmxa ocamloptcomp.cmxa
// optmain.cmx; 277 units, caml_curry up to 21, caml_tuplify2..8,
// caml_send0..3, caml_apply2..17), compiles and links a program that then
// runs correctly, and its own startup file is byte-identical in its globals
// map and equal in its tables to ocamlopt's.
#include "camlsym/tests/corpus.h"
#include "camlsym/tests/oracle_util.h"
#include "fmt/format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace camlsym::testing {
namespace {

TEST(RelinkCompilerX86_64Test, RelinkedCompilerCompilesAProgram) {
  const std::string dir = MakeTempDir("relink_compiler_x86_64");
  const std::string stdlib = HostStdlibDir();
  CommandResult link = RunShell(fmt::format(
      "cd {} && {} link -I {}/compiler-libs --keep-startup=cs.startup.s -o "
      "myocamlopt.exe ocamlcommon.cmxa ocamloptcomp.cmxa optmain.cmx 2>&1",
      ShellQuote(dir), CamlsymBinary(), stdlib));
  ASSERT_EQ(link.exit_code, 0) << link.out;

  WriteFile(dir + "/hello.ml",
            "let rec fib n = if n < 2 then n else fib (n - 1) + fib (n - 2)\n"
            "let () = Printf.printf \"fib 25 = %d\\n\" (fib 25);\n"
            "  List.iter (fun s -> print_endline (String.uppercase_ascii s))\n"
            "    [\"relinked\"; \"by\"; \"camlsym\"]\n");
  CommandResult compile = RunShell(fmt::format(
      "cd {} && ./myocamlopt.exe -o hello.exe hello.ml 2>&1 && ./hello.exe",
      ShellQuote(dir)));
  ASSERT_EQ(compile.exit_code, 0) << compile.out;
  EXPECT_EQ(compile.out, "fib 25 = 75025\nRELINKED\nBY\nCAMLSYM\n");

  // The same with a tiny minor heap: every allocation of the compiler goes
  // through caml_call_gc, including those of camlsym's generic functions.
  CommandResult small = RunShell(fmt::format(
      "cd {} && OCAMLRUNPARAM=s=256 ./myocamlopt.exe -o hello2.exe hello.ml "
      "2>&1 && ./hello2.exe",
      ShellQuote(dir)));
  ASSERT_EQ(small.exit_code, 0) << small.out;
  EXPECT_EQ(small.out, compile.out);

  // Against ocamlopt's own link of the compiler.
  CommandResult ref = RunShell(fmt::format(
      "cd {} && ocamlopt -dstartup -cc true -I +compiler-libs -o ref.exe "
      "ocamlcommon.cmxa ocamloptcomp.cmxa optmain.cmx 2>&1",
      ShellQuote(dir)));
  ASSERT_EQ(ref.exit_code, 0) << ref.out;
  const std::string ref_s = ReadFile(dir + "/ref.exe.startup.s");
  const std::string our_s = ReadFile(dir + "/cs.startup.s");
  EXPECT_EQ(EntryCalls(our_s), EntryCalls(ref_s));
  EXPECT_EQ(AsmOcamlString(our_s, "caml_globals_map"),
            AsmOcamlString(ref_s, "caml_globals_map"));
  for (const char* table : {"caml_globals", "caml_data_segments",
                            "caml_code_segments", "caml_frametable"}) {
    EXPECT_EQ(QuadSymbolsAfterLabel(our_s, table),
              QuadSymbolsAfterLabel(ref_s, table))
        << table;
  }
  RunShell("rm -rf " + ShellQuote(dir));
}

}  // namespace
}  // namespace camlsym::testing
