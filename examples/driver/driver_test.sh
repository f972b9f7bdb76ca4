#!/bin/bash
# The driver links a real program: ocamlopt compiles three modules (one of
# them uses Printf and a functor, so the link pulls units out of
# stdlib.cmxa), the driver links them with camlsym's startup object, and the
# program prints what the same program linked by ocamlopt prints.
set -eu
driver="$PWD/driver/driver"
command -v ocamlopt >/dev/null || { echo "FAIL: ocamlopt 4.13.1 is needed (scripts/install-deps.sh)"; exit 1; }
work=$(mktemp -d "${TEST_TMPDIR:-/tmp}/driver_test.XXXXXX")
cd "$work"
cat > shapes.ml <<'ML'
type t = Circle of float | Square of float
let area = function Circle r -> 3.0 *. r *. r | Square s -> s *. s
ML
cat > table.ml <<'ML'
module M = Map.Make (String)
let build l = List.fold_left (fun m (k, v) -> M.add k v m) M.empty l
ML
cat > main.ml <<'ML'
let () =
  let t = Table.build [ ("a", Shapes.Circle 1.0); ("b", Shapes.Square 2.0) ] in
  Table.M.iter (fun k s -> Printf.printf "%s %.1f\n" k (Shapes.area s)) t;
  exit 3
ML
ocamlopt -c shapes.ml table.ml main.ml
ocamlopt -o ref.exe shapes.cmx table.cmx main.cmx
"$driver" -o prog shapes.cmx table.cmx main.cmx
set +e
./ref.exe > want.txt; want_rc=$?
./prog > got.txt; got_rc=$?
set -e
if ! cmp -s want.txt got.txt || [ "$want_rc" != "$got_rc" ]; then
  echo "FAIL: the driver's program differs from ocamlopt's"
  diff want.txt got.txt || true; echo "exit: $want_rc vs $got_rc"; exit 1
fi
grep -q '^a 3.0$' got.txt || { echo "FAIL: unexpected output"; cat got.txt; exit 1; }
# A unit that is missing: an error naming it, status 1, no program.
set +e
"$driver" -o bad main.cmx 2> err.txt; rc=$?
set -e
[ "$rc" = 1 ] && grep -q 'No implementations provided' err.txt && [ ! -e bad ] \
  || { echo "FAIL: missing units not reported"; cat err.txt; exit 1; }
rm -rf "$work"
echo PASS
