#include "camlsym/linking_state/link_startup.h"

#include "camlsym/linking_state/globals_map.h"
#include "camlsym/linking_state/plugin_header.h"
#include "fmt/format.h"

namespace camlsym {

CompilationState StartupCompilation(const LinkPlan& plan,
                                    const ManglingScheme& scheme) {
  CompilationState state = plan.mode == LinkMode::kPlugin
                               ? CompilationState::ForSharedStartup(scheme)
                               : CompilationState::ForStartup(scheme);
  for (int arity : plan.curry_functions) state.NeedCurryFunction(arity);
  for (int arity : plan.apply_functions) state.NeedApplyFunction(arity);
  for (int arity : plan.send_functions) state.NeedSendFunction(arity);
  if (plan.mode == LinkMode::kExecutable) {
    // cmm_helpers.ml default_apply.
    state.NeedApplyFunction(2);
    state.NeedApplyFunction(3);
  }
  return state;
}

absl::StatusOr<StartupSpec> MakeStartupSpec(const LinkPlan& plan,
                                            const ManglingScheme& scheme) {
  if (plan.mode != LinkMode::kExecutable) {
    return absl::FailedPreconditionError(
        "the startup file of an executable needs an executable's link plan");
  }
  absl::StatusOr<std::string> map = MarshalGlobalsMap(plan);
  if (!map.ok()) return map.status();
  const CompilationState state = StartupCompilation(plan, scheme);
  StartupSpec spec;
  spec.ocaml_version = plan.version;
  size_t modules = 0;
  for (const PlannedUnit& u : plan.units) modules += u.linked.defines.size();
  spec.modules.reserve(modules);
  for (const PlannedUnit& u : plan.units) {
    spec.modules.insert(spec.modules.end(), u.linked.defines.begin(),
                        u.linked.defines.end());
  }
  spec.curry = state.curry_functions();
  spec.apply = state.apply_functions();
  spec.send = state.send_functions();
  spec.globals_map = *std::move(map);
  return spec;
}

absl::StatusOr<SharedStartupSpec> MakeSharedStartupSpec(
    const LinkPlan& plan, const ManglingScheme& scheme) {
  if (plan.mode != LinkMode::kPlugin) {
    return absl::FailedPreconditionError(
        "the shared startup file of a plugin needs a plugin's link plan");
  }
  absl::StatusOr<std::string> header =
      MarshalPluginHeader(plan.units, plan.version);
  if (!header.ok()) return header.status();
  const CompilationState state = StartupCompilation(plan, scheme);
  SharedStartupSpec spec;
  spec.ocaml_version = plan.version;
  spec.units.reserve(plan.units.size());
  // asmlink.ml make_shared_startup_file: caml_globals lists ui_symbol, the
  // unit itself, not its ui_defines.
  for (const PlannedUnit& u : plan.units) {
    spec.units.push_back(u.linked.defines.back());
  }
  spec.curry = state.curry_functions();
  spec.apply = state.apply_functions();
  spec.send = state.send_functions();
  spec.plugin_header = *std::move(header);
  return spec;
}

absl::StatusOr<OutputFiles> CompileStartup(const LinkPlan& plan,
                                           const TargetSystem& target,
                                           OutputForms forms,
                                           bool force_link_startup) {
  // The ABI of the startup is the inputs' (the plan's); MakeStartupTarget
  // refuses the versions a target's emitter does not write.
  const TargetSystem abi = target.WithOcamlVersion(plan.version);
  if (plan.mode == LinkMode::kPlugin) {
    absl::StatusOr<SharedStartupSpec> spec =
        MakeSharedStartupSpec(plan, abi.mangling_scheme());
    if (!spec.ok()) return spec.status();
    return MakeSharedStartupFiles(abi, *spec, forms);
  }
  absl::StatusOr<StartupSpec> spec =
      MakeStartupSpec(plan, abi.mangling_scheme());
  if (!spec.ok()) return spec.status();
  spec->force_link_startup = force_link_startup;
  return MakeStartupFiles(abi, *spec, forms);
}

}  // namespace camlsym
