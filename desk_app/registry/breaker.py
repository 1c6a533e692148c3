"""Circuit breaker: after repeated failures, stop waiting on the registry for a while.

Closed: every lookup asks the registry. After `failure_threshold` consecutive failures it
opens: lookups answer from the copy at once. When `cool_down` has passed, exactly one caller
gets a probe ticket (half-open) and asks the registry in the background; its success closes
the breaker, its failure opens it for another cool-down.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from enum import Enum


class Gate(Enum):
    CALL = "call"  # closed: ask the registry and wait (within the deadline)
    PROBE = "probe"  # half-open: this caller probes in the background; answer from the copy now
    REJECT = "reject"  # open, or a probe is in flight: answer from the copy now


class CircuitBreaker:
    def __init__(
        self,
        failure_threshold: int = 3,
        cool_down: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if failure_threshold < 1 or cool_down <= 0:
            raise ValueError("failure_threshold must be >= 1 and cool_down > 0")
        self.failure_threshold = failure_threshold
        self.cool_down = cool_down
        self._clock = clock
        self._lock = threading.Lock()
        self._failures = 0
        self._opened_at: float | None = None
        self._probing = False

    @property
    def state(self) -> str:
        with self._lock:
            if self._opened_at is None:
                return "closed"
            return "half_open" if self._probing else "open"

    def before_request(self) -> Gate:
        with self._lock:
            if self._opened_at is None:
                return Gate.CALL
            if self._probing or self._clock() - self._opened_at < self.cool_down:
                return Gate.REJECT
            self._probing = True
            return Gate.PROBE

    def record_success(self) -> None:
        with self._lock:
            self._failures = 0
            self._opened_at = None
            self._probing = False

    def record_failure(self) -> None:
        with self._lock:
            self._failures += 1
            if self._probing or self._failures >= self.failure_threshold:
                self._opened_at = self._clock()
            self._probing = False

    def release_probe(self) -> None:
        """A probe that ended with neither verdict (e.g. 401): let the next caller probe."""
        with self._lock:
            self._probing = False
