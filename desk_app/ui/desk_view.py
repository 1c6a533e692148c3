"""Shows the desk session's state on the panels: the one place that turns state into widgets.

The window calls `render` whenever the session changes. A new patient (another `Patient`
object, or none) clears the identity and record panels; the big panel follows the state.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import QWidget

from desk_app.core.focus import Spot, focus_after_change
from desk_app.core.session import DeskSession, DeskState, Patient, ScanFailure, ScanKind
from desk_app.ui import texts, wording
from desk_app.ui.identity_panel import IdentityPanel
from desk_app.ui.verdict_panel import VerdictPanel
from desk_app.ui.visits_panel import RecordPanel, TodayPanel
from desk_app.visits.catalogue import Service
from desk_app.visits.model import DOCUMENT_TYPED
from desk_app.visits.rules import Refusal

_NO_PATIENT = object()

# What a scan in progress waits for (the session's ScanKind), shown on the big panel.
BUSY_TEXT: dict[ScanKind, str] = {
    ScanKind.CODE: QT_TRANSLATE_NOOP("Desk", "Проверяем полис…"),
    ScanKind.FILE: QT_TRANSLATE_NOOP("Desk", "Читаем файл…"),
    ScanKind.MANUAL: QT_TRANSLATE_NOOP("Desk", "Запрашиваем регистр…"),
    ScanKind.SEARCH: QT_TRANSLATE_NOOP("Desk", "Ищем полис в регистре…"),
}


class DeskView:
    def __init__(
        self, panel: VerdictPanel, identity: IdentityPanel, record: RecordPanel, today: TodayPanel, tz: ZoneInfo
    ) -> None:
        self.panel, self.identity, self.record, self.today = panel, identity, record, today
        self.tz = tz
        self._patient: Patient | object | None = _NO_PATIENT
        self._state: DeskState | None = None
        self._spots: dict[Spot, QWidget] = {
            Spot.DESK: panel, Spot.PASSPORT: identity.passport, Spot.SERVICE: record.services.filter,
            Spot.DOCTOR: record.doctor, Spot.WARN_REASON: record.warn_reason, Spot.RECORD: record.record_button,
        }  # fmt: skip
        self._service_names: dict[str, str] = {}

    def set_services(self, services: list[Service]) -> None:
        """The catalogue: listed in the record panel, and named on the big panel after a record."""
        self._service_names = {s.code: f"{s.code}  {s.name}" for s in services}
        self.record.services.set_services(services)

    def render(self, session: DeskSession) -> None:
        if session.patient is not self._patient:
            self._patient = session.patient
            self.identity.set_decision(session.decision)
            if session.patient is not None and session.patient.identity_check == DOCUMENT_TYPED:
                self.identity.show_result(DOCUMENT_TYPED)  # found by the document typed from the one in hand
            self.record.new_patient(session.decision)
            if session.decision == "reject":
                self.record.show_message(wording.refusal_text(Refusal.VERDICT_REJECT), "bad")
        self._show_state(session)
        self.record.record_button.setEnabled(session.may_record)
        if session.state is not self._state:
            previous, self._state = self._state, session.state
            spot = focus_after_change(session, previous)
            if spot is not None:
                self.apply_focus(spot)

    def apply_focus(self, spot: Spot) -> None:
        """Put the focus where the session's rule says (`desk_app.core.focus`); a place that is
        off or hidden now gives the desk itself, never nothing."""
        widget = self._spots[spot]
        if not widget.isEnabled() or not widget.isVisibleTo(widget.window()):
            widget = self.panel
        widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def clear_fields(self) -> None:
        """Esc: every field empty, the searches included, whatever the state was."""
        self.identity.set_decision(None)
        self.record.new_patient(None)
        self.today.search.clear()

    def _show_state(self, session: DeskSession) -> None:
        state = session.state
        if state is DeskState.READY:
            self.panel.show_idle()
        elif state is DeskState.READING:
            self.panel.show_reading(session.read_chars)
        elif state is DeskState.CHECKING:
            self.panel.show_busy(QCoreApplication.translate("Desk", BUSY_TEXT[session.scan_kind]))
        elif state is DeskState.SCAN_FAILED:
            failure = session.failure or ScanFailure.INTERNAL
            # "scan again" helps unless the desk cannot judge, or the code cannot pass a keyboard scanner
            look = "problem" if failure in (ScanFailure.NO_JUDGE, ScanFailure.FORM_A, ScanFailure.SEARCH_LIMITED) \
                else "scan_failed"
            self.panel.show_message(look, *wording.scan_failure_text(failure, session.failure_source))
        elif state is DeskState.VERDICT and session.patient is not None:
            judgement = session.patient.judgement
            if self.panel.verdict is not judgement.verdict:
                self.panel.show_verdict(judgement.verdict, judgement.details, judgement.search)
        elif state is DeskState.RECORDED:
            self._show_recorded(session)
        elif state is DeskState.REFUSED:
            self._show_refused(session)

    def _show_recorded(self, session: DeskSession) -> None:
        patient = session.patient
        assert patient is not None and patient.service_code is not None
        service = self._service_names.get(patient.service_code, patient.service_code)
        headline, detail = wording.recorded_text(session.last_result, service, patient.doctor.strip())
        self.panel.show_message("recorded", headline, f"{self._who(session)}\n{detail}")
        text = (
            QCoreApplication.translate("Desk", "Повторный приём записан с причиной.")
            if session.last_result.overridden
            else QCoreApplication.translate("Desk", "Приём записан.")
        )
        self.record.show_message(text, "ok")

    @staticmethod
    def _who(session: DeskSession) -> str:
        """"Иванова Мария Петровна, 7700 0000 0000 0016": the patient the state is about."""
        assert session.patient is not None
        verdict = session.patient.judgement.verdict
        return f"{texts.full_name(verdict)}, {texts.grouped_number(verdict.policy.number)}"

    def _show_refused(self, session: DeskSession) -> None:
        first = session.refused_duplicate
        if first is not None:
            where = wording.first_record_text(first, self.tz)
            patient = session.patient
            assert patient is not None and patient.service_code is not None
            service = self._service_names.get(patient.service_code, patient.service_code)
            what = QCoreApplication.translate("Desk", "Не записано: %1.").replace("%1", service)
            self.panel.show_message(
                "refused", wording.refusal_text(Refusal.DUPLICATE), f"{where}\n{self._who(session)}\n{what}"
            )
            self.record.show_message(wording.refusal_text(Refusal.DUPLICATE), "bad")
            self.record.show_duplicate(where)
            return
        reason = wording.ledger_refusal_text(session.last_result)
        self.panel.show_message("refused", QCoreApplication.translate("Desk", "Приём не записан"), reason)
        self.record.show_message(QCoreApplication.translate("Desk", "Приём не записан: ") + reason, "bad")
