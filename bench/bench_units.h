// The units a benchmark links: the directory that bench/gen_units.sh made
// (named by the environment variable BENCH_UNITS_DIR; its file ORDER lists
// the .cmx files in link order) and the host OCaml's standard library
// (`ocamlopt -where`), which must have compiled them.
#ifndef CAMLSYM_BENCH_BENCH_UNITS_H_
#define CAMLSYM_BENCH_BENCH_UNITS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace camlsym::bench {

/// The inputs of a benchmark's link.
struct BenchUnits {
  /// The .cmx files, in link order, relative to the working directory.
  std::vector<std::string> inputs;
  /// The host's OCaml standard library directory.
  std::string stdlib_dir;
};

/// Changes the working directory to $BENCH_UNITS_DIR and reads its ORDER
/// file, then asks `ocamlopt -where` for the standard library.
/// Errors: kFailedPrecondition when BENCH_UNITS_DIR is unset or not a
/// directory, ORDER lists no units, or `ocamlopt -where` fails.
absl::StatusOr<BenchUnits> LoadBenchUnits();

}  // namespace camlsym::bench

#endif  // CAMLSYM_BENCH_BENCH_UNITS_H_
