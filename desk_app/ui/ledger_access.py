"""The window's side of the visits ledger. Every method runs on the ledger lane only.

Keeps the open `VisitLedger` (`desk_app.visits.service`); every argument arrives with the job
(settings, a `RecordRequest`, the desk id), captured on the GUI thread when it was queued.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from desk_app.config import Settings
from desk_app.core.session import CancelRequest, RecordRequest
from desk_app.visits.model import StorageError

log = logging.getLogger(__name__)


def _open_visit_ledger(settings: Settings) -> Any:
    from desk_app.visits.service import VisitLedger

    return VisitLedger.from_settings(settings)


class LedgerAccess:
    def __init__(self, factory: Callable[[Settings], Any] | None = None) -> None:
        self._factory = factory or _open_visit_ledger
        self._ledger: Any = None

    def open(self, settings: Settings) -> list[Any]:
        """Open (or reopen) the ledger; returns the services catalogue."""
        self.close()
        self._ledger = self._factory(settings)
        return list(self._ledger.catalogue)

    def close(self) -> None:
        ledger, self._ledger = self._ledger, None
        if ledger is not None:
            ledger.close()

    def _require(self) -> Any:
        if self._ledger is None:
            raise StorageError("the visits ledger is not open")
        return self._ledger

    def record(self, request: RecordRequest) -> Any:
        return request.record_in(self._require())

    def cancel(self, request: CancelRequest) -> Any:
        return request.cancel_in(self._require())

    def note_search(self, desk_id: str, document: str, outcome: str) -> None:
        self._require().note_search(desk_id=desk_id, document=document, outcome=outcome)

    def list_today(self, desk_id: str) -> list[Any]:
        ledger = self._require()
        return list(ledger.list_day(ledger.today(), desk=desk_id))

