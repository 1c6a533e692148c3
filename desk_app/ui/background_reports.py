"""What the user hears when background work fails unseen otherwise (Anki's rule: nothing fails
into the log alone).

- a lane job queued with no failure handler: "Фоновая операция не удалась";
- a job refused because its lane's queue is full: "Программа занята";
- a thread that died (`threading.excepthook`, any thread not a `desk_app.worker.Worker`, whose
  own catch-all reports through its owner's state): "Фоновый поток остановлен из-за ошибки";
- the registry sync's thread stopped: error: the status bar's registry item says so.

Each message goes to the status bar on the GUI thread (worker threads post through the one
dispatcher); the English detail is in the log.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QStatusBar

log = logging.getLogger(__name__)

MESSAGE_MS = 10_000

# Called (on the thread that died) by the hook `install_thread_hook` installs; the window adds one.
thread_failure_listeners: list[Callable[[str, BaseException], None]] = []


class BackgroundReports:
    """The window's reporters for its lanes and its threads, saying each failure in the status bar."""

    def __init__(
        self, status_bar: Callable[[], QStatusBar], post: Callable[[Callable[[Any], None], Any], None]
    ) -> None:
        self._status_bar = status_bar  # the window's statusBar (the layout replaces the first one)
        self._post = post

    def job_failed(self, exc: BaseException) -> None:
        """A lane job with no failure handler raised (on the GUI thread; the lane logged it)."""
        self._say(QCoreApplication.translate("Background", "Фоновая операция не удалась. Подробности в журнале."))

    def job_refused(self, lane: str) -> None:
        """A job was refused: its lane's queue is full (on the submitting, GUI thread)."""
        self._say(QCoreApplication.translate("Background", "Программа занята: действие не выполнено, повторите."))

    def thread_died(self, name: str, exc: BaseException) -> None:
        """From the dying thread: posted to the GUI thread."""
        self._post(lambda _v: self._say(
            QCoreApplication.translate("Background", "Фоновый поток остановлен из-за ошибки. Сообщите администратору.")
        ), None)  # fmt: skip

    def _say(self, text: str) -> None:
        self._status_bar().showMessage(text, MESSAGE_MS)


def install_thread_hook() -> Callable[[threading.ExceptHookArgs], None]:
    """`threading.excepthook`: log any thread's uncaught exception and tell the listeners."""

    def hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        name = args.thread.name if args.thread is not None else "?"
        log.critical("thread %s died", name, exc_info=(args.exc_type, args.exc_value, args.exc_traceback))
        if args.exc_value is None:
            return
        for listener in list(thread_failure_listeners):
            try:
                listener(name, args.exc_value)
            except Exception:
                log.exception("a thread failure listener failed")

    threading.excepthook = hook
    return hook
