"""The memory a Qt application gains from X11 key events alone, with or without Python filters.

A bare focused QWidget on a private Xvfb receives the same scans by XTEST as in
bench/wedge_endurance_bench.py (a ~1,300-character form-B code, Shift around capitals), with
`--filters` trivial Python application event filters installed (0: none at all; the keyboard
wedge is not involved). RSS is read after `gc.collect()` and `malloc_trim(0)` every 20 scans.
It is the baseline against which the endurance bench's RSS growth is read: what Qt's own X11
key handling keeps, which no code of the desk can avoid.

    python bench/wedge_x11_baseline_bench.py --filters 0 --scans 60
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import os
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from desk_app.devtools.x11_keys import XTestKeyboard, private_xvfb
from desk_app.paths import resource


def rss_mb() -> float:
    gc.collect()
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    with open("/proc/self/status") as f:  # anonymous memory: file pages come and go with reclaim
        return next(int(line.split()[1]) for line in f if line.startswith("RssAnon:")) / 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--filters", type=int, default=0, help="trivial Python application event filters")
    parser.add_argument("--scans", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=5)
    args = parser.parse_args()
    text = resource("demo", "policies", "active-ec.b.txt").read_text("ascii").strip()
    with private_xvfb("us,ru") as server:
        os.environ["DISPLAY"] = server.display
        os.environ["QT_QPA_PLATFORM"] = "xcb"
        from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer
        from PySide6.QtWidgets import QApplication, QWidget

        app = QApplication([])
        widget = QWidget()
        widget.resize(300, 100)
        widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        widget.show()
        widget.activateWindow()
        widget.setFocus()

        class Trivial(QObject):
            def eventFilter(self, watched: QObject, event: QEvent) -> bool:
                event.type()
                return False

        filters = [Trivial() for _ in range(args.filters)]
        for f in filters:
            app.installEventFilter(f)

        def wait_until(predicate: object, timeout_s: float) -> None:
            deadline = time.monotonic() + timeout_s
            while not predicate() and time.monotonic() < deadline:  # type: ignore[operator]
                loop = QEventLoop()
                QTimer.singleShot(5, loop.quit)
                loop.exec()

        wait_until(widget.isActiveWindow, 10)
        keyboard = XTestKeyboard(server.display)
        done = [0]
        target = [args.warmup]

        def injector() -> None:
            while done[0] < args.warmup + args.scans:
                while done[0] >= target[0]:
                    time.sleep(0.01)
                keyboard.scanner_types(text, ms_per_char=1, hold_ms=0)
                done[0] += 1

        threading.Thread(target=injector, daemon=True).start()
        wait_until(lambda: done[0] >= args.warmup, 300)
        wait_until(lambda: False, 0.3)
        start = rss_mb()
        print(f"{args.filters} Python filter(s), {len(text)}-character scans; RSS {start:.1f} MB after "
              f"{args.warmup} warm-up scans", flush=True)
        while target[0] < args.warmup + args.scans:
            target[0] = min(target[0] + 20, args.warmup + args.scans)
            wait_until(lambda: done[0] >= target[0], 300)
            wait_until(lambda: False, 0.3)
            print(f"  after {target[0] - args.warmup} scans: {rss_mb() - start:+.2f} MB", flush=True)
        growth = rss_mb() - start
        print(f"growth {growth:+.2f} MB over {args.scans} scans = {growth * 1000 / args.scans:.1f} kB per scan")
        keyboard.close()
        widget.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
