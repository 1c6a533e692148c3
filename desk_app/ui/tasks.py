"""Background work for the window: typed single-thread lanes, one dispatcher back to the GUI.

The Anki pattern: one lane owns the ledger database (every ledger call runs on that one
thread), another judges policies (network and crypto), a third probes devices and caches for
the status bar, a fourth fetches unattended updates (the trust list). Lanes are attributes of
`TaskRunner` (`tasks.judge`, `tasks.ledger`, ...), not string keys.

One discipline for every thread (Picard's run_task): a job is a function and the arguments it
needs, captured on the GUI thread when it is queued (`lane.submit(fn, arg, ...)`), so no lane
reads GUI-thread state; its result or its error comes back through the one `Dispatcher` and is
handed to a callback on the GUI thread. Other threads (the registry sync, the camera and the
serial reader) post through the same dispatcher (`tasks.post`). A callback that raises is
logged and reported to `callback_failure_listeners` (the tests fail on it, qutebrowser-style);
it never takes the window down. Nothing here blocks the GUI thread: `submit` only puts a job
on a queue, and a full queue refuses the job instead of waiting.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

log = logging.getLogger(__name__)

Callback = Callable[[Any], None]

# Called with the exception whenever a callback on the GUI thread raised (tests/conftest.py).
callback_failure_listeners: list[Callable[[BaseException], None]] = []


class Dispatcher(QObject):
    """Lives on the GUI thread; runs the callbacks other threads post to it, in order."""

    posted = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._closed = False
        self.posted.connect(self._run)

    def post(self, callback: Callback, value: Any = None) -> None:
        """From any thread: run `callback(value)` on the GUI thread (dropped once closed)."""
        with self._lock:
            if not self._closed:
                self.posted.emit((callback, value))

    def close(self) -> None:
        """No post is under way or will be once this returns (the QObject may then go)."""
        with self._lock:
            self._closed = True

    @Slot(object)
    def _run(self, item: tuple[Callback, Any]) -> None:
        callback, value = item
        try:
            callback(value)
        except Exception as exc:  # a bug in a callback must not kill the window
            log.exception("callback failed on the GUI thread")
            for listener in list(callback_failure_listeners):
                listener(exc)


@dataclass
class _Job:
    work: Callable[..., Any]
    args: tuple[Any, ...]
    on_success: Callback | None
    on_failure: Callback | None

    @property
    def name(self) -> str:
        return getattr(self.work, "__qualname__", repr(self.work))


@dataclass
class _Stop:
    final: Callable[[], Any] | None


class Lane:
    """One worker thread with a bounded queue of jobs, run one after another in order.

    A job queued without `on_failure` gets the lane's `default_failure` (Anki's rule: nothing
    fails into the log alone); a job refused because the queue is full is told to `on_refused`
    (the window says it in the status bar) as well as returning False to the caller."""

    def __init__(self, name: str, dispatcher: Dispatcher, *, max_pending: int = 8) -> None:
        self.name = name
        self.default_failure: Callback | None = None  # on the GUI thread: the window's reporter
        self.on_refused: Callable[[str], None] | None = None  # on the submitting (GUI) thread
        self._dispatcher = dispatcher
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=max_pending)
        self._busy = threading.Event()
        self._stopped = False
        self._thread = threading.Thread(target=self._loop, name=f"desk-{name}", daemon=True)
        self._thread.start()

    @property
    def busy(self) -> bool:
        """True while a job runs or waits (the window uses it to say "please wait")."""
        return self._busy.is_set() or not self._queue.empty()

    def submit(
        self,
        work: Callable[..., Any],
        *args: Any,
        on_success: Callback | None = None,
        on_failure: Callback | None = None,
        droppable: bool = False,
    ) -> bool:
        """Queue `work(*args)`; False (nothing queued) when the lane is stopped or its queue is full.
        A `droppable` job (a status refresh the next one replaces) is refused without a word."""
        if self._stopped:
            return False
        job = _Job(work, args, on_success, on_failure or self.default_failure)
        try:
            self._queue.put_nowait(job)
        except queue.Full:
            if droppable:
                log.info("lane %s is full; droppable job %s skipped", self.name, job.name)
                return False
            log.warning("lane %s is full; job %s refused", self.name, job.name)
            if self.on_refused is not None:
                self.on_refused(self.name)
            return False
        return True

    def _loop(self) -> None:
        while True:
            job = self._queue.get()
            if isinstance(job, _Stop):
                if job.final is not None:
                    try:
                        job.final()
                    except Exception:
                        log.exception("final job on lane %s failed", self.name)
                return
            self._busy.set()
            try:
                result = job.work(*job.args)
            except Exception as exc:
                log.exception("background job %s on lane %s failed", job.name, self.name)
                self._post(job.on_failure, exc)
            else:
                self._post(job.on_success, result)
            finally:
                self._busy.clear()

    def _post(self, callback: Callback | None, value: Any) -> None:
        if callback is None or self._stopped:
            return
        self._dispatcher.post(callback, value)

    def stop(self, timeout: float = 10.0, final: Callable[[], Any] | None = None) -> bool:
        """Drop queued jobs, let the running one finish, run `final` there, join. True if it ended."""
        self._stopped = True
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                break
        self._queue.put(_Stop(final))
        self._thread.join(timeout)
        alive = self._thread.is_alive()
        if alive:
            log.error("lane %s did not stop within %.0f s", self.name, timeout)
        return not alive


class TaskRunner:
    """The window's lanes. Create on the GUI thread; call `stop()` before the window goes.

    `report_to(on_failure, on_refused)` gives every lane the window's default reporters."""

    def __init__(self) -> None:
        self.dispatcher = Dispatcher()
        self.judge = Lane("judge", self.dispatcher, max_pending=3)
        self.ledger = Lane("ledger", self.dispatcher, max_pending=32)
        self.probe = Lane("probe", self.dispatcher, max_pending=8)
        # Unattended downloads (the trust list): slow network work that must not delay a scan.
        self.update = Lane("update", self.dispatcher, max_pending=2)

    @property
    def lanes(self) -> tuple[Lane, ...]:
        return (self.judge, self.ledger, self.probe, self.update)

    def report_to(self, on_failure: Callback, on_refused: Callable[[str], None]) -> None:
        """Every lane: jobs with no failure handler report to `on_failure`; refusals to `on_refused`."""
        for lane in self.lanes:
            lane.default_failure = on_failure
            lane.on_refused = on_refused

    def post(self, callback: Callback, value: Any = None) -> None:
        """For threads that are not lanes (registry sync, camera, serial): back to the GUI thread."""
        self.dispatcher.post(callback, value)

    def stop(self, timeout: float = 10.0, finals: dict[Lane, Callable[[], Any]] | None = None) -> bool:
        """Stop every lane; `finals` maps a lane to a last job run on its thread (closing a DB)."""
        finals = finals or {}
        results = [lane.stop(timeout, finals.get(lane)) for lane in self.lanes]
        self.dispatcher.close()
        return all(results)
