#!/usr/bin/env bash
# Whole links, camlsym beside ocamlopt, in one run: what a user waits for.
#
# Times, on the same inputs and with each tool's defaults,
#   ocamlopt -o prog INPUTS         (read, plan, startup, as, gcc + GNU ld)
#   camlsym link -o prog INPUTS     (read, plan, startup, gcc + the linker
#                                    camlsym chooses: mold for a few files,
#                                    lld from 100, when installed)
# for two programs: OCaml's native compiler relinked from its libraries
# (-I +compiler-libs ocamlcommon.cmxa ocamloptcomp.cmxa optmain.cmx), and
# N generated units (bench/gen_units.sh, cached under $CAMLSYM_CACHE). Each
# round runs ocamlopt then camlsym, R rounds; every exit status is checked
# (a failed link stops the script), each program linked is run once, and
# the best time of each side and the ratio (goal: >= 4) are printed, with
# the linker camlsym ran (from `camlsym link -verbose`), and the load
# average before and after the rows (timings on a loaded machine are
# stretched by waiting for a CPU). The binary is bazel-bin/camlsym as
# README's `bazel build //:camlsym` makes it (opt).
#
#   bench/link_vs_ocamlopt.sh [N] [R]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
n="${1:-2000}"
rounds="${2:-7}"
bazel build //:camlsym >&2
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
camlsym="$work/camlsym"
cp bazel-bin/camlsym "$camlsym"

# Wall time from bash's $EPOCHREALTIME (bash 5: seconds.microseconds, read
# without a process): timing through `date` would add a fork and exec of
# date, about 2-3 ms, to every measurement. A timestamp is
# "${EPOCHREALTIME//[!0-9]/}": microseconds (the point, the locale's decimal
# separator, dropped), taken in the timing shell itself.
if [ "${BASH_VERSINFO[0]}" -lt 5 ] || [ -z "${EPOCHREALTIME:-}" ]; then
  echo "link_vs_ocamlopt: bash >= 5 is needed (\$EPOCHREALTIME); this is bash $BASH_VERSION" >&2
  exit 1
fi

# timed VAR CMD...: runs CMD (output discarded unless it fails), adds its
# wall time in ms to the list in VAR; a failure stops the script.
timed() {
  local var="$1"; shift
  local t0 t1 rc=0
  t0="${EPOCHREALTIME//[!0-9]/}"
  "$@" > "$work/out.txt" 2>&1 || rc=$?
  t1="${EPOCHREALTIME//[!0-9]/}"
  if [ "$rc" != 0 ]; then
    echo "link_vs_ocamlopt: failed with exit status $rc: $*" >&2
    cat "$work/out.txt" >&2
    exit 1
  fi
  printf -v "$var" '%s %s' "${!var}" "$(( 10#$t1 - 10#$t0 ))"
}

best_ms() { tr ' ' '\n' <<< "$1" | awk 'NF { if (b == "" || $1 < b) b = $1 } END { printf "%.1f", b / 1000 }'; }
median_ms() { tr ' ' '\n' <<< "$1" | awk 'NF' | sort -n | awk '{ a[NR] = $1 } END { printf "%.1f", a[int((NR + 1) / 2)] / 1000 }'; }

# The ocamlopt of a row, and camlsym link's arguments for its installation
# (none for the host's 4.13.1).
ocamlopt=(ocamlopt)
camlsym_args=()

# row NAME DIR CHECK -- INPUTS...: R alternating rounds in DIR; CHECK is a
# command run on each program once (its output must be the same for both).
row() {
  local name="$1" dir="$2" check="$3"; shift 4
  cd "$dir"
  local ta="" tb=""
  for ((i = 0; i < rounds; i++)); do
    timed ta "${ocamlopt[@]}" -o "$work/ref.exe" "$@"
    timed tb "$camlsym" link "${camlsym_args[@]}" -o "$work/prog.exe" "$@"
  done
  local ra rb
  ra="$($check "$work/ref.exe" 2>&1)" || { echo "link_vs_ocamlopt: ocamlopt's $name does not run: $ra" >&2; exit 1; }
  rb="$($check "$work/prog.exe" 2>&1)" || { echo "link_vs_ocamlopt: camlsym's $name does not run: $rb" >&2; exit 1; }
  if [ "$ra" != "$rb" ]; then
    echo "link_vs_ocamlopt: $name linked by camlsym prints [$rb], ocamlopt's [$ra]" >&2
    exit 1
  fi
  local linker
  linker="$("$camlsym" link "${camlsym_args[@]}" -verbose -o "$work/prog.exe" "$@" 2>&1 | sed -n 's/^+ (linker) //p')"
  awk -v n="$name" -v a="$(best_ms "$ta")" -v b="$(best_ms "$tb")" \
      -v ma="$(median_ms "$ta")" -v mb="$(median_ms "$tb")" -v l="$linker" 'BEGIN {
    printf "%-22s ocamlopt -o %7.1f ms   camlsym link -o %6.1f ms   ratio %4.1f (goal >= 4)   medians %.1f / %.1f ms   linker: %s\n",
      n, a, b, a / b, ma, mb, l }'
}

run_compiler() { "$1" -version; }
run_units() { "$1"; echo "exit $?"; }

load() { cut -d' ' -f1-3 /proc/loadavg; }
echo "load average before: $(load) ($(nproc) CPUs)"
stdlib="$(ocamlopt -where)"
row "relinked compiler" "$work" run_compiler -- \
  -I "$stdlib/compiler-libs" ocamlcommon.cmxa ocamloptcomp.cmxa optmain.cmx
dir="$("$ROOT/bench/gen_units.sh" "$n")"
read -r -a units < "$dir/ORDER" || true
row "$n units" "$dir" run_units -- "${units[@]}"

# OCaml 5.3 (Debian trixie's, scripts/install-ocaml5.sh): the same units
# compiled by its ocamlopt, linked by it and by camlsym with its standard
# library and the -ccopt flags that make programs use that suite's libc
# (oracle.env). Its compiler-libs are not installed: no compiler row.
env5="${CAMLSYM_CACHE:-$HOME/.cache/camlsym}/ocaml5/trixie/amd64/oracle.env"
if [ -f "$env5" ]; then
  # Its variables as OC5_ROOT, OC5_STDLIB, ... (ROOT is this checkout).
  eval "$(sed -n 's/^\([A-Z0-9_]*=\)/OC5_\1/p' "$env5")"
  ocamlopt=("$OC5_ROOT/bin/ocamlopt")
  read -r -a ccopts <<< "$OC5_CCOPTS"
  camlsym_args=("--ocaml-stdlib=$OC5_STDLIB" "${ccopts[@]}")
  dir="$(BENCH_TAG="x86_64-ocaml$OC5_VERSION" "$ROOT/bench/gen_units.sh" "$n" "${ocamlopt[@]}")"
  read -r -a units < "$dir/ORDER" || true
  row "$n units, $OC5_VERSION" "$dir" run_units -- "${units[@]}"
else
  echo "no OCaml 5.3 row: $env5 is missing (scripts/install-deps.sh installs it)"
fi
echo "load average after: $(load)"
