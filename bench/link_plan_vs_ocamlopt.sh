#!/usr/bin/env bash
# Times camlsym's reading and planning of a 2000-unit link beside
# `ocamlopt -cc true` on the same link, in one run, and prints the ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-2000}"
dir="$(bench/gen_units.sh "$n")"
bazel build -c opt //bench:link_plan_bench >&2
BENCH_UNITS_DIR="$dir" bazel-bin/bench/link_plan_bench
