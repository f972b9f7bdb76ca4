#!/usr/bin/env bash
# Startup generation speed and memory, camlsym beside ocamlopt, in one run.
#
# Generates N small units (bench/gen_units.sh; cached under $CAMLSYM_CACHE),
# then times, on the same inputs, R rounds of each of
#   ocamlopt -cc true -o x.exe UNITS            (read + plan + startup + as)
#   camlsym startup -o s.o UNITS                (the same work, camlsym's
#                                                integrated assembler)
#   camlsym startup -o s.s UNITS && as s.s      (the same work, through the
#                                                external assembler)
# and prints the best time of each and the ratios to ocamlopt (target:
# >= 10 for camlsym startup -o s.o), then the best time of GNU `as` alone on
# camlsym's startup.s. It does the same on a chain of C units (BENCH_SHAPE=
# chain of bench/gen_units.sh; C = 1000 by default, $BENCH_CHAIN): each unit
# imports every earlier unit's interface, about 500,000 import entries, so a
# deep dependency graph is timed beside the flat one. For both shapes it
# also prints the CPU time of ocamlopt -cc true and camlsym startup -o s.o
# (perf stat's task-clock, children included; skipped without perf), which
# a machine loaded by other work inflates less than wall time, and the load
# average before and after. Every timed command
# must succeed and make its output: a failing run stops the script with its
# messages, it is never a fast time. With BENCH_BIG=1 it also generates 20000 units (slow the first
# time: several minutes of ocamlopt -c) and reports camlsym's peak memory on
# that link, for both outputs, from /usr/bin/time -v (target: < 100 MB).
# With BENCH_AARCH64=1 it adds the same rows for AArch64, printed beside
# the x86-64 ones: arm64 ocamlopt.opt under qemu (`-cc true`) beside
# `camlsym startup --target=aarch64-linux -o s.o` (camlsym's AArch64
# assembler) and camlsym + aarch64-linux-gnu-as. The arm64 units are
# compiled under qemu once (slow: BENCH_AARCH64_UNITS, default N, sets how
# many) and cached like the x86-64 ones.
# The same N units are also compiled by Debian's OCaml 5.3 (the trixie tree
# of scripts/install-ocaml5.sh; the script stops, saying so, if it is
# missing) and timed the same way: that ocamlopt's `-cc true` beside
# `camlsym startup --ocaml-stdlib=<its stdlib> -o s.o` (rows "x86_64 5.3");
# with BENCH_AARCH64=1 also for Debian's arm64 5.3 under qemu (rows
# "aarch64 5.3", BENCH_AARCH64_UNITS units compiled by it).
#
#   bench/startup_vs_ocamlopt.sh [N] [R]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
n="${1:-2000}"
rounds="${2:-5}"
bazel build -c opt //:camlsym >&2
camlsym="$(mktemp -d)/camlsym"
cp bazel-out/k8-opt/bin/camlsym "$camlsym"
out="$(mktemp -d)"
trap 'rm -rf "$out" "$(dirname "$camlsym")"' EXIT

# Wall time from bash's $EPOCHREALTIME (bash 5: seconds.microseconds, read
# without a process): timing through `date` would add a fork and exec of
# date (and awk), about 2-3 ms, to every measurement.
if [ "${BASH_VERSINFO[0]}" -lt 5 ] || [ -z "${EPOCHREALTIME:-}" ]; then
  echo "bench: bash >= 5 is needed (\$EPOCHREALTIME); this is bash $BASH_VERSION" >&2
  exit 1
fi
# A timestamp is "${EPOCHREALTIME//[!0-9]/}": microseconds (the point, the
# locale's decimal separator, dropped), taken in the timing shell itself.

# best_of R CMD...: the best wall time of R runs, in ms. A run that fails
# is an error: its output is printed and best_of fails (which, in `x=$(...)`
# under set -e, stops the script).
best_of() {
  local r="$1"; shift
  local best="" log="$out/run.log"
  for ((i = 0; i < r; i++)); do
    local t0 t1 d
    t0="${EPOCHREALTIME//[!0-9]/}"
    if ! "$@" >"$log" 2>&1; then
      local shown="$*"
      [ "${#shown}" -le 160 ] || shown="${shown:0:160}... ($# words)"
      echo "bench: failed (run $((i + 1)) of $r): $shown" >&2
      cat "$log" >&2
      return 1
    fi
    t1="${EPOCHREALTIME//[!0-9]/}"
    d=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", (b - a) / 1000}')
    if [ -z "$best" ] || awk -v d="$d" -v b="$best" 'BEGIN{exit !(d < b)}'; then best="$d"; fi
  done
  echo "$best"
}

# made FILE...: each FILE exists and is not empty, or the script stops.
made() {
  local f
  for f in "$@"; do
    if [ ! -s "$f" ]; then
      echo "bench: $f was not made" >&2
      exit 1
    fi
  done
}

# row NAME OCAMLOPT_CMD... -- LABEL CAMLSYM_CMD [-- LABEL CAMLSYM_CMD]...
# (each CAMLSYM_CMD one word: a function or program without arguments)
row() {
  local name="$1"; shift
  local a=()
  while [ "$1" != "--" ]; do a+=("$1"); shift; done
  local ta
  ta=$(best_of "$rounds" "${a[@]}")
  # The goal (>= 10) is the first command's, `camlsym startup -o s.o`; the
  # others (through GNU as) are printed beside it for reference.
  local goal=" (target >= 10)"
  while [ $# -gt 0 ]; do
    shift  # --
    local label="$1" cmd="$2"; shift 2
    local tb
    tb=$(best_of "$rounds" "$cmd")
    awk -v n="$name" -v a="$ta" -v b="$tb" -v u="$n" -v l="$label" -v g="$goal" 'BEGIN{
      printf "%-11s %5d units: ocamlopt -cc true %8.1f ms   %-34s %8.1f ms   ratio %5.1f%s\n", n, u, a, l, b, a / b, g }'
    goal=""
  done
}

# cpu_row NAME UNITS OCAMLOPT_CMD... -- CAMLSYM_CMD...: the CPU time of each
# side (perf stat's task-clock, children included, mean of R runs), which a
# machine loaded by other work inflates less than the wall time; skipped
# without perf. Both commands were already timed (and checked) by row.
cpu_row() {
  local name="$1" units="$2"; shift 2
  command -v perf >/dev/null || return 0
  local a=()
  while [ "$1" != "--" ]; do a+=("$1"); shift; done
  shift
  local ca cb
  ca=$(perf stat -x, -e task-clock -r "$rounds" "${a[@]}" 2>&1 >/dev/null | awk -F, '/task-clock/ {print $1}')
  cb=$(perf stat -x, -e task-clock -r "$rounds" "$@" 2>&1 >/dev/null | awk -F, '/task-clock/ {print $1}')
  if [ -z "$ca" ] || [ -z "$cb" ]; then
    echo "bench: perf stat gave no task-clock (perf_event_paranoid?): no CPU-time row" >&2
    return 0
  fi
  awk -v n="$name" -v u="$units" -v a="$ca" -v b="$cb" 'BEGIN{
    printf "%-11s %5d units: CPU time: ocamlopt -cc true %8.1f ms   camlsym startup -o s.o %8.1f ms   ratio %5.1f\n", n, u, a, b, a / b }'
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
dir="$("$ROOT/bench/gen_units.sh" "$n")"
# ocamlopt knows its standard library directory without asking; so does
# camlsym when OCAMLLIB is set (otherwise it runs `ocamlopt -where`).
export OCAMLLIB="$(ocamlopt -where)"
cd "$dir"
read -r -a units < ORDER || true
[ "${#units[@]}" -gt 0 ] || { echo "bench: no units in $dir/ORDER" >&2; exit 1; }
# The camlsym side runs as a shell function: no extra shell process is
# timed on either side.
camlsym_object() { "$camlsym" startup -o "$out/i.o" "${units[@]}"; }
camlsym_and_as() { "$camlsym" startup -o "$out/s.s" "${units[@]}" && as -o "$out/s.o" "$out/s.s"; }
row x86_64 ocamlopt -cc true -o "$out/x.exe" "${units[@]}" \
  -- "camlsym startup -o s.o" camlsym_object \
  -- "camlsym startup + as" camlsym_and_as
made "$out/i.o" "$out/s.s" "$out/s.o"
cpu_row x86_64 "$n" ocamlopt -cc true -o "$out/x.exe" "${units[@]}" \
  -- "$camlsym" startup -o "$out/i.o" "${units[@]}"
# GNU as alone, on the startup text just written.
as_alone() { as -o "$out/as.o" "$out/s.s"; }
tas=$(best_of "$rounds" as_alone)
made "$out/as.o"
awk -v t="$tas" -v u="$n" 'BEGIN{
  printf "x86_64      %5d units: as alone on camlsym startup.s %8.1f ms\n", u, t }'

chain_n="${BENCH_CHAIN:-1000}"
chain="$(BENCH_SHAPE=chain "$ROOT/bench/gen_units.sh" "$chain_n")"
cd "$chain"
read -r -a cunits < ORDER || true
camlsym_chain() { "$camlsym" startup -o "$out/c.o" "${cunits[@]}"; }
n="$chain_n" row chain ocamlopt -cc true -o "$out/c.exe" "${cunits[@]}" \
  -- "camlsym startup -o s.o" camlsym_chain
made "$out/c.o"
cpu_row chain "$chain_n" ocamlopt -cc true -o "$out/c.exe" "${cunits[@]}" \
  -- "$camlsym" startup -o "$out/c.o" "${cunits[@]}"

# OCaml 5.3 (Debian trixie's), x86-64: the same units compiled by its
# ocamlopt, which runs through its own loader (bin/ocamlopt of the tree).
tree53="${CAMLSYM_CACHE:-$HOME/.cache/camlsym}/ocaml5/trixie/amd64"
if [ ! -f "$tree53/oracle.env" ]; then
  echo "bench: Debian's OCaml 5.3 is missing ($tree53/oracle.env): run scripts/install-ocaml5.sh" >&2
  exit 1
fi
v53=$(sed -n 's/^VERSION=//p' "$tree53/oracle.env")
stdlib53=$(sed -n 's/^STDLIB=//p' "$tree53/oracle.env")
[ -n "$v53" ] && [ -d "$stdlib53" ] || { echo "bench: $tree53/oracle.env lacks VERSION or STDLIB" >&2; exit 1; }
dir53="$(BENCH_TAG="x86_64-ocaml$v53" "$ROOT/bench/gen_units.sh" "$n" "$tree53/bin/ocamlopt")"
cd "$dir53"
read -r -a units53 < ORDER || true
[ "${#units53[@]}" -gt 0 ] || { echo "bench: no units in $dir53/ORDER" >&2; exit 1; }
camlsym_53_object() { "$camlsym" startup --ocaml-stdlib="$stdlib53" -o "$out/i53.o" "${units53[@]}"; }
camlsym_53_and_as() { "$camlsym" startup --ocaml-stdlib="$stdlib53" -o "$out/s53.s" "${units53[@]}" && as -o "$out/s53.o" "$out/s53.s"; }
row "x86_64 5.3" "$tree53/bin/ocamlopt" -cc true -o "$out/x53.exe" "${units53[@]}" \
  -- "camlsym startup -o s.o" camlsym_53_object \
  -- "camlsym startup + as" camlsym_53_and_as
made "$out/i53.o" "$out/s53.s" "$out/s53.o"
# Both startups are 5.3's: the separator `.` of 5.x symbols.
grep -q 'caml_startup\.code_begin' "$out/s53.s" || { echo "bench: $out/s53.s is not a 5.x startup" >&2; exit 1; }

if [ "${BENCH_AARCH64:-0}" = 1 ]; then
  tree="${CAMLSYM_CACHE:-$HOME/.cache/camlsym}/arm64-ocaml"
  arm_ocamlopt=(env OCAMLLIB="$tree/usr/lib/ocaml" qemu-aarch64 -L /usr/aarch64-linux-gnu "$tree/usr/bin/ocamlopt.opt")
  an="${BENCH_AARCH64_UNITS:-$n}"
  adir="$(BENCH_TAG=arm64 "$ROOT/bench/gen_units.sh" "$an" "${arm_ocamlopt[@]}")"
  cd "$adir"
  read -r -a aunits < ORDER || true
  [ "${#aunits[@]}" -gt 0 ] || { echo "bench: no units in $adir/ORDER" >&2; exit 1; }
  camlsym_aarch64_object() { "$camlsym" startup --target=aarch64-linux --ocaml-stdlib="$tree/usr/lib/ocaml" -o "$out/a.i.o" "${aunits[@]}"; }
  camlsym_aarch64_and_as() { "$camlsym" startup --target=aarch64-linux --ocaml-stdlib="$tree/usr/lib/ocaml" -o "$out/a.s" "${aunits[@]}" && aarch64-linux-gnu-as -o "$out/a.o" "$out/a.s"; }
  n="$an" row aarch64 "${arm_ocamlopt[@]}" -cc true -o "$out/a.exe" "${aunits[@]}" \
    -- "camlsym startup -o s.o" camlsym_aarch64_object \
    -- "camlsym startup + as" camlsym_aarch64_and_as
  made "$out/a.i.o" "$out/a.s" "$out/a.o"

  # OCaml 5.3 on AArch64: Debian's arm64 5.3 under qemu (bin/ocamlopt of
  # its tree), on the same number of units compiled by it.
  atree53="${CAMLSYM_CACHE:-$HOME/.cache/camlsym}/ocaml5/trixie/arm64"
  if [ ! -f "$atree53/oracle.env" ]; then
    echo "bench: Debian's arm64 OCaml 5.3 is missing ($atree53/oracle.env): run scripts/install-ocaml5.sh" >&2
    exit 1
  fi
  av53=$(sed -n 's/^VERSION=//p' "$atree53/oracle.env")
  astdlib53=$(sed -n 's/^STDLIB=//p' "$atree53/oracle.env")
  [ -n "$av53" ] && [ -d "$astdlib53" ] || { echo "bench: $atree53/oracle.env lacks VERSION or STDLIB" >&2; exit 1; }
  adir53="$(BENCH_TAG="arm64-ocaml$av53" "$ROOT/bench/gen_units.sh" "$an" "$atree53/bin/ocamlopt")"
  cd "$adir53"
  read -r -a aunits53 < ORDER || true
  [ "${#aunits53[@]}" -gt 0 ] || { echo "bench: no units in $adir53/ORDER" >&2; exit 1; }
  camlsym_aarch64_53_object() { "$camlsym" startup --target=aarch64-linux --ocaml-stdlib="$astdlib53" -o "$out/a53.i.o" "${aunits53[@]}"; }
  camlsym_aarch64_53_and_as() { "$camlsym" startup --target=aarch64-linux --ocaml-stdlib="$astdlib53" -o "$out/a53.s" "${aunits53[@]}" && aarch64-linux-gnu-as -o "$out/a53.o" "$out/a53.s"; }
  n="$an" row "aarch64 5.3" "$atree53/bin/ocamlopt" -cc true -o "$out/a53.exe" "${aunits53[@]}" \
    -- "camlsym startup -o s.o" camlsym_aarch64_53_object \
    -- "camlsym startup + as" camlsym_aarch64_53_and_as
  made "$out/a53.i.o" "$out/a53.s" "$out/a53.o"
  grep -q 'caml_startup\.code_begin' "$out/a53.s" || { echo "bench: $out/a53.s is not a 5.x startup" >&2; exit 1; }
fi

if [ "${BENCH_BIG:-0}" = 1 ]; then
  big="$("$ROOT/bench/gen_units.sh" 20000)"
  cd "$big"
  read -r -a bunits < ORDER || true
[ "${#bunits[@]}" -gt 0 ] || { echo "bench: no units in $big/ORDER" >&2; exit 1; }
  for kind in s o; do
    if ! /usr/bin/time -v "$camlsym" startup -o "$out/big.$kind" "${bunits[@]}" 2> "$out/time.txt"; then
      echo "bench: camlsym startup -o big.$kind failed" >&2
      cat "$out/time.txt" >&2
      exit 1
    fi
    made "$out/big.$kind"
    kb=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$out/time.txt")
    [ -n "$kb" ] || { echo "bench: no peak memory in /usr/bin/time's output" >&2; exit 1; }
    awk -v kb="$kb" -v k="$kind" 'BEGIN{printf "x86_64      20000 units: camlsym startup -o big.%s peak memory %.1f MB (target < 100 MB)\n", k, kb / 1024}'
  done
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
