"""The ledger's rules on both backends: who may record, the duplicate rule, overrides, cancelling."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest

from desk_app.visits import LedgerUsageError, StorageError, VisitLedger
from desk_app.visits.rules import Refusal
from desk_app.visits.store import open_store
from tests.helpers.visits import BLOOD_TEST, ENP_A, ENP_B, THERAPIST_FIRST, THERAPIST_REPEAT, make_verdict, moscow

DAY = date(2026, 3, 2)
MORNING = moscow(2026, 3, 2, 9, 15)


def _record(ledger: VisitLedger, **kw):
    args = {"service_code": THERAPIST_FIRST, "doctor": "Петров П. П.", "desk_id": "desk-1", "now": MORNING}
    verdict = kw.pop("verdict", None) or make_verdict()
    args.update(kw)
    return ledger.record(verdict, **args)


def test_accept_is_recorded_with_everything_the_verdict_said(ledger: VisitLedger) -> None:
    result = _record(ledger, identity_check="match")
    assert result.recorded and result.visit_id is not None
    assert result.refused_because is None and result.duplicate_of is None
    visit = ledger.get(result.visit_id)
    assert visit is not None
    assert (visit.policy_number, visit.last_name, visit.first_name, visit.middle_name) == (
        ENP_A, "Иванова", "Мария", "Петровна",
    )  # fmt: skip
    assert visit.birth_date == date(1985, 3, 14)
    assert visit.service_code == THERAPIST_FIRST
    assert visit.service_name == "Прием (осмотр, консультация) врача-терапевта первичный"
    assert (visit.decision, visit.signature, visit.status, visit.status_source) == ("accept", "ok", "active", "online")
    assert visit.identity_check == "match"
    assert visit.recorded_at == MORNING  # aware; stored as UTC
    assert visit.recorded_at.utcoffset() == timedelta(0)
    assert visit.visit_day == DAY
    assert visit.role == "registrar" and not visit.cancelled


def test_reject_is_never_recorded(ledger: VisitLedger) -> None:
    verdict = make_verdict("reject", signature="bad_signature", status="unknown", source="none")
    result = _record(ledger, verdict=verdict, warn_reason="пациент настаивает")
    assert not result.recorded and result.refused_because == "verdict_reject" and result.visit_id is None
    assert ledger.list_day(DAY) == []


def test_warn_needs_a_typed_reason(ledger: VisitLedger) -> None:
    warn = make_verdict("warn", status="unknown", source="none")
    for blank in (None, "", "   "):
        refused = _record(ledger, verdict=warn, warn_reason=blank)
        assert not refused.recorded and refused.refused_because == "warn_needs_reason"
    assert ledger.list_day(DAY) == []
    recorded = _record(ledger, verdict=warn, warn_reason="  реестр   недоступен ")
    assert recorded.recorded
    visit = ledger.get(recorded.visit_id)
    assert visit is not None and visit.warn_reason == "реестр недоступен" and visit.decision == "warn"


def test_duplicate_from_another_desk_is_refused_naming_the_first(ledger: VisitLedger) -> None:
    first = _record(ledger, desk_id="desk-1", doctor="Петров П. П.")
    later = moscow(2026, 3, 2, 17, 40)
    dup = _record(ledger, desk_id="desk-3", doctor="Сидорова А. А.", now=later)
    assert not dup.recorded and dup.refused_because == "duplicate" and dup.visit_id is None
    assert dup.duplicate_of is not None
    assert dup.duplicate_of.visit_id == first.visit_id
    assert dup.duplicate_of.to_json() == {
        "time": "2026-03-02T09:15:00+03:00", "desk": "desk-1", "doctor": "Петров П. П.",
    }  # fmt: skip
    assert "desk-1" in dup.message and "09:15" in dup.message
    assert [v.id for v in ledger.list_day(DAY)] == [first.visit_id]


def test_other_service_other_patient_other_day_are_not_duplicates(ledger: VisitLedger) -> None:
    assert _record(ledger).recorded
    assert _record(ledger, service_code=THERAPIST_REPEAT).recorded
    assert _record(ledger, service_code=BLOOD_TEST).recorded
    assert _record(ledger, verdict=make_verdict(number=ENP_B)).recorded
    assert _record(ledger, now=moscow(2026, 3, 3, 9, 15)).recorded
    assert len(ledger.list_day(DAY)) == 4


def test_calendar_day_is_the_clinics_not_utc(ledger: VisitLedger) -> None:
    # 23:30 Moscow on 2 March is 20:30 UTC; 00:30 Moscow on 3 March is 21:30 UTC on 2 March.
    late = _record(ledger, now=moscow(2026, 3, 2, 23, 30))
    after_midnight = _record(ledger, now=moscow(2026, 3, 3, 0, 30))
    assert late.recorded and after_midnight.recorded
    assert ledger.get(after_midnight.visit_id).visit_day == date(2026, 3, 3)  # type: ignore[union-attr]
    # 01:00 Moscow on 2 March is still 1 March in UTC, but the same clinic day as 23:30.
    same_day = _record(ledger, now=moscow(2026, 3, 2, 1, 0))
    assert same_day.refused_because == "duplicate"


def test_override_needs_a_permitted_role_and_is_recorded_as_such(ledger: VisitLedger) -> None:
    first = _record(ledger)
    by_registrar = _record(ledger, role="registrar", override_reason="повторный осмотр по направлению")
    assert not by_registrar.recorded and by_registrar.refused_because == "duplicate"
    assert "may not override" in by_registrar.message
    for role in ("senior", "admin"):
        ok = _record(ledger, role=role, override_reason="повторный осмотр по направлению")
        assert ok.recorded and ok.overridden and ok.refused_because is None
        assert ok.duplicate_of is not None and ok.duplicate_of.visit_id == first.visit_id
        visit = ledger.get(ok.visit_id)
        assert visit is not None
        assert visit.override_of == first.visit_id and visit.override_reason == "повторный осмотр по направлению"
        assert visit.role == role
    # Overrides do not become "the first record": a plain record is still refused, naming the original.
    again = _record(ledger)
    assert again.refused_because == "duplicate" and again.duplicate_of.visit_id == first.visit_id  # type: ignore[union-attr]
    assert len(ledger.list_day(DAY)) == 3
    assert ledger.verify_audit().ok


def test_override_reason_without_a_duplicate_is_a_plain_record(ledger: VisitLedger) -> None:
    result = _record(ledger, role="senior", override_reason="на всякий случай")
    assert result.recorded and not result.overridden
    visit = ledger.get(result.visit_id)
    assert visit is not None and visit.override_of is None and visit.override_reason is None


def test_cancel_needs_a_role_and_a_reason_and_keeps_the_record(ledger: VisitLedger) -> None:
    visit_id = _record(ledger).visit_id
    refused = ledger.cancel(visit_id, "ошибочная запись", "registrar")
    assert not refused.cancelled and refused.refused_because is Refusal.ROLE_NOT_PERMITTED
    with pytest.raises(LedgerUsageError, match="reason"):
        ledger.cancel(visit_id, "  ", "senior")
    done = ledger.cancel(visit_id, "ошибочная запись", "senior")
    assert done.cancelled
    again = ledger.cancel(visit_id, "ещё раз", "admin")
    assert not again.cancelled and again.refused_because is Refusal.ALREADY_CANCELLED
    kept = ledger.get(visit_id)
    assert kept is not None and kept.cancelled and kept.cancel_reason == "ошибочная запись"
    assert kept.cancelled_by == "senior"
    assert [v.id for v in ledger.list_day(DAY)] == [visit_id]
    assert ledger.billable_day(DAY) == []
    with pytest.raises(LedgerUsageError, match="no visit"):
        ledger.cancel(999_999, "нет такого", "admin")


def test_a_cancelled_visit_does_not_block_recording_again(ledger: VisitLedger) -> None:
    first = _record(ledger)
    assert ledger.cancel(first.visit_id, "не тот врач", "admin").cancelled
    second = _record(ledger, doctor="Сидорова А. А.")
    assert second.recorded and second.duplicate_of is None
    third = _record(ledger)
    assert third.refused_because == "duplicate" and third.duplicate_of.visit_id == second.visit_id  # type: ignore[union-attr]
    assert [v.id for v in ledger.billable_day(DAY)] == [second.visit_id]


def test_override_survives_cancelling_the_original(ledger: VisitLedger) -> None:
    first = _record(ledger)
    override = _record(ledger, role="senior", override_reason="второй прием по показаниям")
    assert ledger.cancel(first.visit_id, "ошибка", "senior").cancelled
    # The override is now the live record of that day: a plain record is still a duplicate.
    refused = _record(ledger)
    assert refused.refused_because == "duplicate" and refused.duplicate_of.visit_id == override.visit_id  # type: ignore[union-attr]


def test_bad_requests_are_usage_errors(ledger: VisitLedger) -> None:
    with pytest.raises(LedgerUsageError, match="unknown service code"):
        _record(ledger, service_code="B99.999.999")
    with pytest.raises(LedgerUsageError, match="doctor"):
        _record(ledger, doctor=" ")
    with pytest.raises(LedgerUsageError, match="role"):
        _record(ledger, role="janitor")
    with pytest.raises(LedgerUsageError, match="identity"):
        _record(ledger, identity_check="maybe")
    with pytest.raises(LedgerUsageError, match="policy number"):
        _record(ledger, verdict=make_verdict(number=None))
    with pytest.raises(LedgerUsageError, match="longer"):
        _record(ledger, verdict=make_verdict("warn"), warn_reason="x" * 501)
    assert ledger.list_day(DAY) == []


def test_list_day_filters_by_desk_and_orders_by_time(ledger: VisitLedger) -> None:
    b = _record(ledger, desk_id="desk-2", now=moscow(2026, 3, 2, 11, 0)).visit_id
    a = _record(ledger, desk_id="desk-1", service_code=BLOOD_TEST, now=moscow(2026, 3, 2, 8, 0)).visit_id
    assert [v.id for v in ledger.list_day(DAY)] == [a, b]
    assert [v.id for v in ledger.list_day(DAY, desk="desk-2")] == [b]
    assert ledger.list_day(date(2026, 3, 1)) == []


def test_names_may_be_missing_for_typed_numbers(ledger: VisitLedger) -> None:
    verdict = make_verdict(signature="not_applicable", last_name=None, first_name=None, middle_name=None)
    result = _record(ledger, verdict=verdict)
    visit = ledger.get(result.visit_id)
    assert visit is not None and visit.last_name is None and visit.signature == "not_applicable"


def test_visits_persist_across_reopening(ledger_url: str) -> None:
    with VisitLedger.open(ledger_url) as first:
        visit_id = _record(first).visit_id
    with VisitLedger.open(ledger_url) as second:
        assert second.get(visit_id) is not None
        assert _record(second, desk_id="desk-9").refused_because == "duplicate"
        assert second.verify_audit().ok


def test_threads_sharing_one_ledger_record_once(ledger: VisitLedger) -> None:
    results = []
    barrier = threading.Barrier(8)

    def desk(n: int) -> None:
        barrier.wait()
        results.append(_record(ledger, desk_id=f"desk-{n}"))

    threads = [threading.Thread(target=desk, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r.recorded for r in results) == 1
    assert sorted(r.refused_because or "" for r in results) == [""] + ["duplicate"] * 7
    assert len(ledger.list_day(DAY)) == 1 and ledger.verify_audit().ok


def test_storage_urls(tmp_path) -> None:
    with pytest.raises(StorageError, match="unsupported storage URL"):
        open_store("mysql://db/visits")
    with pytest.raises(StorageError, match="names no file"):
        open_store("sqlite:///")
    bare = open_store(str(tmp_path / "bare.sqlite"))
    bare.close()
    assert (tmp_path / "bare.sqlite").exists()
    not_a_ledger = tmp_path / "other.sqlite"
    import sqlite3

    with sqlite3.connect(not_a_ledger) as conn:
        conn.execute("CREATE TABLE something (x)")
    with pytest.raises(StorageError, match="not a visits ledger"):
        open_store(f"sqlite:///{not_a_ledger}")
    garbage = tmp_path / "garbage.sqlite"
    garbage.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StorageError, match="cannot open SQLite ledger"):
        open_store(str(garbage))


def test_newer_schema_is_refused(ledger_url: str) -> None:
    store = open_store(ledger_url)
    conn = store._conn  # the test plays a newer app version
    conn.execute("INSERT INTO schema_version (version) VALUES (99)")
    if hasattr(conn, "commit"):
        conn.commit()
    store.close()
    with pytest.raises(StorageError, match="schema version 99"):
        open_store(ledger_url)


@pytest.mark.postgres
def test_postgres_unreachable_is_a_clear_error_without_password() -> None:
    from tests.helpers.visits import pg_admin_url

    pg_admin_url()
    with pytest.raises(StorageError) as info:
        open_store("postgresql://desk:s3cret-pw@127.0.0.1:1/visits")
    assert "127.0.0.1:1/visits" in str(info.value) and "s3cret" not in str(info.value)


@pytest.mark.postgres
def test_postgres_database_refuses_a_second_live_record_itself(pg_url: str) -> None:
    """The duplicate rule holds even for a writer that skips the ledger's check."""
    import psycopg

    with VisitLedger.open(pg_url) as ledger:
        _record(ledger)
    with psycopg.connect(pg_url) as conn, pytest.raises(psycopg.errors.UniqueViolation):
        conn.execute(
            "INSERT INTO visits (policy_number, service_code, service_name, doctor, desk_id, recorded_at,"
            " visit_day, decision, signature, status, status_source, identity_check, role)"
            " VALUES (%s, %s, 'x', 'd', 'desk-x', now(), %s, 'accept', 'ok', 'active', 'online', 'not_checked',"
            " 'registrar')",
            (ENP_A, THERAPIST_FIRST, DAY),
        )


# -- the ledger is the last word: every rule of desk_app.visits.rules, whatever route calls it --
def test_cancel_with_a_too_short_reason_is_refused_by_the_ledger(ledger: VisitLedger) -> None:
    visit_id = _record(ledger).visit_id
    for role in ("senior", "admin", "registrar"):
        refused = ledger.cancel(visit_id, "x", role)
        assert not refused.cancelled and refused.refused_because is Refusal.REASON_TOO_SHORT
    kept = ledger.get(visit_id)
    assert kept is not None and not kept.cancelled
    assert [v.id for v in ledger.billable_day(DAY)] == [visit_id]


def test_an_override_with_a_too_short_reason_is_refused_by_the_ledger(ledger: VisitLedger) -> None:
    first = _record(ledger)
    refused = _record(ledger, role="admin", override_reason="ок")
    assert not refused.recorded and refused.refused_because is Refusal.REASON_TOO_SHORT
    assert [v.id for v in ledger.list_day(DAY)] == [first.visit_id]


def test_refusals_are_typed_members_and_json_carries_their_codes(ledger: VisitLedger) -> None:
    _record(ledger)
    duplicate = _record(ledger)
    assert duplicate.refused_because is Refusal.DUPLICATE
    assert duplicate.to_json()["refused_because"] == "duplicate"
    assert type(duplicate.to_json()["refused_because"]) is str
    rejected = _record(ledger, verdict=make_verdict("reject"))
    assert rejected.refused_because is Refusal.VERDICT_REJECT
