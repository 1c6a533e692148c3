"""Certificates with exactly one defect each, made from a genuine signer certificate of a test
Treasury and re-signed by its root (so the defect is the only thing wrong). Before the
certificate model of desk_app/verify/certs.py, cryptography parsed these lazily and failed
later: a traceback in the CLI, "Внутренняя ошибка проверки" in the window (issue 11 item 1)."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

import pytest
from asn1crypto import x509 as asn1_x509

from desk_app.demo.issuer import TestTreasury
from desk_app.demo.pki import (
    Issued,
    _time,
    assemble_signed,
    sign_tbs,
    signature_algorithm,
    ski_for,
    spki_der,
    test_name,
)
from desk_app.verify.certs import AnySpki, AnyTbsCertificate, load_der_certificate


def _resigned(treasury: TestTreasury, tbs: AnyTbsCertificate) -> bytes:
    """A certificate around `tbs`, signed by the test Treasury's root."""
    alg = {"algorithm": signature_algorithm(treasury.root.key)}
    tbs_der = tbs.dump()
    return assemble_signed(tbs_der, alg, sign_tbs(treasury.root.key, tbs_der))


def _seq(body: bytes) -> bytes:
    assert len(body) < 0x80
    return b"\x30" + bytes([len(body)]) + body


def genuine_tbs(treasury: TestTreasury) -> AnyTbsCertificate:
    """The default signer's TBS, parsed for editing."""
    return AnyTbsCertificate.load(treasury.signers[treasury.default_signer].cert.tbs)


def _broken_name() -> asn1_x509.Name:
    # SEQUENCE { SET { SEQUENCE { OID commonName, UTF8String 0xFF 0xFE (not UTF-8) } } }
    atv = b"\x06\x03\x55\x04\x03" + b"\x0c\x02\xff\xfe"
    rdn = b"\x31" + bytes([len(atv) + 2]) + b"\x30" + bytes([len(atv)]) + atv
    return asn1_x509.Name.load(b"\x30" + bytes([len(rdn)]) + rdn)


def crafted_certificates(treasury: TestTreasury) -> dict[str, bytes]:
    """name -> DER of a certificate with exactly that defect."""
    out: dict[str, bytes] = {}

    tbs = genuine_tbs(treasury)
    unknown_key = b"\x30\x0b\x30\x06\x06\x04\x2a\x03\x04\x05\x03\x01\x00"  # algorithm 1.2.3.4.5
    tbs["subject_public_key_info"] = AnySpki.load(_seq(unknown_key[2:]))
    out["unknown-key-type"] = _resigned(treasury, tbs)

    tbs = genuine_tbs(treasury)
    extensions = list(tbs["extensions"])
    tbs["extensions"] = asn1_x509.Extensions([*extensions, extensions[1]])  # KeyUsage again
    out["duplicate-extension"] = _resigned(treasury, tbs)

    tbs = genuine_tbs(treasury)
    tbs["version"] = 7
    out["invalid-version"] = _resigned(treasury, tbs)

    tbs = genuine_tbs(treasury)
    tbs["subject"] = _broken_name()
    out["broken-subject-name"] = _resigned(treasury, tbs)

    tbs = genuine_tbs(treasury)
    tbs["issuer"] = _broken_name()
    out["broken-issuer-name"] = _resigned(treasury, tbs)

    return out


DEFECTS = ["unknown-key-type", "duplicate-extension", "invalid-version", "broken-subject-name", "broken-issuer-name"]




# --- certificates for the RFC 5280 rules (issue 19 item 5) -------------------------------------


def issue_with(
    cn: str,
    key: object,
    issuer: Issued | None,
    *,
    ca: bool = False,
    path_len: int | None = None,
    eku: list[str] | None = None,
    extra: list[dict] | None = None,
    subject: asn1_x509.Name | None = None,
) -> Issued:
    """A certificate for `key` issued by `issuer` (self-signed when None) with chosen extensions:
    BasicConstraints (cA, pathLen), KeyUsage (keyCertSign+cRLSign for a CA, else digitalSignature),
    an optional ExtendedKeyUsage, SKI, AKI, and `extra` extensions as asn1crypto dicts."""
    now = datetime.now(UTC).replace(microsecond=0)
    signing_key = issuer.key if issuer is not None else key
    alg = {"algorithm": signature_algorithm(signing_key)}
    extensions: list[dict] = [
        {"extn_id": "basic_constraints", "critical": True,
         "extn_value": {"ca": ca, "path_len_constraint": path_len if ca else None}},
        {"extn_id": "key_usage", "critical": True,
         "extn_value": {"key_cert_sign", "crl_sign"} if ca else {"digital_signature"}},
        {"extn_id": "key_identifier", "critical": False, "extn_value": ski_for(key)},
    ]
    if issuer is not None:
        extensions.append({"extn_id": "authority_key_identifier", "critical": False,
                           "extn_value": {"key_identifier": ski_for(issuer.key)}})
    if eku is not None:
        extensions.append({"extn_id": "extended_key_usage", "critical": False, "extn_value": eku})
    extensions += extra or []
    name = subject if subject is not None else test_name(cn)
    tbs = AnyTbsCertificate(
        {
            "version": "v3",
            "serial_number": secrets.randbits(127) | 1 << 126,
            "signature": alg,
            "issuer": asn1_x509.Name.load(issuer.cert.subject_der) if issuer is not None else name,
            "validity": {"not_before": _time(now - timedelta(days=400)), "not_after": _time(now + timedelta(days=400))},
            "subject": name,
            "subject_public_key_info": AnySpki.load(spki_der(key)),
            "extensions": extensions,
        }
    )
    der = assemble_signed(tbs.dump(), alg, sign_tbs(signing_key, tbs.dump()))
    return Issued(key, load_der_certificate(der))


@pytest.fixture(scope="module", params=["rsa", "gost"], name="treasury")
def treasury_of_each_algorithm(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> TestTreasury:
    """Overrides conftest's `treasury` where a module imports it: every test there runs on an
    RSA/ECDSA and on a GOST Treasury."""
    return TestTreasury.create(tmp_path_factory.mktemp(f"treasury-{request.param}"), algorithm=request.param)
