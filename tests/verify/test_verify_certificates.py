"""Certificates and CRLs the desk cannot interpret end in a verdict, never a traceback (issue 11 item 1),
and a CRL lookup costs the same for a million entries as for one (issue 11 item 10).

The crafted certificates are made from a genuine signer certificate of the test Treasury with
one defect each, re-signed by the Treasury's own root (so the defect is the only thing wrong),
and swapped into a genuinely signed policy (KeyInfo is outside the signature). Before the
certificate model of desk_app/verify/certs.py, cryptography parsed these lazily and the CLI
died with a traceback on the first one.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from desk_app.demo.issuer import TestTreasury
from desk_app.demo.pki import make_large_crl
from desk_app.verify.certs import (
    CertificateError,
    Crl,
    load_der_certificate,
    load_der_crl,
    pem_encode,
)
from desk_app.verify.chain import check_revocation
from desk_app.verify.trust_store import TrustRootError, TrustStore, TrustUpdateError, load_root
from tests.helpers.certificates import DEFECTS, crafted_certificates
from tests.helpers.verify_cli import verify_json, with_embedded_certificate, write_cases


@pytest.mark.parametrize("defect", DEFECTS)
def test_each_defect_is_refused_at_load(treasury, defect) -> None:
    der = crafted_certificates(treasury)[defect]
    with pytest.raises(CertificateError):
        load_der_certificate(der)


def test_embedded_certificates_nobody_can_read_are_malformed_through_the_cli(
    treasury, policy_xml, judge_settings, tmp_path: Path
) -> None:
    genuine = policy_xml()
    cases = {name: with_embedded_certificate(genuine, der) for name, der in crafted_certificates(treasury).items()}
    cases["genuine-after-them"] = genuine  # the rest of the batch is still judged
    verdicts = verify_json(judge_settings, write_cases(tmp_path / "docs", cases))
    got = {name: (v["decision"], v["signature"]) for name, v in zip(cases, verdicts, strict=True)}
    expected = {name: ("reject", "malformed") for name in DEFECTS}
    assert got == {**expected, "genuine-after-them": ("warn", "ok")}
    for v in verdicts[:-1]:
        assert v["reasons"] == ["malformed"] and all(value is None for value in v["policy"].values())


def test_a_download_holding_an_unreadable_certificate_is_refused(treasury, tmp_path, serve_directory) -> None:
    store = TrustStore(treasury.root_pem_path, tmp_path / "cache")
    store.refresh(serve_directory(treasury.base_dir))
    good = (store.cache_dir / "signers.pem").read_bytes()
    for defect, der in crafted_certificates(treasury).items():
        site = tmp_path / defect
        site.mkdir()
        for name in ("root.crl", "intermediate.crl"):
            (site / name).write_bytes((treasury.base_dir / name).read_bytes())
        (site / "signers.pem").write_bytes(good + pem_encode(der))
        with pytest.raises(TrustUpdateError, match="not a list of PEM certificates the desk can read"):
            store.refresh(serve_directory(site))
        assert (store.cache_dir / "signers.pem").read_bytes() == good


@pytest.mark.parametrize("defect", ["unknown-key-type", "duplicate-extension", "broken-subject-name"])
def test_a_root_nobody_can_read_is_a_clear_configuration_error(treasury, tmp_path, defect) -> None:
    path = tmp_path / "root.pem"
    path.write_bytes(pem_encode(crafted_certificates(treasury)[defect]))
    with pytest.raises(TrustRootError, match="not a PEM certificate the desk can read"):
        load_root(path)


# --- CRL lookups: a set built once at load ---------------------------------------------------


def _crl_with(treasury: TestTreasury, serials: range | list[int]) -> bytes:
    now = datetime.now(UTC).replace(microsecond=0)
    return make_large_crl(treasury.root, serials, last=now - timedelta(hours=1), next_=now + timedelta(days=30))


def _lookup_cost(crl: Crl, serial: int, n: int = 2000) -> float:
    start = time.perf_counter()
    for _ in range(n):
        crl.is_revoked(serial)
    return (time.perf_counter() - start) / n


def test_a_million_entry_crl_adds_nothing_measurable_to_a_verdicts_revocation_check(
    treasury, tmp_path: Path
) -> None:
    """The root's CRL with a million more serials, installed like a download: the verdict's CRL
    step (check_revocation) stays far under the 1 ms budget; before, a linear scan cost ~100 ms."""
    revoked = treasury.signers["revoked"].cert.serial
    site = tmp_path / "site"
    treasury.write_trust_files(now=datetime.now(UTC), directory=site)
    (site / "root.crl").write_bytes(_crl_with(treasury, [revoked, *range(10**20, 10**20 + 1_000_000)]))
    store = TrustStore(treasury.root_pem_path, tmp_path / "cache")
    store.prime_from(site)
    snap = store.snapshot
    crl = snap.crls[treasury.root.cert.fingerprint]
    assert len(crl.revoked) == 1_000_001
    good = snap.chains.chain_for(treasury.signers[treasury.default_signer].cert)
    bad = snap.chains.chain_for(treasury.signers["revoked"].cert)
    now = datetime.now(UTC)
    assert not check_revocation(good, snap.crls, now).revoked
    assert check_revocation(bad, snap.crls, now).revoked

    def cost(chain) -> float:
        runs = []
        for _ in range(5):
            start = time.perf_counter()
            for _ in range(200):
                check_revocation(chain, snap.crls, now)
            runs.append((time.perf_counter() - start) / 200)
        return min(runs)

    assert cost(good) < 1e-4 and cost(bad) < 1e-4  # 0.1 ms: a tenth of the budget, on a loaded machine


def test_a_large_crl_costs_no_more_per_lookup_than_a_small_one(treasury) -> None:
    big = load_der_crl(_crl_with(treasury, range(10**12, 10**12 + 50_000)))
    small = load_der_crl(_crl_with(treasury, range(10**12, 10**12 + 1)))
    assert big.signed_by(treasury.root.cert) and small.signed_by(treasury.root.cert)
    assert big.is_revoked(10**12 + 49_999) and not big.is_revoked(5)
    cost_big = min(_lookup_cost(big, 10**12 + 49_999) for _ in range(3))
    cost_small = min(_lookup_cost(small, 10**12) for _ in range(3))
    assert cost_big < 1e-4
    assert cost_big < cost_small * 20  # a set, not a scan: 50,000 times the entries, not the cost
