#!/usr/bin/env bash
# scripts/test_results.py against hand-made runs: it counts test cases from
# test.xml (passed, failed, skipped; the last attempt of each shard), and
# counts as failed an expected target without a result, a target that
# failed outside its cases and a target without any case.
set -euo pipefail

script="${TEST_SRCDIR:-.}/camlsym/scripts/test_results.py"
[ -f "$script" ] || script="$(dirname "$0")/test_results.py"
dir="$(mktemp -d "${TEST_TMPDIR:-/tmp}/test_results.XXXXXX")"
failures=0

xml() {  # xml FILE CASE... where CASE is pass, fail, skip or notrun
  local file="$1"
  shift
  {
    echo '<?xml version="1.0" encoding="UTF-8"?><testsuites><testsuite name="S">'
    local i=0
    for c in "$@"; do
      i=$((i + 1))
      case "$c" in
        pass) echo "<testcase name=\"t$i\" status=\"run\" result=\"completed\"/>" ;;
        fail) echo "<testcase name=\"t$i\" status=\"run\" result=\"completed\"><failure message=\"x\"/></testcase>" ;;
        skip) echo "<testcase name=\"t$i\" status=\"run\" result=\"skipped\"><skipped message=\"no oracle\"/></testcase>" ;;
        notrun) echo "<testcase name=\"t$i\" status=\"notrun\" result=\"suppressed\"/>" ;;
      esac
    done
    echo '</testsuite></testsuites>'
  } >"$dir/$file"
}

result() {  # result LABEL SHARD ATTEMPT STATUS XML_FILE
  printf '{"id":{"testResult":{"label":"%s","run":1,"shard":%s,"attempt":%s}},"testResult":{"status":"%s","testActionOutput":[{"name":"test.log","uri":"file://%s/log"},{"name":"test.xml","uri":"file://%s/%s"}]}}\n' \
    "$1" "$2" "$3" "$4" "$dir" "$dir" "$5"
}

summary() {  # summary LABEL STATUS
  printf '{"id":{"testSummary":{"label":"%s"}},"testSummary":{"overallStatus":"%s"}}\n' "$1" "$2"
}

check() {  # check WHAT WANT_LINE OUTPUT
  if ! grep -qxF -- "$2" <<<"$3"; then
    echo "FAIL: $1: no line '$2' in:"
    echo "$3"
    failures=$((failures + 1))
  fi
}

# //a: 3 passed, 1 failed, 2 skipped over two shards; shard 2's first
# attempt (all failed) is superseded by its second.
xml a1.xml pass pass fail
xml a2_attempt1.xml fail fail fail fail
xml a2.xml pass skip notrun
# //b: every case passed but the target failed (a sanitizer report at exit).
xml b.xml pass pass
# //c: passed without a single case.
xml c.xml
{
  result //a:t 1 1 FAILED a1.xml
  result //a:t 2 1 FAILED a2_attempt1.xml
  result //a:t 2 2 PASSED a2.xml
  summary //a:t FAILED
  result //b:t 1 1 FAILED b.xml
  summary //b:t FAILED
  result //c:t 1 1 PASSED c.xml
  summary //c:t PASSED
} >"$dir/bep.json"
printf '//a:t\n//b:t\n//c:t\n//d:filtered_test\n' >"$dir/expected"

out="$(python3 "$script" --bep "$dir/bep.json" --expected "$dir/expected" --name run)"
check "counts" "RESULT 5 4 2" "$out"
check "summary line" "run: 5 passed, 4 failed, 2 skipped" "$out"
check "missing target" "run: //d:filtered_test: expected to run, but no result (filtered out by a tag filter? not built?)" "$out"
check "failure outside the cases" "run: //b:t: FAILED with no failed test case (see its test.log)" "$out"
check "no case" "run: //c:t: passed without any test case" "$out"

# No build event file at all: every expected target is missing.
out="$(python3 "$script" --bep "$dir/absent.json" --expected "$dir/expected" --name run)"
check "no events" "RESULT 0 4 0" "$out"

if [ "$failures" != 0 ]; then
  echo "$failures checks failed"
  exit 1
fi
echo "all checks passed"
