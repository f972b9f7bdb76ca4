// The C toolchain of an OCaml installation: how its ocamlopt links
// executables, plugins and objects. ocamlopt takes these from its Config
// module (`Config.mkexe`, `Config.mkdll`, `Config.native_c_libraries`,
// `Config.native_pack_linker`), which the build generated from the
// `Makefile.config` it installs beside the standard library; camlsym reads
// that file, so that each compiler's own flags are used (Debian's
// hardening flags `-Wl,-z,relro -Wl,-z,now` and CFLAGS included).
//
// Makefile.config is make syntax: `NAME=value` and `NAME?=value`
// definitions, `$(NAME)` references and, in MKEXE, `$(filter-out ...)`.
// Only that subset is evaluated.
//
// Mirrors: utils/config.mlp (`mkexe`, `mkdll`, `mkmaindll`,
// `native_c_libraries`, `native_pack_linker`), Makefile.config.in
// (OCaml 4.13.1 and 5.x).
#ifndef CAMLSYM_TOOLS_OCAML_CONFIG_H_
#define CAMLSYM_TOOLS_OCAML_CONFIG_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace camlsym {

/// The C toolchain commands of one OCaml installation, each split into
/// words.
struct CToolchainConfig {
  std::vector<std::string> mkexe;      ///< Links executables (MKEXE).
  std::vector<std::string> mkdll;      ///< Links plugins (MKDLL).
  std::vector<std::string> mkmaindll;  ///< Links -output-obj .so (MKMAINDLL).
  /// Partial links for -output-obj, ending in `-o` (PACKLD).
  std::vector<std::string> pack_linker;
  /// C libraries after the runtime (NATIVECCLIBS, e.g. `-lm`).
  std::vector<std::string> native_c_libraries;
};

/// Splits a command given as one argument (`-cc "gcc -static"`, `-ccopt
/// "-L a -lb"`) into words at blanks, as the shell that ocamlopt hands it
/// to does for a command without quotes.
std::vector<std::string> SplitWords(std::string_view s);

/// Evaluates the make variable \p name of \p makefile_text (the contents of
/// a Makefile.config). kNotFound if it is not defined; kInvalidArgument for
/// make syntax outside the subset above.
absl::StatusOr<std::string> EvaluateMakeVariable(std::string_view makefile_text,
                                                 std::string_view name);

/// Reads \p stdlib_dir/Makefile.config. Where the file does not define
/// OC_LDFLAGS (OCaml 5.x keeps it in the uninstalled Makefile.build_config),
/// it is taken as NATDYNLINKOPTS, the flags configure adds to both on ELF
/// systems (`-Wl,-E`), so that MKEXE is the compiler's Config.mkexe. kNotFound
/// naming the file if it is absent or lacks MKEXE, MKDLL, NATIVECCLIBS or
/// PACKLD; errors of EvaluateMakeVariable naming the file.
absl::StatusOr<CToolchainConfig> ReadCToolchainConfig(
    const std::string& stdlib_dir);

/// The standard library directory of the installation of \p ocamlopt (a
/// path to the program, as found on PATH), known without running it, as
/// `ocamlopt -where` prints it when OCAMLLIB and CAMLLIB are unset: its
/// Config.standard_library, the LIBDIR the build was configured with
/// (utils/config.mlp `standard_library_default`). The installation is
/// looked for beside the program, in DIR/../lib/ocaml for \p ocamlopt in
/// DIR (the layout of Debian, opam and a default `./configure`), and is
/// taken only if its Makefile.config says so itself: its BINDIR is DIR
/// and its LIBDIR that directory, both compared with symbolic links
/// resolved. Returns that LIBDIR as written; nullopt if the installation
/// is elsewhere or its Makefile.config unreadable (then run `ocamlopt
/// -where`).
std::optional<std::string> StdlibDirBesideOcamlopt(const std::string& ocamlopt);

}  // namespace camlsym

#endif  // CAMLSYM_TOOLS_OCAML_CONFIG_H_
