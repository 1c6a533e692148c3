#!/usr/bin/env bash
# Sets up everything the app and its tests need on a fresh Debian/Ubuntu machine:
# system libraries (apt) and a virtual environment in .venv with the app installed.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  libzbar0            # pyzbar's shared library
  postgresql          # the multi-desk ledger's server (tests start a private one)
  libgl1 libegl1 libglib2.0-0 libfontconfig1 libdbus-1-3 fonts-dejavu-core
  libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0
  libxcb-render-util0 libxcb-image0 libxcb-xinerama0 libxcb-randr0
  binutils            # objdump, needed by PyInstaller
  xvfb                # a virtual screen for screenshots and the X11 keyboard-wedge tests
  xdotool libxtst6    # XTEST: real X11 key events for the keyboard-wedge tests and bench
  x11-xkb-utils       # setxkbmap: the us,ru layouts of the keyboard-wedge tests
  libengine-gost-openssl  # OpenSSL's GOST engine: the reference in tests/verify/test_gost_engine_primitives.py
  libxml2-utils       # xmllint --exc-c14n: the outside canonicalizer of tests/verify/test_verify_gost_openssl.py
  openssl             # the openssl command those GOST tests drive
  debootstrap unzip   # scripts/package_windows.sh and package_linux.sh: the trixie / bullseye roots; the embeddable Python
  gcc libc6-dev zlib1g-dev  # tests/packaging: real ELF files for the glibc gate
  rpm rpm2cpio cpio   # scripts/package_linux.sh: the .rpm's checks
)

missing=()
if command -v dpkg >/dev/null 2>&1; then
  for p in "${APT_PACKAGES[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "setup: installing system packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e ".[dev]"
echo "setup: ready (.venv)"
