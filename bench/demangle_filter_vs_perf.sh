#!/usr/bin/env bash
# Times `camlsym demangle` as a filter beside the C program
# ../shared/bench/perf_style_demangle.c (Linux perf's OCaml demangling
# algorithm as a line filter), in one run, on the same inputs:
#   symbols  every caml* symbol name (defined or not) of the OCaml 4.13
#            trees (`ocamlopt -where`, the arm64 tree) and of the 5.3/5.4
#            trees (amd64 and arm64, scripts/install-ocaml5.sh), one per
#            line, repeated to about LINES lines;
#   nm       the full `nm` output lines of the same archives (address,
#            type, name; C symbols included), repeated likewise.
# Each program runs ROUNDS times per input, the two taking turns, with
# standard input redirected from the same file and standard output to a new
# file (not a terminal); the least wall time and the least CPU time of each
# over the rounds count. Every run must exit 0 and both programs must print
# as many lines as they read. Prints
# lines per second of wall time and of CPU time (user + system) of each,
# and the ratios camlsym / perf (goal: >= 2). On a shared machine the CPU
# figures are the steadier ones: wall time also holds the waits for a core.
#
#   bench/demangle_filter_vs_perf.sh [LINES] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
lines="${1:-1000000}"
rounds="${2:-5}"
perf_c="${PERF_STYLE_DEMANGLE_C:-$(cd .. && pwd)/shared/bench/perf_style_demangle.c}"
[[ -f "$perf_c" ]] || perf_c=/work/shared/bench/perf_style_demangle.c
[[ -f "$perf_c" ]] || { echo "missing perf_style_demangle.c ($perf_c)" >&2; exit 1; }

bazel build -c opt //:camlsym >&2
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp bazel-out/k8-opt/bin/camlsym "$work/camlsym"
cc -O2 -o "$work/perf_style_demangle" "$perf_c"

cache="${CAMLSYM_CACHE:-$HOME/.cache/camlsym}"
trees=("$(ocamlopt -where)" "$cache/arm64-ocaml")
for t in "$cache"/ocaml5/*/*/usr/lib/*-linux-gnu/ocaml/5.*; do trees+=("$t"); done
: > "$work/nm.txt"
for t in "${trees[@]}"; do
  [[ -d "$t" ]] || { echo "missing OCaml tree $t (scripts/install-deps.sh)" >&2; exit 1; }
  find -L "$t" -name '*.a' -print0 | sort -z |
    xargs -0 nm 2>/dev/null | grep -E '^[0-9a-f ]{8,} [A-Za-z] ' >> "$work/nm.txt" || true
done
awk '{print $NF}' "$work/nm.txt" | grep '^caml' | sort -u > "$work/syms1.txt"
echo "corpus: $(wc -l < "$work/syms1.txt") distinct caml* symbols, $(wc -l < "$work/nm.txt") nm lines, ${#trees[@]} trees" >&2

# repeat FILE OUT: FILE repeated to about $lines lines.
repeat() {
  awk -v n="$lines" '{ a[NR] = $0 } END { for (i = 0; i < n; i++) print a[i % NR + 1] }' "$1" > "$2"
}
repeat "$work/syms1.txt" "$work/symbols.in"
repeat "$work/nm.txt" "$work/nm.in"

# run CMD INPUT: "wall cpu" of one run of CMD on INPUT in seconds (bash's
# `time`, ms resolution; cpu = user + system), checking the exit status and
# the line count. The previous output is removed first, outside the timing:
# otherwise the timed shell truncates it (freeing tens of MB of page cache)
# before starting CMD, a cost of neither program.
run() {
  local prog="$1" input="$2" status=0 got
  local TIMEFORMAT='%3R %3U %3S'
  rm -f "$work/out"
  { time $prog < "$input" > "$work/out"; } 2> "$work/time" || status=$?
  if (( status != 0 )); then
    echo "FAIL: $prog exited with status $status on $input" >&2; exit 1
  fi
  got=$(wc -l < "$work/out")
  [[ "$got" == "$(wc -l < "$input")" ]] ||
    { echo "FAIL: $prog printed $got lines for $(wc -l < "$input")" >&2; exit 1; }
  tail -n 1 "$work/time" | awk '{ printf "%s %.3f", $1, $2 + $3 }'
}

# best A B: the least wall time and the least CPU time of the "wall cpu"
# pairs A and B (A if B is empty), each taken on its own.
best() {
  if [[ -z "$2" ]]; then
    echo "$1"
  else
    awk -v a="$1" -v b="$2" 'BEGIN { split(a, x, " "); split(b, y, " ");
      printf "%s %s", (x[1] < y[1] ? x[1] : y[1]), (x[2] < y[2] ? x[2] : y[2]) }'
  fi
}

printf '%-8s %9s | %14s %14s %6s | %14s %14s %6s\n' input lines \
  "perf lines/s" "camlsym l/s" ratio "perf l/cpu-s" "camlsym l/cpu-s" ratio
for kind in symbols nm; do
  in="$work/$kind.in"
  n=$(wc -l < "$in")
  # The two programs take turns, so that both see the same changes of load
  # on a shared machine; each one's least wall time and least CPU time over
  # the rounds count (on a loaded machine the run with the least CPU time
  # may have waited long for a core).
  tp="" tc=""
  for ((r = 0; r < rounds; r++)); do
    tp=$(best "$(run "$work/perf_style_demangle" "$in")" "$tp")
    tc=$(best "$(run "$work/camlsym demangle" "$in")" "$tc")
  done
  awk -v k="$kind" -v n="$n" -v tp="$tp" -v tc="$tc" 'BEGIN {
    split(tp, p, " "); split(tc, c, " ");
    wp = n / (p[1] > 0 ? p[1] : 0.001); wc = n / (c[1] > 0 ? c[1] : 0.001);
    cp = n / (p[2] > 0 ? p[2] : 0.001); cc = n / (c[2] > 0 ? c[2] : 0.001);
    printf "%-8s %9d | %14.0f %14.0f %6.2f | %14.0f %14.0f %6.2f\n",
           k, n, wp, wc, wc / wp, cp, cc, cc / cp }'
done
