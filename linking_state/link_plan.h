// The plan of one link, decided exactly as the ocamlopt of the inputs' OCaml
// version (4.13, 5.1 to 5.4) decides it: which
// compilation units are linked and in which order they are initialised,
// which interfaces and implementations they must agree on, which generic
// functions the startup file must provide, and which objects and options go
// to the system linker, in ocamlopt's order.
//
// Mirrors: asmcomp/asmlink.ml of OCaml 4.13.1 (`read_file`, `scan_file`,
// `check_consistency`, `extract_crc_interfaces`, `object_file_name_of_file`,
// `call_linker`, `link`, `link_shared`), utils/consistbl.ml (`extract`),
// asmcomp/cmm_helpers.ml (`generic_functions`, `default_apply`) and
// utils/ccomp.ml (`call_linker`: `-L` paths, options, files); for 5.x the
// same asmlink.ml functions at 5.1.0, 5.2.0 and 5.3.0 (with
// utils/linkdeps.ml, linking_state/linkdeps.h).
#ifndef CAMLSYM_LINKING_STATE_LINK_PLAN_H_
#define CAMLSYM_LINKING_STATE_LINK_PLAN_H_

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "camlsym/formats/cmx.h"
#include "camlsym/formats/ocaml_version.h"
#include "camlsym/linking_state/linked_unit.h"

namespace camlsym {

/// What the link produces.
enum class LinkMode {
  /// An executable: `stdlib.cmxa` first and `std_exit.cmx` last, unresolved
  /// imports are errors, the startup file provides caml_apply2/3 always.
  kExecutable,
  /// A Dynlink plugin (`ocamlopt -shared`): the inputs alone.
  kPlugin,
};

/// Whether every unit of a .cmxa is linked (`-linkall`).
enum class LinkAll { kNo, kYes };

/// Whether PlanLink checks that each .cmx has its .o and each .cmxa its .a.
/// A link needs them; writing only the startup file does not.
enum class CheckObjectFiles { kYes, kNo };

/// Whether the libraries' C objects and options (lib_ccobjs, lib_ccopts)
/// go to the linker (`-noautolink` says no; asmlink.ml `add_ccobjs`).
enum class AutoLink { kYes, kNo };

/// Whether an executable's units end with std_exit.cmx. `-output-obj` and
/// `-output-complete-obj` omit it (asmlink.ml `link` with
/// Clflags.output_c_object): the C program that embeds OCaml ends it.
enum class StdExit { kLinked, kOmitted };

/// Options of one link.
struct LinkOptions {
  LinkMode mode = LinkMode::kExecutable;
  LinkAll link_all = LinkAll::kNo;
  AutoLink auto_link = AutoLink::kYes;
  StdExit std_exit = StdExit::kLinked;
  /// `-runtime-variant`: the runtime library is libasmrun<variant>.a
  /// ("" normal, "d" debug, "i" instrumented; asmlink.ml `runtime_lib`).
  std::string runtime_variant;
  /// The OCaml standard library directory (`ocamlopt -where`): holds
  /// stdlib.cmxa, std_exit.cmx and libasmrun.a.
  std::string stdlib_dir;
  /// `-I` directories, searched after the current directory and before
  /// \p stdlib_dir for inputs named without a directory.
  std::vector<std::string> include_dirs;
  CheckObjectFiles check_object_files = CheckObjectFiles::kYes;
};

/// One linked compilation unit: its typed form, for everything that names
/// its symbols, and the record as read, for what re-marshals its strings
/// (the globals map and the plugin header, whose bytes depend on which
/// strings were one object in the file).
struct PlannedUnit {
  /// The unit, its object file and the modules it defines, typed once from
  /// \p info (TypeUnitInfos()).
  LinkedUnit linked;
  /// The unit's record, as the .cmx or .cmxa holds it.
  formats::UnitInfos info;
  /// The unit's implementation CRC (the MD5 of its .cmx).
  formats::Digest crc{};
  /// The .cmx or .cmxa it comes from, as found on the load path.
  std::string file;
  /// Which file \p file was when it was read (nullopt when the unit was not
  /// read from a file): for comparing outputs with it without a stat.
  std::optional<formats::FileIdentity> file_identity = std::nullopt;
  /// Which string objects of \p file's Marshal data \p info's strings are
  /// (empty vectors when the unit was not read from a file). Those of a
  /// .cmx's import lists are recorded for plugins only (LinkMode::kPlugin:
  /// its header marshals them); an executable's plan leaves them empty.
  formats::UnitInfosNodes nodes = {};
};

/// An interface of the link and the CRC the units agree on (nullopt when
/// no unit needed its CRC).
struct InterfaceCrc {
  std::string name;
  std::optional<formats::Digest> crc;
};

/// The plan of one link.
struct LinkPlan {
  LinkMode mode;
  /// The OCaml release of every input (the link's ABI).
  formats::OcamlVersion version = formats::OcamlVersion::k413;
  /// Linked units, in initialisation (link) order.
  std::vector<PlannedUnit> units;
  /// Every imported interface with its CRC, in the order of consistbl.ml's
  /// `extract` (reverse alphabetical), as asmlink.ml hands it to
  /// `make_globals_map`.
  std::vector<InterfaceCrc> crc_interfaces;
  /// Generic functions the startup file must define: curry arities
  /// (negative = tuplify), apply and send arities. For executables apply
  /// includes 2 and 3 (cmm_helpers.ml `default_apply`).
  std::set<int> curry_functions, apply_functions, send_functions;
  /// `-L` directories for the system linker (load path order).
  std::vector<std::string> library_dirs;
  /// C linker options (`lib_ccopts` of the libraries), command-line order.
  std::vector<std::string> ccopts;
  /// What follows the startup object on the linker's command line, in
  /// ocamlopt's order: the units' objects and libraries reversed (so
  /// std_exit.o first, stdlib.a last), then the libraries' C objects and
  /// `-l` options, then the C objects given as inputs.
  std::vector<std::string> linker_inputs;
  /// How many of \p linker_inputs, from the first, are the units' objects
  /// and libraries (the rest are C objects and options: what -output-obj
  /// leaves out).
  size_t unit_objects = 0;
  /// `libasmrun<variant>.a` for executables; empty for plugins.
  std::string runtime_lib;
};

/// Plans the link of \p inputs (`.cmx`, `.cmxa`, `.o`, `.a`, `.so`, in
/// command-line order) with \p options. An input starting with `-` (a
/// `-cclib` word such as `-lfoo`) is a C library option: it goes to the
/// linker in its place among the C objects, unchecked.
/// Errors, each naming the files involved, with ocamlopt's meaning:
/// - kNotFound: an input (or stdlib.cmxa / std_exit.cmx / libasmrun.a) is
///   not on the load path; with CheckObjectFiles::kYes, a .cmx whose .o is
///   absent or a .cmxa with units whose .a is absent.
/// - kInvalidArgument: an input of another kind; errors of ReadCmx /
///   ReadCmxa (corrupt file, wrong magic, other OCaml version) are passed on.
/// - kFailedPrecondition: inputs from two OCaml versions (the message names
///   the first file and the first of another version, with theirs);
///   "Files a.cmx and b.cmx make inconsistent assumptions over
///   interface/implementation M"; a unit compiled without access to the
///   .cmx of a packed unit (`-for-pack`). Before 5.3: "No implementations
///   provided for the following modules" (executables); "Files a.cmx and
///   b.cmx both define a module named M". From 5.3, linkdeps.ml's errors
///   (Linkdeps::Check): duplicated implementations, wrong link order, and
///   for executables "No implementation provided for the following
///   modules".
/// - kInvalidArgument from TypeUnitInfos(): a linked unit whose symbol,
///   for-pack prefix or defines are not those of an OCaml unit.
absl::StatusOr<LinkPlan> PlanLink(const std::vector<std::string>& inputs,
                                  const LinkOptions& options);

/// Finds \p name as ocamlopt's Load_path does: a name with a directory part
/// as is; otherwise in the current directory, then \p include_dirs, then
/// \p stdlib_dir. kNotFound ("Cannot find file NAME") if absent.
absl::StatusOr<std::string> FindOnLoadPath(
    const std::string& name, const std::vector<std::string>& include_dirs,
    const std::string& stdlib_dir);

}  // namespace camlsym

#endif  // CAMLSYM_LINKING_STATE_LINK_PLAN_H_
