"""Every verdict code and reason of spec section 6, through the Judge with real signed documents.

The registry's answers are given as StatusAnswer values (what the registry package hands the
core); the registry client itself is tested against the reference server in test_registry_*.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from desk_app.core.judge import Judge, build_judge
from desk_app.demo.issuer import TestTreasury
from desk_app.verify.identity import PassportFormatError
from desk_app.verify.payload import encode_form_a, encode_form_b
from desk_app.verify.status import StatusAnswer
from desk_app.verify.trust_store import TrustStore

NOW = datetime.now(UTC)


class FixedAnswers:
    """The registry's answer for this test (a value, not a mock of the code under test)."""

    def __init__(self, answer: StatusAnswer) -> None:
        self.answer = answer
        self.asked: list[str] = []

    def lookup(self, enp: str) -> StatusAnswer:
        self.asked.append(enp)
        return self.answer


def online(status: str = "active", **kw) -> StatusAnswer:
    return StatusAnswer(status=status, source="online", as_of=NOW, received_at=NOW, server_date=NOW, **kw)


def cached(age: timedelta, status: str = "active", why: str = "registry_unreachable") -> StatusAnswer:
    return StatusAnswer(status=status, source="cache", as_of=NOW - age, received_at=NOW - age, reasons=(why,))


def make_judge(settings, answer: StatusAnswer | None) -> tuple[Judge, FixedAnswers | None]:
    source = FixedAnswers(answer) if answer is not None else None
    return Judge(settings, TrustStore(settings.trust_root_path, settings.trust_cache_dir), source), source


def test_accept_online_active(judge_settings, policy_xml) -> None:
    judge, source = make_judge(judge_settings, online())
    v = judge.judge_qr(encode_form_b(policy_xml())).verdict
    assert (v.decision, v.signature, v.status, v.status_source, v.reasons) == ("accept", "ok", "active", "online", ())
    assert v.status_as_of == NOW
    assert v.policy.last_name == "Иванова" and v.policy.birth_date == date(1985, 3, 14)
    assert source.asked == ["7700000000000016"]


def test_accept_from_a_fresh_cache(judge_settings, policy_xml) -> None:
    judge, _ = make_judge(judge_settings, cached(timedelta(hours=23)))
    v = judge.judge_qr(policy_xml()).verdict
    assert (v.decision, v.status_source, v.reasons) == ("accept", "cache", ("registry_unreachable",))


def test_warn_when_the_cache_is_older_than_a_day(judge_settings, policy_xml) -> None:
    judge, _ = make_judge(judge_settings, cached(timedelta(hours=25)))
    v = judge.judge_qr(policy_xml()).verdict
    assert v.decision == "warn"
    assert v.reasons == ("registry_unreachable", "status_cache_old")


def test_warn_when_nothing_is_known_about_the_status(judge_settings, policy_xml) -> None:
    judge, _ = make_judge(judge_settings, StatusAnswer("unknown", "none", reasons=("registry_timeout",)))
    v = judge.judge_qr(policy_xml()).verdict
    assert (v.decision, v.status, v.status_source, v.status_as_of) == ("warn", "unknown", "none", None)
    assert v.reasons == ("registry_timeout",)


def test_no_registry_configured_is_warn(judge_settings, policy_xml) -> None:
    judge, _ = make_judge(judge_settings, None)
    v = judge.judge_qr(policy_xml()).verdict
    assert (v.decision, v.status, v.reasons) == ("warn", "unknown", ("registry_not_configured",))


@pytest.mark.parametrize(
    ("status", "reason"),
    [("expired", "status_expired"), ("suspended", "status_suspended"), ("not_found", "status_not_found")],
)
def test_registry_statuses_reject(judge_settings, policy_xml, status, reason) -> None:
    judge, _ = make_judge(judge_settings, online(status))
    v = judge.judge_qr(policy_xml()).verdict
    assert (v.decision, v.status, v.reasons) == ("reject", status, (reason,))


def test_cached_expired_status_still_rejects(judge_settings, policy_xml) -> None:
    judge, _ = make_judge(judge_settings, cached(timedelta(hours=2), status="suspended"))
    assert judge.judge_qr(policy_xml()).verdict.decision == "reject"


def test_not_yet_valid_and_past_valid_to(judge_settings, policy_xml) -> None:
    judge, _ = make_judge(judge_settings, online())
    today = NOW.astimezone(judge_settings.tz).date()
    early = judge.judge_qr(policy_xml(valid_from=today + timedelta(days=2))).verdict
    assert (early.decision, early.reasons) == ("reject", ("not_yet_valid",))
    late = judge.judge_qr(policy_xml(kind="temporary", valid_from=date(2024, 1, 1), valid_to=date(2025, 12, 31)))
    assert (late.verdict.decision, late.verdict.reasons) == ("reject", ("past_valid_to",))
    assert late.verdict.policy.valid_to == date(2025, 12, 31)


def test_registry_valid_to_in_the_past_rejects(judge_settings, policy_xml) -> None:
    judge, _ = make_judge(judge_settings, online(valid_to=date(2025, 1, 31)))
    v = judge.judge_qr(policy_xml()).verdict
    assert (v.decision, v.reasons) == ("reject", ("past_valid_to",))


def test_holder_mismatch_rejects(judge_settings, policy_xml) -> None:
    judge, _ = make_judge(judge_settings, online(birth_date=date(1985, 3, 15)))
    v = judge.judge_qr(policy_xml()).verdict
    assert (v.decision, v.reasons) == ("reject", ("holder_mismatch",))
    judge, _ = make_judge(judge_settings, online(birth_date=date(1985, 3, 14)))
    assert judge.judge_qr(policy_xml()).verdict.decision == "accept"


def test_clock_suspect_is_warn(judge_settings, policy_xml) -> None:
    answer = StatusAnswer("active", "online", as_of=NOW, server_date=NOW - timedelta(hours=3))
    judge, _ = make_judge(judge_settings, answer)
    v = judge.judge_qr(policy_xml()).verdict
    assert (v.decision, v.reasons) == ("warn", ("clock_suspect",))
    within = StatusAnswer("active", "online", as_of=NOW, server_date=NOW - timedelta(minutes=90))
    judge, _ = make_judge(judge_settings, within)
    assert judge.judge_qr(policy_xml()).verdict.decision == "accept"


def test_stale_crl_is_warn_and_missing_crl_too(treasury: TestTreasury, policy_xml, tmp_path: Path) -> None:
    stale_dir = tmp_path / "stale"
    treasury.write_trust_files(now=NOW - timedelta(days=40), crl_days=30, directory=stale_dir)
    from desk_app.config import Settings

    settings = Settings(trust_root=str(treasury.root_pem_path), data_dir=str(tmp_path / "d1"))
    TrustStore(settings.trust_root_path, settings.trust_cache_dir).prime_from(stale_dir)
    judge, _ = make_judge(settings, online())
    v = judge.judge_qr(policy_xml()).verdict
    assert (v.decision, v.signature, v.reasons) == ("warn", "ok", ("crl_stale",))

    bare = Settings(trust_root=str(treasury.root_pem_path), data_dir=str(tmp_path / "d2"))
    judge, _ = make_judge(bare, online())
    v = judge.judge_qr(policy_xml()).verdict  # embedded certificate, but no CRL cached at all
    assert (v.decision, v.signature, v.reasons) == ("warn", "ok", ("crl_missing",))


@pytest.mark.parametrize(
    ("signer", "code"),
    [("revoked", "revoked_signer"), ("expired", "signer_not_valid_at_issue"), ("rsa1024", "unsupported_algorithm")],
)
def test_signature_failures_reject_and_show_nothing(judge_settings, policy_xml, signer, code) -> None:
    judge, source = make_judge(judge_settings, online())
    v = judge.judge_qr(policy_xml(signer=signer)).verdict
    assert (v.decision, v.signature, v.status, v.status_source) == ("reject", code, "unknown", "none")
    assert v.reasons == (code,)
    assert all(value is None for value in v.policy.to_json().values())  # nothing unsigned is shown
    assert source.asked == []  # and nothing is asked about an unsigned number


def test_bad_signature_and_untrusted_signer(judge_settings, policy_xml, tmp_path: Path) -> None:
    judge, _ = make_judge(judge_settings, online())
    tampered = policy_xml().replace("Мария".encode(), "Марина".encode())
    assert judge.judge_qr(tampered).verdict.signature == "bad_signature"
    attacker = TestTreasury.create(tmp_path / "attacker")
    assert judge.judge_qr(attacker.sign_policy()).verdict.signature == "untrusted_signer"


@pytest.mark.parametrize("payload", ["", "garbage", "OMS1:AAAA", "<Policy/>", b"\x00\x01", "<" * 9000])
def test_malformed_payloads_are_rejected_as_malformed(judge_settings, payload) -> None:
    judge, _ = make_judge(judge_settings, online())
    j = judge.judge_qr(payload)
    assert (j.verdict.decision, j.verdict.signature) == ("reject", "malformed")
    assert j.detail


def test_manual_entry_is_judged_by_the_registry_only(judge_settings) -> None:
    judge, _ = make_judge(judge_settings, online(birth_date=date(1985, 3, 14), insurer_code="77012"))
    v = judge.judge_manual("7700000000000016", date(1985, 3, 14)).verdict
    assert (v.decision, v.signature, v.reasons) == ("accept", "not_applicable", ("manual_entry",))
    assert v.policy.number == "7700000000000016" and v.policy.insurer_code == "77012"

    mismatch = judge.judge_manual("7700000000000016", date(1985, 4, 14)).verdict
    assert (mismatch.decision, mismatch.reasons) == ("reject", ("manual_entry", "holder_mismatch"))

    judge, _ = make_judge(judge_settings, cached(timedelta(hours=1)))
    from_cache = judge.judge_manual("7700000000000016", date(1985, 3, 14)).verdict
    assert from_cache.decision == "warn"  # a typed number needs the registry online for accept

    with pytest.raises(ValueError, match="check digit"):
        judge.judge_manual("7700000000000017", date(1985, 3, 14))


def test_same_verdict_whatever_the_route(judge_settings, policy_xml) -> None:
    judge, _ = make_judge(judge_settings, online())
    xml = policy_xml(signer="ec")
    routes = [xml, encode_form_a(xml), encode_form_b(xml), encode_form_b(xml).encode(), encode_form_a(xml) + "\r\n"]
    verdicts = {judge.judge_qr(route).verdict for route in routes}
    assert len(verdicts) == 1


def test_passport_check(judge_settings, policy_xml) -> None:
    judge, _ = make_judge(judge_settings, online())
    j = judge.judge_qr(policy_xml())
    assert j.check_passport("4510 123456") == "match"
    assert j.check_passport("45 10 №123456") == "match"
    assert j.check_passport("4510 123457") == "mismatch"
    with pytest.raises(PassportFormatError):
        j.check_passport("4510 12345")
    without = judge.judge_qr(policy_xml(passport=None))
    assert without.check_passport("4510 123456") == "not_present"


def test_details_come_from_the_signed_document(judge_settings, policy_xml) -> None:
    judge, _ = make_judge(judge_settings, online())
    j = judge.judge_qr(policy_xml(region="Тверская область", okato="28"))
    assert j.details is not None and j.details.region == "Тверская область"


def test_build_judge_with_the_bundled_demo_root(tmp_path: Path) -> None:
    """Demo mode without a trust.root pins the TEST-ONLY demo root and seeds its cache from resources/demo
    (outside demo mode no root is pinned at all: tests/verify/test_verify_no_trust_root.py)."""
    from desk_app.config import Settings
    from desk_app.paths import resource

    settings = Settings(data_dir=str(tmp_path), demo=True)
    assert settings.uses_demo_root
    judge = build_judge(settings)
    v = judge.judge_qr((resource("demo", "policies", "active-ec.b.txt")).read_text()).verdict
    assert (v.signature, v.decision) == ("ok", "warn")  # no registry configured
    assert judge.judge_qr(resource("demo", "policies", "tampered.a.txt").read_bytes()).verdict.signature == (
        "bad_signature"
    )


@pytest.mark.expect_log_warnings
def test_a_clock_earlier_than_the_trust_download_says_so_instead_of_rejecting(judge_settings, policy_xml) -> None:
    """A PC clock set a year back: the CRL was issued "in the future", the policy looks not yet valid.
    The desk must say its clock is wrong rather than call a good policy invalid."""
    trust = TrustStore(judge_settings.trust_root_path, judge_settings.trust_cache_dir)
    xml = policy_xml(valid_from=date(2026, 6, 1), issued_at=NOW - timedelta(days=2))
    back_in_time = Judge(judge_settings, trust, FixedAnswers(online()), clock=lambda: NOW - timedelta(days=365))
    v = back_in_time.judge_qr(xml).verdict
    assert v.decision == "warn"
    assert "clock_suspect" in v.reasons
    right = Judge(judge_settings, trust, FixedAnswers(online()))
    assert right.judge_qr(xml).verdict.decision == "accept"
