#!/usr/bin/env bash
# Installs what is missing, builds the camlsym driver (bazel-bin/camlsym) and
# runs its main job on real OCaml code.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
bazel build //:camlsym
CAMLSYM=bazel-bin/camlsym
STDLIB="$(ocamlopt -where)"

echo "== camlsym demangle: the symbols of $STDLIB/stdlib.a (first 25 OCaml ones)"
nm "$STDLIB/stdlib.a" | grep ' caml' | head -25 | "$CAMLSYM" demangle
echo
echo "== camlsym demangle --json"
"$CAMLSYM" demangle --json camlStdlib__List__map_289 'camlStdlib__$5e_140' caml_curry3_1_app
