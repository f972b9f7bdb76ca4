#!/usr/bin/env bash
# Verifies the OCaml program corpus in tests/programs/ with the real ocamlopt.
#
# For every program folder NN_name/:
#   * compiles the modules listed in ORDER with `ocamlopt -g -c` (x.mli is
#     compiled right before x.ml when it exists),
#   * links them in the same order (plus the libraries listed in LIBS),
#   * runs the executable twice normally and once with OCAMLRUNPARAM=s=256,
#   * checks that stdout, stderr and the exit status are identical across
#     the three runs, and reports the exit status and the run time.
# With --arm64 it also compiles/links with Debian's arm64 OCaml 4.13.1 under
# qemu-aarch64 and checks that the arm64 program behaves like the x86-64 one.
#
# Usage: tests/programs/check_corpus.sh [--arm64] [--keep] [NN_name ...]
set -u

here="$(cd "$(dirname "$0")" && pwd)"
arm64=0
keep=0
progs=()
for a in "$@"; do
  case "$a" in
    --arm64) arm64=1 ;;
    --keep) keep=1 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) progs+=("${a%/}") ;;
  esac
done
if [ ${#progs[@]} -eq 0 ]; then
  for d in "$here"/[0-9][0-9]_*/; do progs+=("$(basename "$d")"); done
fi

ARM64_ROOT="${CAMLSYM_CACHE:-$HOME/.cache/camlsym}/arm64-ocaml/usr"
QEMU="qemu-aarch64 -L /usr/aarch64-linux-gnu"
work="$(mktemp -d /tmp/camlsym-corpus.XXXXXX)"

# build <srcdir> <outdir> <compiler-command...>
build() {
  local src="$1" out="$2"; shift 2
  mkdir -p "$out"
  cp "$src"/*.ml "$out"/
  cp "$src"/*.mli "$out"/ 2>/dev/null || true
  local order libs cmxs=() f m
  order="$(cat "$src/ORDER")"
  libs=""
  [ -f "$src/LIBS" ] && libs="$(cat "$src/LIBS")"
  for f in $order; do
    m="${f%.ml}"
    if [ -f "$out/$m.mli" ]; then
      (cd "$out" && "$@" -g -c "$m.mli") >>"$out/build.log" 2>&1 || return 1
    fi
    (cd "$out" && "$@" -g -c "$f") >>"$out/build.log" 2>&1 || return 1
    cmxs+=("$m.cmx")
  done
  # shellcheck disable=SC2086
  (cd "$out" && "$@" -g -o prog.exe $libs "${cmxs[@]}") >>"$out/build.log" 2>&1
}

# run <outdir> <tag> [env...] -- <runner...>; writes tag.out tag.err tag.rc
run() {
  local out="$1" tag="$2"; shift 2
  local envs=()
  while [ "$1" != "--" ]; do envs+=("$1"); shift; done
  shift
  local t0 t1
  t0=$(date +%s%N)
  (cd "$out" && env "${envs[@]}" "$@" ./prog.exe >"$tag.out" 2>"$tag.err" </dev/null; echo $? >"$tag.rc")
  t1=$(date +%s%N)
  echo $(( (t1 - t0) / 1000000 ))
}

same() { # same <dir> <tagA> <tagB>
  cmp -s "$1/$2.out" "$1/$3.out" && cmp -s "$1/$2.err" "$1/$3.err" && cmp -s "$1/$2.rc" "$1/$3.rc"
}

fail=0
printf '%-28s %5s %8s %8s %8s %s\n' program exit out_B ms_x86 ms_s256 status
for p in "${progs[@]}"; do
  src="$here/$p"
  out="$work/$p/x86"
  status="ok"
  if ! build "$src" "$out" ocamlopt; then
    status="BUILD-FAIL"; fail=1
    printf '%-28s %s\n' "$p" "$status"; sed 's/^/    /' "$out/build.log"
    continue
  fi
  if grep -q . "$out/build.log"; then status="ok(warnings)"; fi
  ms=$(run "$out" r1 -- )
  run "$out" r2 -- >/dev/null
  ms2=$(run "$out" s256 OCAMLRUNPARAM=s=256 -- )
  if ! same "$out" r1 r2; then status="NONDETERMINISTIC"; fail=1; fi
  if ! same "$out" r1 s256; then status="DIFFERS-WITH-s=256"; fail=1; fi
  if [ "$arm64" = 1 ]; then
    aout="$work/$p/arm64"
    if ! OCAMLLIB="$ARM64_ROOT/lib/ocaml" build "$src" "$aout" $QEMU "$ARM64_ROOT/bin/ocamlopt.opt"; then
      status="$status ARM64-BUILD-FAIL"; fail=1
      sed 's/^/    /' "$aout/build.log"
    else
      # shellcheck disable=SC2086
      ams=$(run "$aout" r1 -- $QEMU)
      # shellcheck disable=SC2086
      run "$aout" s256 OCAMLRUNPARAM=s=256 -- $QEMU >/dev/null
      if ! same "$aout" r1 s256; then status="$status ARM64-DIFFERS-WITH-s=256"; fail=1; fi
      # Backtraces may differ in exact positions between back ends; compare
      # stdout and exit status exactly, stderr after removing backtrace lines.
      if cmp -s "$out/r1.out" "$aout/r1.out" && cmp -s "$out/r1.rc" "$aout/r1.rc" &&
         diff -q <(grep -vE '^(Raised|Called|Re-raised)' "$out/r1.err") \
                 <(grep -vE '^(Raised|Called|Re-raised)' "$aout/r1.err") >/dev/null; then
        status="$status arm64-ok(${ams}ms)"
      else
        status="$status ARM64-DIFFERS"; fail=1
      fi
    fi
  fi
  printf '%-28s %5s %8s %8s %8s %s\n' "$p" "$(cat "$out/r1.rc")" \
    "$(wc -c <"$out/r1.out")" "$ms" "$ms2" "$status"
done

if [ "$keep" = 1 ]; then echo "build trees kept in $work"; else rm -rf "$work"; fi
if [ "$fail" = 0 ]; then echo "corpus: all ${#progs[@]} programs OK"; else echo "corpus: FAILURES"; fi
exit "$fail"
