"""How far past the PDF time budget a search runs: issue 19's 20 pages of QR finder-pattern
look-alikes (no code anywhere), searched until the 5 s budget runs out.

    PYTHONPATH=/path/to/checkout python bench/pdf_budget_bench.py [--runs 3]

Prints, per run, the search's wall time from the moment the child has opened the file (when
the budget starts) and the whole call's, and how far the search ran past the budget.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from desk_app.scanner import files, pdf_sandbox


def _finder_page(seed: int):
    import random

    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    page = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(page)
    for _ in range(400):
        m = rng.randint(2, 9)
        x, y = rng.randint(0, 1240 - 7 * m), rng.randint(0, 1754 - 7 * m)
        draw.rectangle((x, y, x + 7 * m - 1, y + 7 * m - 1), fill=0)
        draw.rectangle((x + m, y + m, x + 6 * m - 1, y + 6 * m - 1), fill=255)
        draw.rectangle((x + 2 * m, y + 2 * m, x + 5 * m - 1, y + 5 * m - 1), fill=0)
    return page


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "finders.pdf"
        pages = [_finder_page(i) for i in range(20)]
        pages[0].save(pdf, "PDF", save_all=True, append_images=pages[1:], resolution=150.0)
        overruns = []
        for _ in range(args.runs):
            called = time.perf_counter()
            with pdf_sandbox.PdfRenderer(pdf) as renderer:
                begun = time.perf_counter()
                try:
                    files._search_pdf(renderer)
                    outcome = "found?"
                except files.PdfTimeBudgetExceeded as exc:
                    outcome = str(exc)
                ended = time.perf_counter()
            overrun = ended - begun - files.PDF_TIME_BUDGET_S
            overruns.append(overrun)
            print(f"search {ended - begun:.2f} s (call {ended - called:.2f} s), past the budget by {overrun:.2f} s; "
                  f"{outcome}")
    print(f"median overrun {statistics.median(overruns):.2f} s, max {max(overruns):.2f} s over {args.runs} runs")


if __name__ == "__main__":
    main()
