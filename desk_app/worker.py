"""One base for the desk's long-running threads (camera, serial reader, registry sync).

Picard's rule: threads do not each invent start, stop and backoff. A `Worker` is a daemon
thread running `run()` until `stop()`; it offers

- `start()` / `stop(timeout)` / `wait(timeout)` / `running`: one lifecycle for every owner;
- `sleep(seconds)`: a pause that ends at once when the worker is stopped (True when stopped);
- `Backoff`: the growing delay between reconnection attempts, reset after a success;
- a catch-all: an exception escaping `run()` (a decoder bug, a full disk) is logged with its
  traceback, kept in `failure`, and reported through `failed(exc)`, which a subclass maps to its
  own "stopped: error" state and its owner's callback (the window posts it through its one
  dispatcher and the status bar shows it). A thread never dies unseen.

Qt-free: callbacks run on the worker's thread; the window posts them to the GUI thread.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

log = logging.getLogger(__name__)

FAILED_STATE = "failed"  # every worker's state value for "stopped: error"


@dataclass
class Backoff:
    """A delay that doubles from `first` up to `maximum`; `reset()` after a success."""

    first: float
    maximum: float

    def __post_init__(self) -> None:
        self._next = self.first

    def next(self) -> float:
        """The delay to wait now; the one after it is twice as long (up to `maximum`)."""
        delay = self._next
        self._next = min(self._next * 2, self.maximum)
        return delay

    def reset(self) -> None:
        self._next = self.first


class Worker:
    """A named daemon thread running `run()`; subclasses implement `run` and may override `failed`."""

    thread_name = "worker"
    stop_timeout = 5.0  # how long stop() waits for the thread by default

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.failure: BaseException | None = None

    # Lifecycle -------------------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError(f"{self.thread_name} already started")
        self._stop.clear()
        self.failure = None
        self._thread = threading.Thread(target=self._main, name=self.thread_name, daemon=True)
        self._thread.start()

    def stop(self, timeout: float | None = None) -> None:
        """Ask the worker to stop and wait up to `timeout` (default `stop_timeout`) seconds for its thread."""
        timeout = self.stop_timeout if timeout is None else timeout
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
            if thread.is_alive():
                log.error("%s did not stop within %.0f s", self.thread_name, timeout)

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the worker to finish by itself; True when its thread has ended."""
        thread = self._thread
        if thread is None:
            return True
        thread.join(timeout)
        return not thread.is_alive()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def sleep(self, seconds: float) -> bool:
        """Pause up to `seconds`; returns True (at once) when the worker is being stopped."""
        return self._stop.wait(seconds)

    # For subclasses --------------------------------------------------------------------------
    def run(self) -> None:
        raise NotImplementedError

    def failed(self, exc: BaseException) -> None:
        """`run()` raised: report "stopped: error" (subclasses set their state and tell their owner)."""

    def _main(self) -> None:
        try:
            self.run()
        except BaseException as exc:  # the catch-all: nothing escapes a worker unseen
            self.failure = exc
            log.exception("%s stopped: error", self.thread_name)
            try:
                self.failed(exc)
            except Exception:
                log.exception("%s: reporting its failure failed", self.thread_name)
