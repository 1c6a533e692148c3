"""The Qt-free desk session: the patient at the desk, the recording rules, the state machine.

Real parts: the real Judge over the test Treasury's signed policies, the reference registry on
127.0.0.1 (for accept), a real SQLite ledger. No Qt is imported (checked in a subprocess).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from desk_app.config import Settings
from desk_app.core.judge import build_judge
from desk_app.core.roles import hash_pin
from desk_app.core.session import DeskSession, DeskState, RecordRequest, ScanFailure, ScanKind, judge_first_policy
from desk_app.verify.payload import encode_form_b
from desk_app.visits import VisitLedger
from desk_app.visits.rules import Refusal, reason_refusal, visit_refusal

TOKEN = "session-test-token"
PIN = "2468"
ACTIVE = "7700000000000016"
OTHER = "5000000000000025"


@pytest.fixture
def registry_url(tmp_path: Path) -> Iterator[str]:
    from desk_app.demo.registry_server import RegistryServer
    from desk_app.registry.records import parse_record

    server = RegistryServer(tmp_path / "registry.sqlite", token=TOKEN)
    now = datetime.now(UTC).isoformat()
    server.put([
        parse_record({"enp": ACTIVE, "status": "active", "birth_date": "1985-03-14", "updated_at": now}),
        parse_record({"enp": OTHER, "status": "active", "birth_date": "1985-03-14", "updated_at": now}),
    ])  # fmt: skip
    yield server.start()
    server.stop()


@pytest.fixture
def judge(judge_settings: Settings, registry_url: str) -> Any:
    return build_judge(judge_settings.replace(registry_url=registry_url, registry_token=TOKEN), refresh=False)


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[VisitLedger]:
    with VisitLedger.open(f"sqlite:///{tmp_path / 'ledger.sqlite'}") as opened:
        yield opened


@pytest.fixture
def session() -> DeskSession:
    return DeskSession(Settings(desk_id="desk-7", admin_pin_hash=hash_pin(PIN)))


def scan(session: DeskSession, judge: Any, xml: bytes) -> Any:
    ticket = session.begin_scan()
    assert session.state is DeskState.CHECKING and session.patient is None
    judgement = judge.judge_qr(encode_form_b(xml))
    assert session.show_judgement(judgement, ticket)
    return judgement


def fill_in(session: DeskSession) -> None:
    """What the receptionist chooses before recording: the service and the doctor."""
    session.choose_service("B01.047.001")
    session.set_doctor("Петров П. П.")


def record(session: DeskSession, ledger: VisitLedger, **kw: Any) -> Any:
    request = session.prepare_record(**kw)
    assert isinstance(request, RecordRequest), request
    result = request.record_in(ledger)
    assert session.record_finished(result, request)
    return result


def test_the_desk_flow_new_patient_duplicate_failed_scan_and_esc(
    session: DeskSession, judge: Any, ledger: VisitLedger, policy_xml: Any
) -> None:
    assert session.state is DeskState.READY and session.refusal() is Refusal.NO_POLICY
    # A: record X
    scan(session, judge, policy_xml())
    assert session.decision == "accept" and session.may_record
    assert session.refusal() is Refusal.NO_SERVICE
    session.choose_service("B01.047.001")
    assert session.refusal() is Refusal.NO_DOCTOR
    session.set_doctor("  Петров   П. П. ")
    assert session.check_passport("4510 123456") == "match"
    first = record(session, ledger)
    assert first.recorded and session.state is DeskState.RECORDED
    assert session.patient is not None and session.patient.results == [first]
    # B: nothing of A's visit is kept
    scan(session, judge, policy_xml(number=OTHER))
    assert session.patient is not None
    assert session.patient.service_code is None and session.patient.doctor == ""
    assert session.patient.identity_check == "not_checked" and session.last_result is None
    assert session.refusal() is Refusal.NO_SERVICE
    # A again, X again: refused as a duplicate naming the first record
    scan(session, judge, policy_xml())
    session.choose_service("B01.047.001")
    session.set_doctor("Сидоров С. С.")
    duplicate = record(session, ledger)
    assert not duplicate.recorded and session.state is DeskState.REFUSED
    first_record = session.refused_duplicate
    assert first_record.desk == "desk-7" and first_record.doctor == "Петров П. П."
    # a scan that starts and fails: A's verdict is gone and nothing can be recorded
    ticket = session.begin_scan()
    assert session.scan_failed(ScanFailure.NO_CODE, ticket)
    assert session.state is DeskState.SCAN_FAILED and session.patient is None
    assert session.prepare_record() is Refusal.NO_POLICY
    # Esc
    scan(session, judge, policy_xml())
    session.choose_service("B01.047.001")
    session.clear()
    assert session.state is DeskState.READY and session.patient is None and session.failure is None


def test_a_result_for_an_older_scan_is_ignored(session: DeskSession, judge: Any, policy_xml: Any) -> None:
    old = session.begin_scan()
    judgement = judge.judge_qr(encode_form_b(policy_xml()))
    new = session.begin_scan()
    assert not session.show_judgement(judgement, old)
    assert session.state is DeskState.CHECKING and session.patient is None
    assert not session.scan_failed(ScanFailure.INTERNAL, old)
    assert session.show_judgement(judgement, new) and session.state is DeskState.VERDICT
    # Esc while a scan is judged: its result does not come back to a clean desk
    late = session.begin_scan()
    session.clear()
    assert not session.show_judgement(judgement, late) and session.state is DeskState.READY


def test_warn_needs_a_reason_and_reject_is_never_recorded(
    session: DeskSession, judge_settings: Settings, policy_xml: Any, ledger: VisitLedger
) -> None:
    offline_judge = build_judge(judge_settings, refresh=False)  # no registry: warn
    scan(session, offline_judge, policy_xml())
    assert session.decision == "warn"
    fill_in(session)
    session.set_warn_reason("   ")
    assert session.prepare_record() is Refusal.WARN_NEEDS_REASON
    session.set_warn_reason("паспорт проверен")
    assert record(session, ledger).recorded
    scan(session, offline_judge, policy_xml(signer="revoked"))
    assert session.decision == "reject" and not session.may_record
    fill_in(session)
    assert session.prepare_record() is Refusal.VERDICT_REJECT


@pytest.mark.expect_log_warnings
def test_override_needs_a_reason_and_the_ledger_decides_the_role(
    session: DeskSession, judge: Any, ledger: VisitLedger, policy_xml: Any
) -> None:
    scan(session, judge, policy_xml())
    fill_in(session)
    assert record(session, ledger).recorded
    # one action per intent: recording is off until the service or the doctor changes
    assert session.prepare_record() is Refusal.ALREADY_RECORDED and not session.may_record
    session.set_doctor("Сидоров С. С.")
    assert session.state is DeskState.VERDICT and session.may_record
    assert not record(session, ledger).recorded  # same patient, same service: duplicate
    assert session.prepare_record(role="admin", override_reason="ок") is Refusal.REASON_TOO_SHORT
    assert session.state is DeskState.REFUSED  # a refused preparation changes nothing
    assert session.senior_unlock("повторно по направлению", "0000") is Refusal.PIN_REFUSED
    assert session.senior_unlock("ок", PIN) is Refusal.REASON_TOO_SHORT and not session.admin_pin_ok("")
    assert session.senior_unlock("повторно по направлению", PIN) == "admin"  # the role the PIN unlocks
    overridden = record(session, ledger, role="admin", override_reason="повторно по направлению")
    assert overridden.recorded and overridden.overridden and session.state is DeskState.RECORDED


def test_recording_twice_at_once_is_refused_and_a_ledger_error_returns_to_the_verdict(
    session: DeskSession, judge: Any, policy_xml: Any
) -> None:
    scan(session, judge, policy_xml())
    fill_in(session)
    assert isinstance(session.prepare_record(), RecordRequest)
    assert session.state is DeskState.RECORDING and not session.may_record
    assert session.prepare_record() is Refusal.BUSY
    session.record_failed()
    assert session.state is DeskState.VERDICT and isinstance(session.prepare_record(), RecordRequest)


def test_a_result_for_the_previous_patient_does_not_land_on_the_next(
    session: DeskSession, judge: Any, ledger: VisitLedger, policy_xml: Any
) -> None:
    scan(session, judge, policy_xml())
    fill_in(session)
    request = session.prepare_record()
    assert isinstance(request, RecordRequest)
    scan(session, judge, policy_xml(number=OTHER))
    result = ledger.record(request.verdict, service_code=request.service_code, doctor=request.doctor,
                           desk_id=request.desk_id)  # fmt: skip
    assert not session.record_finished(result, request)
    assert session.state is DeskState.VERDICT and session.last_result is None


def test_cancel_needs_a_reason_and_a_role(session: DeskSession) -> None:
    assert session.prepare_cancel(5, "x", "admin") is Refusal.REASON_TOO_SHORT
    assert session.prepare_cancel(5, "ошибочная запись", "registrar") is Refusal.ROLE_NOT_PERMITTED
    request = session.prepare_cancel(5, "  ошибочная   запись ", "senior")
    assert not isinstance(request, Refusal) and request.reason == "ошибочная запись"


def test_rules_in_the_order_staff_fix_them() -> None:
    assert visit_refusal(None, "X", "D", None) is Refusal.NO_POLICY
    assert visit_refusal("reject", None, None, "r") is Refusal.VERDICT_REJECT
    assert visit_refusal("warn", None, None, None) is Refusal.NO_SERVICE
    assert visit_refusal("warn", "X", " ", None) is Refusal.NO_DOCTOR
    assert visit_refusal("warn", "X", "D", " \t") is Refusal.WARN_NEEDS_REASON
    assert visit_refusal("accept", "X", "D", None) is None
    assert reason_refusal("ab") is Refusal.REASON_TOO_SHORT and reason_refusal("  a\n ") is Refusal.REASON_TOO_SHORT
    assert reason_refusal("abc") is None


def test_multi_code_rule_takes_the_first_policy(judge: Any, policy_xml: Any) -> None:
    garbage = b"not a policy at all"
    good = encode_form_b(policy_xml())
    assert judge_first_policy(judge, [garbage, good]).verdict.decision == "accept"
    assert judge_first_policy(judge, [garbage, garbage]).verdict.signature == "malformed"
    with pytest.raises(ValueError):
        judge_first_policy(judge, [])


def test_the_session_and_the_cli_import_no_qt() -> None:
    code = (
        "import sys, desk_app.core.session, desk_app.cli.visits_cmd, desk_app.cli.main;"
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'PySide6 imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_the_passport_format_is_the_cores_rule(session: DeskSession, judge: Any, policy_xml: Any) -> None:
    assert session.check_passport("4510 123456") is None  # nothing judged yet
    scan(session, judge, policy_xml())
    for typed in ("4510 12345", "45101234567", "ab10 123456", ""):
        assert session.check_passport(typed) == "malformed"
        assert session.patient is not None and session.patient.identity_check == "not_checked"
    assert session.check_passport("45 10 123456") == "match"
    assert session.patient.identity_check == "match"


def test_every_verdict_log_line_names_the_decision(judge: Any, policy_xml: Any, caplog: Any) -> None:
    """Good, bad-signature and malformed codes: each `event=judged` line carries `decision=`."""
    import logging

    good = policy_xml()
    tampered = good.replace("Иванова".encode(), "Иванов ".encode()) if "Иванова".encode() in good else good + b" "
    with caplog.at_level(logging.INFO, logger="desk_app.core.judge"):
        for payload in (encode_form_b(good), encode_form_b(tampered), "OMS1:not-base45"):
            judge.judge_qr(payload)
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("event=judged")]
    assert len(lines) == 3, lines
    assert all(" decision=" in line for line in lines), lines
    assert "decision=reject signature=" in lines[1] and "signature=malformed" in lines[2]
def test_the_session_publishes_every_change_to_its_listeners_in_order(
    session: DeskSession, judge: Any, policy_xml: Any
) -> None:
    """The view, the announcer (health, sounds, status bar) and anyone else subscribe; the session
    calls them one after another on each change, so no helper has to call them one by one."""
    seen: list[tuple[str, DeskState]] = []
    session.subscribe(lambda s: seen.append(("first", s.state)))
    session.subscribe(lambda s: seen.append(("second", s.state)))
    ticket = session.begin_scan(ScanKind.FILE)
    assert session.scan_kind is ScanKind.FILE
    assert session.show_judgement(judge.judge_qr(encode_form_b(policy_xml())), ticket)
    session.clear()
    assert seen == [
        ("first", DeskState.CHECKING), ("second", DeskState.CHECKING),
        ("first", DeskState.VERDICT), ("second", DeskState.VERDICT),
        ("first", DeskState.READY), ("second", DeskState.READY),
    ]  # fmt: skip
