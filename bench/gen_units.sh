#!/usr/bin/env bash
# Generates N small OCaml units (u00000.ml ... ) compiled by ocamlopt into
# "$CAMLSYM_CACHE/bench-units-$N" (default cache ~/.cache/camlsym), once:
# later calls reuse them. Each unit defines functions of a few arities,
# partial applications (so it needs caml_curryN), a tuplified function, and
# refers to one of the first 16 units (so units import each other, without
# the transitive interface imports a chain would record). Prints the
# directory; its file ORDER lists the .cmx files in link order.
#
# BENCH_SHAPE=chain makes a chain instead: unit i calls unit i-1's function
# and its type `t` is built on unit i-1's, so each .cmx imports the
# interfaces of every earlier unit (N*(N-1)/2 import entries: about 500,000
# for N = 1000) and the implementation of the one before.
#
#   bench/gen_units.sh N [OCAMLOPT...]
set -euo pipefail
n="$1"; shift
ocamlopt=("${@:-ocamlopt}")
[ "$#" -gt 0 ] || ocamlopt=(ocamlopt)
tag="${BENCH_TAG:-x86_64}"
shape="${BENCH_SHAPE:-flat}"
case "$shape" in
  flat) suffix="" ;;
  chain) suffix="-chain" ;;
  *) echo "gen_units.sh: BENCH_SHAPE must be flat or chain, not $shape" >&2; exit 2 ;;
esac
dir="${CAMLSYM_CACHE:-$HOME/.cache/camlsym}/bench-units-$tag$suffix-$n"
if [ -f "$dir/ORDER" ]; then echo "$dir"; exit 0; fi
rm -rf "$dir.partial"; mkdir -p "$dir.partial"
cd "$dir.partial"
order=()
for ((i = 0; i < n; i++)); do
  u=$(printf 'u%05d' "$i")
  k=$((i % 12 + 2))
  params=$(for ((j = 0; j < k; j++)); do printf 'x%d ' "$j"; done)
  sum=$(for ((j = 0; j < k; j++)); do printf 'x%d + ' "$j"; done)
  {
    echo "let a = $i"
    echo "let f $params= ${sum}a"
    echo "let g = f 1"
    echo "let h (p, q, r) = p + q + r + a"
    if [ "$shape" = chain ]; then
      if [ "$i" -gt 0 ]; then
        prev=$(printf 'U%05d' $((i - 1)))
        echo "type t = $prev.t list"
        echo "let prev = $prev.h (a, a, a)"
      else
        echo "type t = int"
      fi
    elif [ "$i" -ge 16 ]; then
      echo "let prev = $(printf 'U%05d' $((i % 16))).a + 1"
    fi
  } > "$u.ml"
  order+=("$u.ml")
done
# Compile in batches of 400 units per ocamlopt process, in order (each unit
# needs the .cmi of the one before it).
batch=400
for ((s = 0; s < n; s += batch)); do
  "${ocamlopt[@]}" -c "${order[@]:s:batch}"
done
printf '%s\n' "${order[@]/%.ml/.cmx}" | tr '\n' ' ' > ORDER.tmp
mv ORDER.tmp ORDER
cd ..
rm -rf "$dir"; mv "$dir.partial" "$dir"
echo "$dir"
