// The link driver: from .cmx/.cmxa/.o/.a inputs to a startup file, and from
// there to an executable, as `ocamlopt -o` does, or to a Dynlink plugin
// (.cmxs), as `ocamlopt -shared -o` does. It plans the link
// (linking_state/), compiles its startup file (linking_state/link_startup.h),
// assembles it (camlsym's own assembler, or the target's) and runs the
// target's C compiler on everything, in ocamlopt's order.
//
// Output files are written to a temporary name in the same directory and
// renamed on success (tools/output_file.h), so a failure or an interruption
// never leaves a partial file behind nor changes an existing output, and an
// output that is one of the link's inputs is refused before anything runs.
// The C compiler and linker commands are those of the OCaml installation
// (tools/ocaml_config.h), unless -cc names another.
//
// Mirrors: asmcomp/asmlink.ml `link`, `make_startup_file`, `link_shared`
// and `make_shared_startup_file`,
// utils/ccomp.ml `call_linker` (OCaml 4.13.1).
#ifndef CAMLSYM_TOOLS_LINK_DRIVER_H_
#define CAMLSYM_TOOLS_LINK_DRIVER_H_

#include <cstddef>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "camlsym/linking_state/link_plan.h"
#include "camlsym/target_system/target_system.h"
#include "camlsym/tools/linker_choice.h"

namespace camlsym {

/// `-output-obj` and `-output-complete-obj`: a relocatable object to embed
/// OCaml in a C program, instead of an executable (asmlink.ml
/// `call_linker`, Ccomp.Partial); with an output named `.so`, a shared
/// object instead (Ccomp.MainDll: MKMAINDLL, with the C objects, the runtime
/// library and the C libraries, as for an executable; `-runtime-variant
/// _pic` for a runtime built to be position-independent).
enum class ObjectOutput {
  kNone,    ///< An executable or a plugin.
  kObject,  ///< -output-obj: the OCaml units and the startup.
  /// -output-complete-obj: also the C objects and the runtime library.
  kCompleteObject,
};

/// What to link and how.
struct LinkRequest {
  TargetSystem target = TargetSystem::Host();
  LinkOptions options;
  /// Inputs in command-line order: .cmx, .cmxa, .o, .a, .so, and -cclib
  /// words (`-lfoo`).
  std::vector<std::string> inputs;
  /// The file to write (executable, or startup assembly for WriteStartup,
  /// where "-" is standard output).
  std::string output;
  ObjectOutput object_output = ObjectOutput::kNone;
  /// Where to keep a copy of the startup assembly, if anywhere.
  std::optional<std::string> keep_startup;
  /// Assembler; empty means the target's default.
  std::string assembler;
  /// C compiler and linker command with its arguments (`-cc`); empty means
  /// the installation's (Makefile.config's MKEXE, MKDLL, PACKLD).
  std::vector<std::string> c_compiler;
  /// `-ccopt` words, in command-line order (before the libraries' own).
  std::vector<std::string> ccopts;
  /// The system linker the C compiler runs (`--ld=`); nullopt: mold or
  /// lld by the number of files, if installed, else the C compiler's
  /// default (LinkerChoice::Choose).
  /// Not used for -output-obj's partial link.
  std::optional<LinkerName> linker;
  /// Print each command before running it (`+ cmd`, as ocamlopt -verbose).
  bool verbose = false;
  /// Assemble the startup with camlsym's own ELF writer where it writes
  /// objects for the target (x86-64 and AArch64 ELF) and no assembler was
  /// named (FormsForObjectFile, emitters/output_streamer.h); false runs the
  /// target's assembler.
  bool integrated_assembler = true;
};

/// `camlsym startup`: plans the link (without checking that the units'
/// object files exist, which the startup file does not need) and writes its
/// startup assembly to \p request.output (standard output for "-"), or,
/// when that name ends in `.o`, the startup object assembled by camlsym
/// (x86-64 and AArch64 ELF), `0666 & ~umask`, both through CompileStartup()
/// (linking_state/link_startup.h). Errors of PlanLink and CompileStartup;
/// kInvalidArgument if the output is one of the inputs; kInternal /
/// kPermissionDenied if the file cannot be written.
absl::Status WriteStartup(const LinkRequest& request);

/// The fewest files worth a response file: the C compiler driver spends
/// about 5.5 us of CPU on each file named on its command line (gcc 12, 2000
/// unit objects: 11 ms), and none on those it passes to the linker in a
/// response file (`-Wl,@FILE`), which costs one small write.
inline constexpr size_t kResponseFileMinimum = 100;

/// The longest run of consecutive arguments of \p argv from index \p begin
/// that a response file can carry in their place: object files and
/// archives (names ending in `.o` or `.a`, not starting with `-`) whose
/// names have no blank, quote, backslash or comma, so that every reader of
/// response files (GCC's collect2, GNU ld, gold, lld, mold) splits the file
/// into the same names. Returns the half-open range of indices [first,
/// last), empty (first == last) if there is none.
std::pair<size_t, size_t> ResponseFileRun(const std::vector<std::string>& argv,
                                          size_t begin);

/// `camlsym link`: plans, writes and assembles the startup (with the
/// integrated assembler unless \p request says otherwise), then links
/// \p request.output with the C compiler: an executable, or for
/// LinkMode::kPlugin a shared object (`gcc -shared ... -o p.cmxs -L...
/// startup.o <objects reversed> <C objects>`, no runtime library), or for
/// ObjectOutput a relocatable object (`ld -r`), or with a `.so` output a
/// shared object (MKMAINDLL). Executables, plugins and shared objects get
/// `0777 & ~umask`, objects `0666 & ~umask`. Errors, before any tool runs:
/// kInvalidArgument if the output or the kept startup is one of the inputs
/// (same device and inode), or both are one file; kFailedPrecondition if an
/// object or archive member was built for another machine than the target
/// (CheckElfMachine). The files linked go to the C compiler in their order;
/// from kResponseFileMinimum in one ResponseFileRun, in a response file
/// given as `-Wl,@FILE` at their place. kInternal naming the tool and its
/// exit status if the
/// assembler or linker fails (their own messages go to stderr as they print
/// them); errors of WriteStartup and ReadCToolchainConfig.
absl::Status Link(const LinkRequest& request, std::FILE* log);

/// The default OCaml standard library directory for \p target: for the
/// host, $OCAMLLIB or $CAMLLIB if set (as ocamlopt honours them), else
/// what `ocamlopt -where` prints, read from the installation beside the
/// ocamlopt on PATH (StdlibDirBesideOcamlopt) or else from running it; for
/// AArch64 Linux, Debian's arm64 tree unpacked by
/// scripts/install-deps.sh under $CAMLSYM_CACHE (default
/// ~/.cache/camlsym). kNotFound if there is none.
absl::StatusOr<std::string> DefaultStdlibDir(const TargetSystem& target);

}  // namespace camlsym

#endif  // CAMLSYM_TOOLS_LINK_DRIVER_H_
