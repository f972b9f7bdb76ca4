// The program corpus (tests/programs/) built and linked twice, once by
// ocamlopt and once by camlsym, for one target. Test-only.
//
// Each program is compiled with the target's real `ocamlopt -g -c` in the
// order of its ORDER file, linked by `ocamlopt -dstartup` (which keeps its
// startup assembly) and by `camlsym link --keep-startup`, and both
// executables are run normally and with OCAMLRUNPARAM=s=256 (a tiny minor
// heap that sends allocations through caml_call_gc).
//
// Mirrors: nothing in OCaml (test support).
#ifndef CAMLSYM_TESTS_CORPUS_H_
#define CAMLSYM_TESTS_CORPUS_H_

#include <string>
#include <string_view>
#include <vector>

namespace camlsym::testing {

/// How to build and run for one target.
struct Toolchain {
  /// The ocamlopt command, e.g. `ocamlopt` or
  /// `OCAMLLIB=... qemu-aarch64 -L ... .../ocamlopt.opt`.
  std::string ocamlopt;
  /// Prefix to run a built executable (empty natively, `qemu-aarch64 -L
  /// /usr/aarch64-linux-gnu` for AArch64).
  std::string run_prefix;
  /// Extra arguments for `camlsym link` (`--target=...`,
  /// `--ocaml-stdlib=...`).
  std::string camlsym_args;
  /// Extra arguments for `camlsym link` only (`-ccopt ...`, which `camlsym
  /// startup` refuses).
  std::string camlsym_link_args;
  /// nm for the target's objects.
  std::string nm = "nm";
  /// Assembler for the target (to assemble both startup files).
  std::string assembler;
  /// Whether `camlsym link` assembles the startup itself on this target
  /// (x86-64 and AArch64 ELF): then its `camlsym startup -o x.o` object,
  /// and the shared (plugin) startup object of the same units, are also
  /// compared with what \p assembler makes of the startup text.
  bool integrated_assembler = false;
};

/// One run of one executable.
struct RunResult {
  std::string out, err;
  int exit_code;
};

/// The path of the camlsym binary in the test's runfiles.
std::string CamlsymBinary();
/// The corpus folder in the test's runfiles.
std::string CorpusDir();
/// The corpus's program names (folders `NN_name` found in CorpusDir()),
/// sorted.
std::vector<std::string> CorpusPrograms();
/// Every folder of tests/programs/ in the source tree, sorted, as listed by
/// //tests:program_list (a test depending on it has it in its runfiles);
/// empty if the list is missing. A corpus test must have run each.
std::vector<std::string> ExpectedCorpusPrograms();

/// Copies program \p name into \p work_dir and compiles its modules.
/// Returns "" or the compiler's output on failure.
std::string CompileProgram(const Toolchain& tc, const std::string& name,
                           const std::string& work_dir);

/// The .cmx files of program \p name in link order, with its LIBS first.
std::string LinkArguments(const std::string& name);

/// The cache folder of the oracle tests: $CAMLSYM_CACHE, else
/// ~/.cache/camlsym.
std::string CacheRoot();

/// Fills \p work_dir with program \p name compiled by \p tc's ocamlopt and
/// linked by it with `-g -dstartup` (ref.exe, ref.exe.startup.s). Returns ""
/// or the compiler's output.
std::string CompileAndLinkReference(const Toolchain& tc,
                                    const std::string& name,
                                    const std::string& work_dir);

/// CompileAndLinkReference(), its result copied
/// from the cache when an earlier run left it there: compiling under qemu
/// is slow. The cache is CacheRoot()/corpus-arm64/<hash>/, the hash of the
/// program's sources and \p cache_key (name the compiler and its version;
/// change it to invalidate), outside the repository, published atomically.
/// Returns "" or the error.
std::string CachedCompileAndLinkReference(const Toolchain& tc,
                                          const std::string& name,
                                          const std::string& work_dir,
                                          std::string_view cache_key);

/// Runs \p exe (in \p work_dir) with \p env prepended (e.g.
/// `OCAMLRUNPARAM=s=256`), capturing stdout, stderr and exit code.
RunResult RunProgram(const Toolchain& tc, const std::string& work_dir,
                     const std::string& exe, const std::string& env);

/// The symbols referenced by the `.quad` directives that follow \p label
/// in \p asm_text, in order (a table such as caml_globals).
std::vector<std::string> QuadSymbolsAfterLabel(const std::string& asm_text,
                                               const std::string& label);

/// The `caml<Unit>__entry` (5.x: `caml<Unit>.entry`) symbols called in
/// \p asm_text, in order.
std::vector<std::string> EntryCalls(const std::string& asm_text);

/// Links program \p name, already compiled in \p dir and linked there by
/// the target's ocamlopt as `ref.exe` (with `-dstartup`), with `camlsym
/// link --keep-startup=cs.startup.s -o cs.exe`, and checks with gtest
/// expectations that both executables behave identically (stdout, stderr,
/// exit status; normally and with OCAMLRUNPARAM=s=256), and that the two
/// startup files call the same entries in the same order, list the same
/// symbols in caml_globals, the segment tables and caml_frametable, hold the
/// same caml_globals_map bytes and define the same global symbols; and, with
/// Toolchain::integrated_assembler, that camlsym's own startup object and
/// shared startup object equal the assembler's (CompareObjects).
void ExpectLinksLikeOcamlopt(const Toolchain& tc, const std::string& name,
                             const std::string& dir);

/// Global defined symbols of an object file, sorted.
std::vector<std::string> GlobalSymbols(const Toolchain& tc,
                                       const std::string& object);

}  // namespace camlsym::testing

#endif  // CAMLSYM_TESTS_CORPUS_H_
