"""The Qt binding the app runs on must not corrupt Python's reference counts.

PySide6 6.12.0 released a reference to True on every Signal.emit(); after a few thousand
signals (an ordinary morning at a desk) the interpreter aborted with "bool_dealloc".
"""

from __future__ import annotations

import gc
import sys

from PySide6.QtCore import QObject, Signal, Slot


class _Relay(QObject):
    posted = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.seen = 0
        self.posted.connect(self._receive)

    @Slot(object)
    def _receive(self, value: object) -> None:
        self.seen += 1


def test_signal_emit_keeps_bool_reference_counts(qapp) -> None:
    relay = _Relay()
    gc.collect()
    before = (sys.getrefcount(True), sys.getrefcount(False))
    for i in range(200):
        relay.posted.emit(lambda i=i: i)
    gc.collect()
    after = (sys.getrefcount(True), sys.getrefcount(False))
    assert relay.seen == 200
    assert abs(after[0] - before[0]) < 20 and abs(after[1] - before[1]) < 20, (before, after)
