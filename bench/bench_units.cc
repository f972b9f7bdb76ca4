#include "camlsym/bench/bench_units.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "fmt/format.h"

namespace camlsym::bench {

absl::StatusOr<BenchUnits> LoadBenchUnits() {
  const char* dir = std::getenv("BENCH_UNITS_DIR");
  if (dir == nullptr || chdir(dir) != 0) {
    return absl::FailedPreconditionError(
        "set BENCH_UNITS_DIR to a directory of bench/gen_units.sh");
  }
  BenchUnits units;
  std::ifstream order("ORDER");
  std::string u;
  while (order >> u) units.inputs.push_back(u);
  if (units.inputs.empty()) {
    return absl::FailedPreconditionError(
        fmt::format("{}/ORDER lists no units", dir));
  }
  FILE* p = popen("ocamlopt -where", "r");
  if (p != nullptr) {
    char buf[4096];
    size_t n = fread(buf, 1, sizeof buf, p);
    units.stdlib_dir.assign(buf, n);
    if (pclose(p) != 0) units.stdlib_dir.clear();
  }
  while (!units.stdlib_dir.empty() && units.stdlib_dir.back() == '\n') {
    units.stdlib_dir.pop_back();
  }
  if (units.stdlib_dir.empty()) {
    return absl::FailedPreconditionError(
        "`ocamlopt -where` failed: no host OCaml stdlib");
  }
  return units;
}

}  // namespace camlsym::bench
