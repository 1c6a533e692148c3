"""Background work for the window: named single-thread lanes whose results come back by signal.

The Anki pattern: one lane owns the ledger database (every ledger call runs on that one
thread), another judges policies (network and crypto), a third probes devices and caches for
the status bar, a fourth fetches unattended updates (the trust list). Callbacks always run on
the GUI thread, delivered through a queued Qt signal, so widgets are only ever touched there.
Nothing here blocks the GUI thread: `submit` only puts a job on a queue, and a full queue
refuses the job instead of waiting.
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


class _Dispatcher(QObject):
    """Lives on the GUI thread; runs callables that worker threads post to it."""

    posted = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.posted.connect(self._run)

    @Slot(object)
    def _run(self, thunk: Callable[[], None]) -> None:
        try:
            thunk()
        except Exception:  # a bug in a callback must not kill the window
            log.exception("callback failed on the GUI thread")


@dataclass
class _Job:
    name: str
    work: Callable[[], Any]
    on_success: Callback | None
    on_failure: Callback | None


@dataclass
class _Stop:
    final: Callable[[], Any] | None


class Lane:
    """One worker thread with a bounded queue of jobs, run one after another in order."""

    def __init__(self, name: str, dispatcher: _Dispatcher, *, max_pending: int = 8) -> None:
        self.name = name
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
        name: str,
        work: Callable[[], Any],
        on_success: Callback | None = None,
        on_failure: Callback | None = None,
    ) -> bool:
        """Queue `work`; False (nothing queued) when the lane is stopped or its queue is full."""
        if self._stopped:
            return False
        try:
            self._queue.put_nowait(_Job(name, work, on_success, on_failure))
        except queue.Full:
            log.warning("lane %s is full; job %s refused", self.name, name)
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
                result = job.work()
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
        self._dispatcher.posted.emit(lambda: callback(value))

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
    """The window's lanes. Create on the GUI thread; call `stop()` before the window goes."""

    LANES = ("judge", "ledger", "probe", "update")

    def __init__(self) -> None:
        self._dispatcher = _Dispatcher()
        self.lanes: dict[str, Lane] = {
            "judge": Lane("judge", self._dispatcher, max_pending=3),
            "ledger": Lane("ledger", self._dispatcher, max_pending=32),
            "probe": Lane("probe", self._dispatcher, max_pending=8),
            # Unattended downloads (the trust list): slow network work that must not delay a scan.
            "update": Lane("update", self._dispatcher, max_pending=2),
        }

    def __getitem__(self, lane: str) -> Lane:
        return self.lanes[lane]

    def stop(self, timeout: float = 10.0, finals: dict[str, Callable[[], Any]] | None = None) -> bool:
        """Stop every lane; `finals` maps a lane to a last job run on its thread (closing a DB)."""
        finals = finals or {}
        results = [lane.stop(timeout, finals.get(name)) for name, lane in self.lanes.items()]
        return all(results)
