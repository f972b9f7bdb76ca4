#!/bin/sh
# Each verb's --help lists every flag its parser takes, and takes every flag
# it lists. The flags a parser takes are the flag literals of its source
# ("--json", "-o", "--units=": the strings it compares arguments with) that
# the verb does not refuse as an unknown option (startup shares link's
# parser but not its link-only flags); the flags a help lists are the first
# words of its flag lines (lines starting with two spaces and a dash, up to
# the description: "  -o FILE    ...", "  --shared, -shared    ...").
#
#   verb_help_test.sh   (run by Bazel: the binary and the parsers' sources
#                        are data)
set -u
bin="${TEST_SRCDIR}/${TEST_WORKSPACE}/camlsym"
src="${TEST_SRCDIR}/${TEST_WORKSPACE}/tools"
fail=0

# source_flags FILE: the flag literals of FILE, one a line, without a
# trailing '=' (--units= is the --units flag).
source_flags() {
  grep -o '"-[-a-zA-Z][-a-zA-Z0-9_]*=\{0,1\}"' "$1" | tr -d '"' |
    sed 's/=$//' | sort -u
}

# help_flags TEXT: the flags of the help's flag lines, one a line.
help_flags() {
  printf '%s\n' "$1" | grep '^  -' |
    sed 's/^  //; s/   *.*$//; s/  .*$//' | tr ',' '\n' |
    sed 's/^ *//; s/[ =].*$//' | grep '^-' | sort -u
}

# check VERB SOURCE...: the verb's help against its parsers' flags.
check() {
  verb="$1"; shift
  help="$("$bin" "$verb" --help)" || {
    echo "FAIL: camlsym $verb --help exits $?"; fail=1; return; }
  taken=""
  for flag in $(for f in "$@"; do source_flags "$src/$f"; done | sort -u); do
    if ! "$bin" "$verb" "$flag" </dev/null 2>&1 >/dev/null |
        grep -qF "unknown option '$flag'"; then
      taken="$taken$flag
"
    fi
  done
  [ -n "$taken" ] || { echo "FAIL: no flags found in $*"; fail=1; return; }
  listed="$(help_flags "$help")"
  for flag in $taken; do
    printf '%s\n' "$listed" | grep -qxF -- "$flag" || {
      echo "FAIL: camlsym $verb takes $flag but its --help does not list it"
      fail=1
    }
  done
  for flag in $listed; do
    printf '%s\n' "$taken" | grep -qxF -- "$flag" || {
      echo "FAIL: camlsym $verb --help lists $flag, which its parser does not take"
      fail=1
    }
  done
}

check demangle demangle_command.cc
check inspect inspect_command.cc
check startup ocamlopt_flags.cc
check link ocamlopt_flags.cc

# `--` ends the options: what follows is a symbol, or a file.
out="$("$bin" demangle -- --json)"
[ "$out" = "--json" ] || { echo "FAIL: demangle -- --json printed [$out]"; fail=1; }
err="$("$bin" inspect -- -no-such.cmx 2>&1 >/dev/null)"
case "$err" in
  *"unknown option"*) echo "FAIL: inspect -- -no-such.cmx: $err"; fail=1 ;;
  *-no-such.cmx*) ;;
  *) echo "FAIL: inspect -- -no-such.cmx does not name the file: $err"; fail=1 ;;
esac
exit $fail
