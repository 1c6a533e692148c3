"""The storage interface the ledger uses, and the choice of backend by URL.

A bare path or `sqlite:///PATH` (SQLAlchemy style: `sqlite:////abs/path`, `sqlite:///relative`)
opens SQLite; `postgresql://...` or `postgres://...` opens PostgreSQL. Both backends keep the
same tables (schema version 3, see docs/visits.md) and do each write (visit and audit entry)
in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

from desk_app.visits.audit import AuditEntry
from desk_app.visits.model import AddOutcome, ClinicTimeZoneError, StorageError, Visit

# 2: ledger_settings holds the clinic's time zone (docs/visits.md, "The clinic's day");
# 3: identity_check is one of IDENTITY_CHECKS (new: document_typed), enforced by the store.
SCHEMA_VERSION = 3
CLINIC_TIMEZONE_KEY = "clinic_timezone"

# Visit columns in the order both backends select them (see visit_from_row).
VISIT_COLUMNS: tuple[str, ...] = (
    "id", "policy_number", "last_name", "first_name", "middle_name", "birth_date",
    "service_code", "service_name", "doctor", "desk_id", "recorded_at", "visit_day",
    "decision", "signature", "status", "status_source", "identity_check", "warn_reason", "role",
    "override_of", "override_reason", "cancelled_at", "cancel_reason", "cancelled_by",
)  # fmt: skip
INSERT_COLUMNS: tuple[str, ...] = VISIT_COLUMNS[1:21]


class VisitStore(Protocol):
    def add_visit(self, visit: Visit, override_reason: str | None) -> AddOutcome:
        """In one transaction: refuse if a live record with the same (policy, service, day)
        exists and no override reason is given; else insert (as an override of the first
        record, if there is one) and append its audit entry."""
        ...

    def first_record(self, policy_number: str, service_code: str, day: date) -> Visit | None: ...

    def stored_clinic_timezone(self) -> str | None: ...

    def clinic_timezone(self, proposed: str) -> str:
        """The clinic's time zone kept with the ledger. The first desk to open a ledger that has
        none records `proposed`, in one transaction, if every stored visit's day agrees with it;
        else ClinicTimeZoneError. Returns the stored zone (the caller compares it)."""
        ...

    def get(self, visit_id: int) -> Visit | None: ...

    def cancel(self, visit_id: int, reason: str, role: str, at: datetime) -> tuple[Visit, bool] | None:
        """Mark a visit cancelled and append the audit entry; (visit, changed) or None if unknown.
        `changed` is False when it was already cancelled (nothing written)."""
        ...

    def visits_on(self, day: date, desk: str | None = None) -> list[Visit]: ...

    def all_visits(self) -> Iterator[Visit]: ...

    def audit_entries(self) -> Iterator[AuditEntry]: ...

    def note_search(self, content_for_seq: Callable[[int], dict[str, Any]]) -> None:
        """Append a search-by-document entry (no visit) to the audit chain, in one transaction."""
        ...

    def audit_head(self) -> tuple[int, str] | None: ...

    def audit_hash_at(self, seq: int) -> str | None:
        """The stored hash of audit entry `seq`, None when there is none (anchors check it)."""
        ...

    @property
    def location(self) -> str:
        """Where this ledger lives (a file's absolute path, a server and database): anchors name it."""
        ...

    def close(self) -> None: ...


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


def open_store(url: str) -> VisitStore:
    """Open (creating or migrating the schema if needed) the store named by `url`."""
    url = url.strip()
    if not url:
        raise StorageError("no storage URL given")
    if url.startswith(("postgresql://", "postgres://")):
        from desk_app.visits.postgres_store import PostgresStore

        return PostgresStore.open(url)
    if url.startswith("sqlite:///"):
        path_text = url[len("sqlite:///") :]
        if not path_text:
            raise StorageError("sqlite:/// URL names no file (use sqlite:////absolute/path.sqlite)")
    elif "://" in url or url.startswith("sqlite:"):
        raise StorageError(
            f"unsupported storage URL {url.split(':', 1)[0]}:... (use a path, sqlite:///PATH or postgresql://...)"
        )
    else:
        path_text = url
    from desk_app.visits.sqlite_store import SqliteStore

    return SqliteStore.open(Path(path_text).expanduser())
