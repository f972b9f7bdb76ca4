#!/usr/bin/env bash
# Installs what is missing, builds the camlsym driver (bazel-bin/camlsym) and
# runs its main job on a real OCaml program: examples/wordfreq is compiled by
# ocamlopt, linked by camlsym with camlsym's own startup file, and run next
# to the same program linked by ocamlopt; then the same for AArch64 under
# qemu. Also shows `inspect` and `demangle` on the real files.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"

scripts/install-deps.sh
bazel build //:camlsym
CAMLSYM="$ROOT/bazel-bin/camlsym"
STDLIB="$(ocamlopt -where)"
CACHE="${CAMLSYM_CACHE:-$HOME/.cache/camlsym}"
ARM64_LIB="$CACHE/arm64-ocaml/usr/lib/ocaml"
ARM64_OCAMLOPT="$CACHE/arm64-ocaml/usr/bin/ocamlopt.opt"
QEMU=(qemu-aarch64 -L /usr/aarch64-linux-gnu)

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp examples/wordfreq/*.ml examples/wordfreq/ORDER "$work/"
cd "$work"
read -r -a order < ORDER
cmx=("${order[@]/%.ml/.cmx}")

echo "== x86-64: ocamlopt -c ${order[*]}"
ocamlopt -c "${order[@]}"
echo "== camlsym link --verbose -o wordfreq.camlsym ${cmx[*]}"
"$CAMLSYM" link --verbose --keep-startup=wordfreq.startup.s -o wordfreq.camlsym "${cmx[@]}"
ocamlopt -o wordfreq.ocamlopt "${cmx[@]}"
./wordfreq.camlsym > camlsym.out 2>&1 || true
./wordfreq.ocamlopt > ocamlopt.out 2>&1 || true
echo "== linked by camlsym                         | linked by ocamlopt"
paste -d'|' <(sed 's/^/  /' camlsym.out | awk '{printf "%-45s\n", $0}') <(sed 's/^/ /' ocamlopt.out)
if cmp -s camlsym.out ocamlopt.out; then echo "== identical output"; else echo "== OUTPUTS DIFFER"; exit 1; fi
echo "== camlsym startup wrote $(wc -l < wordfreq.startup.s) lines of assembly; its generic functions:"
grep -E '^caml_(curry|tuplify|apply|send)[0-9_app]*:' wordfreq.startup.s | tr -d ':' | tr '\n' ' '; echo

echo
echo "== camlsym inspect freq.cmx"
"$CAMLSYM" inspect freq.cmx
echo
echo "== nm freq.o | camlsym demangle (first 12 lines)"
nm freq.o | "$CAMLSYM" demangle | head -12

echo
if [ -x "$ARM64_OCAMLOPT" ]; then
  echo "== AArch64: the arm64 ocamlopt.opt -c under qemu"
  mkdir arm64 && cp "${order[@]}" arm64/ && cd arm64
  OCAMLLIB="$ARM64_LIB" "${QEMU[@]}" "$ARM64_OCAMLOPT" -c "${order[@]}"
  echo "== camlsym link --target=aarch64-linux"
  if "$CAMLSYM" link --verbose --target=aarch64-linux --ocaml-stdlib="$ARM64_LIB" \
       -o wordfreq.camlsym "${cmx[@]}"; then
    OCAMLLIB="$ARM64_LIB" "${QEMU[@]}" "$ARM64_OCAMLOPT" -o wordfreq.ocamlopt "${cmx[@]}"
    "${QEMU[@]}" ./wordfreq.camlsym > camlsym.out 2>&1 || true
    "${QEMU[@]}" ./wordfreq.ocamlopt > ocamlopt.out 2>&1 || true
    cat camlsym.out
    if cmp -s camlsym.out ocamlopt.out; then
      echo "== identical to the arm64 ocamlopt-linked program under qemu"
    else
      echo "== AArch64 OUTPUTS DIFFER"; exit 1
    fi
  else
    echo "== (AArch64 link not available in this build)"
  fi
fi
