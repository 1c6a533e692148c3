"""The cryptographic half of a GOST R 34.10-2012 XMLDSig check (signxml knows no GOST).

Runs only after `signature._check_signature_profile` has accepted the structure (one
Signature, the last child, one Reference URI="", enveloped-signature then exc-c14n, the
paired GOST digest) and the signer has been chained to the pinned root. Conventions are
those of policy-qr.md section 2a:

- the Reference digest is Streebog over the exclusive c14n of the document with the
  Signature removed (the enveloped transform), the hash bytes exactly as output, compared in
  constant time with `DigestValue`;
- the signature is over the exclusive c14n of `SignedInfo`: `e` is the Streebog output read
  little-endian mod q, `SignatureValue` is `s || r`, each big-endian.

The signed content returned is parsed from the very canonical bytes that were hashed, so
the values shown come from what the signature covers.
"""

from __future__ import annotations

import base64
import binascii
import hmac

from lxml import etree

from desk_app.verify.gost import GostPublicKey, streebog256, streebog512
from desk_app.verify.profile import DS

EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
_CPXMLSEC = "urn:ietf:params:xml:ns:cpxmlsec:algorithms:"
GOST_256 = _CPXMLSEC + "gostr34102012-gostr34112012-256"
GOST_512 = _CPXMLSEC + "gostr34102012-gostr34112012-512"
STREEBOG_256 = _CPXMLSEC + "gostr34112012-256"
STREEBOG_512 = _CPXMLSEC + "gostr34112012-512"


class GostXmlFailure(Exception):
    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code


def _ds(name: str) -> str:
    return f"{{{DS}}}{name}"


def exc_c14n(element: etree._Element) -> bytes:
    """Exclusive c14n without comments, no InclusiveNamespaces (the profile allows none)."""
    try:
        return etree.tostring(element, method="c14n", exclusive=True, with_comments=False)
    except (etree.LxmlError, ValueError) as exc:  # e.g. a relative namespace URI
        raise GostXmlFailure("malformed", f"cannot canonicalize: {exc}") from None


def _b64(text: str | None, what: str) -> bytes:
    try:
        return base64.b64decode("".join((text or "").split()), validate=True)
    except (binascii.Error, ValueError):
        raise GostXmlFailure("malformed", f"{what} is not base64") from None


def remove_enveloped_signature(root: etree._Element, signature: etree._Element) -> None:
    """The enveloped transform: drop the Signature element but keep the text after it.

    lxml's remove() takes the element's tail with it; in the XPath data model that text
    belongs to the parent, so it is moved to the previous sibling (or the parent's text).
    """
    tail = signature.tail
    previous = signature.getprevious()
    root.remove(signature)
    if tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            root.text = (root.text or "") + tail


def verify_gost(root: etree._Element, key: GostPublicKey, parser: etree.XMLParser) -> etree._Element:
    """Check digest and signature of the profile-checked `root`; returns the signed content.

    Raises GostXmlFailure(bad_signature | malformed). `root` is consumed (its Signature removed).
    """
    signature = root[-1]
    signed_info = signature.find(_ds("SignedInfo"))
    reference = signed_info.find(_ds("Reference"))
    method = signed_info.find(_ds("SignatureMethod")).get("Algorithm")
    hash_fn = streebog256 if method == GOST_256 else streebog512
    size = key.curve.size
    digest_value = _b64(reference.find(_ds("DigestValue")).text, "DigestValue")
    signature_value = _b64(signature.find(_ds("SignatureValue")).text, "SignatureValue")
    if len(signature_value) != 2 * size:
        raise GostXmlFailure("bad_signature", f"SignatureValue is not {2 * size} bytes (s || r)")

    signed_info_bytes = exc_c14n(signed_info)
    if not key.verify_digest(hash_fn(signed_info_bytes), signature_value):
        raise GostXmlFailure("bad_signature", "SignedInfo signature does not verify")

    remove_enveloped_signature(root, signature)
    content = exc_c14n(root)
    if not hmac.compare_digest(hash_fn(content), digest_value):
        raise GostXmlFailure("bad_signature", "Reference digest does not match the document")
    try:
        return etree.fromstring(content, parser)
    except etree.XMLSyntaxError as exc:  # cannot happen for c14n output; a verdict all the same
        raise GostXmlFailure("malformed", f"signed content: {exc.msg}") from None
