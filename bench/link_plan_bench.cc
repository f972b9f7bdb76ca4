// Reading and planning a link of many small units (bench/gen_units.sh),
// timed beside `ocamlopt -cc true` on the same link in the same run.
//
//   bench/link_plan_vs_ocamlopt.sh   (generates the units, then runs this)
//
// BM_ReadAndPlan: camlsym reads every .cmx and the stdlib's .cmxa and plans
// the link (PlanLink) and computes its globals map. BM_OcamloptCcTrue:
// ocamlopt reads, plans, generates and assembles its startup file, and runs
// `true` instead of the system linker. The ratio is printed at the end; the
// issue's target is at least 10.
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "benchmark/benchmark.h"
#include "camlsym/linking_state/globals_map.h"
#include "camlsym/linking_state/link_plan.h"
#include "fmt/format.h"

namespace {

std::vector<std::string> g_inputs;
std::string g_stdlib;
double g_plan_seconds = 0, g_ocamlopt_seconds = 0;

void BM_ReadAndPlan(benchmark::State& state) {
  camlsym::LinkOptions opts;
  opts.stdlib_dir = g_stdlib;
  for (auto _ : state) {
    absl::StatusOr<camlsym::LinkPlan> plan = camlsym::PlanLink(g_inputs, opts);
    if (!plan.ok()) {
      state.SkipWithError(std::string(plan.status().message()).c_str());
      return;
    }
    absl::StatusOr<std::string> map = camlsym::MarshalGlobalsMap(*plan);
    benchmark::DoNotOptimize(map);
  }
  state.counters["units"] = static_cast<double>(g_inputs.size());
}

void BM_OcamloptCcTrue(benchmark::State& state) {
  std::string cmd = "ocamlopt -cc true -o /tmp/camlsym_bench_x.exe";
  for (const std::string& i : g_inputs) cmd += " " + i;
  for (auto _ : state) {
    if (std::system(cmd.c_str()) != 0) {
      state.SkipWithError("ocamlopt failed");
      return;
    }
  }
}

BENCHMARK(BM_ReadAndPlan)->Unit(benchmark::kMillisecond)->MinTime(1.0);
BENCHMARK(BM_OcamloptCcTrue)->Unit(benchmark::kMillisecond)->Iterations(3);

// Records each benchmark's mean real time per iteration.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& r : runs) {
      double s = r.GetAdjustedRealTime() / 1e3;  // milliseconds -> seconds
      if (r.benchmark_name().find("ReadAndPlan") != std::string::npos) {
        g_plan_seconds = s;
      } else {
        g_ocamlopt_seconds = s;
      }
    }
    ConsoleReporter::ReportRuns(runs);
  }
};

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
  FILE* p = popen("ocamlopt -where", "r");
  char buf[4096];
  size_t n = fread(buf, 1, sizeof buf, p);
  pclose(p);
  g_stdlib.assign(buf, n);
  while (!g_stdlib.empty() && g_stdlib.back() == '\n') g_stdlib.pop_back();

  benchmark::Initialize(&argc, argv);
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  if (g_plan_seconds > 0 && g_ocamlopt_seconds > 0) {
    double ratio = g_ocamlopt_seconds / g_plan_seconds;
    fmt::print(
        "read+plan of {} units: camlsym {:.1f} ms, ocamlopt -cc true "
        "{:.1f} ms: ratio {:.1f} (target >= 10)\n",
        g_inputs.size(), g_plan_seconds * 1e3, g_ocamlopt_seconds * 1e3, ratio);
  }
  return 0;
}
