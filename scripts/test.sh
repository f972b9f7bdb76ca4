#!/usr/bin/env bash
# Installs what is missing, then runs the tests twice:
# - every test target, as built normally (bazel test //...);
# - under AddressSanitizer + UndefinedBehaviorSanitizer (--config=asan),
#   every test target but the oracle tests (tag `local`), unless they also
#   carry the tag `asan` (fuzz and mutation tests, the integrated assembler
#   against GNU as, unit tests that need ocamlopt, the quick oracle tests
#   that run camlsym's parsers over real files): the slow oracle tests build
#   and run whole programs with the real compiler, which the plain run has
#   done already;
# then the tests of examples/, a Bazel workspace of its own that uses
# camlsym through local_repository and its public targets only.
# It counts test cases, not targets, from each test's test.xml
# (scripts/test_results.py reads them through the Build Event Protocol file
# of each run). A target expected to run (from `bazel query`) that produced
# no result, for example because a bazelrc filters the `local` tag, counts
# as a failed case; so does a target that failed outside its cases.
# Prints the skipped cases on the line before the last, and ends with one
# line `N passed, N failed`.
set -uo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

scripts/install-deps.sh || { echo "install-deps failed"; echo "0 passed, 1 failed"; exit 1; }

export CAMLSYM_CACHE="${CAMLSYM_CACHE:-$HOME/.cache/camlsym}"

passed=0
failed=0
skipped=0
status=0
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The test targets each run is expected to run.
all_tests='tests(//...)'
asan_tests="$all_tests except (attr(tags, '\\blocal\\b', $all_tests) except attr(tags, '\\basan\\b', $all_tests))"
if ! bazel query "$all_tests" >"$work/plain.targets" 2>"$work/query.log" ||
   ! bazel query "$asan_tests" >"$work/asan.targets" 2>>"$work/query.log" ||
   [ ! -s "$work/plain.targets" ] || [ ! -s "$work/asan.targets" ]; then
  cat "$work/query.log"
  echo "bazel query for the test targets failed"
  echo "0 passed, 1 failed"
  exit 1
fi

# run NAME TARGETS_FILE PATTERN... [-- BAZEL_OPTIONS...]: one bazel test run,
# counted.
run() {
  local name="$1" targets="$2"
  shift 2
  local patterns=() options=()
  while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do patterns+=("$1"); shift; done
  [ "$#" -gt 0 ] && shift
  options=("$@")
  echo "== $name: bazel test ${options[*]} ($(wc -l <"$targets") test targets expected)"
  rm -f "$work/$name.bep"
  bazel test --keep_going --build_event_json_file="$work/$name.bep" "${options[@]}" \
    --test_env=CAMLSYM_CACHE="$CAMLSYM_CACHE" --test_env=HOME="$HOME" \
    --test_env=PATH="$PATH" -- "${patterns[@]}" 2>&1
  local rc=$?
  local counts p=0 f=1 s=0
  if counts="$(python3 "$root/scripts/test_results.py" --bep "$work/$name.bep" \
      --expected "$targets" --name "$name")"; then
    grep -v '^RESULT ' <<<"$counts"
    read -r _ p f s < <(grep '^RESULT ' <<<"$counts" | tail -1)
  else
    echo "$name: scripts/test_results.py failed"
  fi
  if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
    echo "$name: bazel test exited with $rc but no test case failed (a target that is not a test failed to build?)"
    f=1
  fi
  passed=$((passed + p))
  failed=$((failed + f))
  skipped=$((skipped + s))
  if [ "$rc" != 0 ] || [ "$f" != 0 ]; then status=1; fi
}

run plain "$work/plain.targets" //...
mapfile -t asan_targets <"$work/asan.targets"
run asan "$work/asan.targets" "${asan_targets[@]}" -- --config=asan
# The examples (examples/WORKSPACE): their own workspace and Bazel server.
if (cd examples && bazel query 'tests(//...)') >"$work/examples.targets" 2>>"$work/query.log" &&
   [ -s "$work/examples.targets" ]; then
  cd examples
  run examples "$work/examples.targets" //...
  cd "$root"
else
  cat "$work/query.log"
  echo "bazel query for the examples' test targets failed"
  failed=$((failed + 1))
  status=1
fi

echo "${skipped} skipped"
echo "${passed} passed, ${failed} failed"
exit "$status"
