"""The clinic's day is one for all its desks (issue 11 item 5), on SQLite and PostgreSQL.

The clinic's time zone is kept with the ledger; the first desk to open a ledger records it
(an old, version-1 ledger too, if its stored visits agree); a desk set to another zone is
refused with a typed error (the window) and exit 2 with one English line (the CLI).
"""

from __future__ import annotations

import sqlite3

import pytest

from desk_app.cli.main import main
from desk_app.visits import ClinicTimeZoneError, StorageError, VisitLedger
from tests.helpers.visits import THERAPIST_FIRST, make_verdict, moscow

KIRITIMATI = "Pacific/Kiritimati"  # UTC+14
# 13:30 in Moscow is 10:30 UTC, already the next day (00:30) at UTC+14.
MOMENT = moscow(2026, 3, 2, 13, 30)


def _record(ledger: VisitLedger, desk: str) -> object:
    return ledger.record(make_verdict(), service_code=THERAPIST_FIRST, doctor="Петров", desk_id=desk, now=MOMENT)


def test_a_desk_in_another_time_zone_cannot_use_the_clinics_ledger(ledger_url: str) -> None:
    with VisitLedger.open(ledger_url, tz="Europe/Moscow") as moscow_desk:
        assert _record(moscow_desk, "desk-1").recorded  # type: ignore[attr-defined]
    with pytest.raises(ClinicTimeZoneError) as caught:
        VisitLedger.open(ledger_url, tz=KIRITIMATI)
    assert (caught.value.ledger_zone, caught.value.desk_zone) == ("Europe/Moscow", KIRITIMATI)
    assert isinstance(caught.value, StorageError)  # existing handlers (CLI exit 2, the window) catch it
    assert "desk.timezone" in str(caught.value) and "Europe/Moscow" in str(caught.value)
    # The same patient and service at the same moment from a second Moscow desk is the duplicate it is.
    with VisitLedger.open(ledger_url, tz="Europe/Moscow") as second_desk:
        again = _record(second_desk, "desk-2")
        assert again.refused_because == "duplicate"  # type: ignore[attr-defined]
        assert len(second_desk.list_day(MOMENT.date())) == 1


def test_a_new_ledger_takes_the_zone_of_the_first_desk(ledger_url: str) -> None:
    with VisitLedger.open(ledger_url, tz=KIRITIMATI) as first:
        assert first.store.clinic_timezone("Europe/Moscow") == KIRITIMATI
    with pytest.raises(ClinicTimeZoneError):
        VisitLedger.open(ledger_url, tz="Europe/Moscow")


def _downgrade_to_v1(url: str) -> None:
    """What a ledger written by the previous release looks like: schema 1, no clinic settings."""
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
            conn.execute("DROP TRIGGER visits_identity_check_insert")  # schema 3
            conn.execute("DROP TRIGGER visits_identity_check_update")
            conn.execute("DROP TRIGGER ledger_settings_no_update")
            conn.execute("DROP TABLE ledger_settings")
            conn.execute("UPDATE schema_version SET version = 1")
        conn.close()
        return
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("ALTER TABLE visits DROP CONSTRAINT visits_identity_check_known")  # schema 3
        conn.execute("DROP TABLE ledger_settings")
        conn.execute("UPDATE schema_version SET version = 1")


def _seed_old_ledger(url: str) -> None:
    with VisitLedger.open(url, tz="Europe/Moscow") as ledger:
        _record(ledger, "desk-1")
    _downgrade_to_v1(url)


def test_an_old_ledger_records_the_zone_its_visits_agree_with(ledger_url: str) -> None:
    _seed_old_ledger(ledger_url)
    with VisitLedger.open(ledger_url, tz="Europe/Moscow") as ledger:
        assert ledger.store.clinic_timezone(KIRITIMATI) == "Europe/Moscow"
        assert len(ledger.list_day(MOMENT.date())) == 1
    with pytest.raises(ClinicTimeZoneError):
        VisitLedger.open(ledger_url, tz=KIRITIMATI)


def test_an_old_ledger_is_not_claimed_by_a_desk_its_visits_disagree_with(ledger_url: str) -> None:
    _seed_old_ledger(ledger_url)
    with pytest.raises(ClinicTimeZoneError) as caught:
        VisitLedger.open(ledger_url, tz=KIRITIMATI)
    assert caught.value.ledger_zone is None and "1 stored visit(s) fall on another day" in str(caught.value)
    with VisitLedger.open(ledger_url, tz="Europe/Moscow") as ledger:  # the right desk still can, and records it
        assert ledger.store.clinic_timezone(KIRITIMATI) == "Europe/Moscow"


def test_the_cli_refuses_a_desk_in_another_zone_with_exit_2(ledger_url: str, tmp_path, capsys) -> None:
    with VisitLedger.open(ledger_url, tz="Europe/Moscow") as ledger:
        _record(ledger, "desk-1")
    config = tmp_path / "desk.toml"
    config.write_text(f'[desk]\ntimezone = "{KIRITIMATI}"\n', "utf-8")
    for argv in (["visits", "list"], ["export", "--date", "2026-03-02"]):
        code = main([*argv, "--config", str(config), "--storage", ledger_url, "--data-dir", str(tmp_path)])
        out, err = capsys.readouterr()
        assert (code, out) == (2, ""), err
        assert "is not the clinic's Europe/Moscow" in err and len(err.strip().splitlines()) == 1


def test_doctor_names_the_clinics_zone(ledger_url: str) -> None:
    from desk_app.config import Settings
    from desk_app.doctor.storage_checks import check_storage

    with VisitLedger.open(ledger_url, tz="Europe/Moscow"):
        pass
    wrong = check_storage(Settings(storage_url=ledger_url, timezone=KIRITIMATI))
    assert wrong.level == "error" and "not the clinic's Europe/Moscow" in wrong.message
    assert check_storage(Settings(storage_url=ledger_url, timezone="Europe/Moscow")).level == "ok"


@pytest.mark.postgres
def test_a_postgres_lock_held_by_a_stuck_desk_ends_in_a_clear_error(pg_url: str, monkeypatch) -> None:
    """Every wait has a bound, the database's too: a desk stuck inside a transaction holding the
    visits table does not freeze the others (issue 11 item 2, audited for the ledger)."""
    import threading
    import time

    import psycopg

    from desk_app.visits import postgres_store

    monkeypatch.setattr(postgres_store, "LOCK_TIMEOUT_MS", 1000)
    with VisitLedger.open(pg_url, tz="Europe/Moscow") as ledger, psycopg.connect(pg_url) as stuck:
        stuck.execute("LOCK TABLE visits IN ACCESS EXCLUSIVE MODE")  # and never commits
        outcome: list[object] = []

        def record() -> None:
            try:
                outcome.append(_record(ledger, "desk-2"))
            except StorageError as exc:
                outcome.append(exc)

        start = time.monotonic()
        worker = threading.Thread(target=record, daemon=True)
        worker.start()
        worker.join(8)
        elapsed = time.monotonic() - start
        stuck.rollback()
        worker.join(5)
    assert outcome and isinstance(outcome[0], StorageError), outcome
    assert "lock timeout" in str(outcome[0]) and elapsed < 5
