"""The SQLite backend: one file, WAL, every write in one BEGIN IMMEDIATE transaction.

BEGIN IMMEDIATE takes the write lock before the duplicate check, so desks (threads or
processes) sharing one file serialize: the check and the insert cannot interleave. A killed
process leaves an uncommitted transaction in the WAL, which SQLite discards on the next open;
committed visits survive (synchronous=FULL also survives a power cut). A partial unique
index backs the duplicate rule in case a future code path forgets the check.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from desk_app.visits import audit
from desk_app.visits.audit import AuditEntry
from desk_app.visits.model import AddOutcome, StorageError, Visit, parse_utc_iso, utc_iso
from desk_app.visits.rows import days_disagreeing, visit_from_row, visit_insert_values, zone_disagrees_error
from desk_app.visits.schema import (
    CLINIC_TIMEZONE_KEY,
    SCHEMA_VERSION,
    SQLITE,
    first_record_sql,
    insert_sql,
    schema,
    schema_step,
    select_sql,
)

BUSY_TIMEOUT_MS = 15_000

# The statements, from the one schema module (desk_app.visits.schema).
_SELECT = select_sql()
_INSERT = insert_sql(SQLITE)
_FIRST = first_record_sql(SQLITE)


def _to_visit(row: tuple) -> Visit:
    return visit_from_row(row, parse_utc_iso, date.fromisoformat)


class SqliteStore:
    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self._lock = threading.RLock()
        self.path = path

    @classmethod
    def open(cls, path: Path) -> SqliteStore:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(
                str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
            )
            # Text written around the app may not be UTF-8: read it with U+FFFD, never fail on it.
            conn.text_factory = lambda raw: raw.decode("utf-8", "replace")
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise StorageError(f"SQLite ledger {path}: cannot switch to WAL mode (got {mode})")
            conn.execute("PRAGMA synchronous = FULL")  # a committed visit survives a power cut too
            conn.execute("PRAGMA journal_size_limit = 67108864")  # the WAL shrinks back after bursts
            conn.execute("PRAGMA foreign_keys = ON")
            store = cls(conn, path)
            store._migrate()
        except sqlite3.DatabaseError as exc:
            raise StorageError(f"cannot open SQLite ledger {path}: {exc}") from None
        except OSError as exc:
            raise StorageError(f"cannot open SQLite ledger {path}: {exc.strerror or exc}") from None
        return store

    # -- schema --------------------------------------------------------------------------
    def _migrate(self) -> None:
        with self._write():
            has_table = self._conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
            ).fetchone()
            if not has_table:
                if self._conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]:
                    raise StorageError(f"{self.path} is a SQLite file but not a visits ledger")
                self._conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
                for statement in _statements(schema(SQLITE)):
                    self._conn.execute(statement)
                self._conn.execute("INSERT INTO schema_version (version) VALUES (?)", (SCHEMA_VERSION,))
                return
            version = self._conn.execute("SELECT max(version) FROM schema_version").fetchone()[0]
            if version is None or version > SCHEMA_VERSION:
                raise StorageError(
                    f"ledger {self.path} has schema version {version}; this app knows up to {SCHEMA_VERSION}"
                )
            for step in range(max(version, 1) + 1, SCHEMA_VERSION + 1):  # each step: desk_app.visits.schema
                for statement in _statements(schema_step(SQLITE, step)):
                    self._conn.execute(statement)
                self._conn.execute("UPDATE schema_version SET version = ?", (step,))

    def stored_clinic_timezone(self) -> str | None:
        """The clinic's zone if one is recorded (read-only: doctor)."""
        with self._lock:
            row = self._conn.execute("SELECT value FROM ledger_settings WHERE key = ?", (CLINIC_TIMEZONE_KEY,)
                                     ).fetchone()  # fmt: skip
        return str(row[0]) if row else None

    def clinic_timezone(self, proposed: str) -> str:
        with self._lock, self._write():
            row = self._conn.execute("SELECT value FROM ledger_settings WHERE key = ?", (CLINIC_TIMEZONE_KEY,)
                                     ).fetchone()  # fmt: skip
            if row is not None:
                return str(row[0])
            rows = self._conn.execute("SELECT recorded_at, visit_day FROM visits").fetchall()
            try:
                pairs = [(parse_utc_iso(at), date.fromisoformat(day)) for at, day in rows]
            except ValueError as exc:
                raise StorageError(f"SQLite ledger {self.path}: a stored time cannot be read ({exc})") from None
            count = days_disagreeing(pairs, proposed)
            if count:
                raise zone_disagrees_error(proposed, count, str(self.path))
            self._conn.execute(
                "INSERT INTO ledger_settings (key, value) VALUES (?, ?)", (CLINIC_TIMEZONE_KEY, proposed)
            )
            return proposed

    # -- transactions --------------------------------------------------------------------
    def _write(self) -> _Transaction:
        return _Transaction(self)

    def _before_commit(self) -> None:
        """A seam for the crash tests (a child process pauses here, inside the transaction)."""

    # -- writes --------------------------------------------------------------------------
    def add_visit(self, visit: Visit, override_reason: str | None) -> AddOutcome:
        with self._lock, self._write():
            row = self._conn.execute(
                _FIRST, (visit.policy_number, visit.service_code, visit.visit_day.isoformat())
            ).fetchone()
            first = _to_visit(row) if row else None
            if first is not None:
                if override_reason is None:
                    return AddOutcome(None, first)
                visit = replace(visit, override_of=first.id, override_reason=override_reason)
            cur = self._conn.execute(_INSERT, visit_insert_values(visit, utc_iso, date.isoformat))
            stored = visit.with_id(int(cur.lastrowid))  # type: ignore[arg-type]
            self._append_audit(lambda seq: audit.record_content(seq, stored))
            self._before_commit()
            return AddOutcome(stored.id, first)

    def cancel(self, visit_id: int, reason: str, role: str, at: datetime) -> tuple[Visit, bool] | None:
        with self._lock, self._write():
            row = self._conn.execute(_SELECT + " WHERE id = ?", (visit_id,)).fetchone()
            if row is None:
                return None
            visit = _to_visit(row)
            if visit.cancelled:
                return visit, False
            visit = replace(visit, cancelled_at=at, cancel_reason=reason, cancelled_by=role)
            self._conn.execute(
                "UPDATE visits SET cancelled_at = ?, cancel_reason = ?, cancelled_by = ? WHERE id = ?",
                (utc_iso(at), reason, role, visit_id),
            )
            self._append_audit(lambda seq: audit.cancel_content(seq, visit))
            self._before_commit()
            return visit, True

    def note_search(self, content_for_seq: Callable[[int], dict[str, Any]]) -> None:
        with self._lock, self._write():
            self._append_audit(content_for_seq)
            self._before_commit()

    def _append_audit(self, content_for_seq: Callable[[int], dict[str, Any]]) -> None:
        head = self._conn.execute("SELECT seq, hash FROM audit_head WHERE id = 1").fetchone()
        prev_seq, prev_hash = head if head else (0, audit.GENESIS_HASH)
        e = audit.next_entry(prev_seq, prev_hash, content_for_seq)
        self._conn.execute(
            "INSERT INTO audit_log (seq, action, visit_id, entry, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?)",
            (e.seq, e.action, e.visit_id, e.entry, e.prev_hash, e.hash),
        )
        self._conn.execute(
            "INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
            (e.seq, e.hash),
        )

    # -- reads ---------------------------------------------------------------------------
    def first_record(self, policy_number: str, service_code: str, day: date) -> Visit | None:
        with self._lock:
            row = self._conn.execute(_FIRST, (policy_number, service_code, day.isoformat())).fetchone()
        return _to_visit(row) if row else None

    def get(self, visit_id: int) -> Visit | None:
        with self._lock:
            row = self._conn.execute(_SELECT + " WHERE id = ?", (visit_id,)).fetchone()
        return _to_visit(row) if row else None

    def visits_on(self, day: date, desk: str | None = None) -> list[Visit]:
        sql, args = _SELECT + " WHERE visit_day = ?", [day.isoformat()]
        if desk is not None:
            sql, args = sql + " AND desk_id = ?", [*args, desk]
        with self._lock:
            rows = self._conn.execute(sql + " ORDER BY recorded_at, id", args).fetchall()
        return [_to_visit(r) for r in rows]

    def all_visits(self) -> Iterator[Visit]:
        with self._lock:
            rows = self._conn.execute(_SELECT + " ORDER BY id").fetchall()
        return (_to_visit(r) for r in rows)

    def audit_entries(self) -> Iterator[AuditEntry]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT seq, action, visit_id, entry, prev_hash, hash FROM audit_log ORDER BY seq"
            ).fetchall()
        return (AuditEntry(*r) for r in rows)

    def audit_head(self) -> tuple[int, str] | None:
        with self._lock:
            row = self._conn.execute("SELECT seq, hash FROM audit_head WHERE id = 1").fetchone()
        return (int(row[0]), str(row[1])) if row else None

    def audit_hash_at(self, seq: int) -> str | None:
        with self._lock:
            row = self._conn.execute("SELECT hash FROM audit_log WHERE seq = ?", (seq,)).fetchone()
        return str(row[0]) if row else None

    @property
    def location(self) -> str:
        """Which ledger this is, for anchors: the file's absolute path."""
        return str(self.path.resolve())

    def close(self) -> None:
        with self._lock:
            self._conn.close()


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error (SQLite errors become StorageError)."""

    def __init__(self, store: SqliteStore) -> None:
        self._store = store

    def __enter__(self) -> None:
        try:
            self._store._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StorageError(f"SQLite ledger {self._store.path} is busy or unavailable: {exc}") from None

    def __exit__(self, exc_type, exc, tb) -> bool:
        conn = self._store._conn
        if exc_type is None:
            try:
                conn.execute("COMMIT")
                return False
            except sqlite3.DatabaseError as commit_exc:
                conn.execute("ROLLBACK")
                raise StorageError(f"SQLite ledger {self._store.path}: commit failed: {commit_exc}") from None
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if isinstance(exc, sqlite3.DatabaseError):
            raise StorageError(f"SQLite ledger {self._store.path}: {exc}") from None
        return False


def _statements(script: str) -> list[str]:
    """Split the schema script on top-level semicolons (triggers keep their inner ones)."""
    out: list[str] = []
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    return [s for s in out if s]
