"""Certificates with exactly one defect each, made from a genuine signer certificate of a test
Treasury and re-signed by its root (so the defect is the only thing wrong). Before the
certificate model of desk_app/verify/certs.py, cryptography parsed these lazily and failed
later: a traceback in the CLI, "Внутренняя ошибка проверки" in the window (issue 11 item 1)."""

from __future__ import annotations

from asn1crypto import x509 as asn1_x509

from desk_app.demo.issuer import TestTreasury
from desk_app.demo.pki import assemble_signed, sign_tbs, signature_algorithm
from desk_app.verify.certs import AnySpki, AnyTbsCertificate


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


