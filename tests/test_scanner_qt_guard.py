"""After stop(), a worker thread that lingers can no longer emit on the adapter's QObject."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Signal

from desk_app.scanner.qt_guard import EmitGuard


class _Adapter(QObject):
    ping = Signal(int)


def test_no_emit_after_close_even_from_a_running_thread(qtbot) -> None:
    adapter = _Adapter()
    guard = EmitGuard()
    received: list[int] = []
    adapter.ping.connect(received.append)
    stop = threading.Event()
    sent_after_close: list[int] = []
    closed = threading.Event()

    def worker() -> None:
        i = 0
        while not stop.is_set():
            guard.emit(adapter.ping, i)
            if closed.is_set():
                sent_after_close.append(i)
            i += 1

    thread = threading.Thread(target=worker)
    thread.start()
    qtbot.waitUntil(lambda: len(received) > 10, timeout=5000)
    guard.close()
    closed.set()
    count = len(received)
    qtbot.wait(100)  # let queued deliveries drain
    drained = len(received)
    qtbot.wait(100)
    stop.set()
    thread.join(5)
    assert sent_after_close  # the thread kept calling emit after close...
    assert len(received) == drained >= count  # ...but nothing more was delivered
