"""The benches' event pump waits thousands of times without leaving anything behind."""

from __future__ import annotations

import gc
import tracemalloc

from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from desk_app.devtools.qt_pump import EventPump

WAITS = 3000


def _traced_growth(wait: object) -> int:
    for _ in range(200):  # warm up
        wait()  # type: ignore[operator]
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(WAITS):
            wait()  # type: ignore[operator]
        gc.collect()
        return tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()


def test_waiting_allocates_nothing_that_outlives_the_wait(qtbot: QtBot) -> None:
    """3,000 one-millisecond waits keep under 12 kB of Python memory (the per-wait
    `QEventLoop` + `QTimer.singleShot(1, loop.quit)` idiom keeps ~60 bytes a wait in PySide6
    6.11.3, ~180 kB here)."""
    pump = EventPump()
    growth = _traced_growth(lambda: pump.run_for(1))
    assert growth < 12_000, f"{growth} bytes kept over {WAITS} waits"


def test_wait_until_returns_when_the_condition_holds_or_the_time_is_up(qtbot: QtBot) -> None:
    pump = EventPump()
    fired: list[bool] = []
    QTimer.singleShot(20, lambda: fired.append(True))
    assert pump.wait_until(lambda: fired, 5.0)
    assert not pump.wait_until(lambda: False, 0.05)
