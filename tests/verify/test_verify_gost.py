"""GOST R 34.10-2012 from the pinned root to the policy, through the real `desk-app verify --json`.

Every curve of spec section 2a (aliases included), 256 and 512 bits, an intermediate, mixed
chains, SKI references, a GOST CRL, trust downloads signed with GOST, every wrong byte order
and every refused algorithm pairing. Independent-issuer checks (OpenSSL's GOST engine) are
in tests/verify/test_verify_gost_openssl.py.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from desk_app.config import Settings
from desk_app.demo.issuer import Issued, PolicyData, TestTreasury, issue_cert, policy_element
from desk_app.demo.pki import assemble_signed, new_key
from desk_app.demo.xmldsig_gost import sign_gost_element
from desk_app.verify.certs import (
    GOST_256_SIG,
    AnySpki,
    AnyTbsCertificate,
    CertificateError,
    load_der_certificate,
    load_der_crl,
)
from desk_app.verify.gost import CURVE_OIDS
from desk_app.verify.gost_xmldsig import GOST_256, GOST_512, STREEBOG_256, STREEBOG_512
from desk_app.verify.signature import RSA_SHA256, SHA256
from desk_app.verify.trust_store import TrustStore, TrustUpdateError, load_root
from tests.helpers.verify_cli import verify_json, with_embedded_certificate, write_cases

W3_MORE = "http://www.w3.org/2001/04/xmldsig-more#"
CPXMLSEC = "urn:ietf:params:xml:ns:cpxmlsec:algorithms:"


@pytest.fixture(scope="module")
def treasury(gost_treasury: TestTreasury) -> TestTreasury:
    """Overrides conftest's: judge_settings and policy_xml pin the GOST Treasury here."""
    return gost_treasury


def signatures(settings: Settings, cases: dict[str, bytes], tmp_path: Path) -> dict[str, str]:
    verdicts = verify_json(settings, write_cases(tmp_path / "cases", cases))
    for v in verdicts:  # the CLI contract: a reject shows nothing unsigned
        if v["signature"] != "ok":
            assert v["decision"] == "reject" and all(value is None for value in v["policy"].values())
    return {name: v["signature"] for name, v in zip(cases, verdicts, strict=True)}


def signer_on(curve_oid: str, issuer: Issued) -> Issued:
    bits = CURVE_OIDS[curve_oid].bits
    key = new_key(f"gost{bits}:{curve_oid}")
    now = datetime.now(UTC)
    cert = issue_cert(
        f"TEST-ONLY curve {curve_oid}", key, issuer, ca=False,
        not_before=now - timedelta(days=30), not_after=now + timedelta(days=365),
    )
    return Issued(key, cert)


def test_every_curve_and_alias_256_and_512(treasury, judge_settings, tmp_path) -> None:
    cases = {}
    for oid in CURVE_OIDS:
        issued = signer_on(oid, treasury.root)
        assert issued.cert.public_key.curve_oid == oid
        cases[f"curve-{oid}"] = sign_gost_element(policy_element(PolicyData()), issued)
    got = signatures(judge_settings, cases, tmp_path)
    assert got == dict.fromkeys(cases, "ok")
    assert len(cases) == 12  # TC26 256 A-D, CryptoPro A-C, XchA, XchB, TC26 512 A-C


def test_the_treasury_shapes_accept_and_refuse_as_the_spec_says(treasury, policy_xml, judge_settings, tmp_path) -> None:
    assert treasury.root.cert.public_key.kind == "gost512"
    assert treasury.intermediate.cert.public_key.kind == "gost256"
    cases = {
        "gost256-embedded": policy_xml(),
        "gost256-ski": policy_xml(embed_cert=False),
        "via-intermediate": policy_xml(signer="gost256-inter"),
        "via-intermediate-ski": policy_xml(signer="gost256-inter", embed_cert=False),
        "gost512": policy_xml(signer="gost512"),
        "gost512-ski": policy_xml(signer="gost512", embed_cert=False),
        "mixed-ec-under-gost-intermediate": policy_xml(signer="ec"),
        "mixed-rsa-under-gost-root": policy_xml(signer="rsa", embed_cert=False),
        "revoked-by-the-gost-crl": policy_xml(signer="revoked"),
        "expired": policy_xml(signer="expired"),
        "tampered": policy_xml().replace("Иванова".encode(), "Петрова".encode()),
    }
    assert signatures(judge_settings, cases, tmp_path) == {
        "gost256-embedded": "ok",
        "gost256-ski": "ok",
        "via-intermediate": "ok",
        "via-intermediate-ski": "ok",
        "gost512": "ok",
        "gost512-ski": "ok",
        "mixed-ec-under-gost-intermediate": "ok",
        "mixed-rsa-under-gost-root": "ok",
        "revoked-by-the-gost-crl": "revoked_signer",
        "expired": "signer_not_valid_at_issue",
        "tampered": "bad_signature",
    }


def test_gost_signers_under_an_rsa_root_and_an_ecdsa_intermediate(tmp_path) -> None:
    """The other direction of a mixed chain: RSA root -> GOST signer, ECDSA intermediate -> GOST signer."""
    rsa = TestTreasury.create(tmp_path / "rsa-treasury", algorithm="rsa")
    settings = Settings(trust_root=str(rsa.root_pem_path), data_dir=str(tmp_path / "data"))
    TrustStore(settings.trust_root_path, settings.trust_cache_dir).prime_from(rsa.base_dir)
    direct = signer_on("1.2.643.2.2.35.1", rsa.root)
    via_ec = signer_on("1.2.643.7.1.2.1.2.1", rsa.intermediate)
    cases = {
        "gost256-under-rsa-root": sign_gost_element(policy_element(PolicyData()), direct),
        "gost512-under-ecdsa-intermediate": sign_gost_element(policy_element(PolicyData()), via_ec),
        "ski-not-in-the-cache": sign_gost_element(policy_element(PolicyData()), direct, embed_cert=False),
    }
    assert signatures(settings, cases, tmp_path) == {
        "gost256-under-rsa-root": "ok",
        "gost512-under-ecdsa-intermediate": "ok",
        "ski-not-in-the-cache": "untrusted_signer",
    }


def test_every_wrong_byte_order_is_refused(treasury, judge_settings, tmp_path) -> None:
    issued = treasury.signers["gost256"]
    issued512 = treasury.signers["gost512"]
    doc = policy_element(PolicyData())
    now = datetime.now(UTC)
    big_endian_point = issue_cert(
        "TEST-ONLY big-endian point", issued.key, treasury.root, ca=False,
        not_before=now - timedelta(days=1), not_after=now + timedelta(days=30), point_big_endian=True,
    )
    cases = {
        "spec": sign_gost_element(doc, issued),
        "r-then-s": sign_gost_element(doc, issued, convention="r||s"),
        "e-big-endian": sign_gost_element(doc, issued, convention="e-big-endian"),
        "digest-byte-reversed": sign_gost_element(doc, issued, convention="digest-reversed"),
        "512-r-then-s": sign_gost_element(doc, issued512, convention="r||s"),
        "512-e-big-endian": sign_gost_element(doc, issued512, convention="e-big-endian"),
        "512-digest-byte-reversed": sign_gost_element(doc, issued512, convention="digest-reversed"),
        "public-point-big-endian": sign_gost_element(doc, issued, cert_der=big_endian_point.der),
    }
    assert signatures(judge_settings, cases, tmp_path) == {
        "spec": "ok",
        "r-then-s": "bad_signature",
        "e-big-endian": "bad_signature",
        "digest-byte-reversed": "bad_signature",
        "512-r-then-s": "bad_signature",
        "512-e-big-endian": "bad_signature",
        "512-digest-byte-reversed": "bad_signature",
        "public-point-big-endian": "malformed",  # the certificate's point is not on its curve
    }


def test_every_refused_pairing_is_unsupported(treasury, judge_settings, tmp_path) -> None:
    doc = policy_element(PolicyData())
    g256, g512 = treasury.signers["gost256"], treasury.signers["gost512"]

    def sign(issued: Issued, **kw: object) -> bytes:
        return sign_gost_element(doc, issued, **kw)  # type: ignore[arg-type]

    cases = {
        "gost256-over-sha256": sign(g256, digest_uri=SHA256),
        "rsa-sha256-over-streebog": sign(g256, signature_uri=RSA_SHA256),
        "gost256-over-streebog512": sign(g256, digest_uri=STREEBOG_512, hash_bits=512),
        "gost512-over-streebog256": sign(g512, signature_uri=GOST_512, digest_uri=STREEBOG_256, hash_bits=256),
        "gost256-uri-with-a-512-key": sign(g512, signature_uri=GOST_256, digest_uri=STREEBOG_256, hash_bits=256),
        "gost512-uri-with-a-256-key": sign(g256, signature_uri=GOST_512, digest_uri=STREEBOG_512, hash_bits=512),
        "gost94-digest-w3": sign(g256, digest_uri=W3_MORE + "gostr3411"),
        "gost94-digest-cpxmlsec": sign(g256, digest_uri=CPXMLSEC + "gostr3411"),
        "gost2001-w3": sign(g256, signature_uri=W3_MORE + "gostr34102001-gostr3411", digest_uri=W3_MORE + "gostr3411"),
        "gost2001-cpxmlsec": sign(
            g256, signature_uri=CPXMLSEC + "gostr34102001-gostr3411", digest_uri=CPXMLSEC + "gostr3411"
        ),
        "gost2001-with-streebog": sign(g256, signature_uri=W3_MORE + "gostr34102001-gostr3411"),
    }
    assert signatures(judge_settings, cases, tmp_path) == dict.fromkeys(cases, "unsupported_algorithm")


def test_gost_certificates_with_a_wrong_signature_convention_or_size_are_not_issued(
    treasury, policy_xml, judge_settings, tmp_path
) -> None:
    genuine = treasury.signers["gost256"].cert
    size = 64  # the root is GOST-512: s || r of 64 bytes each
    swapped = genuine.signature[size:] + genuine.signature[:size]
    relabelled_tbs = AnyTbsCertificate.load(genuine.tbs)
    relabelled_tbs["signature"] = {"algorithm": GOST_256_SIG}
    relabelled = assemble_signed(relabelled_tbs.dump(), {"algorithm": GOST_256_SIG}, genuine.signature)
    unknown_curve_tbs = AnyTbsCertificate.load(genuine.tbs)
    spki = unknown_curve_tbs["subject_public_key_info"].dump()
    cryptopro_a, unknown = bytes.fromhex("06072a850302022301"), bytes.fromhex("06072a850302022309")  # ...35.1 -> 35.9
    assert cryptopro_a in spki
    unknown_curve_tbs["subject_public_key_info"] = AnySpki.load(spki.replace(cryptopro_a, unknown))
    unknown_curve = assemble_signed(unknown_curve_tbs.dump(), {"algorithm": "1.2.643.7.1.1.3.3"}, genuine.signature)
    with pytest.raises(CertificateError, match="unknown GOST curve"):
        load_der_certificate(unknown_curve)
    document = policy_xml()
    cases = {
        "root-signature-r-then-s": with_embedded_certificate(
            document, assemble_signed(genuine.tbs, {"algorithm": genuine.signature_algorithm}, swapped)
        ),
        "512-signature-labelled-256": with_embedded_certificate(document, relabelled),
        "unknown-curve": with_embedded_certificate(document, unknown_curve),
        "genuine": document,
    }
    assert signatures(judge_settings, cases, tmp_path) == {
        "root-signature-r-then-s": "untrusted_signer",
        "512-signature-labelled-256": "untrusted_signer",
        "unknown-curve": "malformed",
        "genuine": "ok",
    }


# --- the GOST CRL and trust downloads over a real HTTP server ---------------------------------


def test_gost_trust_downloads_are_checked_against_the_gost_root(treasury, tmp_path, serve_directory) -> None:
    store = TrustStore(treasury.root_pem_path, tmp_path / "cache")
    snap = store.refresh(serve_directory(treasury.base_dir))
    assert len(snap.certs) == 8 and len(snap.crls) == 2
    root_crl = snap.crls[treasury.root.cert.fingerprint]
    assert root_crl.signature_algorithm == "1.2.643.7.1.1.3.3"
    assert root_crl.is_revoked(treasury.signers["revoked"].cert.serial)
    good = (store.cache_dir / "signers.pem").read_bytes()

    attacker = TestTreasury.create(tmp_path / "attacker", algorithm="gost")  # the very same names
    with pytest.raises(TrustUpdateError, match="not issued under the pinned root"):
        store.refresh(serve_directory(attacker.base_dir))

    forged_crl = tmp_path / "forged-crl"
    shutil.copytree(treasury.base_dir, forged_crl)
    shutil.copy(attacker.base_dir / "root.crl", forged_crl / "root.crl")
    with pytest.raises(TrustUpdateError, match="not signed by the pinned root"):
        store.refresh(serve_directory(forged_crl))

    swapped_crl = tmp_path / "swapped-crl"
    shutil.copytree(treasury.base_dir, swapped_crl)
    crl = load_der_crl((treasury.base_dir / "root.crl").read_bytes())
    swapped = crl.signature[64:] + crl.signature[:64]
    (swapped_crl / "root.crl").write_bytes(assemble_signed(crl.tbs, {"algorithm": crl.signature_algorithm}, swapped))
    with pytest.raises(TrustUpdateError, match="not signed by the pinned root"):
        store.refresh(serve_directory(swapped_crl))

    garbage = tmp_path / "garbage"
    shutil.copytree(treasury.base_dir, garbage)
    (garbage / "signers.pem").write_bytes(b"-----BEGIN CERTIFICATE-----\nMIIBAA==\n-----END CERTIFICATE-----\n")
    with pytest.raises(TrustUpdateError, match="not a list of PEM certificates"):
        store.refresh(serve_directory(garbage))

    old = tmp_path / "old"
    treasury.write_trust_files(now=datetime.now(UTC) - timedelta(days=3), directory=old)
    with pytest.raises(TrustUpdateError, match="rollback"):
        store.refresh(serve_directory(old))

    assert (store.cache_dir / "signers.pem").read_bytes() == good
    assert len(TrustStore(treasury.root_pem_path, tmp_path / "cache").snapshot.certs) == 8


def test_a_download_mixing_algorithms_is_checked_link_by_link(tmp_path, serve_directory) -> None:
    """An RSA root's signers.pem holding a GOST signer (direct) and one under the ECDSA intermediate,
    then one forged GOST signer with a look-alike issuer name: the whole download is refused."""
    rsa = TestTreasury.create(tmp_path / "rsa-treasury", algorithm="rsa")
    direct = signer_on("1.2.643.7.1.2.1.1.1", rsa.root)
    via_ec = signer_on("1.2.643.7.1.2.1.2.3", rsa.intermediate)
    site = tmp_path / "site"
    rsa.write_trust_files(now=datetime.now(UTC), directory=site)
    genuine = (site / "signers.pem").read_bytes() + direct.cert.pem() + via_ec.cert.pem()
    (site / "signers.pem").write_bytes(genuine)
    settings = Settings(trust_root=str(rsa.root_pem_path), data_dir=str(tmp_path / "desk"))
    store = TrustStore(settings.trust_root_path, settings.trust_cache_dir)
    snap = store.refresh(serve_directory(site))
    assert direct.cert.ski in snap.by_ski and via_ec.cert.ski in snap.by_ski
    cases = {
        "gost-under-rsa-by-ski": sign_gost_element(policy_element(PolicyData()), direct, embed_cert=False),
        "gost-under-ecdsa-by-ski": sign_gost_element(policy_element(PolicyData()), via_ec, embed_cert=False),
    }
    assert signatures(settings, cases, tmp_path) == dict.fromkeys(cases, "ok")

    attacker = TestTreasury.create(tmp_path / "attacker", algorithm="gost")  # same names, other keys
    forged = signer_on("1.2.643.2.2.35.1", attacker.root)
    (site / "signers.pem").write_bytes(genuine + forged.cert.pem())
    with pytest.raises(TrustUpdateError, match="not issued under the pinned root"):
        store.refresh(serve_directory(site))
    assert (store.cache_dir / "signers.pem").read_bytes() == genuine


@pytest.mark.parametrize(("algorithm", "root_kind"), [("gost", "gost512"), ("rsa", "rsa"), ("ec", "ec")])
def test_demo_issue_makes_the_chosen_treasury(tmp_path, serve_directory, algorithm, root_kind) -> None:
    """`desk-app demo-issue --algorithm`: GOST by default; its policies verify against its own files."""
    out = tmp_path / "demo"
    argv = [sys.executable, "-m", "desk_app", "demo-issue", "--out", str(out), "--years", "1"]
    if algorithm != "gost":
        argv += ["--algorithm", algorithm]
    result = subprocess.run(argv, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    root_pem = out / "TEST-ONLY-demo-root.pem"
    assert load_root(root_pem).public_key.kind == root_kind
    settings = Settings(trust_root=str(root_pem), data_dir=str(tmp_path / "desk"))
    store = TrustStore(settings.trust_root_path, settings.trust_cache_dir)
    store.refresh(serve_directory(out))
    names = ["active", "active-ec", "revoked", "tampered"] + (
        ["active-gost512", "active-intermediate"] if algorithm == "gost" else []
    )
    verdicts = verify_json(settings, [out / "policies" / f"{n}.b.txt" for n in names])
    expected = {"active": "ok", "active-ec": "ok", "revoked": "revoked_signer", "tampered": "bad_signature",
                "active-gost512": "ok", "active-intermediate": "ok"}
    assert [v["signature"] for v in verdicts] == [expected[n] for n in names]
