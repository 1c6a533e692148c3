"""Visits from the desk: record, override a duplicate, cancel, today's list — on the ledger lane.

The desk session decides what may be recorded (`prepare_record`, a typed Refusal or a
`RecordRequest` of plain values); this module only queues the request and brings the
ledger's answer back to the session. The PIN and the reason are the session's rule too.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QCoreApplication

from desk_app.core.session import RecordRequest
from desk_app.ui import wording
from desk_app.ui.dialogs import ReasonDialog
from desk_app.ui.ledger_access import LedgerAccess
from desk_app.visits.model import CancelResult
from desk_app.visits.rules import Refusal

log = logging.getLogger(__name__)


class VisitActions:
    def __init__(self, window: Any, ledger_factory: Callable[..., Any] | None = None) -> None:
        self.w = window
        self.ledger = LedgerAccess(ledger_factory)  # touched only on the ledger lane

    def open(self) -> None:
        self.w.tasks.ledger.submit(
            self.ledger.open, self.w.settings, on_success=self._opened, on_failure=self._open_failed
        )

    def _opened(self, services: list[Any]) -> None:
        self.w.health.ledger_error = None
        self.w.view.set_services(services)
        self.refresh_today()
        self.w.refresh_status()

    def _open_failed(self, exc: BaseException) -> None:
        self.w.health.ledger_error = str(exc)
        self.w.record.show_message(
            QCoreApplication.translate(
                "MainWindow", "База приёмов недоступна: приёмы сейчас не записываются. Сообщите администратору."
            )
            + " "
            + wording.ledger_error_text(exc),
            "bad",
        )
        self.w.refresh_status()

    # Searches by document ---------------------------------------------------------------------
    def note_search(self, search: Any) -> None:
        """Each search by document into the audit log: desk, time, document type, found or not."""
        ok = self.w.tasks.ledger.submit(
            self.ledger.note_search, self.w.settings.desk_id, search.document, search.outcome,
            on_failure=self._search_not_noted,
        )  # fmt: skip
        if not ok:
            self._search_not_noted(None)

    def _search_not_noted(self, exc: BaseException | None) -> None:
        log.error("a search by document could not be noted in the audit log: %s", exc or "ledger lane busy")
        self.w.statusBar().showMessage(
            QCoreApplication.translate("MainWindow", "Поиск по документу не записан в журнал аудита: база приёмов "
                                       "недоступна. Сообщите администратору."), 10000,
        )  # fmt: skip

    # Recording ---------------------------------------------------------------------------------
    def record(self, override_reason: str | None = None, role: str = "registrar") -> bool:
        request = self.w.session.prepare_record(role=role, override_reason=override_reason)
        if isinstance(request, Refusal):
            self.w.record.show_message(wording.refusal_text(request), "warn")
            return False
        ok = self.w.tasks.ledger.submit(
            self.ledger.record, request, on_success=partial(self._recorded, request), on_failure=self._call_failed
        )
        if not ok:
            self.w.session.record_failed()
            self.w.record.show_message(wording.refusal_text(Refusal.BUSY), "warn")
        return ok

    def _recorded(self, request: RecordRequest, result: Any) -> None:
        self.w.session.record_finished(result, request)  # the view shows RECORDED / REFUSED
        if result.recorded:
            self.refresh_today()
        self.w.visit_outcome.emit(result)

    def _call_failed(self, exc: BaseException) -> None:
        self.w.session.record_failed()
        self.w.record.show_message(
            QCoreApplication.translate("MainWindow", "Ошибка базы приёмов: ") + wording.ledger_error_text(exc), "bad"
        )
        self.w.visit_outcome.emit(exc)

    def override(self) -> None:
        patient = self.w.session.patient  # the override is for this patient only

        def confirmed(reason: str, role: str) -> None:
            if self.w.session.patient is patient:  # not if another scan came while the dialog was open
                self.record(override_reason=reason, role=role)

        self._senior_dialog(
            QCoreApplication.translate("MainWindow", "Повторная запись услуги"),
            QCoreApplication.translate(
                "MainWindow", "Услуга уже записана сегодня. Повторная запись — только старшим, с причиной."
            ),
            confirmed,
        )

    # Cancelling --------------------------------------------------------------------------------
    def cancel(self, visit_id: int) -> None:
        self._senior_dialog(
            QCoreApplication.translate("MainWindow", "Отмена приёма"),
            QCoreApplication.translate(
                "MainWindow", "Отменить приём можно только старшему, с причиной. Запись останется в журнале."
            ),
            lambda reason, role: self._cancel_confirmed(visit_id, reason, role),
        )

    def _senior_dialog(self, title: str, explanation: str, confirmed: Callable[[str, str], Any]) -> None:
        """A reason and a PIN, checked by the desk session's rule; `confirmed(reason, role)` gets
        the role that PIN actually unlocked."""
        if self.w.session.pin_problem() is not None:
            from desk_app.ui.settings_dialog import PinNotSetDialog

            self.w.open_dialog(PinNotSetDialog(self.w.session.pin_problem(), self.w))
            return
        dialog = ReasonDialog(
            self.w.session.senior_unlock, title, explanation, self.w, wait=self.w.session.pin_wait_seconds,
            lane=self.w.tasks.probe,  # the PIN's scrypt runs off the GUI thread
        )
        dialog.accepted.connect(lambda: confirmed(dialog.reason_text(), dialog.role or "registrar"))
        self.w.open_dialog(dialog)

    def _cancel_confirmed(self, visit_id: int, reason: str, role: str) -> None:
        request = self.w.session.prepare_cancel(visit_id, reason, role)
        if isinstance(request, Refusal):
            self._say_cancel_refused(request)
            return
        ok = self.w.tasks.ledger.submit(
            self.ledger.cancel, request, on_success=self._cancelled, on_failure=self._cancel_failed
        )
        if not ok:  # the ledger lane is full: say so, never drop it without a word
            self._say_cancel_refused(Refusal.BUSY)

    def _say_cancel_refused(self, refusal: Refusal) -> None:
        self.w.statusBar().showMessage(
            QCoreApplication.translate("MainWindow", "Приём не отменён: ") + wording.refusal_text(refusal), 8000
        )

    def _cancelled(self, result: CancelResult) -> None:
        if result.refused_because is not None:
            self._say_cancel_refused(result.refused_because)
        else:
            self.w.statusBar().showMessage(QCoreApplication.translate("MainWindow", "Приём отменён."), 5000)
        self.refresh_today()
        self.w.visit_outcome.emit(result)

    def _cancel_failed(self, exc: BaseException) -> None:
        self.w.statusBar().showMessage(
            QCoreApplication.translate("MainWindow", "Ошибка базы приёмов: ") + wording.ledger_error_text(exc), 8000
        )
        self.w.visit_outcome.emit(exc)

    def refresh_today(self) -> None:
        self.w.tasks.ledger.submit(
            self.ledger.list_today, self.w.settings.desk_id, on_success=self._today_loaded, on_failure=self._list_failed
        )

    def _today_loaded(self, visits: list[Any]) -> None:
        self.w.today.set_visits(visits)

    def _list_failed(self, exc: BaseException) -> None:
        self.w.record.show_message(
            QCoreApplication.translate("MainWindow", "Ошибка базы приёмов: ") + wording.ledger_error_text(exc), "bad"
        )
