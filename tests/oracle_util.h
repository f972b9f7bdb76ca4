// Support for the oracle tests: running the real OCaml tools and reading
// their outputs. Test-only.
//
// Mirrors: nothing in OCaml (test support).
#ifndef CAMLSYM_TESTS_ORACLE_UTIL_H_
#define CAMLSYM_TESTS_ORACLE_UTIL_H_

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

}  // namespace camlsym::testing

#endif  // CAMLSYM_TESTS_ORACLE_UTIL_H_
