"""desk_app.worker: one lifecycle (start, stop, wait), a stop-aware sleep, a doubling backoff and
a catch-all that reports a dying thread instead of letting it vanish; and the window's
`threading.excepthook` (desk_app.ui.background_reports) for threads that are not workers."""

from __future__ import annotations

import threading
import time

import pytest

from desk_app.worker import Backoff, Worker


class _Counting(Worker):
    thread_name = "counting"

    def __init__(self, fail_after: int | None = None) -> None:
        super().__init__()
        self.ticks = 0
        self.fail_after = fail_after
        self.reported: list[BaseException] = []

    def run(self) -> None:
        while not self.stopping:
            self.ticks += 1
            if self.fail_after is not None and self.ticks >= self.fail_after:
                raise OSError("disk full")
            self.sleep(0.01)

    def failed(self, exc: BaseException) -> None:
        self.reported.append(exc)


def test_backoff_doubles_to_its_cap_and_resets() -> None:
    backoff = Backoff(0.5, 3.0)
    assert [backoff.next() for _ in range(5)] == [0.5, 1.0, 2.0, 3.0, 3.0]
    backoff.reset()
    assert backoff.next() == 0.5


def test_a_worker_starts_runs_and_stops_at_once_even_while_sleeping() -> None:
    worker = _Counting()
    worker.start()
    with pytest.raises(RuntimeError, match="already started"):
        worker.start()
    deadline = time.monotonic() + 5
    while worker.ticks < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert worker.running and worker.ticks >= 3
    began = time.monotonic()
    worker.stop(timeout=5)
    assert time.monotonic() - began < 1 and not worker.running
    assert worker.failure is None and worker.reported == []
    assert not any(t.name == "counting" and t.is_alive() for t in threading.enumerate())


@pytest.mark.expect_log_warnings  # the catch-all logs the traceback
def test_an_exception_escaping_run_is_kept_logged_and_reported(caplog: pytest.LogCaptureFixture) -> None:
    worker = _Counting(fail_after=2)
    worker.start()
    assert worker.wait(timeout=5)
    assert isinstance(worker.failure, OSError) and worker.reported == [worker.failure]
    assert any("counting stopped: error" in r.getMessage() and r.exc_info for r in caplog.records)


@pytest.mark.expect_log_warnings
def test_the_thread_hook_logs_and_tells_its_listeners(caplog: pytest.LogCaptureFixture) -> None:
    from desk_app.ui.background_reports import install_thread_hook, thread_failure_listeners

    heard: list[tuple[str, BaseException]] = []
    previous = threading.excepthook
    install_thread_hook()

    def listener(name: str, exc: BaseException) -> None:
        heard.append((name, exc))

    thread_failure_listeners.append(listener)
    try:
        thread = threading.Thread(target=lambda: 1 / 0, name="plain-thread")
        thread.start()
        thread.join(5)
    finally:
        thread_failure_listeners.remove(listener)
        threading.excepthook = previous
    assert [(name, type(exc)) for name, exc in heard] == [("plain-thread", ZeroDivisionError)]
    assert any("thread plain-thread died" in r.getMessage() for r in caplog.records)
