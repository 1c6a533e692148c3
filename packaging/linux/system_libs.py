"""The system libraries a frozen app needs from the machine, checked against what the package declares.

Every ELF file in the one-folder app names the shared libraries it needs (`NEEDED` in
`objdump -p`). Those not bundled in the folder must come from the system, so the package must
declare them:
- the .rpm as soname capabilities (`libxcb-cursor.so.0()(64bit)`), which every RPM distribution
  (RED OS, ALT, ROSA, Fedora) provides under the same name whatever its package is called;
- the .deb as Debian package names (Astra Linux uses Debian's), found with `dpkg -S` in the
  build root (--dpkg-root).
A library needed only by the Wayland plugins is optional (Recommends): the desk runs on X11.

Exit status 1 when a needed library is not declared, or a declared one is not needed (a stale
list), with the fix printed; 0 when the lists match.

    python3 packaging/linux/system_libs.py dist/linux/desk-app packaging/linux/nfpm.yaml \
        --dpkg-root /var/cache/desk-app-build/bullseye/build-root
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

# The C library itself: declared once as its version floor (libc6 >= 2.28, libc.so.6(GLIBC_2.28)).
GLIBC = {
    "libc.so.6", "libm.so.6", "libpthread.so.0", "libdl.so.2", "librt.so.1", "libutil.so.1",
    "ld-linux-x86-64.so.2", "libresolv.so.2", "libcrypt.so.1", "libanl.so.1",
}
OPTIONAL_USERS = re.compile(r"(wayland|WlShell)", re.IGNORECASE)
NEEDED = re.compile(r"^\s+NEEDED\s+(\S+)\s*$")
RPM_CAPABILITY = re.compile(r"^(\S+\.so[.\d]*)\(\)\(64bit\)$")


def elf_files(folder: Path) -> list[Path]:
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as handle:
                if handle.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def needed(path: Path) -> list[str]:
    out = subprocess.run(["objdump", "-p", str(path)], capture_output=True, text=True, check=True).stdout
    return [m.group(1) for line in out.splitlines() if (m := NEEDED.match(line))]


def external_libraries(folder: Path) -> dict[str, list[str]]:
    """{soname: [bundle files needing it]} for every library the folder does not hold itself."""
    bundled = {p.name for p in folder.rglob("*")}
    users: dict[str, list[str]] = defaultdict(list)
    for path in elf_files(folder):
        for soname in needed(path):
            if soname not in bundled and soname not in GLIBC:
                users[soname].append(str(path.relative_to(folder)))
    return dict(sorted(users.items()))


def split_optional(users: dict[str, list[str]]) -> tuple[set[str], set[str]]:
    """(required, optional) sonames: optional when every user is a Wayland plugin or library."""
    optional = {name for name, files in users.items() if all(OPTIONAL_USERS.search(f) for f in files)}
    return set(users) - optional, optional


def deb_package(soname: str, dpkg_root: Path) -> str:
    """The Debian package providing soname in the build root (`dpkg -S`)."""
    result = subprocess.run(
        ["chroot", str(dpkg_root), "dpkg", "-S", f"*/{soname}"], capture_output=True, text=True, check=False
    )
    packages = sorted({line.split(":", 1)[0] for line in result.stdout.splitlines() if ":" in line})
    if result.returncode != 0 or not packages:
        raise SystemExit(f"system_libs: no package in {dpkg_root} provides {soname}")
    return packages[0]


def declared(nfpm_yaml: Path) -> dict[str, set[str]]:
    """The dependency lists of nfpm.yaml without a YAML library: deb/rpm depends and recommends.

    The file keeps them as `# deps:<packager>:<field>` marked block lists (see nfpm.yaml); an item
    commented `# not a library` (fonts) is not compared.
    """
    lists: dict[str, set[str]] = defaultdict(set)
    current = None
    for line in nfpm_yaml.read_text(encoding="utf-8").splitlines():
        marker = re.search(r"#\s*deps:(\w+:\w+)\s*$", line)
        if marker:
            current = marker.group(1)
            continue
        item = re.match(r"^\s*-\s*\"?([^\"#]+?)\"?\s*(#.*)?$", line)
        if current and item:
            if "not a library" not in (item.group(2) or ""):
                lists[current].add(item.group(1).strip())
        elif current and line.strip() and not line.strip().startswith("#"):
            current = None
    return lists


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("nfpm_yaml", type=Path)
    parser.add_argument("--dpkg-root", type=Path, required=True, help="the Debian root the app was built in")
    args = parser.parse_args(argv)

    users = external_libraries(args.folder)
    required, optional = split_optional(users)
    lists = declared(args.nfpm_yaml)
    problems = []

    def compare(what: str, want: set[str], have: set[str]) -> None:
        if want - have:
            problems.append(f"{what}: add {sorted(want - have)}")
        if have - want:
            problems.append(f"{what}: not needed any more, remove {sorted(have - want)}")

    rpm_have = {c for c in lists["rpm:depends"] if RPM_CAPABILITY.match(c)}
    compare("rpm depends", {f"{s}()(64bit)" for s in required}, rpm_have)
    compare("rpm recommends", {f"{s}()(64bit)" for s in optional}, lists["rpm:recommends"])
    deb_required = {deb_package(s, args.dpkg_root) for s in required}
    deb_optional = {deb_package(s, args.dpkg_root) for s in optional} - deb_required
    compare("deb depends", deb_required, {d.split()[0] for d in lists["deb:depends"]} - {"libc6"})
    compare("deb recommends", deb_optional, {d.split()[0] for d in lists["deb:recommends"]})

    print(f"system libraries: {len(required)} required, {len(optional)} optional (Wayland only)")
    for soname, files in users.items():
        kind = "optional" if soname in optional else "required"
        print(f"  {soname:32} {kind:8} {deb_package(soname, args.dpkg_root):24} {files[0]}"
              + (f" (+{len(files) - 1})" if len(files) > 1 else ""))
    for problem in problems:
        print(f"system_libs: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
