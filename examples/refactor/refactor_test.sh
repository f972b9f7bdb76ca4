#!/bin/bash
# The refactoring tool on a real program compiled by ocamlopt: A exports
# `used` (called from B) and `unused` (called from nowhere); B exports
# `twice` (called from Main) and `dead_b`. The tool lists A.unused and
# B.dead_b, with their OCaml names, and neither A.used nor B.twice; the
# markers (camlA__code_begin, ...) are never listed.
set -eu
tool="$PWD/refactor/refactor"
command -v ocamlopt >/dev/null || { echo "FAIL: ocamlopt 4.13.1 is needed (scripts/install-deps.sh)"; exit 1; }
work=$(mktemp -d "${TEST_TMPDIR:-/tmp}/refactor_test.XXXXXX")
cd "$work"
# Recursive functions, so that ocamlopt does not inline them into callers.
cat > a.ml <<'ML'
let rec used x = if x > 100 then x else used (x + 1)
let rec unused x = if x > 100 then x else unused (x * 2)
let value = ref 3
ML
cat > b.ml <<'ML'
let rec twice n x = if n = 0 then x else twice (n - 1) (A.used x)
let rec dead_b n = if n > 0 then (print_endline "never"; dead_b (n - 1))
ML
cat > main.ml <<'ML'
let () = print_int (B.twice 2 !A.value)
ML
ocamlopt -c a.ml b.ml main.ml
"$tool" a.cmx b.cmx main.cmx > out.txt
fail() { echo "FAIL: $1"; cat out.txt; exit 1; }
grep -qP '^A\tcamlA__unused_\d+\tA\.unused$' out.txt || fail "A.unused not listed"
grep -qP '^B\tcamlB__dead_b_\d+\tB\.dead_b$' out.txt || fail "B.dead_b not listed"
grep -qP '\tA\.used$' out.txt && fail "A.used is called by B"
grep -qP '\tB\.twice$' out.txt && fail "B.twice is called by Main"
grep -q '__code_begin\|__entry\|__frametable' out.txt && fail "markers listed"
# A .cmx without its object: an error naming the object, status 1.
rm a.o
set +e
"$tool" a.cmx b.cmx 2> err.txt; rc=$?
set -e
[ "$rc" = 1 ] && grep -q 'a.o' err.txt || { echo "FAIL: missing object"; cat err.txt; exit 1; }
rm -rf "$work"
echo PASS
