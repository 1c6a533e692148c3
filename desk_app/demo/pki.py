"""TEST-only PKI building: keys, certificates and CRLs for RSA, ECDSA and GOST R 34.10-2012.

Certificates and CRLs are assembled with asn1crypto whatever the algorithm (cryptography
cannot hold a GOST key), signed over their TBS DER: RSA PKCS#1 v1.5 / ECDSA with SHA-256
through cryptography, GOST with Streebog and `desk_app.demo.gost_sign` in the conventions
of policy-qr.md section 2a. Every result is read back with the desk's own loader
(`desk_app.verify.certs`), so what the tests hold is what the desk will see.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from asn1crypto import algos, core
from asn1crypto import crl as asn1_crl
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from desk_app.demo.gost_sign import generate_private_key, public_key_octets, sign_digest
from desk_app.verify.certs import (
    GOST_256_KEY,
    GOST_256_SIG,
    GOST_512_KEY,
    GOST_512_SIG,
    AnySpki,
    AnyTbsCertificate,
    Certificate,
    load_der_certificate,
    pem_encode,
)
from desk_app.verify.gost import GostCurve, curve_for_oid, streebog256, streebog512

TEST_MARK = "TEST ONLY - NOT THE FEDERAL TREASURY"
STREEBOG_256_OID = "1.2.643.7.1.1.2.2"
STREEBOG_512_OID = "1.2.643.7.1.1.2.3"
DEFAULT_CURVES = {"gost256": "1.2.643.2.2.35.1", "gost512": "1.2.643.7.1.2.1.2.1"}  # CryptoPro-A, 512 paramSetA


@dataclass(frozen=True)
class GostKey:
    """A GOST R 34.10-2012 private key (TEST only): the curve as named by `curve_oid`, and d."""

    curve_oid: str
    d: int

    @property
    def curve(self) -> GostCurve:
        curve = curve_for_oid(self.curve_oid)
        assert curve is not None
        return curve

    def public_octets(self) -> bytes:
        """X || Y, each little-endian."""
        return public_key_octets(self.curve, self.d)

    def sign(self, data: bytes) -> bytes:
        """s || r over Streebog(data) of the key's size."""
        digest = (streebog256 if self.curve.bits == 256 else streebog512)(data)
        return sign_digest(self.curve, self.d, digest)


PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | GostKey


@dataclass
class Issued:
    key: Any  # PrivateKey
    cert: Certificate


def new_key(kind: str) -> Any:
    """rsa, rsa1024 (deliberately weak), ec (P-256), gost256 / gost512, optionally ':curve-oid'."""
    base, _, curve_oid = kind.partition(":")
    if base in DEFAULT_CURVES:
        oid = curve_oid or DEFAULT_CURVES[base]
        curve = curve_for_oid(oid)
        if curve is None or f"gost{curve.bits}" != base:
            raise ValueError(f"{oid} is not a {base} curve")
        return GostKey(oid, generate_private_key(curve))
    if base == "ec":
        return ec.generate_private_key(ec.SECP256R1())
    if base == "rsa1024":
        return rsa.generate_private_key(public_exponent=65537, key_size=1024)  # noqa: S505 - the refused weak key
    if base == "rsa":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    raise ValueError(f"unknown key kind {kind!r}")


class _GostKeyParams(core.Sequence):
    _fields: ClassVar[list[Any]] = [
        ("public_key_param_set", core.ObjectIdentifier),
        ("digest_param_set", core.ObjectIdentifier, {"optional": True}),
    ]


class _KeyAlgorithm(core.Sequence):
    _fields: ClassVar[list[Any]] = [("algorithm", core.ObjectIdentifier), ("parameters", _GostKeyParams)]


class _SpkiOut(core.Sequence):
    _fields: ClassVar[list[Any]] = [("algorithm", _KeyAlgorithm), ("public_key", core.OctetBitString)]


def spki_der(key: Any, *, point_big_endian: bool = False) -> bytes:
    """SubjectPublicKeyInfo DER. `point_big_endian` writes X || Y the wrong way (a test of refusal)."""
    if isinstance(key, GostKey):
        octets = key.public_octets()
        if point_big_endian:
            size = key.curve.size
            octets = octets[:size][::-1] + octets[size:][::-1]
        bits = key.curve.bits
        params: dict[str, Any] = {"public_key_param_set": key.curve_oid}
        # RFC 9215: the digest OID accompanies the CryptoPro/TC26-B..D 256-bit sets, not the others.
        if bits == 256 and not key.curve_oid.startswith("1.2.643.7.1.2.1.1.1"):
            params["digest_param_set"] = STREEBOG_256_OID
        elif bits == 512 and key.curve_oid != "1.2.643.7.1.2.1.2.3":
            params["digest_param_set"] = STREEBOG_512_OID
        algorithm = {
            "algorithm": GOST_256_KEY if bits == 256 else GOST_512_KEY,
            "parameters": _GostKeyParams(params),
        }
        return _SpkiOut({"algorithm": algorithm, "public_key": core.OctetString(octets).dump()}).dump()
    return key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def ski_for(key: Any) -> bytes:
    """SHA-1 of the subject public key BIT STRING contents (RFC 5280 4.2.1.2, method 1)."""
    spki = _SpkiOut.load(spki_der(key))
    return hashlib.sha1(bytes(spki["public_key"].contents[1:]), usedforsecurity=False).digest()


def signature_algorithm(key: Any) -> str:
    if isinstance(key, GostKey):
        return GOST_256_SIG if key.curve.bits == 256 else GOST_512_SIG
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return "1.2.840.10045.4.3.2"
    return "1.2.840.113549.1.1.11"


def sign_tbs(key: Any, tbs: bytes) -> bytes:
    if isinstance(key, GostKey):
        return key.sign(tbs)
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return key.sign(tbs, ec.ECDSA(hashes.SHA256()))
    return key.sign(tbs, padding.PKCS1v15(), hashes.SHA256())


def test_name(cn: str, organization: str = TEST_MARK) -> asn1_x509.Name:
    return asn1_x509.Name.build(
        {"country_name": "RU", "organization_name": organization, "common_name": cn}, use_printable=False
    )


def _time(when: datetime) -> asn1_x509.Time:
    return asn1_x509.Time({"utc_time" if 1950 <= when.year < 2050 else "general_time": when})


def _extensions(key: Any, issuer: Issued | None, *, ca: bool, digital_signature: bool) -> list[dict[str, Any]]:
    usage = {"key_cert_sign", "crl_sign"} if ca else ({"digital_signature"} if digital_signature else set())
    out: list[dict[str, Any]] = [
        {
            "extn_id": "basic_constraints",
            "critical": True,
            "extn_value": {"ca": ca, "path_len_constraint": (1 if issuer is None else 0) if ca else None},
        },
    ]
    if usage:
        out.append({"extn_id": "key_usage", "critical": True, "extn_value": usage})
    out.append({"extn_id": "key_identifier", "critical": False, "extn_value": ski_for(key)})
    if issuer is not None:
        aki = {"key_identifier": ski_for(issuer.key)}
        out.append({"extn_id": "authority_key_identifier", "critical": False, "extn_value": aki})
    return out


def issue_cert(
    cn: str,
    key: Any,
    issuer: Issued | None,
    *,
    ca: bool,
    not_before: datetime,
    not_after: datetime,
    digital_signature: bool = True,
    point_big_endian: bool = False,
    organization: str = TEST_MARK,
) -> Certificate:
    """A v3 certificate for `key`, self-signed when `issuer` is None, read back with the desk's loader.
    `organization` names the subject's O (the TEST mark unless a test needs a root not named a test one)."""
    signing_key = issuer.key if issuer else key
    alg = {"algorithm": signature_algorithm(signing_key)}
    tbs = AnyTbsCertificate(
        {
            "version": "v3",
            "serial_number": secrets.randbits(127) | 1 << 126,
            "signature": alg,
            "issuer": asn1_x509.Name.load(issuer.cert.subject_der) if issuer else test_name(cn, organization),
            "validity": {"not_before": _time(not_before), "not_after": _time(not_after)},
            "subject": test_name(cn, organization),
            "subject_public_key_info": AnySpki.load(spki_der(key, point_big_endian=point_big_endian)),
            "extensions": _extensions(key, issuer, ca=ca, digital_signature=digital_signature),
        }
    )
    tbs_der = tbs.dump()
    der = assemble_signed(tbs_der, alg, sign_tbs(signing_key, tbs_der))
    if point_big_endian:  # the desk cannot read it, by design; keep the DER for the tests that embed it
        return UnreadableCertificate(der)  # type: ignore[return-value]
    return load_der_certificate(der)


def _length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(raw)]) + raw


def assemble_signed(tbs_der: bytes, alg: dict[str, str], signature: bytes) -> bytes:
    """SEQUENCE { tbs, AlgorithmIdentifier, BIT STRING signature } (a certificate or a CRL)."""
    body = tbs_der + algos.SignedDigestAlgorithm(alg).dump() + core.OctetBitString(signature).dump()
    return b"\x30" + _length(len(body)) + body


@dataclass(frozen=True)
class UnreadableCertificate:
    """A certificate the desk refuses to read (kept as DER for tests that embed it)."""

    der: bytes


def pem(cert: Certificate | UnreadableCertificate) -> bytes:
    return pem_encode(cert.der)


def make_crl(issuer: Issued, revoked: list[Certificate], *, last: datetime, next_: datetime) -> bytes:
    alg = {"algorithm": signature_algorithm(issuer.key)}
    entries = [{"user_certificate": c.serial, "revocation_date": _time(last)} for c in revoked]
    tbs_fields: dict[str, Any] = {
        "version": "v2",
        "signature": alg,
        "issuer": asn1_x509.Name.load(issuer.cert.subject_der),
        "this_update": _time(last),
        "next_update": _time(next_),
    }
    if entries:
        tbs_fields["revoked_certificates"] = entries
    tbs_der = asn1_crl.TbsCertList(tbs_fields).dump()
    return assemble_signed(tbs_der, alg, sign_tbs(issuer.key, tbs_der))


def make_large_crl(
    issuer: Issued, serials: list[int] | range, *, last: datetime, next_: datetime
) -> bytes:
    """A CRL revoking many serials (a million in seconds: the entries are encoded directly,
    where building them as asn1crypto objects takes minutes). For tests and benchmarks."""
    when = _time(last).dump()
    entries = b"".join(
        _tlv(0x30, core.Integer(serial).dump() + when) for serial in serials
    )
    alg = {"algorithm": signature_algorithm(issuer.key)}
    tbs = _tlv(
        0x30,
        core.Integer(1).dump()  # v2
        + algos.SignedDigestAlgorithm(alg).dump()
        + issuer.cert.subject_der
        + when
        + _time(next_).dump()
        + _tlv(0x30, entries),
    )
    return assemble_signed(tbs, alg, sign_tbs(issuer.key, tbs))


def _tlv(tag: int, content: bytes) -> bytes:
    return bytes([tag]) + _length(len(content)) + content
