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
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from desk_app.config import Settings
from desk_app.core.search_limit import SearchLimited
from desk_app.core.session import ScanFailure, ScanKind
from desk_app.ui.desk_context import DeskContext
from desk_app.ui.judge_host import JudgeHost

if TYPE_CHECKING:
    from desk_app.core.judge import Judge, Judgement, SearchFacts
    from desk_app.verify.documents import DocumentQuery

log = logging.getLogger(__name__)


class ScanIntake:
    """Queues each scan on the judge lane and hands the result to the session; the session's
    listeners (view, health, sounds, status bar) take it from there. `announce(judgement or
    None)` is told when a queued scan ends (the window's `verdict_shown`); `note_search(facts)`
    when a search by document reached the registry side (the ledger's audit entry)."""

    def __init__(
        self,
        desk: DeskContext,
        announce: Callable[[Judgement | None], None],
        note_search: Callable[[SearchFacts], None],
        judge_factory: Callable[[Settings], Judge] | None = None,
    ) -> None:
        self.desk = desk
        self._announce = announce
        self._note_search = note_search
        self.host = JudgeHost(judge_factory)  # touched only on the judge lane

    def scan(self, payload: str | bytes) -> bool:
        """Never blocks: the judge lane queues the scan or refuses it."""
        queued = self.desk.tasks.judge.busy
        ok = self._submit(self.host.judge_qr, payload, kind=ScanKind.CODE)
        if ok and queued:
            self.desk.say(
                QCoreApplication.translate("MainWindow", "Предыдущая проверка ещё идёт — скан поставлен в очередь."),
                4000,
            )
        return ok

    def file(self, path: Path) -> bool:
        """An image, PDF or text file: read and decoded on the judge lane, then judged."""
        return self._submit(self.host.judge_file, path, kind=ScanKind.FILE, source=path.name)

    def manual(self, enp: str, birth_date: date) -> bool:
        return self._submit(self.host.judge_manual, enp, birth_date, kind=ScanKind.MANUAL)

    def search(self, query: DocumentQuery) -> bool:
        """A search by identity document (F3): judged on the judge lane like a scan; each search
        that reaches the registry side is noted in the audit log (never the document)."""
        return self._submit(self.host.judge_search, query, kind=ScanKind.SEARCH)

    def failed(self, failure: ScanFailure) -> None:
        """A scan that never reached the judge failed (keys a keyboard scanner typed that made no
        scan, a judge that cannot be built): the desk shows it at once; no verdict is announced."""
        self.desk.session.begin_scan()
        self.desk.session.scan_failed(failure)

    def _submit(self, work: Callable[..., Judgement | ScanFailure | SearchLimited], *args: object, kind: ScanKind,
                source: str | None = None) -> bool:  # fmt: skip
        desk = self.desk
        if desk.is_closed():
            return False
        ticket = desk.session.begin_scan(kind)
        ok = desk.tasks.judge.submit(
            work,
            desk.settings,
            *args,
            on_success=partial(self._judged, ticket, source),
            on_failure=partial(self._failed, ticket),
        )
        if not ok:
            desk.session.scan_failed(ScanFailure.DROPPED, ticket)
            self._announce(None)
            return False
        return True

    def _judged(self, ticket: int, source: str | None, judgement: Judgement | ScanFailure | SearchLimited) -> None:
        if isinstance(judgement, ScanFailure):  # a file that yielded no code
            if self.desk.session.scan_failed(judgement, ticket, source):
                self._announce(None)
            return
        if isinstance(judgement, SearchLimited):  # the desk's own limit: nothing was sent
            if self.desk.session.scan_failed(ScanFailure.SEARCH_LIMITED, ticket, str(math.ceil(judgement.wait))):
                self._announce(None)
            return
        if judgement.search is not None:
            self._note_search(judgement.search)  # even when a newer scan makes this verdict stale
        if not self.desk.session.show_judgement(judgement, ticket):  # its listeners show and announce it
            log.info("a newer scan started: an older verdict was dropped")
            return
        self._announce(judgement)

    def _failed(self, ticket: int, _exc: BaseException) -> None:
        """The judge raised (logged on its lane): an internal error, shown as "scan again"."""
        if self.desk.session.scan_failed(ScanFailure.INTERNAL, ticket):
            self._announce(None)
