"""Signals emitted from a worker thread must stop before their QObject goes away.

A worker may still be finishing a frame or a line when the window closes; emitting on a
QObject whose C++ side is being destroyed crashes the process. Every emit takes a lock and
checks `closed`; `close()` takes the same lock, so once it returns no emit is under way or
can start.
"""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import SignalInstance


class EmitGuard:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._closed = False

    def emit(self, signal: SignalInstance, *args: Any) -> None:
        with self._lock:
            if not self._closed:
                signal.emit(*args)

    def close(self) -> None:
        with self._lock:
            self._closed = True
