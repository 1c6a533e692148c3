"""Stored rows as Visits and back, the same for both backends (text columns, times, dates)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from desk_app.visits.model import ClinicTimeZoneError, StorageError, Visit
from desk_app.visits.schema import VISIT_COLUMNS


def days_disagreeing(rows: Sequence[tuple[datetime, date]], zone: str) -> int:
    """How many (recorded_at, visit_day) pairs put the visit on another day in `zone`."""
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(zone)
    return sum(1 for at, day in rows if at.astimezone(tz).date() != day)


def zone_disagrees_error(zone: str, count: int, where: str) -> ClinicTimeZoneError:
    return ClinicTimeZoneError(
        None, zone,
        f"ledger {where} keeps no clinic time zone yet, and {count} stored visit(s) fall on another day in "
        f"{zone}: open it first from a desk set to the clinic's zone (desk.timezone)",
    )  # fmt: skip


def visit_insert_values(visit: Visit, to_db_time: Callable[[datetime], Any], to_db_date: Callable[[date], Any]
                        ) -> tuple[Any, ...]:  # fmt: skip
    return (
        visit.policy_number, visit.last_name, visit.first_name, visit.middle_name,
        to_db_date(visit.birth_date) if visit.birth_date else None,
        visit.service_code, visit.service_name, visit.doctor, visit.desk_id,
        to_db_time(visit.recorded_at), to_db_date(visit.visit_day),
        visit.decision, visit.signature, visit.status, visit.status_source,
        visit.identity_check, visit.warn_reason, visit.role, visit.override_of, visit.override_reason,
    )  # fmt: skip


_TEXT_COLUMNS = frozenset({
    "policy_number", "last_name", "first_name", "middle_name", "service_code", "service_name", "doctor",
    "desk_id", "decision", "signature", "status", "status_source", "identity_check", "warn_reason", "role",
    "override_reason", "cancel_reason", "cancelled_by",
})  # fmt: skip


def _as_text(value: Any) -> Any:
    """A text column as str whatever was written into it around the app (a blob, a number)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).decode("utf-8", "replace")
    return str(value)


def visit_from_row(
    row: Sequence[Any], parse_time: Callable[[Any], datetime], parse_date: Callable[[Any], date]
) -> Visit:
    """A stored row as a Visit. Text columns are always str; a time or date that cannot be read
    raises StorageError naming the visit and the column (never a traceback)."""
    r = {k: (_as_text(v) if k in _TEXT_COLUMNS else v) for k, v in zip(VISIT_COLUMNS, row, strict=True)}
    parsers = {"birth_date": parse_date, "recorded_at": parse_time, "visit_day": parse_date, "cancelled_at": parse_time}
    for column, parse in parsers.items():
        if r[column] is None and column in _OPTIONAL_COLUMNS:
            continue
        try:
            r[column] = parse(r[column])
        except (TypeError, ValueError, OverflowError):
            # The stored value is not repeated: it may be personal data or terminal escapes.
            raise StorageError(f"visit {_shown_id(r.get('id'))} holds a time or date that cannot be read "
                               f"(column {column}); the ledger was changed outside the app") from None  # fmt: skip
    return _visit(r)


_OPTIONAL_COLUMNS = frozenset({"birth_date", "cancelled_at"})


def _shown_id(value: Any) -> str:
    return str(value) if isinstance(value, int) else "?"


def _visit(r: dict[str, Any]) -> Visit:
    return Visit(
        id=r["id"],
        policy_number=r["policy_number"],
        last_name=r["last_name"],
        first_name=r["first_name"],
        middle_name=r["middle_name"],
        birth_date=r["birth_date"],
        service_code=r["service_code"],
        service_name=r["service_name"],
        doctor=r["doctor"],
        desk_id=r["desk_id"],
        recorded_at=r["recorded_at"],
        visit_day=r["visit_day"],
        decision=r["decision"],
        signature=r["signature"],
        status=r["status"],
        status_source=r["status_source"],
        identity_check=r["identity_check"],
        warn_reason=r["warn_reason"],
        role=r["role"],
        override_of=r["override_of"],
        override_reason=r["override_reason"],
        cancelled_at=r["cancelled_at"],
        cancel_reason=r["cancel_reason"],
        cancelled_by=r["cancelled_by"],
    )
