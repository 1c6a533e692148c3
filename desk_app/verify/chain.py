"""Chain building to the pinned root, validity at IssuedAt, and the CRL check (spec section 3).

The chain is short by contract (signer <- root, or signer <- intermediate <- root), so it is
built here explicitly rather than with a general path builder: every step is visible and
checked, and nothing but the pinned root can anchor a chain.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import ExtendedKeyUsageOID

CLOCK_SKEW = timedelta(minutes=5)


class ChainError(Exception):
    """Carries the verdict's signature code (untrusted_signer, signer_not_valid_at_issue, ...)."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code


def fingerprint(cert: x509.Certificate) -> bytes:
    return cert.fingerprint(hashes.SHA256())


def _extension(cert: x509.Certificate, kind: type[x509.ExtensionType]) -> Any:
    """The extension's value, or None when the certificate does not carry it."""
    try:
        return cert.extensions.get_extension_for_class(kind).value
    except x509.ExtensionNotFound:
        return None


def subject_key_id(cert: x509.Certificate) -> bytes | None:
    ski = _extension(cert, x509.SubjectKeyIdentifier)
    return ski.digest if ski is not None else None


def _is_ca(cert: x509.Certificate) -> bool:
    """A CA that may issue certificates: BasicConstraints CA and KeyUsage keyCertSign."""
    bc = _extension(cert, x509.BasicConstraints)
    ku = _extension(cert, x509.KeyUsage)
    return bool(bc is not None and bc.ca and ku is not None and ku.key_cert_sign)


def _can_sign_documents(cert: x509.Certificate) -> bool:
    """KeyUsage digitalSignature, not a CA, and not a TLS-server-only certificate."""
    ku = _extension(cert, x509.KeyUsage)
    if ku is None or not ku.digital_signature:
        return False
    bc = _extension(cert, x509.BasicConstraints)
    if bc is not None and bc.ca:
        return False
    eku = _extension(cert, x509.ExtendedKeyUsage)
    return not (eku is not None and list(eku) == [ExtendedKeyUsageOID.SERVER_AUTH])


def issued_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        cert.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def valid_at(cert: x509.Certificate, when: datetime) -> bool:
    return cert.not_valid_before_utc <= when <= cert.not_valid_after_utc


@dataclass
class ChainBuilder:
    """Builds and caches signer chains under one pinned root."""

    root: x509.Certificate
    intermediates: list[x509.Certificate] = field(default_factory=list)
    _root_fp: bytes = field(init=False)
    _cache: dict[bytes, tuple[x509.Certificate, ...]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self._root_fp = fingerprint(self.root)
        self.intermediates = [c for c in self.intermediates if _is_ca(c) and issued_by(c, self.root)]

    def chain_for(self, signer: x509.Certificate) -> tuple[x509.Certificate, ...]:
        """(signer, [intermediate,] root), signature-checked; raises ChainError(untrusted_signer)."""
        fp = fingerprint(signer)
        cached = self._cache.get(fp)
        if cached is not None:
            return cached
        if fp == self._root_fp:
            raise ChainError("untrusted_signer", "the root itself cannot sign policies")
        if not _can_sign_documents(signer):
            raise ChainError("untrusted_signer", "signer certificate lacks KeyUsage digitalSignature")
        chain: tuple[x509.Certificate, ...] | None = None
        if signer.issuer == self.root.subject and issued_by(signer, self.root):
            chain = (signer, self.root)
        else:
            for inter in self.intermediates:
                if signer.issuer == inter.subject and issued_by(signer, inter):
                    chain = (signer, inter, self.root)
                    break
        if chain is None:
            raise ChainError("untrusted_signer", "signer does not chain to the pinned root")
        self._cache[fp] = chain
        return chain


def check_validity_at_issue(chain: tuple[x509.Certificate, ...], issued_at: datetime, now: datetime) -> None:
    """Every certificate valid at IssuedAt, and IssuedAt not later than now + skew allowance."""
    if issued_at > now + CLOCK_SKEW:
        raise ChainError("signer_not_valid_at_issue", "IssuedAt is in the future")
    for cert in chain:
        if not valid_at(cert, issued_at):
            raise ChainError("signer_not_valid_at_issue", "a certificate in the chain was not valid at IssuedAt")


@dataclass(frozen=True)
class CrlCheck:
    revoked: bool
    stale: bool  # a CRL past its nextUpdate counts, but the decision is at best warn
    missing: bool  # no CRL from an issuer in the chain


def check_revocation(
    chain: tuple[x509.Certificate, ...], crls: dict[bytes, x509.CertificateRevocationList], now: datetime
) -> CrlCheck:
    """`crls` maps an issuer's certificate fingerprint to its (already signature-checked) CRL."""
    revoked = stale = missing = False
    for cert, issuer in itertools.pairwise(chain):
        crl = crls.get(fingerprint(issuer))
        if crl is None:
            missing = True
            continue
        if crl.get_revoked_certificate_by_serial_number(cert.serial_number) is not None:
            revoked = True
        next_update = crl.next_update_utc
        if next_update is None or next_update < now:
            stale = True
    return CrlCheck(revoked=revoked, stale=stale, missing=missing)
