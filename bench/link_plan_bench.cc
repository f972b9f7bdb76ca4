// Reading and planning a link of many small units (bench/gen_units.sh),
// in-process: camlsym reads every .cmx and the stdlib's .cmxa, plans the
// link (PlanLink) and computes its globals map. This is a part of what a
// link does, timed without starting a process, writing the startup file or
// assembling it, so it is not compared with ocamlopt: the whole-process
// comparison with `ocamlopt -cc true` is bench/startup_vs_ocamlopt.sh.
//
//   bench/link_plan.sh [N]   (generates the units, then runs this)
//
// Exits 1 if the units cannot be read or planned, 2 without
// BENCH_UNITS_DIR or the host stdlib.
#include <cstdio>
#include <string>

#include "benchmark/benchmark.h"
#include "camlsym/bench/bench_units.h"
#include "camlsym/linking_state/globals_map.h"
#include "camlsym/linking_state/link_plan.h"
#include "fmt/format.h"

namespace {

camlsym::bench::BenchUnits g_units;
bool g_failed = false;

void BM_ReadAndPlan(benchmark::State& state) {
  camlsym::LinkOptions opts;
  opts.stdlib_dir = g_units.stdlib_dir;
  for (auto _ : state) {
    absl::StatusOr<camlsym::LinkPlan> plan =
        camlsym::PlanLink(g_units.inputs, opts);
    if (!plan.ok()) {
      g_failed = true;
      state.SkipWithError(std::string(plan.status().message()).c_str());
      return;
    }
    absl::StatusOr<std::string> map = camlsym::MarshalGlobalsMap(*plan);
    if (!map.ok()) {
      g_failed = true;
      state.SkipWithError(std::string(map.status().message()).c_str());
      return;
    }
    benchmark::DoNotOptimize(map);
  }
  state.counters["units"] = static_cast<double>(g_units.inputs.size());
  state.counters["per_unit"] =
      benchmark::Counter(static_cast<double>(g_units.inputs.size()),
                         benchmark::Counter::kIsIterationInvariantRate |
                             benchmark::Counter::kInvert);
}

BENCHMARK(BM_ReadAndPlan)->Unit(benchmark::kMillisecond)->MinTime(1.0);

}  // namespace

int main(int argc, char** argv) {
  absl::StatusOr<camlsym::bench::BenchUnits> units =
      camlsym::bench::LoadBenchUnits();
  if (!units.ok()) {
    fmt::print(stderr, "{}\n", units.status().ToString());
    return 2;
  }
  g_units = *std::move(units);

  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  return g_failed ? 1 : 0;
}
