"""Start-up to a ready window: median of N launches of `desk-app demo` (or `gui`) until it prints
the ready marker (DESK_APP_EXIT_WHEN_READY=1 makes the window report and quit once shown).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/startup_bench.py --runs 7 [--mode gui]

The time is measured from process spawn (interpreter start, imports, demo registry start,
window construction) to the marker on stdout.
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

MARKER = "desk-app: ready"


def launch(mode: str, home: Path) -> float:
    env = {
        **os.environ,
        "DESK_APP_EXIT_WHEN_READY": "1",
        "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_STATE_HOME": str(home / "state"),
    }
    args = [sys.executable, "-m", "desk_app", mode]
    started = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith(MARKER):
            elapsed = time.perf_counter() - started
            break
    else:
        raise SystemExit(f"no ready marker from {' '.join(args)} (exit {proc.wait()})")
    proc.wait(timeout=30)
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--mode", choices=("demo", "gui"), default="demo")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        launch(args.mode, home)  # warm the OS file cache and the demo data folder
        times = [launch(args.mode, home) for _ in range(args.runs)]
    print(f"mode={args.mode} runs={args.runs} median={statistics.median(times):.3f}s "
          f"min={min(times):.3f}s max={max(times):.3f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
