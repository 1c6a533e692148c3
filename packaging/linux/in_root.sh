#!/usr/bin/env bash
# Runs a command with a Debian root ready for chroot: in a private mount namespace (so nothing
# is left mounted when the command ends, even on failure), with /proc, /sys, /dev, /dev/pts and
# /dev/shm mounted in ROOT, the host's resolv.conf copied in, and each --bind DIR (read-write) or
# --ro-bind DIR mounted at the same path inside ROOT. The command runs on the host side; start it
# with `chroot ROOT` to run inside. Used by scripts/package_linux.sh.
#
#   packaging/linux/in_root.sh ROOT [--bind DIR]... [--ro-bind DIR]... -- COMMAND [ARG]...
set -euo pipefail

if [ -z "${_DESK_IN_ROOT_NS:-}" ]; then
  # Re-run in a new mount namespace whose mounts never propagate to the host.
  exec env _DESK_IN_ROOT_NS=1 unshare --mount --propagation private -- bash "$0" "$@"
fi
unset _DESK_IN_ROOT_NS

root="$(realpath "$1")"; shift
[ -x "$root/bin/sh" ] || { echo "in_root: $root is not a Debian root" >&2; exit 2; }
binds=(); ro_binds=()
while [ $# -gt 0 ]; do
  case "$1" in
    --bind) binds+=("$(realpath "$2")"); shift 2 ;;
    --ro-bind) ro_binds+=("$(realpath "$2")"); shift 2 ;;
    --) shift; break ;;
    *) echo "in_root: unknown option $1" >&2; exit 2 ;;
  esac
done
[ $# -gt 0 ] || { echo "in_root: no command" >&2; exit 2; }

mount -t proc proc "$root/proc"
mount -t sysfs sysfs "$root/sys"
mount --rbind /dev "$root/dev"
cp -L /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
for dir in "${binds[@]}" "${ro_binds[@]}"; do
  mkdir -p "$root$dir"
  mount --bind "$dir" "$root$dir"
done
for dir in "${ro_binds[@]}"; do
  mount -o remount,bind,ro "$root$dir"
done
"$@"
