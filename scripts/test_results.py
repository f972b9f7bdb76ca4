#!/usr/bin/env python3
"""Counts the test cases of one `bazel test` run, for scripts/test.sh.

Reads the run's Build Event Protocol file (--build_event_json_file): each
testResult event names a test target's shard and its test.xml, each
testSummary its overall status. Counts the <testcase> elements of every
test.xml (the last attempt of each shard): passed, failed (a <failure> or
<error> child) and skipped (a <skipped> child, result="skipped" or
status="notrun"). Then checks the run against the targets expected to run
(--expected, one label a line, from `bazel query`):

- an expected target with no result at all (filtered by a tag filter in a
  bazelrc, not built, not run) counts as one failed case;
- a target whose status is not PASSED but whose test cases all passed
  (a crash or a sanitizer report after the last case, a timeout, no XML)
  counts as one failed case;
- a target with a result but no test case counts as one failed case.

Prints each such problem, then `<name>: P passed, F failed, S skipped` and,
last, `RESULT P F S` for test.sh. Exit status 0 unless --expected cannot
be read (an unreadable build event file leaves every expected target
without a result).
"""

import argparse
import json
import sys
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET


def xml_path(uri):
    """The local path of a file:// URI from the BEP."""
    parsed = urllib.parse.urlparse(uri)
    if parsed.scheme != "file":
        return None
    return urllib.request.url2pathname(parsed.path)


def count_cases(path):
    """(passed, failed, skipped) of the <testcase> elements in path."""
    passed = failed = skipped = 0
    for case in ET.parse(path).getroot().iter("testcase"):
        if case.find("failure") is not None or case.find("error") is not None:
            failed += 1
        elif (case.find("skipped") is not None
              or case.get("result") == "skipped"
              or case.get("status") == "notrun"):
            skipped += 1
        else:
            passed += 1
    return passed, failed, skipped


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bep", required=True,
                        help="the run's --build_event_json_file")
    parser.add_argument("--expected", required=True,
                        help="file of the test labels expected to run")
    parser.add_argument("--name", required=True, help="the run's name")
    args = parser.parse_args()

    with open(args.expected, encoding="utf-8") as f:
        expected = [line.strip() for line in f if line.strip()]

    problems = []
    events = []
    try:
        with open(args.bep, encoding="utf-8") as f:
            events = [json.loads(line) for line in f if line.strip()]
    except (OSError, ValueError) as e:
        problems.append(f"unreadable build event file {args.bep}: {e}")

    # (label, run, shard) -> (attempt, status, test.xml path)
    results = {}
    summaries = {}  # label -> overallStatus
    for event in events:
        ident = event.get("id", {})
        if "testResult" in ident and "testResult" in event:
            key = ident["testResult"]
            label = key["label"]
            slot = (label, key.get("run", 1), key.get("shard", 1))
            attempt = key.get("attempt", 1)
            result = event["testResult"]
            xml = None
            for output in result.get("testActionOutput", []):
                if output.get("name") == "test.xml":
                    xml = xml_path(output.get("uri", ""))
            if slot not in results or results[slot][0] < attempt:
                results[slot] = (attempt, result.get("status", "NO_STATUS"), xml)
        elif "testSummary" in ident and "testSummary" in event:
            summaries[ident["testSummary"]["label"]] = event["testSummary"].get(
                "overallStatus", "NO_STATUS")

    passed = failed = skipped = 0
    by_label = {}
    for (label, _, _), value in results.items():
        by_label.setdefault(label, []).append(value)
    for label in expected:
        if label not in by_label and label not in summaries:
            problems.append(f"{label}: expected to run, but no result "
                            "(filtered out by a tag filter? not built?)")
            failed += 1
    for label in sorted(set(by_label) | set(summaries)):
        p = f = s = 0
        statuses = []
        for _, status, xml in by_label.get(label, []):
            statuses.append(status)
            if xml is None:
                problems.append(f"{label}: no test.xml")
                continue
            try:
                cp, cf, cs = count_cases(xml)
            except (OSError, ET.ParseError) as e:
                problems.append(f"{label}: unreadable {xml}: {e}")
                continue
            p, f, s = p + cp, f + cf, s + cs
        overall = summaries.get(label)
        if overall is None:
            overall = "PASSED" if statuses and all(
                x == "PASSED" for x in statuses) else "NO_STATUS"
        if overall not in ("PASSED", "FLAKY") and f == 0:
            problems.append(f"{label}: {overall} with no failed test case "
                            "(see its test.log)")
            f += 1
        elif overall in ("PASSED", "FLAKY") and p + f + s == 0:
            problems.append(f"{label}: passed without any test case")
            f += 1
        passed, failed, skipped = passed + p, failed + f, skipped + s

    for problem in problems:
        print(f"{args.name}: {problem}")
    print(f"{args.name}: {passed} passed, {failed} failed, {skipped} skipped")
    print(f"RESULT {passed} {failed} {skipped}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
