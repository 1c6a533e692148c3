"""Wall time of reading an ordinary 2-page policy PDF (code on page 2) with `payloads_from_file`.

Run it against two checkouts to see what the pdfium child process costs:
    PYTHONPATH=/path/to/checkout python bench/pdf_sandbox_bench.py [--runs 10]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from PIL import Image

from desk_app.devtools.renderings import render_clean
from desk_app.scanner.files import payloads_from_file


def make_pdf(folder: Path) -> Path:
    blank = Image.new("L", (1240, 1754), 255)
    page = blank.copy()
    page.paste(Image.fromarray(render_clean("OMS1:BENCH-PAGE-TWO", module_px=5)), (300, 300))
    path = folder / "policy.pdf"
    blank.save(path, "PDF", save_all=True, append_images=[page], resolution=150.0)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        pdf = make_pdf(Path(tmp))
        assert payloads_from_file(pdf) == [b"OMS1:BENCH-PAGE-TWO"]  # warm-up: imports, first render
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            payloads_from_file(pdf)
            times.append(time.perf_counter() - start)
    print(f"2-page PDF, code on page 2: median {statistics.median(times) * 1000:.0f} ms, "
          f"min {min(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms over {args.runs} runs")


if __name__ == "__main__":
    main()
