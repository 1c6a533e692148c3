"""The window's one dispatcher: after close(), a worker thread that lingers can no longer post
to the GUI thread (an emit on a QObject being destroyed crashes the process), and a callback
that raises is reported to the listeners the tests use to fail."""

from __future__ import annotations

import threading

import pytest

from desk_app.ui import tasks
from desk_app.ui.tasks import Dispatcher


def test_no_post_after_close_even_from_a_running_thread(qtbot) -> None:
    dispatcher = Dispatcher()
    received: list[int] = []
    stop = threading.Event()
    sent_after_close: list[int] = []
    closed = threading.Event()

    def worker() -> None:
        i = 0
        while not stop.is_set():
            dispatcher.post(received.append, i)
            if closed.is_set():
                sent_after_close.append(i)
            i += 1

    thread = threading.Thread(target=worker)
    thread.start()
    qtbot.waitUntil(lambda: len(received) > 10, timeout=5000)
    dispatcher.close()
    closed.set()
    count = len(received)
    qtbot.wait(100)  # let queued deliveries drain
    drained = len(received)
    qtbot.wait(100)
    stop.set()
    thread.join(5)
    assert sent_after_close  # the thread kept posting after close...
    assert len(received) == drained >= count  # ...but nothing more was delivered


@pytest.mark.expect_log_warnings
@pytest.mark.gui_callback_may_fail
def test_a_failing_callback_is_reported_not_swallowed(qtbot) -> None:
    dispatcher = Dispatcher()
    failures: list[BaseException] = []
    tasks.callback_failure_listeners.append(failures.append)
    after: list[int] = []
    try:
        dispatcher.post(lambda _v: 1 / 0)
        dispatcher.post(after.append, 7)  # the dispatcher goes on with the next callback
        qtbot.waitUntil(lambda: after == [7], timeout=5000)
    finally:
        tasks.callback_failure_listeners.remove(failures.append)
    assert len(failures) == 1 and isinstance(failures[0], ZeroDivisionError)
