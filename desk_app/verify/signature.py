"""XMLDSig verification narrowed to the profile (spec section 2), returning the signed content.

The profile is checked here first (one Signature, last child of the root, exactly the allowed
algorithm pairs, one Reference with URI=""), the signer is chosen and chained to the pinned
root by `chain.py`, and then:
- RSA and ECDSA: signxml does the cryptography, handed that one certificate with the
  profile's algorithm set; the values are read from the `signed_xml` it returns.
- GOST R 34.10-2012 (signxml knows no GOST): `gost_xmldsig.verify_gost` checks the digest
  and the SignedInfo signature with the conventions of spec section 2a, and the values are
  read from the canonical bytes it hashed.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from functools import lru_cache

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from lxml import etree
from signxml import SignatureConfiguration, XMLVerifier
from signxml.algorithms import DigestAlgorithm, SignatureMethod
from signxml.exceptions import InvalidCertificate, InvalidDigest, InvalidInput, InvalidSignature

from desk_app.verify.certs import Certificate, CertificateError, load_cached_certificate
from desk_app.verify.chain import ChainError, CrlCheck, check_revocation, check_validity_at_issue
from desk_app.verify.gost_xmldsig import (
    ENVELOPED,
    EXC_C14N,
    GOST_256,
    GOST_512,
    STREEBOG_256,
    STREEBOG_512,
    GostXmlFailure,
    verify_gost,
)
from desk_app.verify.profile import DS, PolicyDocument, read_policy
from desk_app.verify.trust_store import TrustSnapshot
from desk_app.verify.xmlparse import MalformedDocument, make_parser, parse_policy_xml

SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
ECDSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"

# The profile's SignatureMethod -> DigestMethod pairs (spec section 2); nothing else is allowed.
ALGORITHM_PAIRS = {
    GOST_256: STREEBOG_256,
    GOST_512: STREEBOG_512,
    RSA_SHA256: SHA256,
    ECDSA_SHA256: SHA256,
}

_CONFIG = SignatureConfiguration(
    require_x509=True,
    location="./",
    expect_references=1,
    signature_methods=frozenset({SignatureMethod.RSA_SHA256, SignatureMethod.ECDSA_SHA256}),
    digest_algorithms=frozenset({DigestAlgorithm.SHA256}),
)


def _ds(name: str) -> str:
    return f"{{{DS}}}{name}"


class SignatureFailure(Exception):
    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code


@dataclass(frozen=True)
class SignatureOutcome:
    """`code` is the verdict's signature field; `document` is read from signed content only."""

    code: str
    detail: str = ""
    document: PolicyDocument | None = None
    crl: CrlCheck | None = None
    signer_subject: str | None = None


@dataclass(frozen=True)
class _KeyRef:
    cert: Certificate | None
    ski: bytes | None


def _check_signature_profile(sig: etree._Element) -> tuple[str, _KeyRef]:
    """Returns the SignatureMethod URI and the key reference; raises SignatureFailure."""
    signed_info = sig.find(_ds("SignedInfo"))
    if signed_info is None or sig[0] is not signed_info:
        raise SignatureFailure("malformed", "ds:Signature must start with SignedInfo")
    si_names = [etree.QName(c).localname for c in signed_info]
    if si_names != ["CanonicalizationMethod", "SignatureMethod", "Reference"]:
        raise SignatureFailure("malformed", "SignedInfo must hold CanonicalizationMethod, SignatureMethod, Reference")
    c14n, method, reference = signed_info
    # Algorithms first, so that an HMAC or SHA-1 signature is named as such whatever else it lacks.
    method_uri = method.get("Algorithm")
    if method_uri not in ALGORITHM_PAIRS or len(method):
        raise SignatureFailure("unsupported_algorithm", f"signature method {method_uri!r} is not allowed")
    if c14n.get("Algorithm") != EXC_C14N or len(c14n):
        raise SignatureFailure("unsupported_algorithm", "canonicalization must be exclusive c14n")
    digest_method = reference.find(_ds("DigestMethod"))
    digest_uri = None if digest_method is None else digest_method.get("Algorithm")
    if digest_uri != ALGORITHM_PAIRS[method_uri]:
        raise SignatureFailure("unsupported_algorithm", f"digest {digest_uri!r} is not paired with {method_uri}")
    names = [etree.QName(c).localname if etree.QName(c).namespace == DS else "?" for c in sig]
    if names != ["SignedInfo", "SignatureValue", "KeyInfo"]:
        raise SignatureFailure("malformed", "ds:Signature must hold SignedInfo, SignatureValue, KeyInfo only")
    if reference.get("URI") != "" or set(reference.attrib) - {"URI"}:
        raise SignatureFailure("malformed", 'the Reference must have URI="" and nothing else')
    _check_ds_attributes(sig)
    ref_names = [etree.QName(c).localname for c in reference]
    if ref_names != ["Transforms", "DigestMethod", "DigestValue"]:
        raise SignatureFailure("malformed", "Reference must hold Transforms, DigestMethod, DigestValue")
    transforms = [t.get("Algorithm") for t in reference[0]]
    if any(etree.QName(t).localname != "Transform" or len(t) for t in reference[0]):
        raise SignatureFailure("malformed", "Transforms may hold only plain Transform elements")
    if transforms != [ENVELOPED, EXC_C14N]:
        raise SignatureFailure("unsupported_algorithm", "transforms must be enveloped-signature then exc-c14n")

    key_info = sig[2]
    x509_data = key_info.findall(_ds("X509Data"))
    if not x509_data:
        raise SignatureFailure("untrusted_signer", "no X509Data: a bare KeyValue is never trusted")
    if len(x509_data) != 1 or len(key_info) != 1:
        raise SignatureFailure("malformed", "KeyInfo must hold exactly one X509Data")
    items = list(x509_data[0])
    kinds = [etree.QName(i).localname for i in items]
    if kinds == ["X509Certificate"]:
        try:
            der = base64.b64decode("".join((items[0].text or "").split()), validate=True)
        except (binascii.Error, ValueError):
            raise SignatureFailure("malformed", "X509Certificate is not base64") from None
        try:
            cert = load_cached_certificate(der)
        except CertificateError as exc:
            raise SignatureFailure("malformed", f"X509Certificate: {exc}") from None
        return method_uri, _KeyRef(cert=cert, ski=None)
    if kinds == ["X509SKI"]:
        try:
            ski = base64.b64decode("".join((items[0].text or "").split()), validate=True)
        except (binascii.Error, ValueError):
            raise SignatureFailure("malformed", "X509SKI is not base64") from None
        return method_uri, _KeyRef(cert=None, ski=ski)
    raise SignatureFailure("malformed", "X509Data must hold one X509Certificate or one X509SKI")


# The one XML profile of both paths (GOST and signxml's RSA/ECDSA): these attributes on these ds
# elements and no other, so `Id`, `xml:id`, `xml:base` ... are `malformed` whichever path reads the
# document (signxml's schema allowed some Id attributes and refused others; the GOST path none).
_DS_ATTRIBUTES = {
    "CanonicalizationMethod": {"Algorithm"},
    "SignatureMethod": {"Algorithm"},
    "Transform": {"Algorithm"},
    "DigestMethod": {"Algorithm"},
    "Reference": {"URI"},
}


def _check_ds_attributes(sig: etree._Element) -> None:
    """A bare KeyValue's content is not looked into (it is never trusted, see profile.py)."""
    for el in sig.iter():
        if any(etree.QName(a).localname == "KeyValue" for a in el.iterancestors()):
            continue
        local = etree.QName(el).localname
        if local == "KeyValue":
            continue
        extra = set(el.attrib) - _DS_ATTRIBUTES.get(local, set())
        if extra:
            names = ", ".join(sorted(etree.QName(a).localname for a in extra))
            raise SignatureFailure("malformed", f"attribute(s) {names} on ds:{local}: the signature profile has none")


def _check_key_matches(method_uri: str, cert: Certificate) -> None:
    key = cert.public_key
    if method_uri == RSA_SHA256:
        if key.kind != "rsa" or key.bits < 2048:
            raise SignatureFailure("unsupported_algorithm", "RSA signatures need an RSA key of 2048 bits or more")
    elif method_uri == ECDSA_SHA256:
        if key.kind != "ec" or not isinstance(key.key.curve, ec.SECP256R1):
            raise SignatureFailure("unsupported_algorithm", "ECDSA signatures need a P-256 key")
    elif (method_uri, key.kind) not in ((GOST_256, "gost256"), (GOST_512, "gost512")):
        raise SignatureFailure(
            "unsupported_algorithm", f"{method_uri} needs a GOST key of that size, not {key.description}"
        )


@lru_cache(maxsize=64)
def _crypto_certificate(der: bytes) -> x509.Certificate:
    """signxml wants a cryptography certificate (RSA/EC signers only; cached per signer)."""
    return x509.load_der_x509_certificate(der)


def verify_policy_xml(
    xml: bytes, trust: TrustSnapshot, *, now: datetime | None = None, today: date
) -> SignatureOutcome:
    """Judge the signature of one policy document. Never raises for bad input."""
    now = now or datetime.now(UTC)
    parser = make_parser()
    try:
        root = parse_policy_xml(xml, parser)
        received = read_policy(root, today=today, expect_signature=True)
        method_uri, key_ref = _check_signature_profile(root[-1])
    except MalformedDocument as exc:
        return SignatureOutcome("malformed", str(exc))
    except SignatureFailure as exc:
        return SignatureOutcome(exc.code, str(exc))

    if key_ref.cert is not None:
        signer = key_ref.cert
    else:
        signer = trust.by_ski.get(key_ref.ski or b"")
        if signer is None:
            return SignatureOutcome("untrusted_signer", "X509SKI names no certificate in the trust cache")
    try:
        _check_key_matches(method_uri, signer)
    except SignatureFailure as exc:
        return SignatureOutcome(exc.code, str(exc))

    # Trust before cryptography: only a certificate under the pinned root is worth asking.
    subject = signer.subject.text
    try:
        chain = trust.chains.chain_for(signer)
    except ChainError as exc:
        return SignatureOutcome(exc.code, str(exc), signer_subject=subject)

    if method_uri in (GOST_256, GOST_512):
        try:
            signed_root = verify_gost(root, signer.public_key.key, parser)
        except GostXmlFailure as exc:
            return SignatureOutcome(exc.code, str(exc))
    else:
        try:
            signed_root = _verify_with_signxml(xml, signer, parser)
        except SignatureFailure as exc:
            return SignatureOutcome(exc.code, str(exc))
    if signed_root is None:
        return SignatureOutcome("malformed", "signed content is not XML")
    try:
        document = read_policy(signed_root, today=today, expect_signature=False)
    except MalformedDocument as exc:
        return SignatureOutcome("malformed", f"signed content: {exc}")
    if document != received:
        return SignatureOutcome("bad_signature", "signed content differs from the document as received")

    try:
        check_validity_at_issue(chain, document.issued_at, now)
    except ChainError as exc:
        return SignatureOutcome(exc.code, str(exc), signer_subject=subject)
    crl = check_revocation(chain, trust.crls, now)
    if crl.revoked:
        return SignatureOutcome("revoked_signer", "signer certificate is on the CRL", crl=crl)
    return SignatureOutcome("ok", document=document, crl=crl, signer_subject=subject)


def _verify_with_signxml(
    xml: bytes, signer: Certificate, parser: etree.XMLParser
) -> etree._Element | None:
    """RSA/ECDSA: signxml's verify with that one certificate; returns its signed_xml."""
    try:
        crypto_cert = _crypto_certificate(signer.der)
    except ValueError as exc:
        raise SignatureFailure("malformed", f"signer certificate: {exc}") from None
    try:
        result = XMLVerifier().verify(
            xml, x509_cert=crypto_cert, parser=parser, expect_config=_verify_config(crypto_cert)
        )
    except InvalidCertificate as exc:  # a subclass of InvalidSignature: catch it first
        raise SignatureFailure("signer_not_valid_at_issue", str(exc)) from None
    except (InvalidSignature, InvalidDigest) as exc:
        raise SignatureFailure("bad_signature", str(exc)) from None
    except InvalidInput as exc:
        raise SignatureFailure("unsupported_algorithm" if "forbidden" in str(exc) else "malformed", str(exc)) from None
    except (ValueError, TypeError, etree.LxmlError) as exc:
        raise SignatureFailure("malformed", f"{type(exc).__name__}: {exc}") from None
    return result.signed_xml


def _verify_config(signer: x509.Certificate) -> SignatureConfiguration:
    # Validity is checked at the *signed* IssuedAt by chain.py once the signature holds; an unsigned
    # IssuedAt must not decide the verdict, so signxml checks at a moment the signer was valid.
    return replace(_CONFIG, verification_time=signer.not_valid_before_utc)
