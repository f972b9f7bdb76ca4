// Support for the oracle tests: running the real OCaml tools and reading
// their outputs. Test-only.
//
// Mirrors: nothing in OCaml (test support).
#ifndef CAMLSYM_TESTS_ORACLE_UTIL_H_
#define CAMLSYM_TESTS_ORACLE_UTIL_H_

#include <optional>
#include <string>
#include <string_view>

namespace camlsym::testing {

/// Output and exit status of a shell command.
struct CommandResult {
  std::string out;  ///< stdout (and stderr when merged by the command)
  int exit_code;    ///< the exit status, or -1 if it did not exit normally
};

/// Runs \p command with /bin/sh, capturing stdout.
CommandResult RunShell(const std::string& command);

/// A fresh empty directory under $TEST_TMPDIR (or /tmp) named \p name.
std::string MakeTempDir(std::string_view name);

/// Writes \p contents to \p path; false on failure.
bool WriteFile(const std::string& path, std::string_view contents);

/// The whole file \p path, or "" if unreadable.
std::string ReadFile(const std::string& path);

/// Single-quotes \p s for /bin/sh.
std::string ShellQuote(std::string_view s);

/// The bytes that the data directives right after `\p label:` in the GNU as
/// text \p asm_text assemble to (`.ascii`, `.byte`, `.space`, `.word`,
/// `.long`, `.quad` with numeric operands, little-endian), up to the first
/// other line. Empty if \p label is not defined.
std::string AsmDataAfterLabel(const std::string& asm_text,
                              std::string_view label);

/// The contents of the OCaml string emitted at \p label (its bytes less the
/// padding that ends every OCaml string block).
std::string AsmOcamlString(const std::string& asm_text, std::string_view label);

/// `ocamlopt -where` of the host compiler.
std::string HostStdlibDir();

/// The cache folder of scripts/install-deps.sh: $CAMLSYM_CACHE, or
/// ~/.cache/camlsym.
std::string CacheDir();

/// One of Debian's OCaml 5.x compilers unpacked by scripts/install-ocaml5.sh
/// under CacheDir()/ocaml5/<suite>/<arch>.
struct Ocaml5Tree {
  std::string suite;    ///< "trixie" (5.3) or "sid" (5.4).
  std::string arch;     ///< "amd64" or "arm64".
  std::string root;     ///< The unpacked tree (its sysroot).
  std::string version;  ///< `VERSION` of its oracle.env, e.g. "5.3.0".
  std::string stdlib;   ///< `STDLIB` of its oracle.env (`ocamlopt -where`).
  /// `CCOPTS` of its oracle.env: the `-ccopt` options that link against
  /// the suite's libc (the same for ocamlopt and `camlsym link`).
  std::string ccopts;
  /// Its bin/ wrapper for \p tool: "ocamlopt", "ocamlobjinfo", "run", ...
  std::string Tool(std::string_view tool) const;
};

/// The tree of \p suite and \p arch, or nullopt with \p why_missing saying
/// what is absent and how to install it.
std::optional<Ocaml5Tree> FindOcaml5Tree(std::string_view suite,
                                         std::string_view arch,
                                         std::string& why_missing);

}  // namespace camlsym::testing

#endif  // CAMLSYM_TESTS_ORACLE_UTIL_H_
