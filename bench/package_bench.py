"""Start-up of the frozen package (dist/desk-app) next to the same commands from source.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/package_bench.py --runs 7

Each figure is the median wall time of N process launches, from spawn to exit (for the
window: to the ready marker on stdout, with DESK_APP_EXIT_WHEN_READY=1), in a private home.
Build the package first (`make package`).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POLICY_TEXT = ROOT / "resources" / "demo" / "policies" / "active.b.txt"
POLICY_PNG = ROOT / "resources" / "demo" / "policies" / "active.png"
MARKER = "desk-app: ready"


def wall(argv: list[str], env: dict[str, str], until_marker: bool = False) -> float:
    started = time.perf_counter()
    if not until_marker:
        subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, timeout=120)
        return time.perf_counter() - started
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    elapsed = float("nan")
    for line in proc.stdout:
        if line.startswith(MARKER):
            elapsed = time.perf_counter() - started
            break
    proc.wait(timeout=60)
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--dist", type=Path, default=ROOT / "dist" / "desk-app")
    args = parser.parse_args()
    exe = args.dist / "desk-app"
    if not exe.exists():
        print("build the package first: make package", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="desk-bench-") as tmp:
        home = Path(tmp)
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
            "DESK_APP_EXIT_WHEN_READY": "1",
            **{var: str(home / sub) for var, sub in (("XDG_CONFIG_HOME", "c"), ("XDG_DATA_HOME", "d"),
                                                      ("XDG_STATE_HOME", "s"), ("XDG_CONFIG_DIRS", "e"))},
        }
        data = ["--offline", "--demo", "--data-dir", str(home / "data")]  # demo mode: the demo root verifies
        rows = []
        for label, program in (("frozen", [str(exe)]), ("source", [sys.executable, "-m", "desk_app"])):
            cases = {
                "--version": ([*program, "--version"], False),
                "verify --json (text)": ([*program, "verify", "--json", *data, str(POLICY_TEXT)], False),
                "verify --json (PNG)": ([*program, "verify", "--json", *data, str(POLICY_PNG)], False),
                "window ready (demo)": ([*program, "demo", "--no-sounds", "--data-dir", str(home / "demo")], True),
            }
            for name, (argv, marker) in cases.items():
                wall(argv, env, marker)  # warm the page cache once
                times = [wall(argv, env, marker) for _ in range(args.runs)]
                rows.append((label, name, statistics.median(times), min(times), max(times)))
    print(f"| build | command | median | min | max |  (runs: {args.runs})")
    print("|---|---|---|---|---|")
    for label, name, median, low, high in rows:
        print(f"| {label} | {name} | {median:.3f} s | {low:.3f} s | {high:.3f} s |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
