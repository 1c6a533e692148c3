"""The window's side of the visits ledger. Every method runs on the ledger lane only.

Keeps the open `VisitLedger` (issue 4's `desk_app.visits.service`) and the services catalogue,
and turns the ledger's results into Russian text for the window.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from desk_app.config import Settings

log = logging.getLogger(__name__)


def _open_visit_ledger(settings: Settings) -> Any:
    from desk_app.visits.service import VisitLedger

    return VisitLedger.from_settings(settings)


class LedgerAccess:
    def __init__(self, settings: Settings, factory: Callable[[Settings], Any] | None = None) -> None:
        self._settings = settings
        self._factory = factory or _open_visit_ledger
        self._ledger: Any = None

    def settings_changed(self, settings: Settings) -> None:
        """Called on the GUI thread; the reopen job that follows closes the old ledger first."""
        self._settings = settings

    def open(self) -> list[Any]:
        """Open (or reopen) the ledger; returns the services catalogue."""
        self.close()
        self._ledger = self._factory(self._settings)
        return list(self._ledger.catalogue)

    def close(self) -> None:
        ledger, self._ledger = self._ledger, None
        if ledger is not None:
            ledger.close()

    def _require(self) -> Any:
        if self._ledger is None:
            raise RuntimeError("the visits ledger is not open")
        return self._ledger

    def record(
        self,
        *,
        judgement: Any,
        service_code: str,
        doctor: str,
        identity_check: str,
        warn_reason: str | None,
        override_reason: str | None,
        role: str,
    ) -> Any:
        return self._require().record(
            judgement.verdict,
            service_code=service_code,
            doctor=doctor,
            desk_id=self._settings.desk_id,
            identity_check=identity_check,
            warn_reason=warn_reason,
            override_reason=override_reason,
            role=role,
        )

    def cancel(self, visit_id: int, reason: str, role: str) -> Any:
        return self._require().cancel(visit_id, reason, role)

    def list_today(self) -> list[Any]:
        ledger = self._require()
        return list(ledger.list_day(ledger.today(), desk=self._settings.desk_id))

    # Russian texts --------------------------------------------------------------------
    @staticmethod
    def refusal_text(result: Any) -> str:
        text = {
            "verdict_reject": QT_TRANSLATE_NOOP("LedgerAccess", "полис отклонён."),
            "warn_needs_reason": QT_TRANSLATE_NOOP("LedgerAccess", "проверка неполная — нужна причина."),
            "duplicate": QT_TRANSLATE_NOOP("LedgerAccess", "услуга уже записана."),
        }.get(getattr(result, "refused_because", None) or "", QT_TRANSLATE_NOOP("LedgerAccess", "отказ базы приёмов."))
        return QCoreApplication.translate("LedgerAccess", text)

    @staticmethod
    def cancel_refusal_text(result: Any) -> str:
        text = {
            "not_permitted": QT_TRANSLATE_NOOP("LedgerAccess", "недостаточно прав."),
            "already_cancelled": QT_TRANSLATE_NOOP("LedgerAccess", "приём уже отменён."),
        }.get(getattr(result, "refused_because", None) or "", QT_TRANSLATE_NOOP("LedgerAccess", "отказ базы приёмов."))
        return QCoreApplication.translate("LedgerAccess", text)

    @staticmethod
    def error_text(exc: BaseException) -> str:
        names = {cls.__name__ for cls in type(exc).__mro__}  # subclasses: LedgerTextError, ClinicTimeZoneError
        if "LedgerUsageError" in names:
            return QCoreApplication.translate("LedgerAccess", "запрос не принят (%1)").replace("%1", str(exc))
        if "StorageError" in names:
            return QCoreApplication.translate("LedgerAccess", "база недоступна. Сообщите администратору.")
        return QCoreApplication.translate("LedgerAccess", "внутренняя ошибка. Сообщите администратору.")


def first_record_text(first: Any, tz: ZoneInfo) -> str:
    """"Первая запись: 25.11.2026 в 10:15, стойка «desk-1», врач Иванов И. И." """
    when = first.time.astimezone(tz) if first.time.tzinfo else first.time
    return (
        QCoreApplication.translate("LedgerAccess", "Первая запись: %1 в %2, стойка «%3», врач %4.")
        .replace("%1", when.strftime("%d.%m.%Y"))
        .replace("%2", when.strftime("%H:%M"))
        .replace("%3", str(first.desk))
        .replace("%4", first.doctor.rstrip("."))
    )
