"""The PostgreSQL backend, for clinics where several desks share one ledger.

The duplicate rule is enforced by the database: a partial unique index on
(policy_number, service_code, visit_day) over live, non-override visits. A desk inserts with
`ON CONFLICT ... DO NOTHING`; if another desk won the race, the insert waits for that desk's
commit, inserts nothing, and this desk reports the winner as the first record. The audit chain
is appended under a row lock on its head (`SELECT ... FOR UPDATE`), taken after the insert so
the lock is held only for the few statements before COMMIT.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict

from desk_app.visits import audit
from desk_app.visits.audit import AuditEntry
from desk_app.visits.model import AddOutcome, StorageError, Visit
from desk_app.visits.rows import days_disagreeing, visit_from_row, visit_insert_values, zone_disagrees_error
from desk_app.visits.schema import (
    CLINIC_TIMEZONE_KEY,
    POSTGRES,
    SCHEMA_VERSION,
    first_record_sql,
    insert_sql,
    schema,
    schema_step,
    select_sql,
)

CONNECT_TIMEOUT_S = 5
# Every wait on the server has a bound: a lock held by a stuck desk, a runaway statement, a desk
# frozen inside a transaction (its locks are released), a server or network that went silent.
LOCK_TIMEOUT_MS = 10_000
STATEMENT_TIMEOUT_MS = 30_000
IDLE_IN_TRANSACTION_TIMEOUT_MS = 60_000
TCP_USER_TIMEOUT_MS = 20_000
_MIGRATION_LOCK = 0x4445_534B_0001  # pg_advisory_xact_lock key: one migrating desk at a time

# What a desk's own PostgreSQL role needs, and no more (docs/security.md, "A PostgreSQL ledger"):
# IT creates the schema as the owner (the first `desk-app` run with the owner's URL), then grants
# these to the role the desks use. Not the owner, that role cannot drop or disable the triggers,
# nor rewrite the audit log: the chain and its head in PostgreSQL are the desks' anchor.
DESK_ROLE_GRANTS = """
GRANT SELECT ON schema_version, visits, audit_log, audit_head, ledger_settings TO {role};
GRANT INSERT ON visits, audit_log, ledger_settings TO {role};
GRANT UPDATE (cancelled_at, cancel_reason, cancelled_by) ON visits TO {role};
GRANT UPDATE ON audit_head TO {role};
GRANT USAGE ON SEQUENCE visits_id_seq TO {role};
"""

# The statements, from the one schema module (desk_app.visits.schema).
_SELECT = select_sql()
_INSERT = insert_sql(POSTGRES)
_INSERT_FIRST = (
    _INSERT + " ON CONFLICT (policy_number, service_code, visit_day)"
    " WHERE cancelled_at IS NULL AND override_of IS NULL DO NOTHING RETURNING id"
)
_INSERT_OVERRIDE = _INSERT + " RETURNING id"
_FIRST = first_record_sql(POSTGRES)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def _same_date(value: date) -> date:
    return value


def _to_visit(row: tuple) -> Visit:
    return visit_from_row(row, _utc, _same_date)


def _connect(url: str) -> psycopg.Connection:
    """A connection whose every wait is bounded (see the constants above); options in the URL are kept."""
    info = conninfo_to_dict(url)
    bounds = (f"-c lock_timeout={LOCK_TIMEOUT_MS} -c statement_timeout={STATEMENT_TIMEOUT_MS} "
              f"-c idle_in_transaction_session_timeout={IDLE_IN_TRANSACTION_TIMEOUT_MS}")  # fmt: skip
    options = f"{info['options']} {bounds}" if info.get("options") else bounds
    return psycopg.connect(
        url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S, options=options,
        keepalives=1, keepalives_idle=10, keepalives_interval=5, keepalives_count=3,
        tcp_user_timeout=TCP_USER_TIMEOUT_MS,
    )  # fmt: skip


def describe_url(url: str) -> str:
    """host:port/dbname of a PostgreSQL URL, never its password."""
    try:
        info = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "the configured PostgreSQL server"
    return f"{info.get('host', 'localhost')}:{info.get('port', 5432)}/{info.get('dbname', '')}"


class PostgresStore:
    def __init__(self, conn: psycopg.Connection, where: str, url: str) -> None:
        self._conn = conn
        self._lock = threading.RLock()
        self.where = where
        self._url = url

    @classmethod
    def open(cls, url: str) -> PostgresStore:
        where = describe_url(url)
        try:
            conn = _connect(url)
        except psycopg.ProgrammingError:
            raise StorageError("malformed PostgreSQL URL (expected postgresql://user@host:port/dbname)") from None
        except psycopg.Error as exc:
            raise StorageError(f"cannot connect to PostgreSQL at {where}: {_first_line(exc)}") from None
        store = cls(conn, where, url)
        try:
            store._migrate()
        except psycopg.Error as exc:
            conn.close()
            raise StorageError(f"PostgreSQL ledger at {where}: {_first_line(exc)}") from None
        return store

    def _migrate(self) -> None:
        with self._conn.transaction():
            self._conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
            exists = self._conn.execute("SELECT to_regclass('schema_version')").fetchone()[0]
            if exists is None:
                if self._conn.execute("SELECT to_regclass('visits')").fetchone()[0] is not None:
                    raise StorageError(f"database {self.where} has a 'visits' table that is not this ledger's")
                self._conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
                self._conn.execute(schema(POSTGRES))
                self._conn.execute("INSERT INTO schema_version (version) VALUES (%s)", (SCHEMA_VERSION,))
                return
            version = self._conn.execute("SELECT max(version) FROM schema_version").fetchone()[0]
            if version is None or version > SCHEMA_VERSION:
                raise StorageError(
                    f"ledger at {self.where} has schema version {version}; this app knows up to {SCHEMA_VERSION}"
                )
            for step in range(max(version, 1) + 1, SCHEMA_VERSION + 1):  # each step: desk_app.visits.schema
                self._conn.execute(schema_step(POSTGRES, step))
                self._conn.execute("UPDATE schema_version SET version = %s", (step,))

    def stored_clinic_timezone(self) -> str | None:
        """The clinic's zone if one is recorded (read-only: doctor)."""
        with self._guard():
            row = self._conn.execute("SELECT value FROM ledger_settings WHERE key = %s", (CLINIC_TIMEZONE_KEY,)
                                     ).fetchone()  # fmt: skip
        return str(row[0]) if row else None

    def clinic_timezone(self, proposed: str) -> str:
        with self._guard(), self._conn.transaction():
            self._conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
            row = self._conn.execute("SELECT value FROM ledger_settings WHERE key = %s", (CLINIC_TIMEZONE_KEY,)
                                     ).fetchone()  # fmt: skip
            if row is not None:
                return str(row[0])
            rows = self._conn.execute("SELECT recorded_at, visit_day FROM visits").fetchall()
            count = days_disagreeing([(_utc(at), day) for at, day in rows], proposed)
            if count:
                raise zone_disagrees_error(proposed, count, self.where)
            self._conn.execute("INSERT INTO ledger_settings (key, value) VALUES (%s, %s)",
                               (CLINIC_TIMEZONE_KEY, proposed))  # fmt: skip
            return proposed

    def _before_commit(self) -> None:
        """A seam for the crash tests (a child process pauses here, inside the transaction)."""

    def _guard(self) -> _Guard:
        return _Guard(self)

    # -- writes --------------------------------------------------------------------------
    def add_visit(self, visit: Visit, override_reason: str | None) -> AddOutcome:
        with self._guard(), self._conn.transaction():
            key = (visit.policy_number, visit.service_code, visit.visit_day)
            row = self._conn.execute(_FIRST, key).fetchone()
            first = _to_visit(row) if row else None
            new_id: int | None = None
            if first is None:
                got = self._conn.execute(_INSERT_FIRST, self._values(visit)).fetchone()
                if got is not None:
                    new_id = int(got[0])
                else:  # another desk committed the same key a moment ago: it is the first record
                    row = self._conn.execute(_FIRST, key).fetchone()
                    first = _to_visit(row) if row else None
                    if first is None:  # cannot happen: the conflicting row is live
                        raise StorageError(f"PostgreSQL ledger at {self.where}: duplicate check inconsistent")
            if new_id is None:
                if override_reason is None:
                    return AddOutcome(None, first)
                visit = replace(visit, override_of=first.id, override_reason=override_reason)  # type: ignore[union-attr]
                new_id = int(self._conn.execute(_INSERT_OVERRIDE, self._values(visit)).fetchone()[0])
            stored = visit.with_id(new_id)
            self._append_audit(lambda seq: audit.record_content(seq, stored))
            self._before_commit()
            return AddOutcome(new_id, first)

    def cancel(self, visit_id: int, reason: str, role: str, at: datetime) -> tuple[Visit, bool] | None:
        with self._guard(), self._conn.transaction():
            row = self._conn.execute(_SELECT + " WHERE id = %s FOR UPDATE", (visit_id,)).fetchone()
            if row is None:
                return None
            visit = _to_visit(row)
            if visit.cancelled:
                return visit, False
            visit = replace(visit, cancelled_at=_utc(at), cancel_reason=reason, cancelled_by=role)
            self._conn.execute(
                "UPDATE visits SET cancelled_at = %s, cancel_reason = %s, cancelled_by = %s WHERE id = %s",
                (visit.cancelled_at, reason, role, visit_id),
            )
            self._append_audit(lambda seq: audit.cancel_content(seq, visit))
            self._before_commit()
            return visit, True

    def note_search(self, content_for_seq: Callable[[int], dict[str, Any]]) -> None:
        with self._guard(), self._conn.transaction():
            self._append_audit(content_for_seq)
            self._before_commit()

    @staticmethod
    def _values(visit: Visit) -> tuple[Any, ...]:
        return visit_insert_values(visit, _utc, _same_date)

    def _append_audit(self, content_for_seq: Callable[[int], dict[str, Any]]) -> None:
        prev_seq, prev_hash = self._conn.execute("SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE").fetchone()
        e = audit.next_entry(int(prev_seq), prev_hash, content_for_seq)
        self._conn.execute(
            "INSERT INTO audit_log (seq, action, visit_id, entry, prev_hash, hash) VALUES (%s, %s, %s, %s, %s, %s)",
            (e.seq, e.action, e.visit_id, e.entry, e.prev_hash, e.hash),
        )
        self._conn.execute("UPDATE audit_head SET seq = %s, hash = %s WHERE id = 1", (e.seq, e.hash))

    # -- reads ---------------------------------------------------------------------------
    def first_record(self, policy_number: str, service_code: str, day: date) -> Visit | None:
        with self._guard():
            row = self._conn.execute(_FIRST, (policy_number, service_code, day)).fetchone()
        return _to_visit(row) if row else None

    def get(self, visit_id: int) -> Visit | None:
        with self._guard():
            row = self._conn.execute(_SELECT + " WHERE id = %s", (visit_id,)).fetchone()
        return _to_visit(row) if row else None

    def visits_on(self, day: date, desk: str | None = None) -> list[Visit]:
        sql, args = _SELECT + " WHERE visit_day = %s", [day]
        if desk is not None:
            sql, args = sql + " AND desk_id = %s", [*args, desk]
        with self._guard():
            rows = self._conn.execute(sql + " ORDER BY recorded_at, id", args).fetchall()
        return [_to_visit(r) for r in rows]

    def all_visits(self) -> Iterator[Visit]:
        with self._guard():
            rows = self._conn.execute(_SELECT + " ORDER BY id").fetchall()
        return (_to_visit(r) for r in rows)

    def audit_entries(self) -> Iterator[AuditEntry]:
        with self._guard():
            rows = self._conn.execute(
                "SELECT seq, action, visit_id, entry, prev_hash, hash FROM audit_log ORDER BY seq"
            ).fetchall()
        return (AuditEntry(int(r[0]), r[1], int(r[2]), r[3], r[4], r[5]) for r in rows)

    def audit_head(self) -> tuple[int, str] | None:
        with self._guard():
            row = self._conn.execute("SELECT seq, hash FROM audit_head WHERE id = 1").fetchone()
        if row is None:
            return None
        return None if int(row[0]) == 0 else (int(row[0]), str(row[1]))

    def audit_hash_at(self, seq: int) -> str | None:
        with self._guard():
            row = self._conn.execute("SELECT hash FROM audit_log WHERE seq = %s", (seq,)).fetchone()
        return str(row[0]) if row else None

    @property
    def location(self) -> str:
        """Which ledger this is, for anchors: the server and database (no user, no password)."""
        return self.where

    def _reconnect_if_broken(self) -> None:
        """A long-lived desk survives a server restart: the next call opens a new connection."""
        if not (self._conn.broken or self._conn.closed):
            return
        try:
            self._conn = _connect(self._url)
        except psycopg.Error as exc:
            raise StorageError(f"cannot connect to PostgreSQL at {self.where}: {_first_line(exc)}") from None

    def close(self) -> None:
        with self._lock:
            self._conn.close()


class _Guard:
    """Serialize use of the one connection across threads; turn database errors into StorageError."""

    def __init__(self, store: PostgresStore) -> None:
        self._store = store

    def __enter__(self) -> None:
        self._store._lock.acquire()
        try:
            self._store._reconnect_if_broken()
        except BaseException:
            self._store._lock.release()
            raise

    def __exit__(self, exc_type, exc, tb) -> bool:
        self._store._lock.release()
        if isinstance(exc, psycopg.Error):
            raise StorageError(f"PostgreSQL ledger at {self._store.where}: {_first_line(exc)}") from None
        return False


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
