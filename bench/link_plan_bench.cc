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
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "camlsym/linking_state/globals_map.h"
#include "camlsym/linking_state/link_plan.h"
#include "fmt/format.h"

namespace {

std::vector<std::string> g_inputs;
std::string g_stdlib;
bool g_failed = false;

void BM_ReadAndPlan(benchmark::State& state) {
  camlsym::LinkOptions opts;
  opts.stdlib_dir = g_stdlib;
  for (auto _ : state) {
    absl::StatusOr<camlsym::LinkPlan> plan = camlsym::PlanLink(g_inputs, opts);
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
  state.counters["units"] = static_cast<double>(g_inputs.size());
  state.counters["per_unit"] =
      benchmark::Counter(static_cast<double>(g_inputs.size()),
                         benchmark::Counter::kIsIterationInvariantRate |
                             benchmark::Counter::kInvert);
}

BENCHMARK(BM_ReadAndPlan)->Unit(benchmark::kMillisecond)->MinTime(1.0);

}  // namespace

int main(int argc, char** argv) {
  const char* dir = std::getenv("BENCH_UNITS_DIR");
  if (dir == nullptr || chdir(dir) != 0) {
    fmt::print(stderr, "set BENCH_UNITS_DIR (see bench/gen_units.sh)\n");
    return 2;
  }
  std::ifstream order("ORDER");
  std::string u;
  while (order >> u) g_inputs.push_back(u);
  if (g_inputs.empty()) {
    fmt::print(stderr, "{}/ORDER lists no units\n", dir);
    return 2;
  }
  FILE* p = popen("ocamlopt -where", "r");
  if (p != nullptr) {
    char buf[4096];
    size_t n = fread(buf, 1, sizeof buf, p);
    g_stdlib.assign(buf, n);
    if (pclose(p) != 0) g_stdlib.clear();
  }
  while (!g_stdlib.empty() && g_stdlib.back() == '\n') g_stdlib.pop_back();
  if (g_stdlib.empty()) {
    fmt::print(stderr, "`ocamlopt -where` failed: no host OCaml stdlib\n");
    return 2;
  }

  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  return g_failed ? 1 : 0;
}
