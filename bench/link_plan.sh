#!/usr/bin/env bash
# Times camlsym's reading and planning of an N-unit link (default 2000),
# in-process (bench/link_plan_bench.cc). Not a comparison with ocamlopt:
# bench/startup_vs_ocamlopt.sh times whole processes side by side. Fails if
# the units cannot be generated, built or planned.
#
#   bench/link_plan.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-2000}"
dir="$(bench/gen_units.sh "$n")"
bazel build -c opt //bench:link_plan_bench >&2
BENCH_UNITS_DIR="$dir" bazel-bin/bench/link_plan_bench
