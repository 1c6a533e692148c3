"""Certificates and CRLs read completely at load, for every algorithm the desk knows.

`cryptography` cannot read GOST keys and parses names and extensions lazily, so a hostile
certificate could fail long after it was "loaded". Here the DER is read once with asn1crypto
(with a SubjectPublicKeyInfo that accepts any algorithm), every field the trust rules use is
extracted into plain values, and anything that cannot be read raises `CertificateError` at
load. Signatures are checked by `verify_signature`, which dispatches on the algorithm OID:
RSA and ECDSA through `cryptography`, GOST R 34.10-2012 through `desk_app.verify.gost` with
the conventions of policy-qr.md section 2a (Streebog over the TBS DER, `e` little-endian,
`s || r` big-endian in the BIT STRING, the public point `X || Y` little-endian).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any, ClassVar

from asn1crypto import algos, core
from asn1crypto import crl as asn1_crl
from asn1crypto import x509 as asn1_x509
from cryptography import x509 as crypto_x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from desk_app.verify.gost import GostCurve, GostKeyError, GostPublicKey, curve_for_oid, streebog256, streebog512

# SubjectPublicKeyInfo algorithms
RSA_KEY = "1.2.840.113549.1.1.1"
EC_KEY = "1.2.840.10045.2.1"
GOST_256_KEY = "1.2.643.7.1.1.1.1"
GOST_512_KEY = "1.2.643.7.1.1.1.2"

# Signature algorithms (certificates and CRLs)
GOST_256_SIG = "1.2.643.7.1.1.3.2"
GOST_512_SIG = "1.2.643.7.1.1.3.3"
_RSA_SIGS: dict[str, type[hashes.HashAlgorithm]] = {
    "1.2.840.113549.1.1.11": hashes.SHA256,
    "1.2.840.113549.1.1.12": hashes.SHA384,
    "1.2.840.113549.1.1.13": hashes.SHA512,
}
_ECDSA_SIGS: dict[str, type[hashes.HashAlgorithm]] = {
    "1.2.840.10045.4.3.2": hashes.SHA256,
    "1.2.840.10045.4.3.3": hashes.SHA384,
    "1.2.840.10045.4.3.4": hashes.SHA512,
}
_GOST_SIGS: dict[str, tuple[int, Callable[[bytes], bytes]]] = {
    GOST_256_SIG: (256, streebog256),
    GOST_512_SIG: (512, streebog512),
}

# The parameter-set names as the OIDs call them (the curve objects are shared between aliases).
CURVE_NAMES = {
    "1.2.643.7.1.2.1.1.1": "id-tc26-gost-3410-2012-256-paramSetA",
    "1.2.643.7.1.2.1.1.2": "id-tc26-gost-3410-2012-256-paramSetB",
    "1.2.643.7.1.2.1.1.3": "id-tc26-gost-3410-2012-256-paramSetC",
    "1.2.643.7.1.2.1.1.4": "id-tc26-gost-3410-2012-256-paramSetD",
    "1.2.643.2.2.35.1": "id-GostR3410-2001-CryptoPro-A-ParamSet",
    "1.2.643.2.2.35.2": "id-GostR3410-2001-CryptoPro-B-ParamSet",
    "1.2.643.2.2.35.3": "id-GostR3410-2001-CryptoPro-C-ParamSet",
    "1.2.643.2.2.36.0": "id-GostR3410-2001-CryptoPro-XchA-ParamSet",
    "1.2.643.2.2.36.1": "id-GostR3410-2001-CryptoPro-XchB-ParamSet",
    "1.2.643.7.1.2.1.2.1": "id-tc26-gost-3410-12-512-paramSetA",
    "1.2.643.7.1.2.1.2.2": "id-tc26-gost-3410-12-512-paramSetB",
    "1.2.643.7.1.2.1.2.3": "id-tc26-gost-3410-12-512-paramSetC",
}

SERVER_AUTH = "1.3.6.1.5.5.7.3.1"
CLIENT_AUTH = "1.3.6.1.5.5.7.3.2"
CODE_SIGNING = "1.3.6.1.5.5.7.3.3"
TIME_STAMPING = "1.3.6.1.5.5.7.3.8"
OCSP_SIGNING = "1.3.6.1.5.5.7.3.9"
ANY_EKU = "2.5.29.37.0"
# A signer whose EKU names only these purposes, at least one of them other than clientAuth, was
# made for something else (TLS, code, OCSP answers, time stamps) and does not sign policies.
# clientAuth alone or beside a document purpose stays allowed (spec section 3: Russian qualified
# certificates carry clientAuth and emailProtection).
FOREIGN_PURPOSES = frozenset({SERVER_AUTH, CLIENT_AUTH, CODE_SIGNING, OCSP_SIGNING, TIME_STAMPING})
_BASIC_CONSTRAINTS, _KEY_USAGE, _EKU, _SKI = "2.5.29.19", "2.5.29.15", "2.5.29.37", "2.5.29.14"
_AKI = "2.5.29.35"
# The extensions the desk processes; any other marked critical makes the certificate untrusted
# (RFC 5280 4.2). SKI and AKI are only ever non-critical, but a critical one is understood.
PROCESSED_EXTENSIONS = frozenset({_BASIC_CONSTRAINTS, _KEY_USAGE, _EKU, _SKI, _AKI})


class CertificateError(ValueError):
    """A certificate or CRL that cannot be read completely (any defect, any algorithm)."""


# --- ASN.1 structures that accept any public-key algorithm ---------------------------------


class AnySpki(core.Sequence):
    """SubjectPublicKeyInfo without asn1crypto's per-algorithm key spec (it knows no GOST)."""

    _fields: ClassVar[list[Any]] = [("algorithm", algos.AnyAlgorithmIdentifier), ("public_key", core.BitString)]


class AnyTbsCertificate(asn1_x509.TbsCertificate):
    _fields: ClassVar[list[Any]] = [
        (name, AnySpki if name == "subject_public_key_info" else spec, *rest)
        for name, spec, *rest in asn1_x509.TbsCertificate._fields
    ]


class _Cert(asn1_x509.Certificate):
    _fields: ClassVar[list[Any]] = [
        (name, AnyTbsCertificate if name == "tbs_certificate" else spec, *rest)
        for name, spec, *rest in asn1_x509.Certificate._fields
    ]


class _GostKeyParams(core.Sequence):
    """GostR3410-2012-PublicKeyParameters (RFC 9215): the curve, optionally digest and cipher sets."""

    _fields: ClassVar[list[Any]] = [
        ("public_key_param_set", core.ObjectIdentifier),
        ("digest_param_set", core.ObjectIdentifier, {"optional": True}),
        ("encryption_param_set", core.ObjectIdentifier, {"optional": True}),
    ]


# --- public keys ----------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class PublicKey:
    """`kind` is rsa, ec, gost256 or gost512; `key` a cryptography key or a GostPublicKey."""

    kind: str
    key: Any
    bits: int
    curve_oid: str | None = None  # GOST: the parameter-set OID as the certificate names it

    @property
    def description(self) -> str:
        if self.kind == "rsa":
            return f"RSA {self.bits}"
        if self.kind == "ec":
            return f"ECDSA {self.key.curve.name}"
        name = CURVE_NAMES.get(self.curve_oid or "", self.curve_oid)
        return f"GOST R 34.10-2012 {self.bits} ({name})"

    @property
    def gost_curve(self) -> GostCurve | None:
        return self.key.curve if isinstance(self.key, GostPublicKey) else None


def _read_public_key(spki: AnySpki) -> PublicKey:
    algorithm = spki["algorithm"]["algorithm"].dotted
    if algorithm in (GOST_256_KEY, GOST_512_KEY):
        bits = 256 if algorithm == GOST_256_KEY else 512
        params = spki["algorithm"]["parameters"]
        if not isinstance(params, core.Any) or params.contents is None:
            raise CertificateError("GOST public key without parameters")
        curve_oid = _GostKeyParams.load(params.dump(), strict=True)["public_key_param_set"].dotted
        curve = curve_for_oid(curve_oid)
        if curve is None:
            raise CertificateError(f"unknown GOST curve {curve_oid}")
        if curve.bits != bits:
            raise CertificateError(f"a {curve.bits}-bit curve in a {bits}-bit GOST key")
        bit_string = spki["public_key"]
        if bit_string.unused_bits:
            raise CertificateError("GOST public key BIT STRING has unused bits")
        octets = core.OctetString.load(bytes(bit_string.contents[1:]), strict=True).native
        try:
            key = GostPublicKey.from_octets(curve, octets)
        except GostKeyError as exc:
            raise CertificateError(f"GOST public key: {exc}") from None
        return PublicKey(f"gost{bits}", key, bits, curve_oid)
    if algorithm not in (RSA_KEY, EC_KEY):
        raise CertificateError(f"unknown public key algorithm {algorithm}")
    try:
        crypto_key = serialization.load_der_public_key(spki.dump())
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise CertificateError(f"public key cannot be read: {exc}") from None
    if isinstance(crypto_key, rsa.RSAPublicKey):
        return PublicKey("rsa", crypto_key, crypto_key.key_size)
    if isinstance(crypto_key, ec.EllipticCurvePublicKey):
        return PublicKey("ec", crypto_key, crypto_key.curve.key_size)
    raise CertificateError(f"unexpected key type for {algorithm}")


def verify_signature(key: PublicKey, algorithm: str, data: bytes, signature: bytes) -> bool:
    """The signature over `data` with the certificate/CRL algorithm OID; False for any mismatch."""
    if algorithm in _GOST_SIGS:
        bits, digest = _GOST_SIGS[algorithm]
        if not isinstance(key.key, GostPublicKey) or key.bits != bits:
            return False
        return key.key.verify_digest(digest(data), signature)
    try:
        if algorithm in _RSA_SIGS and isinstance(key.key, rsa.RSAPublicKey):
            key.key.verify(signature, data, padding.PKCS1v15(), _RSA_SIGS[algorithm]())
            return True
        if algorithm in _ECDSA_SIGS and isinstance(key.key, ec.EllipticCurvePublicKey):
            key.key.verify(signature, data, ec.ECDSA(_ECDSA_SIGS[algorithm]()))
            return True
    except (InvalidSignature, ValueError):
        return False
    return False


# --- names ----------------------------------------------------------------------------------

_SHORT_NAMES = {
    "2.5.4.3": "CN",
    "2.5.4.6": "C",
    "2.5.4.7": "L",
    "2.5.4.8": "ST",
    "2.5.4.9": "STREET",
    "2.5.4.10": "O",
    "2.5.4.11": "OU",
}


def _escape(value: str) -> str:
    out = re.sub(r'([,+"\\<>;])', r"\\\1", value)
    if out.startswith(("#", " ")):
        out = "\\" + out
    if out.endswith(" "):
        out = out[:-1] + "\\ "
    return out


@dataclass(frozen=True)
class DistinguishedName:
    """`key` compares names as RFC 5280 section 7.1 says; `text` is an RFC 4514 rendering."""

    key: str
    text: str

    @classmethod
    def read(cls, name: asn1_x509.Name) -> DistinguishedName:
        parts = []
        for rdn in reversed(list(name.chosen)):
            atoms = []
            for atv in rdn:
                oid = atv["type"].dotted
                value = atv["value"].native
                text = _escape(value) if isinstance(value, str) else "#" + atv["value"].dump().hex()
                atoms.append(f"{_SHORT_NAMES.get(oid, oid)}={text}")
            parts.append("+".join(atoms))
        return cls(key=name.hashable, text=",".join(parts))


# --- certificates ---------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Certificate:
    """Everything the trust rules use, read at load; compare certificates by `fingerprint`."""

    der: bytes
    fingerprint: bytes  # SHA-256 of the DER
    serial: int
    subject: DistinguishedName
    subject_der: bytes
    issuer: DistinguishedName
    not_before: datetime
    not_after: datetime
    ca: bool  # BasicConstraints cA
    ca_constraint_present: bool
    key_usage: frozenset[str] | None  # asn1crypto names: digital_signature, key_cert_sign, ...
    extended_key_usage: tuple[str, ...] | None  # dotted OIDs
    ski: bytes | None
    public_key: PublicKey
    signature_algorithm: str  # dotted OID
    signature: bytes
    tbs: bytes
    spki: bytes = b""  # the SubjectPublicKeyInfo DER
    path_len: int | None = None  # BasicConstraints pathLenConstraint
    unknown_critical: tuple[str, ...] = ()  # critical extensions the desk does not process

    @property
    def is_ca(self) -> bool:
        """A CA that may issue certificates: BasicConstraints cA and KeyUsage keyCertSign."""
        return self.ca and self.key_usage is not None and "key_cert_sign" in self.key_usage

    @property
    def can_sign_documents(self) -> bool:
        """KeyUsage digitalSignature, not a CA, and purposes that allow signing documents."""
        if self.key_usage is None or "digital_signature" not in self.key_usage or self.ca:
            return False
        return self.purposes_allow_documents

    @property
    def purposes_allow_documents(self) -> bool:
        """No EKU, anyExtendedKeyUsage, or a purpose beyond TLS/code/OCSP/time-stamping."""
        purposes = set(self.extended_key_usage or ())
        if self.extended_key_usage is None or ANY_EKU in purposes:
            return True
        if not purposes:  # an empty EKU (RFC 5280 requires one purpose at least) allows nothing
            return False
        return not (purposes <= FOREIGN_PURPOSES and purposes - {CLIENT_AUTH})

    def valid_at(self, when: datetime) -> bool:
        return self.not_before <= when <= self.not_after

    def verify_issued_by(self, issuer: Certificate) -> bool:
        """Issuer name matches and the issuer's key verifies this certificate's signature."""
        if self.issuer.key != issuer.subject.key:
            return False
        return verify_signature(issuer.public_key, self.signature_algorithm, self.tbs, self.signature)

    def public_key_matches(self, other: Certificate) -> bool:
        """The same public key (the SubjectPublicKeyInfo compared byte for byte)."""
        return self.spki == other.spki

    def pem(self) -> bytes:
        return pem_encode(self.der)


def pem_encode(der: bytes) -> bytes:
    body = base64.b64encode(der).decode("ascii")
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return ("-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----\n").encode()


def _extensions(tbs: AnyTbsCertificate, version: int) -> dict[str, Any]:
    """Extension OID -> parsed value (native); a repeated extension is a defect (RFC 5280 4.2)."""
    found: dict[str, Any] = {}
    extensions = tbs["extensions"]
    if isinstance(extensions, core.Void) or extensions.native is None:
        return found
    if version != 2:
        raise CertificateError("extensions in a certificate that is not version 3")
    for extension in extensions:
        oid = extension["extn_id"].dotted
        if oid in found:
            raise CertificateError(f"extension {oid} appears twice")
        found[oid] = extension["extn_value"].parsed.native
    return found


def load_der_certificate(der: bytes) -> Certificate:
    """Read one DER certificate completely; raises CertificateError for any defect."""
    try:
        return _read_certificate(bytes(der))
    except CertificateError:
        raise
    except Exception as exc:  # asn1crypto raises many kinds (ValueError, TypeError, KeyError, ...) on hostile DER
        raise CertificateError(f"certificate cannot be read: {type(exc).__name__}") from None


def _read_certificate(der: bytes) -> Certificate:
    cert = _Cert.load(der, strict=True)
    tbs = cert["tbs_certificate"]
    version = tbs["version"].native
    if version not in ("v1", "v2", "v3"):
        raise CertificateError(f"invalid certificate version {version!r}")
    version_number = {"v1": 0, "v2": 1, "v3": 2}[version]
    cert.native  # noqa: B018 - parse every field now, so nothing fails later
    inner_alg = tbs["signature"]["algorithm"].dotted
    outer_alg = cert["signature_algorithm"]["algorithm"].dotted
    if inner_alg != outer_alg:
        raise CertificateError("signature algorithm differs inside and outside the TBS")
    extensions = _extensions(tbs, version_number)
    critical = _critical_extensions(tbs)
    bc = extensions.get(_BASIC_CONSTRAINTS)
    ku = extensions.get(_KEY_USAGE)
    eku = extensions.get(_EKU)
    ski = extensions.get(_SKI)
    validity = tbs["validity"]
    not_before, not_after = validity["not_before"].native, validity["not_after"].native
    if not isinstance(not_before, datetime) or not isinstance(not_after, datetime):
        raise CertificateError("validity dates out of range")
    _require_utc(not_before, not_after, what="validity")
    signature_bits = cert["signature_value"]
    return Certificate(
        der=der,
        fingerprint=hashlib.sha256(der).digest(),
        serial=int(tbs["serial_number"].native),
        subject=DistinguishedName.read(tbs["subject"]),
        subject_der=tbs["subject"].dump(),
        issuer=DistinguishedName.read(tbs["issuer"]),
        not_before=not_before,
        not_after=not_after,
        ca=bool(bc and bc.get("ca")),
        ca_constraint_present=bc is not None,
        key_usage=frozenset(ku) if ku is not None else None,
        extended_key_usage=tuple(_eku_oids(tbs)) if eku is not None else None,
        ski=bytes(ski) if ski is not None else None,
        public_key=_read_public_key(tbs["subject_public_key_info"]),
        signature_algorithm=outer_alg,
        signature=bytes(signature_bits.contents[1:]) if not signature_bits.contents[0] else b"",
        tbs=tbs.dump(),
        spki=tbs["subject_public_key_info"].dump(),
        path_len=_path_len(bc),
        unknown_critical=tuple(oid for oid in critical if oid not in PROCESSED_EXTENSIONS),
    )


def _critical_extensions(tbs: AnyTbsCertificate) -> list[str]:
    extensions = tbs["extensions"]
    if isinstance(extensions, core.Void) or extensions.native is None:
        return []
    return [e["extn_id"].dotted for e in extensions if e["critical"].native]


def _path_len(bc: Any) -> int | None:
    if not bc or not bc.get("ca"):
        return None
    value = bc.get("path_len_constraint")
    return int(value) if value is not None else None


def _require_utc(*times: datetime | None, what: str) -> None:
    """RFC 5280 4.1.2.5 / 5.1.2.4: times are UTC ("Z"). asn1crypto reads a GeneralizedTime
    without a zone as a naive local time, which cannot be compared with any moment."""
    for when in times:
        if when is not None and when.utcoffset() is None:
            raise CertificateError(f"{what} time without a time zone")


def _eku_oids(tbs: AnyTbsCertificate) -> list[str]:
    for extension in tbs["extensions"]:
        if extension["extn_id"].dotted == _EKU:
            return [purpose.dotted for purpose in extension["extn_value"].parsed]
    return []


@lru_cache(maxsize=256)
def load_cached_certificate(der: bytes) -> Certificate:
    """load_der_certificate, remembered per DER: an embedded signer certificate is read once.

    Certificates are immutable, so one parsed object (and its GOST key's tables) is shared
    by every verdict that carries the same bytes. Failures are not cached (they raise).
    """
    return load_der_certificate(der)


_PEM_BLOCK = re.compile(rb"-----BEGIN CERTIFICATE-----\r?\n(.*?)-----END CERTIFICATE-----", re.DOTALL)


def pem_certificate_ders(data: bytes, *, limit: int | None = None) -> list[bytes]:
    """The DER of every PEM certificate in `data` (text between blocks is ignored, as openssl
    does); more than `limit` blocks are refused before any is decoded."""
    if limit is not None and data.count(b"-----BEGIN CERTIFICATE-----") > limit:
        raise CertificateError(f"more than {limit} certificates")
    blocks = _PEM_BLOCK.findall(data)
    if not blocks:
        raise CertificateError("no PEM certificate found")
    out = []
    for block in blocks:
        try:
            out.append(base64.b64decode(b"".join(block.split()), validate=True))
        except (binascii.Error, ValueError):
            raise CertificateError("a PEM block is not base64") from None
    return out


def load_pem_certificates(data: bytes) -> list[Certificate]:
    """Every PEM certificate in `data`, each read completely."""
    return [load_der_certificate(der) for der in pem_certificate_ders(data)]


@dataclass(frozen=True)
class CertificateHeader:
    """What a certificate claims, read without its key or extensions: for the cheap checks of a
    download (issuer name, signature algorithm) before any costly key validation."""

    issuer_key: str
    issuer_text: str
    subject_key: str
    subject_text: str
    signature_algorithm: str
    key_algorithm: str


def peek_certificate(der: bytes) -> CertificateHeader:
    """The header of a DER certificate; raises CertificateError when even that cannot be read."""
    try:
        cert = _Cert.load(bytes(der), strict=True)
        tbs = cert["tbs_certificate"]
        subject = DistinguishedName.read(tbs["subject"])
        issuer = DistinguishedName.read(tbs["issuer"])
        return CertificateHeader(
            issuer_key=issuer.key,
            issuer_text=issuer.text,
            subject_key=subject.key,
            subject_text=subject.text,
            signature_algorithm=cert["signature_algorithm"]["algorithm"].dotted,
            key_algorithm=tbs["subject_public_key_info"]["algorithm"]["algorithm"].dotted,
        )
    except Exception as exc:  # hostile DER: see load_der_certificate
        raise CertificateError(f"certificate cannot be read: {type(exc).__name__}") from None


def signature_fits_key(algorithm: str, key_algorithm: str) -> bool:
    """Whether a certificate/CRL signature `algorithm` can be made by a key of that SPKI algorithm
    (GOST: of that size): a cheap refusal before any key is read or signature checked."""
    if algorithm in _RSA_SIGS:
        return key_algorithm == RSA_KEY
    if algorithm in _ECDSA_SIGS:
        return key_algorithm == EC_KEY
    if algorithm == GOST_256_SIG:
        return key_algorithm == GOST_256_KEY
    if algorithm == GOST_512_SIG:
        return key_algorithm == GOST_512_KEY
    return False


# --- CRLs -----------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Crl:
    """A CRL read at load; `revoked` is a set, so a lookup costs the same for a million entries."""

    der: bytes
    issuer: DistinguishedName
    this_update: datetime
    next_update: datetime | None
    revoked: frozenset[int]
    signature_algorithm: str
    signature: bytes
    tbs: bytes

    def is_revoked(self, serial: int) -> bool:
        return serial in self.revoked

    def signed_by(self, issuer: Certificate) -> bool:
        """Issued under that certificate's name and signed with its key (any algorithm)."""
        if self.issuer.key != issuer.subject.key:
            return False
        return verify_signature(issuer.public_key, self.signature_algorithm, self.tbs, self.signature)


def load_der_crl(der: bytes) -> Crl:
    """Read one DER CRL; raises CertificateError for any defect.

    The header is read with asn1crypto; the revoked serials with cryptography's parser, which
    reads a million entries in about a second where a pure-Python walk takes half a minute.
    """
    try:
        return _read_crl(bytes(der))
    except CertificateError:
        raise
    except Exception as exc:  # hostile DER: see load_der_certificate
        raise CertificateError(f"CRL cannot be read: {type(exc).__name__}") from None


def _read_crl(der: bytes) -> Crl:
    parsed = asn1_crl.CertificateList.load(der, strict=True)
    tbs = parsed["tbs_cert_list"]
    inner_alg = tbs["signature"]["algorithm"].dotted
    outer_alg = parsed["signature_algorithm"]["algorithm"].dotted
    if inner_alg != outer_alg:
        raise CertificateError("signature algorithm differs inside and outside the TBS")
    this_update, next_update = tbs["this_update"].native, tbs["next_update"].native
    if not isinstance(this_update, datetime) or not isinstance(next_update, datetime | None):
        raise CertificateError("CRL dates out of range")
    _require_utc(this_update, next_update, what="CRL update")
    signature_bits = parsed["signature"]
    crypto_crl = crypto_x509.load_der_x509_crl(der)
    revoked = frozenset(entry.serial_number for entry in crypto_crl)
    return Crl(
        der=der,
        issuer=DistinguishedName.read(tbs["issuer"]),
        this_update=this_update,
        next_update=next_update,
        revoked=revoked,
        signature_algorithm=outer_alg,
        signature=bytes(signature_bits.contents[1:]) if not signature_bits.contents[0] else b"",
        tbs=tbs.dump(),
    )
