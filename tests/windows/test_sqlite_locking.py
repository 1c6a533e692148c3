"""SQLite's locking on Windows (LockFileEx, not POSIX fcntl): desks in separate processes racing
for one visit record it once, and a desk killed (TerminateProcess) inside its transaction leaves
no half record and no stale lock. The ledger sits in a folder with Cyrillic letters and spaces."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desk_app.visits import VisitLedger
from tests.helpers.visits import BLOOD_TEST, THERAPIST_FIRST, make_verdict
from tests.visits.test_visits_concurrency import PAUSING_DESK, RACE_DESK, VERDICT_JSON, _python, _readline


@pytest.fixture
def url(tmp_path: Path) -> str:
    folder = tmp_path / "Регистратура 2" / "журнал посещений"
    folder.mkdir(parents=True)
    return f"sqlite:///{folder / 'visits.sqlite'}"


def test_four_desks_racing_for_the_same_visit_record_it_once(url: str) -> None:
    desks = [_python(RACE_DESK, url, f"desk-{n}", VERDICT_JSON) for n in range(4)]
    try:
        for proc in desks:
            assert _readline(proc) == "ready"
        for proc in desks:
            assert proc.stdin is not None
            proc.stdin.write("go\n")
            proc.stdin.flush()
        results = [json.loads(_readline(proc)) for proc in desks]
        for proc in desks:
            assert proc.wait(timeout=120) == 0
    finally:
        for proc in desks:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    assert sorted(r["recorded"] for r in results) == [False, False, False, True]
    assert all(r["refused_because"] == "duplicate" for r in results if not r["recorded"])
    with VisitLedger.open(url) as ledger:
        assert len(ledger.list_day(ledger.today())) == 1
        assert ledger.verify_audit().ok


def test_desk_terminated_inside_its_transaction_leaves_no_half_record_and_no_lock(url: str) -> None:
    proc = _python(PAUSING_DESK, url, "record", VERDICT_JSON)
    try:
        committed = json.loads(_readline(proc))["committed"]
        assert _readline(proc) == "paused"
        proc.kill()  # TerminateProcess while the write transaction holds SQLite's lock
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    with VisitLedger.open(url) as ledger:
        visits = ledger.list_day(ledger.today())
        assert [(v.id, v.service_code, v.cancelled) for v in visits] == [(committed, THERAPIST_FIRST, False)]
        redo = ledger.record(make_verdict(), service_code=BLOOD_TEST, doctor="Петров П. П.", desk_id="desk-2")
        assert redo.recorded
        assert ledger.verify_audit().ok
