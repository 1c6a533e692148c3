"""Schema 3 on both backends: `document_typed` is an identity check of its own, an unknown value is
refused by the storage itself (old ledgers migrated), and each search by document is an entry of
the audit chain that names no document."""

from __future__ import annotations

import json
import sqlite3

import psycopg
import pytest

from desk_app.visits import VisitLedger
from desk_app.visits.model import LedgerUsageError
from desk_app.visits.store import SCHEMA_VERSION
from tests.helpers.visits import BLOOD_TEST, THERAPIST_FIRST, make_verdict, moscow

AT = moscow(2026, 3, 2, 9, 0)


def _execute(url: str, *statements: str) -> list[tuple]:
    """Run SQL behind the ledger's back (as an old release, or someone with direct access, could)."""
    rows: list[tuple] = []
    if url.startswith("postgresql://"):
        with psycopg.connect(url, autocommit=True) as conn:
            for statement in statements:
                cur = conn.execute(statement)
                rows = cur.fetchall() if cur.description else rows
        return rows
    with sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None) as conn:
        for statement in statements:
            rows = conn.execute(statement).fetchall()
    conn.close()
    return rows


def _downgrade_to_v2(url: str) -> None:
    """A ledger as release 2 wrote it: no identity-check rule in the storage."""
    if url.startswith("postgresql://"):
        _execute(url, "ALTER TABLE visits DROP CONSTRAINT visits_identity_check_known",
                 "UPDATE schema_version SET version = 2")  # fmt: skip
    else:
        _execute(url, "DROP TRIGGER visits_identity_check_insert", "DROP TRIGGER visits_identity_check_update",
                 "UPDATE schema_version SET version = 2")  # fmt: skip


def test_document_typed_is_kept_as_its_own_identity_check(ledger: VisitLedger) -> None:
    result = ledger.record(make_verdict(signature="not_applicable"), service_code=THERAPIST_FIRST,
                           doctor="Петров П. П.", desk_id="desk-1", identity_check="document_typed",
                           now=AT)  # fmt: skip
    assert result.recorded
    visit = ledger.get(result.visit_id)
    assert visit is not None and visit.identity_check == "document_typed"
    assert ledger.verify_audit().ok


def test_the_storage_itself_refuses_an_unknown_identity_check(ledger_url: str) -> None:
    with VisitLedger.open(ledger_url) as ledger:
        ledger.record(make_verdict(), service_code=THERAPIST_FIRST, doctor="Петров П. П.", desk_id="desk-1", now=AT)
    error = psycopg.Error if ledger_url.startswith("postgresql://") else sqlite3.DatabaseError
    with pytest.raises(error):
        _execute(ledger_url, "UPDATE visits SET identity_check = 'looked_at_face'")
    with VisitLedger.open(ledger_url) as ledger:
        with pytest.raises(LedgerUsageError):
            ledger.record(make_verdict(), service_code=BLOOD_TEST, doctor="Петров П. П.", desk_id="desk-1",
                          identity_check="looked_at_face", now=AT)  # fmt: skip


def test_a_schema_2_ledger_is_migrated_with_its_visits(ledger_url: str) -> None:
    with VisitLedger.open(ledger_url) as ledger:
        ledger.record(make_verdict(), service_code=THERAPIST_FIRST, doctor="Петров П. П.", desk_id="desk-1",
                      identity_check="match", now=AT)  # fmt: skip
    _downgrade_to_v2(ledger_url)
    _execute(ledger_url, "UPDATE visits SET identity_check = 'looked_at_face'")  # release 2 had no rule
    _execute(ledger_url, "UPDATE visits SET identity_check = 'match'")
    with VisitLedger.open(ledger_url) as ledger:  # opening migrates
        assert [v.identity_check for v in ledger.list_day(AT.date())] == ["match"]
        typed = ledger.record(make_verdict(signature="not_applicable"), service_code=BLOOD_TEST,
                              doctor="Петров П. П.", desk_id="desk-1", identity_check="document_typed", now=AT)
        assert typed.recorded and ledger.verify_audit().ok
    assert _execute(ledger_url, "SELECT max(version) FROM schema_version") == [(SCHEMA_VERSION,)] == [(3,)]
    with pytest.raises((psycopg.Error, sqlite3.DatabaseError)):
        _execute(ledger_url, "UPDATE visits SET identity_check = 'looked_at_face'")


def test_each_search_is_an_audit_entry_without_the_document(ledger: VisitLedger) -> None:
    ledger.record(make_verdict(), service_code=THERAPIST_FIRST, doctor="Петров П. П.", desk_id="desk-1", now=AT)
    ledger.note_search(desk_id="desk-1", document="passport_rf", outcome="found", now=AT)
    ledger.note_search(desk_id="desk-2", document="snils", outcome="not_found", now=AT)
    ledger.note_search(desk_id="desk-1", document="birth_certificate", outcome="no_answer", now=AT)
    report = ledger.verify_audit()
    assert report.ok and report.entries == 4
    entries = list(ledger.store.audit_entries())
    searches = [json.loads(e.entry) for e in entries if e.action == "search"]
    assert [(s["desk_id"], s["document"], s["outcome"]) for s in searches] == [
        ("desk-1", "passport_rf", "found"), ("desk-2", "snils", "not_found"),
        ("desk-1", "birth_certificate", "no_answer")]  # fmt: skip
    assert all(set(s) == {"seq", "action", "at", "desk_id", "document", "outcome"} for s in searches)
    assert all(s["at"] == "2026-03-02T06:00:00.000000Z" for s in searches)
    assert all(e.visit_id == 0 for e in entries if e.action == "search")


def test_a_search_entry_edited_breaks_the_chain(ledger_url: str) -> None:
    with VisitLedger.open(ledger_url) as ledger:
        ledger.note_search(desk_id="desk-1", document="passport_rf", outcome="not_found", now=AT)
        ledger.note_search(desk_id="desk-1", document="passport_rf", outcome="found", now=AT)
    edited = "UPDATE audit_log SET entry = replace(entry, 'not_found', 'found') WHERE seq = 1"
    if ledger_url.startswith("postgresql://"):
        _execute(ledger_url, "ALTER TABLE audit_log DISABLE TRIGGER USER", edited)
    else:
        _execute(ledger_url, "DROP TRIGGER audit_log_no_update", edited)
    with VisitLedger.open(ledger_url) as ledger:
        report = ledger.verify_audit()
    assert not report.ok and report.first_bad_seq == 1


@pytest.mark.parametrize(("document", "outcome"), [("passport", "found"), ("snils", "maybe"), ("4510 123456", "found")])
def test_a_search_entry_takes_only_known_values(ledger: VisitLedger, document: str, outcome: str) -> None:
    with pytest.raises(LedgerUsageError):
        ledger.note_search(desk_id="desk-1", document=document, outcome=outcome, now=AT)
    assert ledger.verify_audit().entries == 0



def test_the_billing_register_carries_document_typed_and_stays_valid(ledger: VisitLedger) -> None:
    from lxml import etree

    from desk_app.paths import resource
    from desk_app.visits.export import render

    ledger.record(make_verdict(signature="not_applicable"), service_code=THERAPIST_FIRST, doctor="Петров П. П.",
                  desk_id="desk-1", identity_check="document_typed", now=AT)  # fmt: skip
    day = AT.astimezone(ledger.tz).date()
    xml = render(ledger.billable_day(day), day, ledger.tz, "xml")
    schema = etree.XMLSchema(etree.parse(str(resource("visit-register.xsd"))))
    document = etree.fromstring(xml)
    assert schema.validate(document), schema.error_log
    assert b'IdentityCheck="document_typed"' in xml
    assert b"document_typed" in render(ledger.billable_day(day), day, ledger.tz, "csv")
