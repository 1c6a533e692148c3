"""The glibc gate: fails when any ELF file in a folder needs a GLIBC symbol version above the gate.

A program or library loads only if the C library offers every version it requires
(`Version References` in `objdump -p`: `exp@GLIBC_2.29` fails on glibc 2.28 with
"version `GLIBC_2.29' not found"). This scans every ELF file under the folder (the frozen
app, or an unpacked package), and prints:
- the highest GLIBC version needed and by which files;
- every file above the goal (the distributions we aim for), with the symbols that need it.

Exit status 0 when nothing needs more than --max, 1 when something does, 2 on usage errors.

    python3 packaging/linux/glibc_gate.py dist/linux/desk-app --max 2.28 --goal 2.28
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

DEFAULT_MAX = "2.28"  # Astra Linux SE 1.7 and RED OS 7.3
ELF_MAGIC = b"\x7fELF"
VERSION_REF = re.compile(r"^\s+0x[0-9a-f]+ 0x[0-9a-f]+ \d+ (GLIBC_\d+(?:\.\d+)+)\s*$")
DYNSYM = re.compile(r"\((GLIBC_\d+(?:\.\d+)+)\)\s+(\S+)\s*$")


def version_key(version: str) -> tuple[int, ...]:
    """'GLIBC_2.29' or '2.29' -> (2, 29)."""
    return tuple(int(part) for part in version.removeprefix("GLIBC_").split("."))


def is_elf(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(4) == ELF_MAGIC
    except OSError:
        return False


def elf_files(folder: Path) -> list[Path]:
    """Every regular ELF file under folder (symlinks are counted once, at their target)."""
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink() and is_elf(p))


def objdump(flag: str, path: Path) -> str:
    result = subprocess.run(["objdump", flag, str(path)], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"objdump {flag} {path} failed: {result.stderr.strip()}")
    return result.stdout


def required_versions(path: Path) -> set[str]:
    """The GLIBC_x.y versions the dynamic linker will demand for this file."""
    return {m.group(1) for line in objdump("-p", path).splitlines() if (m := VERSION_REF.match(line))}


def symbols_above(path: Path, floor: tuple[int, ...]) -> list[str]:
    """The undefined symbols of this file bound to a GLIBC version above floor, as name@VERSION."""
    found = set()
    for line in objdump("-T", path).splitlines():
        match = DYNSYM.search(line)
        if match and "*UND*" in line and version_key(match.group(1)) > floor:
            found.add(f"{match.group(2)}@{match.group(1)}")
    return sorted(found, key=lambda s: (version_key(s.split("@")[1]), s))


def scan(folder: Path) -> dict[Path, str]:
    """{file: the highest GLIBC version it needs} for every ELF file that needs one."""
    highest = {}
    for path in elf_files(folder):
        versions = required_versions(path)
        if versions:
            highest[path] = max(versions, key=version_key)
    return highest


def report(folder: Path, gate: str, goal: str) -> tuple[bool, dict]:
    highest = scan(folder)
    gate_key, goal_key = version_key(gate), version_key(goal)
    by_version: dict[str, list[str]] = defaultdict(list)
    for path, version in highest.items():
        by_version[version].append(str(path.relative_to(folder)))
    top = max(by_version, key=version_key) if by_version else None
    above_goal = {
        str(path.relative_to(folder)): symbols_above(path, goal_key)
        for path, version in sorted(highest.items())
        if version_key(version) > goal_key
    }
    passed = top is None or version_key(top) <= gate_key
    summary = {
        "folder": str(folder),
        "elf_files": len(elf_files(folder)),
        "files_needing_glibc": len(highest),
        "highest": top.removeprefix("GLIBC_") if top else None,
        "highest_needed_by": sorted(by_version[top]) if top else [],
        "gate": gate,
        "goal": goal,
        "files_above_goal": above_goal,
        "files_per_version": {v.removeprefix("GLIBC_"): len(f) for v, f in sorted(by_version.items(),
                                                                                key=lambda i: version_key(i[0]))},
        "passed": passed,
    }
    return passed, summary


def print_report(summary: dict) -> None:
    print(f"glibc gate: {summary['elf_files']} ELF files in {summary['folder']}, "
          f"{summary['files_needing_glibc']} need glibc")
    print("  files by the highest GLIBC version they need: "
          + ", ".join(f"{v}: {n}" for v, n in summary["files_per_version"].items()))
    print(f"  highest: GLIBC_{summary['highest']}, needed by: {', '.join(summary['highest_needed_by'][:12])}"
          + (" ..." if len(summary["highest_needed_by"]) > 12 else ""))
    if summary["files_above_goal"]:
        print(f"  above the goal {summary['goal']}:")
        for name, symbols in summary["files_above_goal"].items():
            print(f"    {name}: {', '.join(symbols)}")
    else:
        print(f"  nothing needs more than the goal, GLIBC_{summary['goal']}")
    verdict = "PASS" if summary["passed"] else "FAIL"
    print(f"glibc gate: {verdict} (gate GLIBC_{summary['gate']}, highest GLIBC_{summary['highest']})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path, help="a frozen app folder or an unpacked package")
    parser.add_argument("--max", default=DEFAULT_MAX, help=f"the gate: fail above this version (default {DEFAULT_MAX})")
    parser.add_argument("--goal", default=DEFAULT_MAX, help="list the files (and symbols) above this version")
    parser.add_argument("--json", type=Path, help="also write the report as JSON here")
    args = parser.parse_args(argv)
    if not args.folder.is_dir():
        print(f"glibc gate: {args.folder} is not a folder", file=sys.stderr)
        return 2
    for value in (args.max, args.goal):
        if not re.fullmatch(r"\d+(\.\d+)+", value):
            print(f"glibc gate: {value!r} is not a version like 2.28", file=sys.stderr)
            return 2
    passed, summary = report(args.folder.resolve(), args.max, args.goal)
    if summary["elf_files"] == 0:
        print(f"glibc gate: no ELF file in {args.folder}: nothing was checked", file=sys.stderr)
        return 1
    print_report(summary)
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
