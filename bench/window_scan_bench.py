"""Scan-to-verdict on the real window: from `submit_scan` to the verdict on screen.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/window_scan_bench.py --scans 60

Runs the demo world in-process (TEST root, reference registry on 127.0.0.1, SQLite ledger in a
temporary folder), opens the real MainWindow, waits until the judge is built, then scans the
bundled demo policy (form B text) N times, one after another, timing each from the call to
`submit_scan` to the window's `verdict_shown` signal (the verdict painted). Reports the median,
p95 and max in milliseconds; the first scan (warming caches) is reported separately. Also the
GUI thread's own CPU time per scan (`time.thread_time` of the main thread): what the window
costs around the judge, and far less sensitive to the machine's load than wall time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from desk_app import paths
from desk_app.ui.demo import start_demo
from desk_app.ui.main_window import MainWindow


def wait_for(signal, timeout_s: float = 20.0) -> object:
    loop = QEventLoop()
    box: list[object] = []

    def got(*args: object) -> None:
        box.append(args[0] if args else None)
        loop.quit()

    signal.connect(got)
    QTimer.singleShot(int(timeout_s * 1000), loop.quit)
    loop.exec()
    signal.disconnect(got)
    if not box:
        raise SystemExit(f"timed out after {timeout_s} s")
    return box[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scans", type=int, default=60)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    payload = (paths.resource("demo", "policies") / "active.b.txt").read_text("utf-8").strip()
    with tempfile.TemporaryDirectory() as tmp:
        env = start_demo(Path(tmp))
        try:
            window = MainWindow(env.settings, config_path=env.config_path)
            window.show()
            wait_for(window.judge_ready)
            times: list[float] = []
            cpu_start = 0.0
            for i in range(args.scans + 1):
                if i == 1:
                    cpu_start = time.thread_time()
                started = time.perf_counter()
                window.submit_scan(payload, "bench")
                wait_for(window.verdict_shown)
                times.append((time.perf_counter() - started) * 1000)
                app.processEvents()
            gui_cpu_ms = (time.thread_time() - cpu_start) * 1000 / args.scans
            window.shutdown()
            window.deleteLater()
        finally:
            env.stop()
    first, rest = times[0], sorted(times[1:])
    p95 = rest[min(len(rest) - 1, int(len(rest) * 0.95))]
    print(f"first scan {first:.1f} ms; next {len(rest)}: median {statistics.median(rest):.1f} ms, "
          f"p95 {p95:.1f} ms, max {rest[-1]:.1f} ms; GUI thread CPU {gui_cpu_ms:.2f} ms per scan")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
