#!/bin/sh
# Runs the camlsym binary: verb dispatch, usage and exit codes.
set -u
bin="${TEST_SRCDIR}/${TEST_WORKSPACE}/camlsym"
fail=0
check() {  # check <description> <expected> <actual>
  if [ "$2" != "$3" ]; then
    echo "FAIL: $1: expected [$2], got [$3]"
    fail=1
  fi
}

"$bin" >/dev/null 2>&1
check "no verb exits 2" 2 $?
"$bin" 2>&1 | grep -q "demangle" || { echo "FAIL: usage lists demangle"; fail=1; }
"$bin" frobnicate >/dev/null 2>&1
check "unknown verb exits 2" 2 $?
"$bin" frobnicate 2>&1 | grep -q "unknown verb 'frobnicate'" ||
  { echo "FAIL: unknown verb message"; fail=1; }
check "demangle argument" "Stdlib.List.map" \
  "$("$bin" demangle camlStdlib__List__map_123)"
check "demangle stdin" "T Stdlib.List.map caml_alloc" \
  "$(echo 'T camlStdlib__List__map_123 caml_alloc' | "$bin" demangle)"
"$bin" demangle --nope >/dev/null 2>&1
check "unknown option exits 2" 2 $?
exit $fail
