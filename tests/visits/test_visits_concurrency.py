"""Real processes: 8 desks racing for the same visit, and desks killed with SIGKILL mid-write."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from desk_app.visits import VisitLedger
from tests.helpers.visits import BLOOD_TEST, THERAPIST_FIRST, make_verdict

ROOT = Path(__file__).resolve().parents[2]
VERDICT_JSON = json.dumps(make_verdict().to_json(), ensure_ascii=False)

RACE_DESK = r"""
import json, sys
from desk_app.verify.verdict import Verdict
from desk_app.visits import VisitLedger
url, desk, verdict = sys.argv[1], sys.argv[2], Verdict.from_json(json.loads(sys.argv[3]))
ledger = VisitLedger.open(url)
print("ready", flush=True)
sys.stdin.readline()  # the starting gun: every desk records at once
result = ledger.record(verdict, service_code="B01.047.001", doctor="Петров П. П.", desk_id=desk)
print(json.dumps({**result.to_json(), "message": result.message}, ensure_ascii=False), flush=True)
"""

PAUSING_DESK = r"""
import json, sys, time
from desk_app.verify.verdict import Verdict
from desk_app.visits import VisitLedger
url, action, verdict = sys.argv[1], sys.argv[2], Verdict.from_json(json.loads(sys.argv[3]))
ledger = VisitLedger.open(url)
first = ledger.record(verdict, service_code="B01.047.001", doctor="Петров П. П.", desk_id="desk-k")
print(json.dumps({"committed": first.visit_id}), flush=True)

def pause():  # inside the transaction: the visit row and the audit entry are written, not committed
    print("paused", flush=True)
    time.sleep(120)

ledger.store._before_commit = pause
if action == "record":
    ledger.record(verdict, service_code="B03.016.003", doctor="Петров П. П.", desk_id="desk-k")
else:
    ledger.cancel(first.visit_id, "отмена", "admin")
"""

LOOPING_DESK = r"""
import json, sys
from desk_app.verify.verdict import Verdict
from desk_app.visits import VisitLedger
url, verdict = sys.argv[1], json.loads(sys.argv[2])
ledger = VisitLedger.open(url)
for i in range(100000):
    verdict["policy"]["number"] = f"77{i:014d}"
    result = ledger.record(Verdict.from_json(verdict), service_code="B01.047.001", doctor="Д", desk_id="desk-loop")
    print(result.visit_id, flush=True)
"""


def _python(script: str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", script, *args],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT,
    )  # fmt: skip


def _readline(proc: subprocess.Popen[str]) -> str:
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line:
        proc.wait(timeout=30)
        raise AssertionError(f"desk process ended early: {proc.stderr.read() if proc.stderr else ''}")
    return line.strip()


@pytest.mark.slow
def test_eight_desks_racing_for_the_same_visit_record_it_once(ledger_url: str) -> None:
    desks = [_python(RACE_DESK, ledger_url, f"desk-{n}", VERDICT_JSON) for n in range(8)]
    try:
        for proc in desks:
            assert _readline(proc) == "ready"
        for proc in desks:  # all wait on stdin; release them together
            assert proc.stdin is not None
            proc.stdin.write("go\n")
            proc.stdin.flush()
        results = [json.loads(_readline(proc)) for proc in desks]
        for proc in desks:
            assert proc.wait(timeout=60) == 0
    finally:
        for proc in desks:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    winners = [r for r in results if r["recorded"]]
    losers = [r for r in results if not r["recorded"]]
    assert len(winners) == 1 and len(losers) == 7
    winner_desk = next(f"desk-{n}" for n, r in enumerate(results) if r["recorded"])
    for r in losers:
        assert r["refused_because"] == "duplicate" and r["visit_id"] is None
        assert r["duplicate_of"]["desk"] == winner_desk and r["duplicate_of"]["doctor"] == "Петров П. П."
        assert r["message"].startswith("refused: duplicate of visit recorded at")
    with VisitLedger.open(ledger_url) as ledger:
        assert [v.id for v in ledger.list_day(ledger.today())] == [winners[0]["visit_id"]]
        report = ledger.verify_audit()
        assert report.ok and report.entries == 1


@pytest.mark.slow
@pytest.mark.parametrize("action", ["record", "cancel"])
def test_desk_killed_inside_the_transaction_leaves_no_half_record(ledger_url: str, action: str) -> None:
    proc = _python(PAUSING_DESK, ledger_url, action, VERDICT_JSON)
    try:
        committed = json.loads(_readline(proc))["committed"]
        assert _readline(proc) == "paused"
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    with VisitLedger.open(ledger_url) as ledger:
        today = ledger.today()
        visits = ledger.list_day(today)
        assert [(v.id, v.service_code, v.cancelled) for v in visits] == [(committed, THERAPIST_FIRST, False)]
        report = ledger.verify_audit()
        assert report.ok and report.entries == 1
        # The dead desk holds no lock: the interrupted write can be done now.
        if action == "record":
            redo = ledger.record(make_verdict(), service_code=BLOOD_TEST, doctor="Петров П. П.", desk_id="desk-2")
            assert redo.recorded
        else:
            assert ledger.cancel(committed, "отмена", "admin").cancelled
        assert ledger.verify_audit().ok


@pytest.mark.slow
def test_desk_killed_while_recording_in_a_loop_loses_no_committed_visit(ledger_url: str) -> None:
    proc = _python(LOOPING_DESK, ledger_url, VERDICT_JSON)
    reported: list[int] = []
    try:
        while len(reported) < 40:
            reported.append(int(_readline(proc)))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        assert proc.stdout is not None
        reported += [int(x) for x in proc.stdout.read().split()]  # lines written before the kill
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    with VisitLedger.open(ledger_url) as ledger:
        ids = [v.id for v in ledger.list_day(ledger.today())]
        # Every visit the desk saw committed is there; at most one more committed before its print.
        assert set(reported) <= set(ids) and len(ids) - len(reported) in (0, 1)
        report = ledger.verify_audit()
        assert report.ok and report.entries == len(ids)


def test_subprocess_scripts_use_the_verdict_they_are_given() -> None:
    """Guard for the scripts above: the JSON verdict round-trips to the same accept verdict."""
    from desk_app.verify.verdict import Verdict

    verdict = Verdict.from_json(json.loads(VERDICT_JSON))
    assert verdict == make_verdict() and verdict.policy.birth_date == date(1985, 3, 14)
