#!/usr/bin/env bash
# Installs what camlsym needs to build and test, and only what is missing.
# Idempotent: a second run does nothing but check.
#
# - Debian packages: Bazel 4.2.3 and rules_java, Abseil, fmt, GoogleTest,
#   GoogleMock, Google Benchmark, libelf, OpenSSL's libcrypto (libssl-dev,
#   for MD5), the host OCaml 4.13.1 compiler and
#   its compiler-libs, the AArch64 cross binutils and gcc, qemu-user, and
#   LLVM (llvm-mc and llvm-nm, for the aarch64-macos startup check) unless
#   an llvm-mc is already on PATH, mold and lld (the linkers `camlsym
#   link` uses by default when they are installed: mold for a link of a
#   few files, lld from 100; tests/linkers_test links with each linker
#   GCC's -fuse-ld= knows; bfd and gold come with binutils).
# - Debian's arm64 OCaml 4.13.1 (ocaml, ocaml-base, ocaml-compiler-libs),
#   unpacked with `dpkg -x` into "$CAMLSYM_CACHE/arm64-ocaml" (never into /).
# - Debian's OCaml 5.3 (trixie) and 5.4 (sid), amd64 and arm64, with their
#   suite's libc: scripts/install-ocaml5.sh, into "$CAMLSYM_CACHE/ocaml5".
#
# CAMLSYM_CACHE defaults to ~/.cache/camlsym.
set -euo pipefail

CAMLSYM_CACHE="${CAMLSYM_CACHE:-$HOME/.cache/camlsym}"
ARM64_ROOT="$CAMLSYM_CACHE/arm64-ocaml"

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

packages=(
  bazel-bootstrap bazel-rules-java
  libabsl-dev libfmt-dev libgtest-dev libgmock-dev libbenchmark-dev libelf-dev
  libssl-dev
  ocaml-nox ocaml-compiler-libs
  binutils-aarch64-linux-gnu gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user
  clang-format time
  mold lld
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# LLVM's assembler from any source will do; Debian's `llvm` if there is none.
if ! command -v llvm-mc >/dev/null || ! command -v llvm-nm >/dev/null; then
  missing+=(llvm)
fi

apt_updated=0
apt_update() {
  if [ "$apt_updated" = 0 ]; then
    $SUDO apt-get update -qq
    apt_updated=1
  fi
}

if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}" >&2
  apt_update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# The arm64 OCaml tree, unpacked into the cache.
if [ ! -x "$ARM64_ROOT/usr/bin/ocamlopt.opt" ] || [ ! -f "$ARM64_ROOT/usr/lib/ocaml/stdlib.cmxa" ] \
   || [ ! -f "$ARM64_ROOT/usr/lib/ocaml/compiler-libs/ocamlcommon.cmxa" ]; then
  echo "install-deps: unpacking Debian's arm64 OCaml into $ARM64_ROOT" >&2
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    $SUDO dpkg --add-architecture arm64
    apt_updated=0
  fi
  apt_update
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && apt-get download -qq ocaml:arm64 ocaml-base:arm64 ocaml-compiler-libs:arm64 >&2)
  rm -rf "$ARM64_ROOT.partial"
  mkdir -p "$ARM64_ROOT.partial"
  for deb in "$tmp"/*.deb; do dpkg -x "$deb" "$ARM64_ROOT.partial"; done
  rm -rf "$ARM64_ROOT"
  mv "$ARM64_ROOT.partial" "$ARM64_ROOT"
fi

# OCaml 5.x oracles (Debian trixie and sid). A suite that cannot be had
# (no network, sid in flux) is reported; the tests that need it say so.
"$(dirname "$0")/install-ocaml5.sh" || echo "install-deps: OCaml 5.x oracles incomplete (see above)" >&2
