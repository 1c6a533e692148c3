"""Outside demo mode, a desk with no trust.root refuses to judge (issue 17 item 7): every verdict
is "cannot check: the trust root is not configured" in the spec's own fields (decision `warn`,
signature `not_applicable`, reason `trust_root_not_configured`, nothing of the document shown, the
registry not asked), and the bundled TEST root is never trusted silently. Demo mode keeps it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from desk_app.config import Settings
from desk_app.core.judge import build_judge
from desk_app.core.session import DeskSession
from desk_app.paths import resource
from desk_app.verify.verdict import SIGNATURE_RESULTS, STATUSES
from desk_app.visits.rules import Refusal
from tests.helpers.hostile_http import answer, hostile_server

POLICIES = resource("demo", "policies")
CANNOT_CHECK = {
    "decision": "warn",
    "signature": "not_applicable",
    "status": "unknown",
    "status_source": "none",
    "status_as_of": None,
    "reasons": ["trust_root_not_configured"],
    "policy": {k: None for k in ("number", "last_name", "first_name", "middle_name", "birth_date", "sex",
                                 "insurer_code", "valid_from", "valid_to", "issued_at")},
}  # fmt: skip


def desk_app(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "desk_app", *args], capture_output=True, text=True,
                          encoding="utf-8", timeout=120, env={**os.environ, "PYTHONUTF8": "1"})  # fmt: skip


def test_verify_json_says_cannot_check_for_every_input_and_asks_no_registry(tmp_path: Path) -> None:
    files = [POLICIES / "active.b.txt", POLICIES / "tampered.a.txt", POLICIES / "revoked.png"]
    data = tmp_path / "d"
    with hostile_server(answer(200, b"{}", {"Content-Type": "application/json"})) as registry:
        done = desk_app("verify", "--json", "--data-dir", str(data), "--registry-url", registry.url,
                        "--registry-token", "t0ken-not-used", *map(str, files))  # fmt: skip
        assert not registry.exchanges  # nothing is asked about a document the desk did not check
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    verdicts = [json.loads(line) for line in done.stdout.splitlines()]
    assert [v.pop("input") for v in verdicts] == [str(f) for f in files]
    assert verdicts == [CANNOT_CHECK] * 3  # a tampered policy is not called invalid: nothing was checked
    assert CANNOT_CHECK["signature"] in SIGNATURE_RESULTS and CANNOT_CHECK["status"] in STATUSES
    assert "trust_root_not_configured" in done.stderr  # the log's warning on the console
    assert not (data / "trust").exists()  # the bundled TEST trust list was not seeded


def test_verify_in_words_says_cannot_check(tmp_path: Path) -> None:
    done = desk_app("verify", "--offline", "--data-dir", str(tmp_path / "d"), str(POLICIES / "active.b.txt"))
    assert done.returncode == 0, done.stderr
    assert "WARN" in done.stdout
    assert "not_applicable (cannot check: the trust root is not configured)" in done.stdout


def test_demo_mode_keeps_the_bundled_demo_root(tmp_path: Path) -> None:
    done = desk_app("verify", "--json", "--offline", "--demo", "--data-dir", str(tmp_path / "d"),
                    str(POLICIES / "active.b.txt"))  # fmt: skip
    assert done.returncode == 0, done.stderr
    verdict = json.loads(done.stdout)
    assert verdict["signature"] == "ok" and verdict["policy"]["number"]
    assert "trust_root_not_configured" not in done.stderr


def test_only_demo_mode_falls_back_to_the_demo_root() -> None:
    settings = Settings(desk_id="desk-4")
    assert settings.trust_root_path is None and not settings.trust_root_configured and not settings.uses_demo_root
    assert Settings(demo=True).uses_demo_root and Settings(demo=True).trust_root_configured


@pytest.mark.expect_log_warnings
def test_the_judge_refuses_typed_numbers_too_and_the_session_records_nothing(tmp_path: Path) -> None:
    settings = Settings(data_dir=str(tmp_path / "d"), offline=True)
    judge = build_judge(settings, refresh=False)
    assert judge.trust is None and judge.refresh_trust(force=True) is False
    typed = judge.judge_manual("5000000000000025", date(1971, 8, 2)).verdict
    assert (typed.decision, typed.signature, typed.reasons) == (
        "warn", "not_applicable", ("trust_root_not_configured", "manual_entry")
    )
    assert typed.policy.number == "5000000000000025" and typed.policy.last_name is None
    session = DeskSession(settings)
    ticket = session.begin_scan()
    assert session.show_judgement(judge.judge_qr((POLICIES / "active.b.txt").read_text("ascii")), ticket)
    session.choose_service("B01.047.001")
    session.set_doctor("Петров П. П.")
    session.set_warn_reason("паспорт проверен")
    assert not session.may_record
    assert session.prepare_record() is Refusal.NO_POLICY  # no policy is named: nothing to record against
