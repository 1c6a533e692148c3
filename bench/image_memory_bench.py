"""Peak memory of `desk-app verify` reading a large image just under the 60-megapixel limit.

A 7680x7680 RGBA PNG (59 MP, transparent ground) with a demo policy's QR code in the middle,
read by the CLI in a child process; its peak resident set (ru_maxrss) and verdict are printed.
Run it against two checkouts to compare:
    PYTHONPATH=/path/to/checkout python bench/image_memory_bench.py [--side 7680] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image

import desk_app
from desk_app.devtools.renderings import render_clean
from desk_app.paths import resource as bundled


def make_png(path: Path, side: int) -> None:
    text = (bundled("demo") / "policies" / "active-ec.b.txt").read_text("ascii").strip()
    modules = render_clean(text, module_px=8)
    canvas = np.zeros((side, side, 4), np.uint8)  # transparent: shown on white only if flattened
    top = (side - modules.shape[0]) // 2
    left = (side - modules.shape[1]) // 2
    canvas[top : top + modules.shape[0], left : left + modules.shape[1], 3] = 255 - modules
    Image.fromarray(canvas, "RGBA").save(path, compress_level=1)


def peak_of_one_run(path: Path) -> tuple[float, str]:
    """(peak RSS in MB, verdict summary) of one `desk-app verify --json` in a fresh child."""
    code = (
        "import resource, subprocess, sys;"
        "p = subprocess.run([sys.executable, '-m', 'desk_app', 'verify', '--json', '--demo', sys.argv[1]],"
        " capture_output=True, text=True);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss);"
        "print(p.stdout.strip().splitlines()[-1] if p.stdout.strip() else p.stderr.strip()[-300:])"
    )
    checkout = Path(desk_app.__file__).resolve().parent.parent  # `-m` reads the cwd first: the one measured
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True,
                         cwd=checkout, env=os.environ.copy()).stdout.splitlines()  # fmt: skip
    try:
        verdict = json.loads(out[1])
        summary = f"{verdict['decision']}/{verdict['signature']}"
    except (ValueError, KeyError, IndexError):
        summary = out[1] if len(out) > 1 else "?"
    return int(out[0]) / 1024, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--side", type=int, default=7680)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "large.png"
        make_png(path, args.side)
        runs = [peak_of_one_run(path) for _ in range(args.runs)]
    peaks = sorted(mb for mb, _ in runs)
    print(f"{args.side}x{args.side} RGBA PNG ({args.side**2 / 1e6:.0f} MP), "
          f"verdicts {sorted({v for _, v in runs})}; peak RSS of `desk-app verify`: "
          f"min {peaks[0]:.0f} MB, max {peaks[-1]:.0f} MB over {args.runs} runs")


if __name__ == "__main__":
    main()
