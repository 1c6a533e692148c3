"""Chain building to the pinned root, validity at IssuedAt, and the CRL check (spec section 3).

The chain is short by contract (signer <- root, or signer <- intermediate <- root), so it is
built here explicitly rather than with a general path builder: every step is visible and
checked, and nothing but the pinned root can anchor a chain. The certificate rules of RFC 5280
that spec section 3 names, each `untrusted_signer`:

* a certificate of the chain with a critical extension the desk does not process;
* an issuer whose pathLenConstraint is smaller than the number of CAs below it;
* a signer whose ExtendedKeyUsage allows only other purposes (`Certificate.can_sign_documents`);
* the root's public key anywhere but in the pinned root itself (a CA:false copy of the root,
  an intermediate with the root's key).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from desk_app.verify.certs import Certificate, Crl

CLOCK_SKEW = timedelta(minutes=5)


class ChainError(Exception):
    """Carries the verdict's signature code (untrusted_signer, signer_not_valid_at_issue, ...)."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code


@dataclass
class ChainBuilder:
    """Builds and caches signer chains under one pinned root."""

    root: Certificate
    intermediates: list[Certificate] = field(default_factory=list)
    _cache: dict[bytes, tuple[Certificate, ...]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.intermediates = [
            c for c in self.intermediates
            if c.is_ca and not c.public_key_matches(self.root) and c.verify_issued_by(self.root)
        ]

    def chain_for(self, signer: Certificate) -> tuple[Certificate, ...]:
        """(signer, [intermediate,] root), signature-checked; raises ChainError(untrusted_signer).

        Any algorithm on any link: each certificate is checked with its issuer's key.
        """
        fp = signer.fingerprint
        cached = self._cache.get(fp)
        if cached is not None:
            return cached
        if fp == self.root.fingerprint or signer.public_key_matches(self.root):
            raise ChainError("untrusted_signer", "the root's key cannot sign policies")
        if signer.key_usage is None or "digital_signature" not in signer.key_usage or signer.ca:
            raise ChainError("untrusted_signer", "signer certificate lacks KeyUsage digitalSignature")
        if not signer.can_sign_documents:
            raise ChainError("untrusted_signer", "signer's ExtendedKeyUsage allows only other purposes")
        chain: tuple[Certificate, ...] | None = None
        if signer.verify_issued_by(self.root):
            chain = (signer, self.root)
        else:
            for inter in self.intermediates:
                if signer.verify_issued_by(inter):
                    chain = (signer, inter, self.root)
                    break
        if chain is None:
            raise ChainError("untrusted_signer", "signer does not chain to the pinned root")
        check_certificate_rules(chain)
        self._cache[fp] = chain
        return chain


def check_certificate_rules(chain: tuple[Certificate, ...]) -> None:
    """RFC 5280 4.2 on a built chain (signer first): unknown critical extensions, pathLen."""
    for cert in chain:
        if cert.unknown_critical:
            raise ChainError(
                "untrusted_signer",
                f"certificate {cert.subject.text} has a critical extension the desk does not process: "
                + ", ".join(cert.unknown_critical),
            )
    for below, issuer in enumerate(chain[1:]):  # `below`: CA certificates between it and the signer
        if issuer.path_len is not None and issuer.path_len < below:
            raise ChainError("untrusted_signer", f"{issuer.subject.text} allows {issuer.path_len} CA(s) below it")


def check_validity_at_issue(chain: tuple[Certificate, ...], issued_at: datetime, now: datetime) -> None:
    """Every certificate valid at IssuedAt, and IssuedAt not later than now + skew allowance."""
    if issued_at > now + CLOCK_SKEW:
        raise ChainError("signer_not_valid_at_issue", "IssuedAt is in the future")
    for cert in chain:
        if not cert.valid_at(issued_at):
            raise ChainError("signer_not_valid_at_issue", "a certificate in the chain was not valid at IssuedAt")


@dataclass(frozen=True)
class CrlCheck:
    revoked: bool
    stale: bool  # a CRL past its nextUpdate counts, but the decision is at best warn
    missing: bool  # no CRL from an issuer in the chain


def check_revocation(chain: tuple[Certificate, ...], crls: dict[bytes, Crl], now: datetime) -> CrlCheck:
    """`crls` maps an issuer's certificate fingerprint to its (already signature-checked) CRL."""
    revoked = stale = missing = False
    for cert, issuer in itertools.pairwise(chain):
        crl = crls.get(issuer.fingerprint)
        if crl is None:
            missing = True
            continue
        if crl.is_revoked(cert.serial):
            revoked = True
        next_update = crl.next_update
        if next_update is None or next_update < now:
            stale = True
    return CrlCheck(revoked=revoked, stale=stale, missing=missing)
