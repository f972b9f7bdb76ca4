// Emitting the startup file of a link of many small units
// (bench/gen_units.sh), in-process: the link is read and planned once, then
// each iteration makes the startup's spec (globals map included) and
// emits it as camlsym's own ELF object (BM_EmitObject) or as assembly text
// (BM_EmitAssembly). This is the emitting half of `camlsym startup`, timed
// without starting a process or reading the units, so it is not compared
// with ocamlopt: the whole-process comparison with `ocamlopt -cc true` is
// bench/startup_vs_ocamlopt.sh; the reading half is bench/link_plan_bench.
//
//   BENCH_UNITS_DIR=<dir of bench/gen_units.sh>
//   bazel-bin/bench/startup_emit_bench
//
// The host's OCaml (`ocamlopt -where`) must have compiled the units.
// Exits 1 if the units cannot be read, planned or emitted, 2 without
// BENCH_UNITS_DIR or the host stdlib.
#include <cstdio>
#include <optional>
#include <string>

#include "benchmark/benchmark.h"
#include "camlsym/bench/bench_units.h"
#include "camlsym/linking_state/link_plan.h"
#include "camlsym/linking_state/link_startup.h"
#include "camlsym/target_system/target_system.h"
#include "fmt/format.h"

namespace {

std::optional<camlsym::LinkPlan> g_plan;
bool g_failed = false;

void Emit(benchmark::State& state, camlsym::OutputForms forms) {
  if (!g_plan.has_value()) {
    state.SkipWithError("no link plan");
    return;
  }
  size_t bytes = 0;
  for (auto _ : state) {
    absl::StatusOr<camlsym::OutputFiles> files =
        camlsym::CompileStartup(*g_plan, camlsym::TargetSystem::Host(), forms);
    if (!files.ok()) {
      g_failed = true;
      state.SkipWithError(std::string(files.status().message()).c_str());
      return;
    }
    bytes = files->object.size() + files->assembly.size();
    benchmark::DoNotOptimize(files);
  }
  state.counters["units"] = static_cast<double>(g_plan->units.size());
  state.counters["bytes"] = static_cast<double>(bytes);
}

void BM_EmitObject(benchmark::State& state) { Emit(state, {.object = true}); }
void BM_EmitAssembly(benchmark::State& state) {
  Emit(state, {.assembly = true});
}

BENCHMARK(BM_EmitObject)->Unit(benchmark::kMillisecond)->MinTime(1.0);
BENCHMARK(BM_EmitAssembly)->Unit(benchmark::kMillisecond)->MinTime(1.0);

}  // namespace

int main(int argc, char** argv) {
  absl::StatusOr<camlsym::bench::BenchUnits> units =
      camlsym::bench::LoadBenchUnits();
  if (!units.ok()) {
    fmt::print(stderr, "{}\n", units.status().ToString());
    return 2;
  }
  camlsym::LinkOptions opts;
  opts.stdlib_dir = units->stdlib_dir;
  opts.check_object_files = camlsym::CheckObjectFiles::kNo;
  absl::StatusOr<camlsym::LinkPlan> plan =
      camlsym::PlanLink(units->inputs, opts);
  if (!plan.ok()) {
    fmt::print(stderr, "{}\n", plan.status().ToString());
    return 1;
  }
  g_plan = *std::move(plan);

  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  return g_failed ? 1 : 0;
}
