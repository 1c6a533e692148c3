"""Any content gets a verdict: extreme dates, offsets and the date arithmetic they feed.

Two kinds of document are tried. *Crafted* ones are genuine signed policies altered by someone
holding no key: the change breaks the signature, so they must end in `malformed` (the profile
refuses the value) or `bad_signature` (the value is well-formed but not what was signed), never
in a traceback and never in a code derived from the unsigned value. *Signed* ones carry the same
extreme values under a genuine TEST signature (the Treasury's own values): they must get the
verdict the spec gives them.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from desk_app.core.judge import UNEXPECTED_PREFIX, Judge, build_judge
from desk_app.demo.issuer import PolicyData, policy_element
from desk_app.verify.payload import encode_form_a, encode_form_b
from desk_app.verify.profile import q
from desk_app.verify.verdict import SIGNATURE_RESULTS

# IssuedAt values whose moment cannot be placed on the desk's calendar, or that are not an
# xs:dateTime at all (the offset of xs:dateTime is at most 14:00).
UNREPRESENTABLE_ISSUED_AT = [
    "0001-01-01T00:00:00+03:00",  # 31 Dec of year 0 in UTC
    "0001-01-01T00:00:00+14:00",
    "0001-01-01T10:00:00+14:00",
    "0001-01-02T13:59:59+14:00",  # one second before the earliest moment, 0001-01-02T00:00:00Z
    "9999-12-31T23:59:59-03:00",  # year 10000 in UTC
    "9999-12-31T23:59:59-14:00",
    "9999-12-31T00:00:00Z",  # one day before the end of the calendar: no room for a clinic's offset
    "9999-12-31T23:59:59Z",  # + the 5-minute skew allowance or any clinic offset overflows
    "9999-12-31T12:00:00+03:00",
    "0001-01-01T00:00:00Z",
    "2020-01-01T00:00:00+23:59",  # Python accepts, xs:dateTime does not
    "2020-01-01T00:00:00-23:59",
    "2020-01-01T00:00:00+14:01",
    "2020-01-01T00:00:00+03:60",
    "2020-01-01T00:00:00+03:00:30",
    "2020-01-01T24:00:00+03:00",
    "2020-01-01T00:00:60+03:00",
    "0000-01-01T00:00:00Z",
    "2020-02-30T00:00:00Z",
    "20200101T000000Z",
    "2020-01-01T00:00:00,5Z",
    "2020-01-01T00:00:00+0300",
    "2020-01-01 00:00:00Z",
    "2020-01-01T00:00:00",
    "2020-01-01T00:00:00.Z",
    "2020-01-01T00:00:00.1234567890Z",
]
# Well-formed but extreme: the signature decides (a crafted change is a bad signature).
REPRESENTABLE_EXTREME_ISSUED_AT = [
    "0001-01-02T00:00:00Z",
    "0001-01-02T14:00:00+14:00",
    "0002-06-01T12:00:00-14:00",
    "9999-12-30T23:59:59Z",
    "9999-12-30T12:00:00-11:59",
    "9999-12-30T00:00:00+14:00",
]
EXTREME_DATES = ["0001-01-01", "0001-01-02", "1900-02-28", "9999-12-30", "9999-12-31"]


@pytest.fixture
def offline_judge(judge_settings) -> Judge:
    return build_judge(judge_settings.replace(offline=True), refresh=False)


def _with_text(xml: bytes, tag: str, value: str) -> bytes:
    pattern = rf"<{tag}>[^<]*</{tag}>".encode()
    assert re.search(pattern, xml), tag
    return re.sub(pattern, f"<{tag}>{value}</{tag}>".encode(), xml, count=1)


def _assert_content_reject(judge: Judge, xml: bytes, allowed: set[str]) -> None:
    for payload in (encode_form_a(xml), encode_form_b(xml), xml):
        judgement = judge.judge_qr(payload)
        v = judgement.verdict
        assert v.signature in SIGNATURE_RESULTS
        assert (v.decision, v.signature) in {("reject", code) for code in allowed}, judgement.detail
        assert v.policy.number is None and v.policy.issued_at is None and v.policy.last_name is None
        assert not judgement.detail.startswith(UNEXPECTED_PREFIX), judgement.detail


@pytest.mark.parametrize("value", UNREPRESENTABLE_ISSUED_AT)
def test_crafted_unrepresentable_issued_at_is_malformed(offline_judge, policy_xml, value) -> None:
    _assert_content_reject(offline_judge, _with_text(policy_xml(), "IssuedAt", value), {"malformed"})


@pytest.mark.parametrize("value", REPRESENTABLE_EXTREME_ISSUED_AT)
def test_crafted_extreme_issued_at_is_a_bad_signature(offline_judge, policy_xml, value) -> None:
    """The unsigned IssuedAt must not decide the verdict: the signature is checked first."""
    _assert_content_reject(offline_judge, _with_text(policy_xml(), "IssuedAt", value), {"bad_signature"})


@pytest.mark.parametrize("tag", ["ValidFrom", "ValidTo", "BirthDate"])
@pytest.mark.parametrize("value", EXTREME_DATES)
def test_crafted_extreme_dates_get_a_verdict(offline_judge, policy_xml, tag, value) -> None:
    xml = policy_xml(valid_to=date(2030, 1, 1))
    if tag == "BirthDate" and value > datetime.now(UTC).date().isoformat():
        allowed = {"malformed"}  # in the future
    elif tag == "ValidTo" and value < "2020-01-01":
        allowed = {"malformed"}  # before ValidFrom
    elif tag == "ValidFrom" and value > "2030-01-01":
        allowed = {"malformed"}  # after ValidTo
    else:
        allowed = {"bad_signature"}
    _assert_content_reject(offline_judge, _with_text(xml, tag, value), allowed)


def _signed_with_issued_at(treasury, text: str, **fields) -> bytes:
    element = policy_element(PolicyData(**fields))
    element.find(q("IssuedAt")).text = text
    return treasury.sign_policy(element=element)


@pytest.mark.parametrize("value", UNREPRESENTABLE_ISSUED_AT)
def test_signed_unrepresentable_issued_at_is_malformed(offline_judge, treasury, value) -> None:
    _assert_content_reject(offline_judge, _signed_with_issued_at(treasury, value), {"malformed"})


@pytest.mark.parametrize("value", REPRESENTABLE_EXTREME_ISSUED_AT)
def test_signed_extreme_issued_at_is_outside_the_signers_validity(offline_judge, treasury, value) -> None:
    _assert_content_reject(offline_judge, _signed_with_issued_at(treasury, value), {"signer_not_valid_at_issue"})


def test_signed_issued_at_at_the_offset_limits_is_accepted(offline_judge, treasury) -> None:
    """xs:dateTime's own limits, +14:00 and -14:00, are ordinary offsets."""
    moment = datetime.now(UTC).replace(microsecond=0) - timedelta(days=2)
    for hours in (14, -14):
        local = moment.astimezone(timezone(timedelta(hours=hours)))
        v = offline_judge.judge_qr(_signed_with_issued_at(treasury, local.isoformat())).verdict
        assert (v.signature, v.policy.issued_at) == ("ok", local)


def test_signed_issued_at_with_nanoseconds_is_read_to_the_microsecond(offline_judge, treasury) -> None:
    """Seven to nine fractional digits (.NET writes seven) are valid xs:dateTime; the rest is cut."""
    moment = datetime.now(UTC).replace(microsecond=0) - timedelta(days=2)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S") + ".123456789+00:00"
    v = offline_judge.judge_qr(_signed_with_issued_at(treasury, text)).verdict
    assert v.signature == "ok"
    assert v.policy.issued_at == moment.replace(microsecond=123456)


@pytest.mark.parametrize(
    ("fields", "decision", "reason"),
    [
        ({"valid_from": date(9999, 12, 31)}, "reject", "not_yet_valid"),
        ({"valid_from": date(9999, 12, 30), "valid_to": date(9999, 12, 31)}, "reject", "not_yet_valid"),
        ({"valid_from": date(1, 1, 1), "valid_to": date(1, 1, 1)}, "reject", "past_valid_to"),
        ({"valid_from": date(1, 1, 1), "valid_to": date(9999, 12, 31)}, "warn", "registry_not_configured"),
        ({"birth_date": date(1, 1, 1)}, "warn", "registry_not_configured"),
    ],
)
def test_signed_extreme_dates_get_the_spec_verdict(judge_settings, treasury, fields, decision, reason) -> None:
    judge = build_judge(judge_settings, refresh=False)
    xml = treasury.sign_policy(PolicyData(**fields))
    for payload in (encode_form_a(xml), encode_form_b(xml)):
        v = judge.judge_qr(payload).verdict
        assert v.signature == "ok"
        assert v.decision == decision
        assert reason in v.reasons


@pytest.mark.parametrize("tz", ["Pacific/Kiritimati", "Etc/GMT+12", "Asia/Kamchatka", "UTC"])
def test_extreme_values_under_extreme_clinic_time_zones(judge_settings, treasury, policy_xml, tz) -> None:
    judge = build_judge(judge_settings.replace(offline=True, timezone=tz), refresh=False)
    for value in UNREPRESENTABLE_ISSUED_AT[:8]:
        _assert_content_reject(judge, _signed_with_issued_at(treasury, value), {"malformed"})
    for value in REPRESENTABLE_EXTREME_ISSUED_AT:
        _assert_content_reject(judge, _signed_with_issued_at(treasury, value), {"signer_not_valid_at_issue"})
    v = judge.judge_qr(treasury.sign_policy(PolicyData(valid_to=date(9999, 12, 31)))).verdict
    assert (v.signature, v.policy.valid_to) == ("ok", date(9999, 12, 31))
