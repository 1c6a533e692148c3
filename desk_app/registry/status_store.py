"""The desk's offline copy of the registry: every answer with the time it was received.

One SQLite file in WAL mode (readers never wait for the sync writer). Lookups go by primary
key. Bulk pages are applied in one transaction together with the sync position, so a process
killed mid-page leaves either the whole page and its cursor or neither. An older `updated_at`
never overwrites a newer one, so applying a page twice changes nothing.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from desk_app.registry.records import RegistryRecord

SCHEMA_VERSION = 1
_TABLE = "policy_status"
_STATE = "sync_state"

_COLUMNS = "enp, status, valid_to, insurer_code, birth_date, reason, updated_at, updated_key, received_at"
_PLACEHOLDERS = ", ".join("?" * 9)

# A single online answer is the registry's word at receipt time: it replaces what we hold
# unless what we hold is strictly newer. A bulk item replaces only something strictly older,
# so re-applying a page is a no-op; bulk items carry no birth date, so keep the one we have.
_UPSERT_ANSWER = f"""
INSERT INTO {_TABLE} ({_COLUMNS}) VALUES ({_PLACEHOLDERS})
ON CONFLICT(enp) DO UPDATE SET
  status = excluded.status, valid_to = excluded.valid_to, insurer_code = excluded.insurer_code,
  birth_date = excluded.birth_date, reason = excluded.reason, updated_at = excluded.updated_at,
  updated_key = excluded.updated_key, received_at = excluded.received_at
WHERE excluded.updated_key IS NULL OR {_TABLE}.updated_key IS NULL
   OR excluded.updated_key >= {_TABLE}.updated_key
"""  # noqa: S608 - constant table names only

_UPSERT_BULK = f"""
INSERT INTO {_TABLE} ({_COLUMNS}) VALUES ({_PLACEHOLDERS})
ON CONFLICT(enp) DO UPDATE SET
  status = excluded.status, valid_to = excluded.valid_to, insurer_code = excluded.insurer_code,
  birth_date = COALESCE(excluded.birth_date, {_TABLE}.birth_date), reason = excluded.reason,
  updated_at = excluded.updated_at, updated_key = excluded.updated_key,
  received_at = excluded.received_at
WHERE {_TABLE}.updated_key IS NULL OR excluded.updated_key > {_TABLE}.updated_key
"""  # noqa: S608


class StoreError(RuntimeError):
    """The copy's file cannot be opened or is not a status store."""


@dataclass(frozen=True)
class CachedEntry:
    enp: str
    status: str
    valid_to: str | None
    insurer_code: str | None
    birth_date: str | None
    reason: str | None
    updated_at: str | None
    received_at: datetime


@dataclass(frozen=True)
class SyncState:
    """Where the bulk sync stands.

    `watermark` is the newest `updated_at` of a run that finished (every change up to it is
    applied); `cursor` is set while a run is under way and names the next page to fetch.
    """

    watermark: str | None = None
    watermark_key: int | None = None
    run_since: str | None = None
    cursor: str | None = None
    run_max: str | None = None
    run_max_key: int | None = None
    last_complete_at: datetime | None = None


def utc_now() -> datetime:
    return datetime.now(UTC)


class StatusStore:
    """Thread-safe: each thread gets its own connection to the same file."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._closed = False
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._create_schema(self._conn())
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot open the registry copy {self.path}: {exc}") from None

    # Connections ----------------------------------------------------------------------
    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            if self._closed:
                raise StoreError("the registry copy is closed")
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=10)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    def close(self) -> None:
        with self._lock:
            self._closed = True
            conns, self._all = self._all, []
        for conn in conns:
            conn.close()
        self._local = threading.local()

    def __enter__(self) -> StatusStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _create_schema(self, conn: sqlite3.Connection) -> None:
        db = Database(conn)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(f"the registry copy has schema {version}, newer than this app ({SCHEMA_VERSION})")
        if version == SCHEMA_VERSION:
            return
        if db.tables and _TABLE not in db.table_names():
            raise StoreError("the file is not a registry copy")
        conn.execute("BEGIN IMMEDIATE")
        try:
            db[_TABLE].create(
                {
                    "enp": str,
                    "status": str,
                    "valid_to": str,
                    "insurer_code": str,
                    "birth_date": str,
                    "reason": str,
                    "updated_at": str,
                    "updated_key": int,
                    "received_at": str,
                },
                pk="enp",
                not_null=["status", "received_at"],
                if_not_exists=True,
            )
            db[_STATE].create(
                {
                    "id": int,
                    "watermark": str,
                    "watermark_key": int,
                    "run_since": str,
                    "cursor": str,
                    "run_max": str,
                    "run_max_key": int,
                    "last_complete_at": str,
                },
                pk="id",
                if_not_exists=True,
            )
            conn.execute(f"INSERT OR IGNORE INTO {_STATE} (id) VALUES (1)")  # noqa: S608
            conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    # Reads ----------------------------------------------------------------------------
    def get(self, enp: str) -> CachedEntry | None:
        row = self._conn().execute(
            f"SELECT enp, status, valid_to, insurer_code, birth_date, reason, updated_at, received_at "  # noqa: S608
            f"FROM {_TABLE} WHERE enp = ?",
            (enp,),
        ).fetchone()
        if row is None:
            return None
        return CachedEntry(*row[:7], received_at=datetime.fromisoformat(row[7]))

    def count(self) -> int:
        return self._conn().execute(f"SELECT count(*) FROM {_TABLE}").fetchone()[0]  # noqa: S608

    def sync_state(self) -> SyncState:
        row = self._conn().execute(
            f"SELECT watermark, watermark_key, run_since, cursor, run_max, run_max_key, last_complete_at "  # noqa: S608
            f"FROM {_STATE} WHERE id = 1"
        ).fetchone()
        last = datetime.fromisoformat(row[6]) if row[6] else None
        return SyncState(*row[:6], last_complete_at=last)

    # Writes ---------------------------------------------------------------------------
    def put_answer(self, record: RegistryRecord, received_at: datetime) -> None:
        """Store one online answer (including `not_found`) with its receipt time."""
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(_UPSERT_ANSWER, _row(record, received_at.isoformat()))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def apply_page(
        self,
        items: Iterable[RegistryRecord],
        received_at: datetime,
        *,
        run_since: str | None,
        next_cursor: str | None,
    ) -> int:
        """Apply one bulk page and move the sync position, all in one transaction.

        Returns how many rows changed. With `next_cursor` None the run is complete and its
        newest `updated_at` becomes the watermark.
        """
        conn = self._conn()
        received = received_at.isoformat()
        page_max: list[RegistryRecord] = []

        def rows() -> Iterator[tuple[object, ...]]:
            for record in items:
                if not page_max or (record.updated_key or 0) > (page_max[0].updated_key or 0):
                    page_max[:] = [record]
                yield _row(record, received)

        conn.execute("BEGIN IMMEDIATE")
        try:
            before = conn.total_changes
            conn.executemany(_UPSERT_BULK, rows())
            changed = conn.total_changes - before
            self._advance(conn, page_max[0] if page_max else None, run_since, next_cursor)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return changed

    def _advance(
        self,
        conn: sqlite3.Connection,
        newest: RegistryRecord | None,
        run_since: str | None,
        next_cursor: str | None,
    ) -> None:
        state = self.sync_state()
        run_max, run_max_key = state.run_max, state.run_max_key
        if newest is not None and newest.updated_key is not None and (
            run_max_key is None or newest.updated_key > run_max_key
        ):
            run_max, run_max_key = newest.updated_at, newest.updated_key
        if next_cursor is not None:
            conn.execute(
                f"UPDATE {_STATE} SET run_since = ?, cursor = ?, run_max = ?, run_max_key = ? WHERE id = 1",  # noqa: S608
                (run_since, next_cursor, run_max, run_max_key),
            )
            return
        watermark, watermark_key = state.watermark, state.watermark_key
        if run_max_key is not None and (watermark_key is None or run_max_key > watermark_key):
            watermark, watermark_key = run_max, run_max_key
        conn.execute(
            f"UPDATE {_STATE} SET watermark = ?, watermark_key = ?, run_since = NULL, cursor = NULL, "  # noqa: S608
            f"run_max = NULL, run_max_key = NULL, last_complete_at = ? WHERE id = 1",
            (watermark, watermark_key, utc_now().isoformat()),
        )

    def abandon_run(self) -> None:
        """Forget an unfinished run's cursor (e.g. the registry no longer accepts it)."""
        self._conn().execute(
            f"UPDATE {_STATE} SET run_since = NULL, cursor = NULL, run_max = NULL, run_max_key = NULL "  # noqa: S608
            f"WHERE id = 1"
        )


def _row(record: RegistryRecord, received: str) -> tuple[object, ...]:
    return (
        record.enp,
        record.status,
        record.valid_to,
        record.insurer_code,
        record.birth_date,
        record.reason,
        record.updated_at,
        record.updated_key,
        received,
    )
