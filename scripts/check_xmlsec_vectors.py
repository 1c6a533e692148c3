"""Check the desk's GOST code against xmlsec's public GOST-2012 XMLDSig vectors.

Usage: python scripts/check_xmlsec_vectors.py DIR

DIR is a checkout of xmlsec (github.com/lsh123/xmlsec); nothing of it is copied into this
repository. Read: tests/aleksey-xmldsig-01/enveloped-gost2012-256.xml and -512.xml (made with
OpenSSL's GOST engine) and the signer certificates tests/keys/gost/gost-2012-{256,512}-cert.der.

The vectors are outside the desk's profile (no chain to our root, inclusive c14n, an XPath
transform), so the cryptography is checked directly with the desk's own pieces:
- the public key: read from the signer certificate by desk_app.verify.certs (SPKI, curve OID,
  X || Y little-endian), and compared with the certificate embedded in the vector;
- the Reference digest: Streebog (desk_app.verify.gost) over the c14n of the document with the
  Signature removed (enveloped-signature; the vector's XPath transform
  not(ancestor-or-self::dsig:Signature) selects the same nodes), equal to DigestValue;
- the signature: GostPublicKey.verify_digest over Streebog of the canonical SignedInfo, s || r.
Also checks that a flipped bit, r || s and a byte-reversed digest do NOT verify.
Exit status 0 when every check holds.
"""

from __future__ import annotations

import base64
import copy
import sys
from pathlib import Path

from lxml import etree

from desk_app.verify.certs import load_der_certificate
from desk_app.verify.gost import streebog256, streebog512
from desk_app.verify.gost_xmldsig import remove_enveloped_signature

DS = "http://www.w3.org/2000/09/xmldsig#"
C14N_10 = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
XPATH = "http://www.w3.org/TR/1999/REC-xpath-19991116"
EXCLUDE_SIGNATURE = "not(ancestor-or-self::dsig:Signature)"


def canonical(element: etree._Element, algorithm: str) -> bytes:
    """c14n of `element` as its own tree (a deep copy without its tail, see docs/verification.md)."""
    if algorithm not in (C14N_10, EXC_C14N):
        raise ValueError(f"unsupported c14n {algorithm}")
    own = copy.deepcopy(element)
    own.tail = None
    return etree.tostring(own, method="c14n", exclusive=algorithm == EXC_C14N, with_comments=False)


def check_vector(path: Path, cert_der: bytes) -> list[str]:
    failures: list[str] = []
    root = etree.parse(str(path), etree.XMLParser(remove_blank_text=False, resolve_entities=False)).getroot()
    sig = root.find(f"{{{DS}}}Signature")
    signed_info = sig.find(f"{{{DS}}}SignedInfo")
    c14n_alg = signed_info.find(f"{{{DS}}}CanonicalizationMethod").get("Algorithm")
    method = signed_info.find(f"{{{DS}}}SignatureMethod").get("Algorithm")
    reference = signed_info.find(f"{{{DS}}}Reference")
    transforms = [t.get("Algorithm") for t in reference.find(f"{{{DS}}}Transforms")]
    for t in reference.find(f"{{{DS}}}Transforms"):
        if t.get("Algorithm") == XPATH and (t.findtext("{*}XPath") or "").strip() != EXCLUDE_SIGNATURE:
            failures.append(f"{path.name}: unexpected XPath transform")
    if reference.get("URI") != "" or not set(transforms) <= {ENVELOPED, XPATH, C14N_10, EXC_C14N}:
        failures.append(f"{path.name}: unexpected Reference {reference.get('URI')!r} {transforms}")
    digest_c14n = next((t for t in transforms if t in (C14N_10, EXC_C14N)), C14N_10)  # default: inclusive 1.0
    bits = 512 if method.endswith("-512") else 256
    hash_fn = streebog512 if bits == 512 else streebog256

    cert = load_der_certificate(cert_der)
    key = cert.public_key
    embedded = [base64.b64decode("".join((c.text or "").split())) for c in sig.iter(f"{{{DS}}}X509Certificate")]
    if cert_der not in embedded:
        failures.append(f"{path.name}: the key file's certificate is not among the embedded ones")
    print(f"{path.name}: {method}")
    print(f"  signer key: {key.description} (subject {cert.subject.text})")
    if key.kind != f"gost{bits}":
        failures.append(f"{path.name}: the certificate holds {key.description}, not a {bits}-bit GOST key")
        return failures

    signature_value = base64.b64decode("".join((sig.findtext(f"{{{DS}}}SignatureValue") or "").split()))
    digest_value = base64.b64decode("".join((reference.findtext(f"{{{DS}}}DigestValue") or "").split()))
    si_digest = hash_fn(canonical(signed_info, c14n_alg))
    ok_sig = key.key.verify_digest(si_digest, signature_value)
    print(f"  SignedInfo signature (s || r, e little-endian): {'verifies' if ok_sig else 'DOES NOT VERIFY'}")
    if not ok_sig:
        failures.append(f"{path.name}: SignedInfo signature")

    document = copy.deepcopy(root)
    remove_enveloped_signature(document, document.find(f"{{{DS}}}Signature"))
    computed = hash_fn(canonical(document, digest_c14n))
    ok_digest = computed == digest_value
    print(f"  Reference digest: {'matches' if ok_digest else 'DIFFERS'} ({base64.b64encode(computed).decode()})")
    if not ok_digest:
        failures.append(f"{path.name}: Reference digest")

    before = len(failures)
    half = len(signature_value) // 2
    negatives = {
        "a flipped bit": bytes([signature_value[0] ^ 1]) + signature_value[1:],
        "r || s": signature_value[half:] + signature_value[:half],
    }
    for what, bad in negatives.items():
        if key.key.verify_digest(si_digest, bad):
            failures.append(f"{path.name}: {what} verifies")
    if key.key.verify_digest(si_digest[::-1], signature_value):
        failures.append(f"{path.name}: a byte-reversed digest (big-endian e) verifies")
    refused = len(failures) == before
    print(f"  negatives (flipped bit, r || s, big-endian e): {'all refused' if refused else 'SOME VERIFY'}")
    return failures


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    checkout = Path(argv[1])
    failures: list[str] = []
    for bits in (256, 512):
        vector = checkout / "tests" / "aleksey-xmldsig-01" / f"enveloped-gost2012-{bits}.xml"
        cert = checkout / "tests" / "keys" / "gost" / f"gost-2012-{bits}-cert.der"
        if not vector.exists() or not cert.exists():
            print(f"missing {vector} or {cert}", file=sys.stderr)
            return 2
        failures += check_vector(vector, cert.read_bytes())
    for failure in failures:
        print(f"FAIL {failure}")
    print("all checks hold" if not failures else f"{len(failures)} check(s) failed")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
