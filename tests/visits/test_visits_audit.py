"""The audit chain on both backends: intact when left alone, broken when anything is changed."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import psycopg
import pytest

from desk_app.visits import VisitLedger
from desk_app.visits.audit import GENESIS_HASH, canonical_json, chain_hash
from tests.helpers.visits import BLOOD_TEST, ENP_B, THERAPIST_FIRST, make_verdict, moscow


@pytest.fixture
def filled(ledger_url: str) -> Iterator[str]:
    """A ledger with entries: 1 record, 2 record, 3 override, 4 record, 5 cancel (of visit 2)."""
    with VisitLedger.open(ledger_url) as ledger:
        at = moscow(2026, 3, 2, 9, 0)
        common = {"doctor": "Петров П. П.", "desk_id": "desk-1", "now": at}
        v1 = ledger.record(make_verdict(), service_code=THERAPIST_FIRST, **common)
        v2 = ledger.record(make_verdict(), service_code=BLOOD_TEST, **common)
        ledger.record(make_verdict(), service_code=THERAPIST_FIRST, role="senior", override_reason="по показаниям",
                      **common)  # fmt: skip
        ledger.record(make_verdict(number=ENP_B), service_code=THERAPIST_FIRST, **common)
        assert ledger.cancel(v2.visit_id, "ошибка регистратора", "admin", now=moscow(2026, 3, 2, 10, 0)).cancelled
        assert v1.recorded
        report = ledger.verify_audit()
        assert report.ok and report.entries == 5
    yield ledger_url


def tamper(url: str, *statements: str) -> None:
    """Change the database behind the ledger's back, as someone with direct access could."""
    if url.startswith("postgresql://"):
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("ALTER TABLE audit_log DISABLE TRIGGER USER")
            conn.execute("ALTER TABLE visits DISABLE TRIGGER USER")
            for statement in statements:
                conn.execute(statement)
        return
    with sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None) as conn:
        for trigger in ("audit_log_no_update", "audit_log_no_delete", "visits_no_delete"):
            conn.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        for statement in statements:
            conn.execute(statement)
    conn.close()


def verify(url: str):
    with VisitLedger.open(url) as ledger:
        return ledger.verify_audit()


def test_chain_links_every_entry_to_the_previous(filled: str) -> None:
    with VisitLedger.open(filled) as ledger:
        entries = list(ledger.store.audit_entries())
        head = ledger.store.audit_head()
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
    assert [e.action for e in entries] == ["record", "record", "override", "record", "cancel"]
    prev = GENESIS_HASH
    for e in entries:
        assert e.prev_hash == prev and e.hash == chain_hash(prev, e.entry)
        prev = e.hash
    assert head == (5, prev)
    assert canonical_json({"b": 1, "a": "я"}) == '{"a":"я","b":1}'


def test_the_database_itself_refuses_edits_and_deletes(filled: str) -> None:
    with VisitLedger.open(filled) as ledger:
        store = ledger.store
        for statement in ("UPDATE audit_log SET entry = 'x' WHERE seq = 1", "DELETE FROM audit_log WHERE seq = 5",
                          "DELETE FROM visits WHERE id = 1"):  # fmt: skip
            with pytest.raises((sqlite3.DatabaseError, psycopg.Error), match=r"append-only|never deleted"):
                store._conn.execute(statement)
    assert verify(filled).ok


def test_edited_entry_is_named(filled: str) -> None:
    tamper(filled, "UPDATE audit_log SET entry = replace(entry, 'Петров', 'Иванов') WHERE seq = 2")
    report = verify(filled)
    assert not report.ok and report.first_bad_seq == 2 and "edited" in report.message


def test_edited_entry_with_its_hash_recomputed_breaks_the_next_link(filled: str) -> None:
    with VisitLedger.open(filled) as ledger:
        e2 = next(e for e in ledger.store.audit_entries() if e.seq == 2)
    forged = e2.entry.replace("Петров", "Иванов")
    forged_hash = chain_hash(e2.prev_hash, forged)
    tamper(filled, f"UPDATE audit_log SET entry = '{forged}', hash = '{forged_hash}' WHERE seq = 2")  # noqa: S608 (test literal)
    report = verify(filled)
    assert not report.ok and report.first_bad_seq == 3 and "previous entry" in report.message


def test_deleted_entry_is_named(filled: str) -> None:
    tamper(filled, "DELETE FROM audit_log WHERE seq = 3")
    report = verify(filled)
    assert not report.ok and report.first_bad_seq == 3 and "deleted or reordered" in report.message


def test_reordered_entries_are_named(filled: str) -> None:
    tamper(
        filled,
        "UPDATE audit_log SET seq = -seq WHERE seq IN (2, 3)",
        "UPDATE audit_log SET seq = seq + 5 WHERE seq < 0",
    )
    report = verify(filled)
    assert not report.ok and report.first_bad_seq == 2


def test_cut_off_tail_is_detected_by_the_head(filled: str) -> None:
    tamper(filled, "DELETE FROM audit_log WHERE seq = 5")
    report = verify(filled)
    assert not report.ok and report.first_bad_seq == 5 and "deleted" in report.message


def test_visit_edited_behind_the_ledger_is_detected(filled: str) -> None:
    tamper(filled, "UPDATE visits SET doctor = 'Другой' WHERE id = 1")
    report = verify(filled)
    assert not report.ok and "visit 1 differs" in report.message


def test_deleted_visit_is_detected(filled: str) -> None:
    tamper(filled, "DELETE FROM visits WHERE id = 4")
    report = verify(filled)
    assert not report.ok and "visit 4 was recorded but is gone" in report.message


def test_uncancelled_visit_is_detected(filled: str) -> None:
    tamper(filled, "UPDATE visits SET cancelled_at = NULL, cancel_reason = NULL, cancelled_by = NULL WHERE id = 2")
    report = verify(filled)
    assert not report.ok and "visit 2 cancellation" in report.message


def test_visit_without_audit_entry_is_detected(filled: str) -> None:
    # A row slipped in with no audit entry (direct INSERT by another tool).
    tamper(
        filled,
        "INSERT INTO visits (policy_number, service_code, service_name, doctor, desk_id, recorded_at, visit_day,"
        " decision, signature, status, status_source, identity_check, role) VALUES ('7700000000000016',"
        " 'B01.015.001', 'x', 'd', 'desk-x', '2026-03-02T06:00:00.000000Z', '2026-03-02', 'accept', 'ok',"
        " 'active', 'online', 'not_checked', 'registrar')",
    )
    report = verify(filled)
    assert not report.ok and "has no audit entry" in report.message
