// From a link plan to its startup file: the step `ocamlopt` takes at the end
// of a link. The startup is compiled as OCaml compiles it, as the
// pseudo-unit `_startup` (an executable) or `_shared_startup` (a Dynlink
// plugin) through a CompilationState, which records the generic functions
// (caml_curryN, caml_applyN, caml_sendN) the linked units need; its tables
// name the linked units' typed modules (linked_unit.h), and it carries the
// globals map (executables) or the plugin header (plugins).
//
// Mirrors: asmcomp/asmlink.ml (`make_startup_file`,
// `make_shared_startup_file`: `Compilenv.reset "_startup"`, `name_list`,
// `Cmm_helpers.generic_functions`, `globals_map`, `plugin_header`)
// (OCaml 4.13.1).
#ifndef CAMLSYM_LINKING_STATE_LINK_STARTUP_H_
#define CAMLSYM_LINKING_STATE_LINK_STARTUP_H_

#include "absl/status/statusor.h"
#include "camlsym/compilation_state/compilation_state.h"
#include "camlsym/emitters/startup.h"
#include "camlsym/linking_state/link_plan.h"
#include "camlsym/target_system/target_system.h"

namespace camlsym {

/// The compilation of \p plan's startup file as the unit `_startup`
/// (LinkMode::kExecutable) or `_shared_startup` (LinkMode::kPlugin), with
/// the generic functions its units need recorded: their `ui_curry_fun`,
/// `ui_apply_fun` and `ui_send_fun` (the plan's sets), and for an
/// executable `caml_apply2` and `caml_apply3` (cmm_helpers.ml
/// `default_apply`). The unit is compiled with \p scheme, the mangling of
/// the plan's OCaml version on the target (TargetSystem::WithOcamlVersion).
CompilationState StartupCompilation(const LinkPlan& plan,
                                    const ManglingScheme& scheme);

/// What the startup file of \p plan contains: for an executable, every
/// module the units define (asmlink.ml `name_list`), the generic functions
/// recorded by StartupCompilation() and the globals map; for a plugin, the
/// units themselves, their generic functions and the plugin header.
/// The spec carries the plan's OCaml version; \p scheme is as for
/// StartupCompilation(). Errors of MarshalGlobalsMap() and
/// MarshalPluginHeader().
absl::StatusOr<StartupSpec> MakeStartupSpec(const LinkPlan& plan,
                                            const ManglingScheme& scheme);
/// The plugin counterpart: \p plan must be a LinkMode::kPlugin plan
/// (kFailedPrecondition otherwise).
absl::StatusOr<SharedStartupSpec> MakeSharedStartupSpec(
    const LinkPlan& plan, const ManglingScheme& scheme);

/// The startup file of \p plan for \p target, in the \p forms asked for
/// (assembly text, camlsym's own object, or both, from one emission; for an
/// object file on any target, FormsForObjectFile() in
/// emitters/output_streamer.h chooses them):
/// MakeStartupSpec() or MakeSharedStartupSpec() by the plan's mode, then
/// MakeStartupFiles() or MakeSharedStartupFiles(). \p plan is not changed.
/// With \p force_link_startup (an executable's plan only), the startup also
/// refers to `caml_startup`, as ocamlopt's does for -output-complete-obj
/// (StartupSpec::force_link_startup). The startup follows the ABI of the
/// plan's OCaml version (\p target.WithOcamlVersion(plan.version));
/// kUnimplemented for a version whose startup the target's emitter does not
/// write (MakeStartupTarget); the errors of the functions named.
absl::StatusOr<OutputFiles> CompileStartup(const LinkPlan& plan,
                                           const TargetSystem& target,
                                           OutputForms forms,
                                           bool force_link_startup = false);

}  // namespace camlsym

#endif  // CAMLSYM_LINKING_STATE_LINK_STARTUP_H_
