"""GOST R 34.10-2012 XMLDSig signing for the TEST issuer (signxml knows no GOST).

The profile's shape: one enveloped Signature as the root's last child, exclusive c14n,
one Reference URI="" with enveloped-signature then exc-c14n, the GOST pair of the key's
size. Conventions of policy-qr.md section 2a: DigestValue = Streebog output bytes;
SignatureValue = s || r over Streebog(exc-c14n(SignedInfo)) with e read little-endian.

The keyword options exist so that tests can make documents that break one rule each
(other URIs, the wrong byte orders); a desk never signs anything.
"""

from __future__ import annotations

import base64
import copy
from typing import Any

from lxml import etree

from desk_app.demo.gost_sign import sign_digest
from desk_app.demo.pki import GostKey, Issued, ski_for
from desk_app.verify.gost import streebog256, streebog512
from desk_app.verify.gost_xmldsig import (
    ENVELOPED,
    EXC_C14N,
    GOST_256,
    GOST_512,
    STREEBOG_256,
    STREEBOG_512,
    exc_c14n,
)
from desk_app.verify.profile import DS

# Wrong conventions a careless implementation might use (each must never verify).
CONVENTIONS = ("spec", "r||s", "e-big-endian", "digest-reversed")


def _ds(parent: etree._Element | None, name: str, text: str | None = None, **attrs: str) -> etree._Element:
    tag = f"{{{DS}}}{name}"
    el = etree.Element(tag, nsmap={"ds": DS}) if parent is None else etree.SubElement(parent, tag)
    if text is not None:
        el.text = text
    for k, v in attrs.items():
        el.set(k, v)
    return el


def sign_gost_element(
    root: etree._Element,
    issued: Issued,
    *,
    embed_cert: bool = True,
    signature_uri: str | None = None,
    digest_uri: str | None = None,
    hash_bits: int | None = None,
    convention: str = "spec",
    key_value: bool = False,
    cert_der: bytes | None = None,
    c14n_uri: str = EXC_C14N,
) -> bytes:
    """The signed document's bytes. `hash_bits` picks the Streebog size (default: the key's).

    `c14n_uri` only labels CanonicalizationMethod (the bytes are always exc-c14n): for tests
    of the refusal by URI.
    """
    key: Any = issued.key
    if not isinstance(key, GostKey):
        raise TypeError("sign_gost_element needs a GOST key")
    if convention not in CONVENTIONS:
        raise ValueError(f"unknown convention {convention!r}")
    bits = key.curve.bits
    hash_bits = hash_bits or bits
    hash_fn = streebog256 if hash_bits == 256 else streebog512
    doc = copy.deepcopy(root)
    digest = hash_fn(exc_c14n(doc))
    if convention == "digest-reversed":
        digest = digest[::-1]

    sig = _ds(None, "Signature")
    signed_info = _ds(sig, "SignedInfo")
    _ds(signed_info, "CanonicalizationMethod", Algorithm=c14n_uri)
    _ds(signed_info, "SignatureMethod", Algorithm=signature_uri or (GOST_256 if bits == 256 else GOST_512))
    reference = _ds(signed_info, "Reference", URI="")
    transforms = _ds(reference, "Transforms")
    _ds(transforms, "Transform", Algorithm=ENVELOPED)
    _ds(transforms, "Transform", Algorithm=EXC_C14N)
    _ds(reference, "DigestMethod", Algorithm=digest_uri or (STREEBOG_256 if hash_bits == 256 else STREEBOG_512))
    _ds(reference, "DigestValue", base64.b64encode(digest).decode())
    signature_value = _ds(sig, "SignatureValue")
    key_info = _ds(sig, "KeyInfo")
    if key_value:
        _ds(key_info, "KeyValue", base64.b64encode(key.public_octets()).decode())
    else:
        x509_data = _ds(key_info, "X509Data")
        if embed_cert:
            der = cert_der if cert_der is not None else issued.cert.der
            _ds(x509_data, "X509Certificate", base64.b64encode(der).decode())
        else:
            _ds(x509_data, "X509SKI", base64.b64encode(ski_for(key)).decode())
    doc.append(sig)

    si_digest = hash_fn(exc_c14n(signed_info))
    if convention == "e-big-endian":
        si_digest = si_digest[::-1]  # sign_digest reads little-endian: reversed bytes give the big-endian e
    if len(si_digest) != key.curve.size:  # a 512 key over a 256 hash (or the reverse): pad/trim like a broken CSP
        si_digest = (si_digest * 2)[: key.curve.size]
    value = sign_digest(key.curve, key.d, si_digest)
    if convention == "r||s":
        size = key.curve.size
        value = value[size:] + value[:size]
    signature_value.text = base64.b64encode(value).decode()
    return etree.tostring(doc, xml_declaration=True, encoding="UTF-8")
