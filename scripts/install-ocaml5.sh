#!/usr/bin/env bash
# Fetches Debian's OCaml 5.x compilers, amd64 and arm64, with their suite's
# C library, and unpacks them into the cache folder (never into /), as
# ../shared/ORACLES.md describes. apt runs with a configuration of its own
# (sources, lists and archives under the cache): the system's apt sources
# stay as they are. Downloaded .debs are kept, so a machine that has them
# does not download again.
#
# For each suite (trixie: 5.3, sid: 5.4) and architecture it makes
#   $CAMLSYM_CACHE/ocaml5/<suite>/<arch>/            the unpacked root
#   $CAMLSYM_CACHE/ocaml5/<suite>/<arch>/oracle.env  VERSION, ROOT, LIBDIR,
#       STDLIB (the compiler's -where), CCOPTS (the -ccopt flags a link for
#       it needs) and RUN (the prefix that runs its programs)
#   $CAMLSYM_CACHE/ocaml5/<suite>/<arch>/bin/ocamlopt, ocamlobjinfo, run
#       wrappers: the suite's loader (amd64) or qemu-aarch64 -L (arm64),
#       OCAMLLIB set, and for ocamlopt the link flags of CCOPTS.
#
# Usage: scripts/install-ocaml5.sh [suite...]   (default: trixie sid)
# Exit status 1 if a suite could not be installed; the others still are.
set -uo pipefail

CAMLSYM_CACHE="${CAMLSYM_CACHE:-$HOME/.cache/camlsym}"
BASE="$CAMLSYM_CACHE/ocaml5"
suites=("$@")
[ "${#suites[@]}" -gt 0 ] || suites=(trixie sid)
packages=(ocaml ocaml-base ocaml-interp libstdlib-ocaml libstdlib-ocaml-dev
          libc6 libc6-dev libzstd1 libzstd-dev libgcc-s1)
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

# Prints the apt options for \$1 (the suite's state folder).
apt_options() {
  local t="$1"
  echo "-o Dir::Etc::SourceList=$t/apt/s.sources -o Dir::Etc::SourceParts=/dev/null" \
       "-o Dir::State::Lists=$t/apt/lists -o Dir::Cache=$t/apt/cache" \
       "-o APT::Architectures::=amd64 -o APT::Architectures::=arm64" \
       "-o Debug::NoLocking=1 -o APT::Sandbox::User=root"
}

# Downloads the .debs of suite $1 into $2/debs unless every one is there.
download() {
  local suite="$1" t="$2" a p have
  have=1
  for a in amd64 arm64; do
    for p in "${packages[@]}"; do
      compgen -G "$t/debs/${p}_*_$a.deb" >/dev/null || compgen -G "$t/debs/${p}_*_all.deb" >/dev/null || have=0
    done
  done
  [ "$have" = 1 ] && return 0
  echo "install-ocaml5: downloading Debian $suite's OCaml (amd64, arm64)" >&2
  mkdir -p "$t/apt/lists/partial" "$t/apt/cache/archives/partial" "$t/debs.partial"
  printf 'Types: deb\nURIs: http://deb.debian.org/debian\nSuites: %s\nComponents: main\nArchitectures: amd64 arm64\nSigned-By: %s\n' \
    "$suite" "$keyring" > "$t/apt/s.sources"
  # shellcheck disable=SC2046
  apt-get $(apt_options "$t") update -qq >&2 || return 1
  for a in amd64 arm64; do
    (cd "$t/debs.partial" && apt-get $(apt_options "$t") download -qq "${packages[@]/%/:$a}" 2>&1 \
       | grep -v 'unsandboxed' >&2; exit "${PIPESTATUS[0]}") || return 1
  done
  rm -rf "$t/debs" && mv "$t/debs.partial" "$t/debs"
}

# Unpacks suite folder $1's .debs for arch $2 (amd64|arm64) and writes its
# oracle.env and wrappers.
unpack() {
  local t="$1" a="$2" root="$1/$2" triple loader f version libdir stdlib
  case "$a" in amd64) triple=x86_64-linux-gnu;; arm64) triple=aarch64-linux-gnu;; esac
  rm -rf "$root.partial" && mkdir -p "$root.partial"
  for f in "$t"/debs/*_"$a".deb "$t"/debs/*_all.deb; do
    [ -f "$f" ] && { dpkg -x "$f" "$root.partial" || return 1; }
  done
  ln -sfn usr/lib "$root.partial/lib"
  [ "$a" = amd64 ] && ln -sfn usr/lib64 "$root.partial/lib64"
  rm -rf "$root" && mv "$root.partial" "$root"
  libdir="$root/usr/lib/$triple"
  version="$(ls "$libdir/ocaml" | grep -E '^[0-9]+\.[0-9]+\.[0-9]+$' | head -1)"
  [ -n "$version" ] || { echo "install-ocaml5: no OCaml in $root" >&2; return 1; }
  stdlib="$libdir/ocaml/$version"
  local ccopts="-ccopt --sysroot=$root -ccopt -B$libdir/ -ccopt -L$libdir"
  local run
  if [ "$a" = amd64 ]; then
    loader="$libdir/ld-linux-x86-64.so.2"
    ccopts="$ccopts -ccopt -Wl,--dynamic-linker=$loader -ccopt -Wl,-rpath=$libdir"
    run="$loader --library-path $libdir"
    # Programs it links carry the loader and rpath, and run directly.
    local exec_prefix=""
  else
    run="qemu-aarch64 -L $root"
    local exec_prefix="qemu-aarch64 -L $root"
  fi
  mkdir -p "$root/bin"
  cat > "$root/oracle.env" <<ENV
VERSION=$version
ARCH=$a
ROOT=$root
LIBDIR=$libdir
STDLIB=$stdlib
CCOPTS="$ccopts"
RUN="$exec_prefix"
ENV
  for tool in ocamlopt ocamlobjinfo ocamlc ocamlrun; do
    local extra=""
    [ "$tool" = ocamlopt ] && extra="$ccopts"
    local bin="$root/usr/bin/$tool.opt"
    [ -e "$bin" ] || bin="$root/usr/bin/$tool"
    printf '#!/bin/sh\n# %s %s (%s), run from the cache folder.\nOCAMLLIB=%s; export OCAMLLIB\nexec %s %s %s "$@"\n' \
      "$tool" "$version" "$a" "$stdlib" "$run" "$bin" "$extra" > "$root/bin/$tool"
    chmod +x "$root/bin/$tool"
  done
  printf '#!/bin/sh\n# Runs a program linked for OCaml %s (%s).\nexec %s "$@"\n' "$version" "$a" "$exec_prefix" > "$root/bin/run"
  chmod +x "$root/bin/run"
  echo "install-ocaml5: OCaml $version ($a) in $root" >&2
}

status=0
for suite in "${suites[@]}"; do
  t="$BASE/$suite"
  if [ -f "$t/amd64/oracle.env" ] && [ -f "$t/arm64/oracle.env" ]; then continue; fi
  if ! download "$suite" "$t"; then
    echo "install-ocaml5: cannot download Debian $suite's OCaml" >&2
    status=1; continue
  fi
  for a in amd64 arm64; do unpack "$t" "$a" || status=1; done
done
exit "$status"
