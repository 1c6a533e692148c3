"""The desk's own limit on searches by document: each is a personal-data look-up.

A sliding window: at most `burst` searches in any `window` seconds from this desk (the window,
or one command-line run). A search past the limit is refused before anything is sent, with the
seconds until the next one may go; the registry's own 429 limit comes on top of this one.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

SEARCH_BURST = 5
SEARCH_WINDOW = 60.0


class SearchLimited(Exception):
    """Too many searches from this desk just now; `wait` seconds until the next may go."""

    def __init__(self, wait: float) -> None:
        super().__init__(f"too many searches by document from this desk: try again in {wait:.0f} s")
        self.wait = wait


class SearchLimiter:
    def __init__(self, burst: int = SEARCH_BURST, window: float = SEARCH_WINDOW,
                 clock: Callable[[], float] = time.monotonic) -> None:  # fmt: skip
        if burst < 1 or window <= 0:
            raise ValueError("a search limit needs a burst of at least 1 and a positive window")
        self.burst = burst
        self.window = window
        self._clock = clock
        self._times: deque[float] = deque()
        self._lock = threading.Lock()

    def acquire(self) -> None:
        """Count one search, or raise SearchLimited when the burst is spent."""
        with self._lock:
            now = self._clock()
            while self._times and now - self._times[0] >= self.window:
                self._times.popleft()
            if len(self._times) >= self.burst:
                raise SearchLimited(max(1.0, self.window - (now - self._times[0])))
            self._times.append(now)
