"""The window's side of the visits ledger. Every method runs on the ledger lane only.

Keeps the open `VisitLedger` (`desk_app.visits.service`); every argument arrives with the job
(settings, a `RecordRequest`, the desk id), captured on the GUI thread when it was queued.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from desk_app.config import Settings
from desk_app.core.session import CancelRequest, RecordRequest
from desk_app.visits.catalogue import Service
from desk_app.visits.model import CancelResult, RecordResult, StorageError, Visit

if TYPE_CHECKING:
    from desk_app.visits.service import VisitLedger

log = logging.getLogger(__name__)


def _open_visit_ledger(settings: Settings) -> VisitLedger:
    from desk_app.visits.service import VisitLedger

    return VisitLedger.from_settings(settings)


class LedgerAccess:
    def __init__(self, factory: Callable[[Settings], VisitLedger] | None = None) -> None:
        self._factory = factory or _open_visit_ledger
        self._ledger: VisitLedger | None = None

    def open(self, settings: Settings) -> list[Service]:
        """Open (or reopen) the ledger; returns the services catalogue."""
        self.close()
        self._ledger = self._factory(settings)
        catalogue = self._ledger.catalogue
        return list(catalogue) if catalogue is not None else []

    def close(self) -> None:
        ledger, self._ledger = self._ledger, None
        if ledger is not None:
            ledger.close()

    def _require(self) -> VisitLedger:
        if self._ledger is None:
            raise StorageError("the visits ledger is not open")
        return self._ledger

    def record(self, request: RecordRequest) -> RecordResult:
        return request.record_in(self._require())

    def cancel(self, request: CancelRequest) -> CancelResult:
        return request.cancel_in(self._require())

    def note_search(self, desk_id: str, document: str, outcome: str) -> None:
        self._require().note_search(desk_id=desk_id, document=document, outcome=outcome)

    def list_today(self, desk_id: str) -> list[Visit]:
        ledger = self._require()
        return list(ledger.list_day(ledger.today(), desk=desk_id))

