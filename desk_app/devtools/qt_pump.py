"""Waiting inside a Qt program without leaking: one event loop and one timer for every wait.

Benchmarks that poll a condition every few milliseconds must not grow the memory they measure.
The usual idiom, a new `QEventLoop` and `QTimer.singleShot(ms, loop.quit)` per wait, leaks
about 150 bytes a call in PySide6 6.11.3 (a bound method passed without a context object, with
a non-zero delay); at 200 waits a second that was most of the RSS growth the keyboard-wedge
benches once reported (docs/performance.md, "Keyboard wedge").
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEventLoop, Qt, QTimer


class EventPump:
    """Runs the Qt event loop in short slices until a condition holds or a time runs out."""

    def __init__(self, slice_ms: int = 5) -> None:
        self.slice_ms = slice_ms
        self._loop = QEventLoop()
        self._timer = QTimer()
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._loop.quit)

    def run_for(self, ms: int) -> None:
        """Process events for about `ms` milliseconds (one slice)."""
        self._timer.start(max(0, ms))
        self._loop.exec()

    def wait_until(self, predicate: Callable[[], object], timeout_s: float) -> bool:
        """True once `predicate()` is true; False if `timeout_s` passed first."""
        deadline = time.monotonic() + timeout_s
        while not predicate():
            if time.monotonic() > deadline:
                return False
            self.run_for(self.slice_ms)
        return True
