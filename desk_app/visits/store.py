"""The storage interface the ledger uses, and the choice of backend by URL.

A bare path or `sqlite:///PATH` (SQLAlchemy style: `sqlite:////abs/path`, `sqlite:///relative`)
opens SQLite; `postgresql://...` or `postgres://...` opens PostgreSQL. Both backends keep the
same tables (schema version 3, see docs/visits.md), written once in `desk_app.visits.schema`,
and do each write (visit and audit entry) in one transaction. The backends import the schema
and the row helpers (`desk_app.visits.rows`), never this module: no cycle inside the package.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

from desk_app.visits.audit import AuditEntry
from desk_app.visits.model import AddOutcome, StorageError, Visit
from desk_app.visits.schema import SCHEMA_VERSION

__all__ = ["SCHEMA_VERSION", "VisitStore", "open_store"]


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
