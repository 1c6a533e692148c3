"""The offline copy: receipt times, ordering by updated_at, atomic pages, sync position."""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from desk_app.demo.synthetic import synthetic_records
from desk_app.registry.records import RegistryRecord, not_found_record, timestamp_key
from desk_app.registry.status_store import StatusStore, StoreError

T0 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def record(enp: str = "7700000000000014", status: str = "active", updated: str = "2026-11-24T09:15:00+03:00",
           **extra: str | None) -> RegistryRecord:
    return RegistryRecord(enp=enp, status=status, updated_at=updated, updated_key=timestamp_key(updated), **extra)


@pytest.fixture
def store(tmp_path: Path) -> StatusStore:
    s = StatusStore(tmp_path / "copy.sqlite")
    yield s
    s.close()


def test_answer_is_kept_with_its_receipt_time(store: StatusStore) -> None:
    store.put_answer(record(birth_date="1985-03-14", insurer_code="77012"), T0)
    entry = store.get("7700000000000014")
    assert entry is not None
    assert (entry.status, entry.birth_date, entry.insurer_code) == ("active", "1985-03-14", "77012")
    assert entry.received_at == T0 and entry.received_at.tzinfo is not None
    assert store.get("7700000000000022") is None


def test_store_is_wal_and_survives_reopen(tmp_path: Path) -> None:
    path = tmp_path / "copy.sqlite"
    with StatusStore(path) as s:
        s.put_answer(record(), T0)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    with StatusStore(path) as s:
        assert s.get("7700000000000014") is not None


def test_older_updated_at_never_overwrites_newer(store: StatusStore) -> None:
    store.put_answer(record(status="suspended", updated="2026-11-24T10:00:00+03:00", reason="двойное"), T0)
    # 06:59:59Z is one second before 10:00+03:00: neither an answer nor a bulk item may apply it.
    older = record(status="active", updated="2026-11-24T06:59:59+00:00")
    store.put_answer(older, T0 + timedelta(minutes=1))
    store.apply_page([older], T0 + timedelta(minutes=2), run_since=None, next_cursor=None)
    entry = store.get("7700000000000014")
    assert entry is not None and entry.status == "suspended" and entry.received_at == T0
    newer = record(status="active", updated="2026-11-24T07:00:01+00:00")
    store.apply_page([newer], T0 + timedelta(minutes=3), run_since=None, next_cursor=None)
    entry = store.get("7700000000000014")
    assert entry is not None and entry.status == "active" and entry.reason is None


def test_online_answer_with_same_updated_at_refreshes_receipt_time(store: StatusStore) -> None:
    store.put_answer(record(), T0)
    store.put_answer(record(), T0 + timedelta(hours=1))
    entry = store.get("7700000000000014")
    assert entry is not None and entry.received_at == T0 + timedelta(hours=1)


def test_applying_a_page_twice_changes_nothing(store: StatusStore) -> None:
    page = list(synthetic_records(50))
    assert store.apply_page(page, T0, run_since=None, next_cursor="c1") == 50
    snapshot = [store.get(r.enp) for r in page]
    assert store.apply_page(page, T0 + timedelta(hours=1), run_since=None, next_cursor="c1") == 0
    assert [store.get(r.enp) for r in page] == snapshot
    assert store.count() == 50


def test_bulk_item_keeps_the_birth_date_a_single_answer_gave(store: StatusStore) -> None:
    store.put_answer(record(birth_date="1985-03-14"), T0)
    store.apply_page([record(status="expired", updated="2026-11-25T09:00:00+03:00", valid_to="2026-11-25")], T0,
                     run_since=None, next_cursor=None)
    entry = store.get("7700000000000014")
    assert entry is not None and (entry.status, entry.birth_date, entry.valid_to) == (
        "expired", "1985-03-14", "2026-11-25")


def test_not_found_is_stored_and_later_replaced_by_a_bulk_item(store: StatusStore) -> None:
    store.put_answer(not_found_record("7700000000000014"), T0)
    entry = store.get("7700000000000014")
    assert entry is not None and entry.status == "not_found"
    store.apply_page([record()], T0, run_since=None, next_cursor=None)
    entry = store.get("7700000000000014")
    assert entry is not None and entry.status == "active"


def test_a_page_that_fails_midway_leaves_nothing_half_applied(store: StatusStore) -> None:
    first = list(synthetic_records(10))
    store.apply_page(first, T0, run_since=None, next_cursor="after-first")
    before = store.sync_state()
    second = list(synthetic_records(10, start=10))

    def breaks_midway():  # type: ignore[no-untyped-def]
        for i, item in enumerate(second):
            if i == 5:
                raise RuntimeError("connection lost while applying")
            yield item

    with pytest.raises(RuntimeError):
        store.apply_page(breaks_midway(), T0, run_since=None, next_cursor="after-second")
    assert store.count() == 10
    assert all(store.get(r.enp) is None for r in second)
    assert store.sync_state() == before


def test_sync_position_moves_with_pages_and_completes_to_a_watermark(store: StatusStore) -> None:
    records = list(synthetic_records(30))
    store.apply_page(records[:10], T0, run_since=None, next_cursor="p2")
    state = store.sync_state()
    assert state.cursor == "p2" and state.watermark is None and state.run_max == records[9].updated_at
    store.apply_page(records[10:20], T0, run_since=None, next_cursor="p3")
    store.apply_page(records[20:], T0, run_since=None, next_cursor=None)
    state = store.sync_state()
    assert state.cursor is None and state.run_max is None
    assert state.watermark == records[-1].updated_at and state.last_complete_at is not None
    # A later run that saw only older items never moves the watermark back.
    store.apply_page(records[:3], T0, run_since=state.watermark, next_cursor=None)
    assert store.sync_state().watermark == records[-1].updated_at


def test_abandon_run_forgets_the_cursor_but_keeps_the_watermark(store: StatusStore) -> None:
    records = list(synthetic_records(4))
    store.apply_page(records[:2], T0, run_since=None, next_cursor=None)
    store.apply_page(records[2:], T0, run_since=records[1].updated_at, next_cursor="p2")
    store.abandon_run()
    state = store.sync_state()
    assert state.cursor is None and state.watermark == records[1].updated_at


def test_reads_proceed_on_other_threads_while_a_page_is_written(store: StatusStore) -> None:
    store.put_answer(record(), T0)
    errors: list[BaseException] = []
    seen: list[str] = []

    def reader() -> None:
        try:
            for _ in range(200):
                entry = store.get("7700000000000014")
                seen.append(entry.status if entry else "missing")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=reader) for _ in range(3)]
    for t in threads:
        t.start()
    store.apply_page(synthetic_records(5000, start=100), T0, run_since=None, next_cursor=None)
    for t in threads:
        t.join()
    assert not errors and seen and set(seen) == {"active"}
    assert store.count() == 5001


def test_a_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE visits (id INTEGER)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="not a registry copy"):
        StatusStore(path)


def test_a_copy_from_a_newer_app_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "copy.sqlite"
    StatusStore(path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version=99")
    conn.close()
    with pytest.raises(StoreError, match="newer"):
        StatusStore(path)


def test_a_closed_store_refuses_reads(tmp_path: Path) -> None:
    s = StatusStore(tmp_path / "copy.sqlite")
    s.close()
    with pytest.raises(StoreError):
        s.get("7700000000000014")


def test_records_are_distinct_valid_and_ordered() -> None:
    from desk_app.verify.numbers import enp_is_valid

    records = list(synthetic_records(500))
    assert len({r.enp for r in records}) == 500
    assert all(enp_is_valid(r.enp) for r in records)
    assert [r.updated_key for r in records] == sorted(r.updated_key for r in records)
    assert {r.status for r in records} == {"active", "expired", "suspended"}
    assert replace(records[0]) == records[0]
