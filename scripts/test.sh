#!/usr/bin/env bash
# Installs what is missing, then runs every test twice: as built normally and
# under AddressSanitizer + UndefinedBehaviorSanitizer (--config=asan). Ends
# with one line `N passed, N failed` counted from Bazel's per-test results.
set -uo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh || { echo "install-deps failed"; echo "0 passed, 1 failed"; exit 1; }

export CAMLSYM_CACHE="${CAMLSYM_CACHE:-$HOME/.cache/camlsym}"

passed=0
failed=0
status=0
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

run() {
  echo "== bazel test $* //..."
  bazel test "$@" --test_env=CAMLSYM_CACHE="$CAMLSYM_CACHE" --test_env=HOME="$HOME" \
    --test_env=PATH="$PATH" //... 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  local p f
  p=$(grep -cE '^//[^ ]+ +(\(cached\) )?PASSED' "$log")
  f=$(grep -cE '^//[^ ]+ +(\(cached\) )?(FAILED|TIMEOUT|NO STATUS|FAILED TO BUILD|INCOMPLETE)' "$log")
  if [ "$rc" != 0 ] && [ "$f" = 0 ]; then f=1; fi  # a build failure with no per-test line
  passed=$((passed + p))
  failed=$((failed + f))
  [ "$rc" = 0 ] || status=1
}

run
run --config=asan

echo "${passed} passed, ${failed} failed"
exit "$status"
