"""Held-out adversary cases for issue 11 item 1 (any content gets a verdict with the spec's
reason): cases of the same classes as tests/verify/test_verify_attacks.py and the fuzz corpus, but
other ones. Each case must end in a verdict *without* the judge's last-resort net for reader
defects firing (that net turns any exception into `malformed`, so a CLI run alone would not
show the defect)."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from asn1crypto import crl as asn1_crl
from asn1crypto import x509 as asn1_x509

from desk_app.config import Settings
from desk_app.core.judge import UNEXPECTED_PREFIX, build_judge
from desk_app.demo.issuer import PolicyData, TestTreasury
from desk_app.demo.pki import assemble_signed, sign_tbs, signature_algorithm
from desk_app.verify.certs import CertificateError, load_der_crl
from desk_app.verify.trust_store import TrustStore, TrustUpdateError
from tests.helpers.certificates import _resigned, genuine_tbs
from tests.helpers.verify_cli import verify_json, with_embedded_certificate, write_cases


def _judge(settings: Settings):
    return build_judge(replace(settings, offline=True), refresh=False)


def _judged_without_defect(settings: Settings, payload: str | bytes, caplog: pytest.LogCaptureFixture):
    judge = _judge(settings)
    with caplog.at_level(logging.WARNING):
        judgement = judge.judge_qr(payload)
    assert not judgement.detail.startswith(UNEXPECTED_PREFIX), judgement.detail
    assert "content_reader_defect" not in caplog.text
    return judgement


# --- QR text that is not Unicode ------------------------------------------------------------
# A wedge (Qt) or a decoder binding can hand over a str holding lone surrogates; Python's
# surrogateescape does the same for bytes read with errors="surrogateescape".


@pytest.mark.parametrize(
    "make",
    [
        lambda xml: xml.decode() + "\udcff",  # form A with an escaped byte at the end
        lambda xml: "<\ud800>",
        lambda xml: xml.decode().replace("Иванова", "Ива\udc80нова"),
        lambda xml: "OMS1:\udcc3",
    ],
    ids=["form-a-trailing-escape", "lone-high-surrogate", "surrogate-in-name", "form-b-surrogate"],
)
def test_qr_text_with_lone_surrogates_is_malformed_by_the_payload_reader(
    make, policy_xml, judge_settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    judgement = _judged_without_defect(judge_settings, make(policy_xml()), caplog)
    assert judgement.verdict.signature == "malformed"
    assert judgement.verdict.decision == "reject"


# --- certificate and CRL times that are not UTC (RFC 5280 4.1.2.5: always Z) ----------------


def _gt(text: bytes) -> bytes:
    return b"\x18" + bytes([len(text)]) + text


def _ut(text: bytes) -> bytes:
    return b"\x17" + bytes([len(text)]) + text


def _with_validity(treasury: TestTreasury, not_before: bytes, not_after: bytes) -> bytes:
    tbs = genuine_tbs(treasury)
    tbs["validity"] = asn1_x509.Validity.load(b"\x30" + bytes([len(not_before + not_after)]) + not_before + not_after)
    return _resigned(treasury, tbs)


LOCAL_TIMES = {
    "generalized-without-z": (_gt(b"20200101000000"), _gt(b"20990101000000")),
    "not-after-without-z": (_gt(b"20200101000000Z"), _gt(b"20990101000000")),
    "generalized-fraction-without-z": (_gt(b"20200101000000.5"), _gt(b"20990101000000Z")),
}


@pytest.fixture(params=["rsa", "gost"])
def any_treasury(request: pytest.FixtureRequest) -> TestTreasury:
    """cryptography reads RSA/EC signers again (and refuses a local time itself); GOST signers
    are read by verify/certs.py alone."""
    return request.getfixturevalue("treasury" if request.param == "rsa" else "gost_treasury")


def _settings_for(treasury: TestTreasury, data_dir: Path) -> Settings:
    settings = Settings(trust_root=str(treasury.root_pem_path), data_dir=str(data_dir))
    TrustStore(settings.trust_root_path, settings.trust_cache_dir).prime_from(treasury.base_dir)
    return settings


@pytest.mark.parametrize("name", sorted(LOCAL_TIMES))
def test_embedded_certificate_with_a_local_time_is_malformed(
    name: str, any_treasury: TestTreasury, data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    der = _with_validity(any_treasury, *LOCAL_TIMES[name])
    xml = with_embedded_certificate(any_treasury.sign_policy(PolicyData()), der)
    judgement = _judged_without_defect(_settings_for(any_treasury, data_dir), xml, caplog)
    assert judgement.verdict.signature == "malformed"


def test_embedded_certificates_with_local_times_through_the_cli(
    gost_treasury: TestTreasury, data_dir: Path, tmp_path: Path
) -> None:
    """The real CLI: every case a verdict, the batch judged to the end, a genuine one still ok."""
    genuine = gost_treasury.sign_policy(PolicyData())
    cases = {
        name: with_embedded_certificate(genuine, _with_validity(gost_treasury, *pair))
        for name, pair in LOCAL_TIMES.items()
    }
    cases["zz-genuine"] = genuine
    verdicts = verify_json(_settings_for(gost_treasury, data_dir), write_cases(tmp_path / "cases", cases))
    assert [v["signature"] for v in verdicts] == ["malformed"] * len(LOCAL_TIMES) + ["ok"]


def _crl_with_this_update(treasury: TestTreasury, this_update: asn1_x509.Time) -> bytes:
    alg = {"algorithm": signature_algorithm(treasury.root.key)}
    now = datetime.now(UTC)
    tbs = asn1_crl.TbsCertList(
        {
            "version": "v2",
            "signature": alg,
            "issuer": asn1_x509.Name.load(treasury.root.cert.subject_der),
            "this_update": this_update,
            "next_update": asn1_x509.Time({"general_time": now + timedelta(days=30)}),
        }
    )
    der = tbs.dump()
    return assemble_signed(der, alg, sign_tbs(treasury.root.key, der))


@pytest.mark.parametrize("algorithm_treasury", ["treasury", "gost_treasury"])
def test_crl_with_a_local_time_is_refused_at_load(algorithm_treasury: str, request: pytest.FixtureRequest) -> None:
    treasury = request.getfixturevalue(algorithm_treasury)
    local = asn1_x509.Time.load(_gt(b"20200101000000"))
    with pytest.raises(CertificateError):
        load_der_crl(_crl_with_this_update(treasury, local))


def test_crl_download_with_a_local_time_keeps_the_cache(treasury: TestTreasury, tmp_path, serve_directory) -> None:
    """A hostile trust server's CRL with a local time: refused, the cached CRL kept, no crash."""
    data = tmp_path / "data"
    store = TrustStore(treasury.root_pem_path, data / "trust")
    assert store.prime_from(treasury.base_dir)
    before = (data / "trust" / "root.crl").read_bytes()
    served = tmp_path / "served"
    served.mkdir()
    (served / "signers.pem").write_bytes((treasury.base_dir / "signers.pem").read_bytes())
    (served / "root.crl").write_bytes(_crl_with_this_update(treasury, asn1_x509.Time.load(_gt(b"20991231000000"))))
    with pytest.raises(TrustUpdateError):
        store.refresh(serve_directory(served))
    assert (data / "trust" / "root.crl").read_bytes() == before
    assert _judge_for_store(treasury, data).judge_qr(treasury.sign_policy(PolicyData())).verdict.signature == "ok"


def _judge_for_store(treasury: TestTreasury, data) -> object:
    return build_judge(
        Settings(trust_root=str(treasury.root_pem_path), data_dir=str(data), offline=True), refresh=False
    )
