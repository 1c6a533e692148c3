"""Checking a downloaded `signers.pem` against the pinned root at a bounded cost.

A trust server decides what the desk parses, so the order of the checks is the defence (issue
19: 4,858 foreign certificates with costly GOST keys took 40 s of CPU per attempt):

1. size and count caps, before anything is decoded;
2. every certificate's header only (issuer name, signature algorithm, key algorithm): an issuer
   that is neither the pinned root nor a CA of the set, or an algorithm its issuer's key cannot
   make, refuses the set before any key is read;
3. then each certificate completely (its key validated) and its signature checked with its
   issuer's key, certificates under the root first: the first one that does not chain refuses
   the whole set, and nothing after it is read;
4. the update's deadline is looked at before each certificate, so the CPU spent stays within it.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from desk_app.verify.certs import (
    Certificate,
    CertificateError,
    CertificateHeader,
    load_der_certificate,
    peek_certificate,
    pem_certificate_ders,
    signature_fits_key,
)

MAX_SIGNERS_BYTES = 1024 * 1024  # the Treasury's list is tens of certificates (~1-2 KB each)
MAX_SIGNER_CERTIFICATES = 500


class SignersRefused(Exception):
    """The set is refused; the message names the first certificate at fault."""


def check_signers(
    root: Certificate,
    data: bytes,
    *,
    deadline: float | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> list[Certificate]:
    """Every certificate of `data` (in file order), each issued under `root`; raises SignersRefused."""
    if len(data) > MAX_SIGNERS_BYTES:
        raise SignersRefused(f"signers.pem is larger than {MAX_SIGNERS_BYTES} bytes")
    try:
        ders = pem_certificate_ders(data, limit=MAX_SIGNER_CERTIFICATES)
        headers = [_peek(n, der) for n, der in enumerate(ders, 1)]
    except CertificateError as exc:
        raise SignersRefused(f"signers.pem is not a list of PEM certificates the desk can read: {exc}") from None
    root_header = peek_certificate(root.der)
    root_name = root.subject.key
    ca_names = {h.subject_key: h for h, der in zip(headers, ders, strict=True)
                if h.issuer_key == root_name and der != root.der}
    order: list[int] = []
    for n, (header, der) in enumerate(zip(headers, ders, strict=True), 1):
        if der == root.der:
            continue
        if header.issuer_key == root_name:
            issuer = root_header
        elif header.issuer_key in ca_names:
            issuer = ca_names[header.issuer_key]
        else:
            raise SignersRefused(
                f"signers.pem certificate {n} ({header.subject_text}): its issuer {header.issuer_text} is neither "
                "the pinned root nor an intermediate of this set (not issued under the pinned root)"
            )
        if not signature_fits_key(header.signature_algorithm, issuer.key_algorithm):
            raise SignersRefused(
                f"signers.pem certificate {n} ({header.subject_text}): signature algorithm "
                f"{header.signature_algorithm} cannot be made by its issuer's key (not issued under the pinned root)"
            )
        order.append(n - 1)
    # Certificates under the root first, so each intermediate is trusted before what it issued.
    order.sort(key=lambda i: headers[i].issuer_key != root_name)
    certs: dict[int, Certificate] = {}
    intermediates: list[Certificate] = []
    for i in order:
        if deadline is not None and clock() > deadline:
            raise SignersRefused("checking signers.pem ran past the update's deadline")
        cert = _load(i + 1, ders[i])
        if not _issued_under(cert, root, intermediates):
            raise SignersRefused(
                f"signers.pem certificate {i + 1} ({cert.subject.text}) is not issued under the pinned root"
            )
        if cert.public_key_matches(root):
            raise SignersRefused(
                f"signers.pem certificate {i + 1} ({cert.subject.text}) carries the pinned root's key "
                "(not issued under the pinned root: only the root itself may)"
            )
        # _issued_under has just verified its signature: named by the root means signed by the root.
        if cert.is_ca and cert.issuer.key == root.subject.key:
            intermediates.append(cert)
        certs[i] = cert
    return [certs[i] if i in certs else root for i in range(len(ders))]


def _peek(n: int, der: bytes) -> CertificateHeader:
    try:
        return peek_certificate(der)
    except CertificateError as exc:
        raise CertificateError(f"certificate {n}: {exc}") from None


def _load(n: int, der: bytes) -> Certificate:
    try:
        return load_der_certificate(der)
    except CertificateError as exc:
        raise SignersRefused(f"signers.pem is not a list of PEM certificates the desk can read: "
                             f"certificate {n}: {exc}") from None


def _issued_under(cert: Certificate, root: Certificate, intermediates: list[Certificate]) -> bool:
    if cert.issuer.key == root.subject.key:
        return cert.verify_issued_by(root)
    return any(cert.verify_issued_by(i) for i in intermediates if i.subject.key == cert.issuer.key)

