#!/usr/bin/env bash
# The Linux packages' smoke test (stage 8 of scripts/package_linux.sh):
#   1. a fresh copy of the clean minbase Debian 11 root; `dpkg -i` the .deb there, then
#      `apt-get -f install` pulls in the declared dependencies (Depends only, no Recommends);
#   2. the installed files: owners, modes, the conffile, /usr/bin/desk-app, the .desktop entry,
#      and no bundled library left unresolved (ldd);
#   3. scripts/package_smoke.py on the INSTALLED /usr/bin/desk-app, run in that root (chroot),
#      compared with the source run here;
#   4. the .rpm: metadata, requires, config files, its payload unpacked equal to the .deb's and
#      glibc-gated again; installed, verified, reinstalled and removed in an empty rpm root;
#   5. reinstall keeps a changed config; `apt-get remove` keeps it, `purge` deletes it; per-user
#      data is never touched.
#   smoke_linux.sh BASE_ROOT DEB RPM SMOKE_ROOT GLIBC_GATE
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO="$PWD"
base="$1"; deb="$(realpath "$2")"; rpm_file="$(realpath "$3")"; root="$4"; gate="$5"
IN_ROOT="$REPO/packaging/linux/in_root.sh"
fail() { echo "smoke_linux: FAIL: $*" >&2; exit 1; }
ok() { echo "  ok   $*"; }

if [ -z "${PYTHON:-}" ]; then
  for candidate in .venv/bin/python python3; do
    if command -v "$candidate" >/dev/null 2>&1; then PYTHON="$candidate"; break; fi
  done
fi
if [[ "$PYTHON" == */* ]]; then PYTHON="$(cd "$(dirname "$PYTHON")" && pwd)/$(basename "$PYTHON")"; fi
in_chroot() {
  bash "$IN_ROOT" "$root" -- chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
    LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}

# 1 install ---------------------------------------------------------------------------------
rm -rf "$root"
cp -a "$base" "$root"
cp "$deb" "$root/root/desk-app.deb"
in_chroot sh -c 'apt-get -qq -o=Dpkg::Use-Pty=0 update' || fail "apt-get update in the fresh root"
in_chroot dpkg -i /root/desk-app.deb >/dev/null 2>&1 || true  # fails on the missing dependencies
in_chroot sh -c 'apt-get -qq -o=Dpkg::Use-Pty=0 -o APT::Install-Recommends=false -f install -y >/dev/null' \
  || fail "apt-get -f install"
status="$(in_chroot dpkg-query -W -f '${Status} ${Version}' desk-app)"
[ "$status" = "install ok installed $(dpkg-deb -f "$deb" Version)" ] || fail "dpkg says: $status"
ok "dpkg -i + apt-get -f install: $status ($(in_chroot dpkg-query -W -f '${Installed-Size}' desk-app) KiB)"

# 2 installed files -------------------------------------------------------------------------
[ "$(readlink "$root/usr/bin/desk-app")" = "/opt/desk-app/desk-app" ] || fail "/usr/bin/desk-app is not the launcher"
[ -x "$root/opt/desk-app/desk-app" ] || fail "/opt/desk-app/desk-app missing"
conf="$root/etc/desk-app/config.toml"
[ "$(stat -c '%U:%G %a' "$conf")" = "root:root 644" ] || fail "config.toml: $(stat -c '%U:%G %a' "$conf")"
[ "$(stat -c '%U:%G %a' "$root/etc/desk-app")" = "root:root 755" ] || fail "/etc/desk-app is not root's"
in_chroot dpkg-query -W -f '${Conffiles}' desk-app | grep -q '/etc/desk-app/config.toml' \
  || fail "config.toml is not a conffile"
grep -q '^Name\[ru\]=Регистратура' "$root/usr/share/applications/desk-app.desktop" || fail "no Russian name"
writable="$(find "$root/opt/desk-app" "$root/etc/desk-app" \( -perm -o+w -o ! -user root \) ! -type l | head -3)"
[ -z "$writable" ] || fail "files not root's or writable by others: $writable"
ok "files: /usr/bin/desk-app -> /opt/desk-app/desk-app, /etc/desk-app/config.toml root:root 644 conffile, .desktop in Russian"
# Every bundled ELF file finds its libraries (the declared dependencies and the bundle); the
# Wayland plugins are optional (Recommends) and not installed here.
unresolved="$(in_chroot sh -c 'cd /opt/desk-app/_internal &&
  LD_LIBRARY_PATH=/opt/desk-app/_internal:/opt/desk-app/_internal/PySide6/Qt/lib \
  find /opt/desk-app -type f \( -name "*.so*" -o -name desk-app \) ! -ipath "*wayland*" ! -name "*WlShell*" -exec ldd {} + 2>/dev/null \
  | grep "not found" | sort -u' || true)"
[ -z "$unresolved" ] || fail "libraries not found on a minimal system with the declared dependencies: $unresolved"
ok "ldd: every bundled library resolves with the declared dependencies"

# 3 the installed app -----------------------------------------------------------------------
bash "$IN_ROOT" "$root" --bind /tmp --ro-bind "$REPO" -- \
  timeout 900 "$PYTHON" scripts/package_smoke.py --root "$root" --dist /opt/desk-app --exe /usr/bin/desk-app \
  --python "$PYTHON" || fail "package_smoke.py on the installed package"

# 4 the rpm -----------------------------------------------------------------------------------
unpack="$(mktemp -d /tmp/desk-rpm-XXXXXX)"
trap 'rm -rf "$unpack"' EXIT
rpm -K --nosignature "$rpm_file" >/dev/null || fail "rpm -K: the rpm is damaged"
meta="$(rpm -qp --qf '%{NAME} %{VERSION} %{ARCH}' "$rpm_file" 2>/dev/null)"
[ "$meta" = "desk-app $(dpkg-deb -f "$deb" Version | sed 's/-.*//') x86_64" ] || fail "rpm metadata: $meta"
# (each listing is read whole before grep: grep -q stopping early would SIGPIPE rpm under pipefail)
configfiles="$(rpm -qp --configfiles "$rpm_file" 2>/dev/null)"
grep -qx /etc/desk-app/config.toml <<<"$configfiles" || fail "rpm: config.toml is not %config"
flags="$(rpm -qp --qf '[%{FILEFLAGS:fflags} %{FILENAMES}\n]' "$rpm_file" 2>/dev/null)"
grep -qx 'cn /etc/desk-app/config.toml' <<<"$flags" || fail "rpm: config.toml is not %config(noreplace)"
requires="$(rpm -qp --requires "$rpm_file" 2>/dev/null)"
grep -qx 'libxcb.so.1()(64bit)' <<<"$requires" || fail "rpm requires no libxcb: $requires"
grep -qx 'libc.so.6(GLIBC_2.28)(64bit)' <<<"$requires" || fail "rpm requires no glibc floor"
files="$(rpm -qpl "$rpm_file" 2>/dev/null)"
for path in /opt/desk-app/desk-app /usr/bin/desk-app /etc/desk-app/config.toml /usr/share/applications/desk-app.desktop; do
  grep -qx "$path" <<<"$files" || fail "rpm lacks $path"
done
mkdir -p "$unpack/rpm" "$unpack/deb"
(cd "$unpack/rpm" && rpm2cpio "$rpm_file" | cpio -idm --quiet) || fail "rpm2cpio"
dpkg-deb -x "$deb" "$unpack/deb"
diff -r --no-dereference "$unpack/deb" "$unpack/rpm" >/dev/null || fail "the rpm's files differ from the deb's"
python3 packaging/linux/glibc_gate.py "$unpack/rpm" --max "$gate" --goal "$gate" >/dev/null \
  || fail "the rpm's payload fails the glibc gate"
# rpm installs it (into an empty rpm root: no RPM distribution here, so --nodeps), keeps a
# changed config on a reinstall (%config(noreplace); a new default would arrive as .rpmnew only if
# the packaged file changed too) and saves it as .rpmsave on removal.
rroot="$unpack/rpmroot"
rpm --root "$rroot" --initdb
quiet_rpm() { "$@" 2> >(grep -v "use Alien instead\|assuming you know what you are doing" >&2); }  # Debian's rpm
quiet_rpm rpm --root "$rroot" -i --nodeps --noscripts "$rpm_file" || fail "rpm -i"
rpm --root "$rroot" -V --nodeps desk-app || fail "rpm -V after rpm -i"
[ "$(stat -c '%U:%G %a' "$rroot/etc/desk-app/config.toml")" = "root:root 644" ] || fail "rpm: config.toml mode"
echo 'id = "rpm-desk"' >>"$rroot/etc/desk-app/config.toml"
quiet_rpm rpm --root "$rroot" -U --replacepkgs --nodeps --noscripts "$rpm_file" || fail "rpm -U --replacepkgs"
grep -q '^id = "rpm-desk"$' "$rroot/etc/desk-app/config.toml" || fail "rpm reinstall overwrote the changed config"
quiet_rpm rpm --root "$rroot" -e --nodeps --noscripts desk-app || fail "rpm -e"
[ ! -e "$rroot/opt/desk-app/desk-app" ] && [ -f "$rroot/etc/desk-app/config.toml.rpmsave" ] \
  || fail "rpm -e: the program stayed or the changed config was not saved"
ok "rpm: $meta, $(wc -l <<<"$files") files equal to the deb's, $(grep -c '()(64bit)' <<<"$requires") soname requires, glibc gate; rpm -i/-V/-U/-e: the changed config kept, then saved as .rpmsave"

# 5 reinstall, removal, purge ---------------------------------------------------------------------
# dpkg treats a conffile on reinstall as on an upgrade: a changed one is kept.
echo '[desk]
id = "desk-7"' >>"$conf"
in_chroot dpkg -i /root/desk-app.deb >/dev/null 2>&1 </dev/null || fail "dpkg -i over the installed package"
grep -q '^id = "desk-7"$' "$conf" || fail "reinstall overwrote the changed /etc/desk-app/config.toml"
mkdir -p "$root/root/.local/share/desk-app" && echo kept >"$root/root/.local/share/desk-app/marker"
in_chroot sh -c 'apt-get -qq -o=Dpkg::Use-Pty=0 remove -y desk-app >/dev/null' || fail "apt-get remove"
[ ! -e "$root/opt/desk-app" ] && [ ! -e "$root/usr/bin/desk-app" ] || fail "remove left the program behind"
grep -q '^id = "desk-7"$' "$conf" || fail "remove deleted the changed config"
in_chroot sh -c 'apt-get -qq -o=Dpkg::Use-Pty=0 purge -y desk-app >/dev/null' || fail "apt-get purge"
[ ! -e "$root/etc/desk-app" ] || fail "purge left /etc/desk-app: $(ls -A "$root/etc/desk-app")"
[ -f "$root/root/.local/share/desk-app/marker" ] || fail "purge removed per-user data"
ok "reinstall keeps the changed config; remove keeps it, purge deletes it; per-user data is never touched"
echo "smoke_linux: all ok"
