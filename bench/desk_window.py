"""Shared by the window benches (no bench here): the desk window shown as a receptionist finds it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def show_scanning_window(window: Any, wait_until: Callable[..., bool]) -> None:
    """Show `window` (a MainWindow), wait for its judge, start its scanners (the wedge filter, a
    configured serial port) and give it the keyboard focus; fails loudly if any step does not come."""
    from desk_app.ui.scanning import start_scanners

    ready: list[bool] = []
    window.judge_ready.connect(lambda: ready.append(True))
    window.show()
    assert wait_until(lambda: bool(ready), 60), "the judge did not get ready"
    start_scanners(window)
    window.activateWindow()
    assert wait_until(window.isActiveWindow, 20), "the window did not get the keyboard focus"
