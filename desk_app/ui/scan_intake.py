"""Scans into the desk session: every source (scanner, file, manual entry, search by document) ends here.

Each scan starts a new patient in the session at once (`begin_scan` clears the desk) and is
judged on the judge lane with everything it needs captured (settings, payload). Its result
comes back with the scan's ticket: a result for an older scan than the latest is dropped.
A scan that cannot be queued, holds no code or fails leaves the visible "scan again" state.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication

from desk_app.core.search_limit import SearchLimited
from desk_app.core.session import ScanFailure
from desk_app.ui.judge_host import JudgeHost

log = logging.getLogger(__name__)


class ScanIntake:
    def __init__(self, window: Any, judge_factory: Callable[..., Any] | None = None) -> None:
        self.w = window
        self.host = JudgeHost(judge_factory)  # touched only on the judge lane

    def scan(self, payload: str | bytes) -> bool:
        """Never blocks: the judge lane queues the scan or refuses it."""
        queued = self.w.tasks.judge.busy
        ok = self._submit(self.host.judge_qr, payload, busy=QCoreApplication.translate("Desk", "Проверяем полис…"))
        if ok and queued:
            self.w.statusBar().showMessage(
                QCoreApplication.translate("MainWindow", "Предыдущая проверка ещё идёт — скан поставлен в очередь."),
                4000,
            )
        return ok

    def file(self, path: Path) -> bool:
        """An image, PDF or text file: read and decoded on the judge lane, then judged."""
        return self._submit(
            self.host.judge_file, path, busy=QCoreApplication.translate("Desk", "Читаем файл…"), source=path.name
        )

    def manual(self, enp: str, birth_date: date) -> bool:
        return self._submit(
            self.host.judge_manual, enp, birth_date, busy=QCoreApplication.translate("Desk", "Запрашиваем регистр…")
        )

    def search(self, query: Any) -> bool:
        """A search by identity document (F3): judged on the judge lane like a scan; each search
        that reaches the registry side is noted in the audit log (never the document)."""
        return self._submit(
            self.host.judge_search, query, busy=QCoreApplication.translate("Desk", "Ищем полис в регистре…")
        )

    def failed(self, failure: ScanFailure) -> None:
        """A scan that never reached the judge failed (keys a keyboard scanner typed that made no
        scan, a judge that cannot be built): the desk shows it at once; no verdict is announced."""
        self.w.session.begin_scan()
        self.w.session.scan_failed(failure)

    def _submit(self, work: Callable[..., Any], *args: Any, busy: str, source: str | None = None) -> bool:
        w = self.w
        if w.closed:
            return False
        w.view.busy_text = busy
        ticket = w.session.begin_scan()
        ok = w.tasks.judge.submit(
            work,
            w.settings,
            *args,
            on_success=partial(self._judged, ticket, source),
            on_failure=partial(self._failed, ticket),
        )
        if not ok:
            w.session.scan_failed(ScanFailure.DROPPED, ticket)
            w.verdict_shown.emit(None)
            return False
        return True

    def _judged(self, ticket: int, source: str | None, judgement: Any) -> None:
        if isinstance(judgement, ScanFailure):  # a file that yielded no code
            if self.w.session.scan_failed(judgement, ticket, source):
                self.w.verdict_shown.emit(None)
            return
        if isinstance(judgement, SearchLimited):  # the desk's own limit: nothing was sent
            if self.w.session.scan_failed(ScanFailure.SEARCH_LIMITED, ticket, str(math.ceil(judgement.wait))):
                self.w.verdict_shown.emit(None)
            return
        w = self.w
        if getattr(judgement, "search", None) is not None:
            w.visits.note_search(judgement.search)  # even when a newer scan makes this verdict stale
        if not w.session.show_judgement(judgement, ticket):
            log.info("a newer scan started: an older verdict was dropped")
            return
        w.health.saw_verdict(judgement.verdict)
        w.sounds.play(judgement.verdict.decision)
        w.refresh_status()
        w.verdict_shown.emit(judgement)

    def _failed(self, ticket: int, _exc: BaseException) -> None:
        """The judge raised (logged on its lane): an internal error, shown as "scan again"."""
        if self.w.session.scan_failed(ScanFailure.INTERNAL, ticket):
            self.w.verdict_shown.emit(None)
