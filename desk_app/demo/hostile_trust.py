"""Hostile trust files for tests and benchmarks (TEST tooling, never used by the desk itself).

`foreign_certificate_bomb` is issue 19's CPU bomb: a `signers.pem` of many parseable foreign
certificates, each with its own GOST 512-bit paramSetC key (cofactor 4, so every key costs
a full subgroup check when read) and a signature that nothing verifies. The issuer name may be
the pinned root's own (the name is public), so only a key or signature check can refuse it.
"""

from __future__ import annotations

import secrets

from asn1crypto import x509 as asn1_x509

from desk_app.demo.pki import GostKey, _time, assemble_signed, spki_der, test_name
from desk_app.verify.certs import GOST_512_SIG, AnySpki, AnyTbsCertificate, pem_encode
from desk_app.verify.gost import curve_for_oid

PARAMSET_C_512 = "1.2.643.7.1.2.1.2.3"


def foreign_certificate_bomb(issuer_subject_der: bytes, count: int, *, curve_oid: str = PARAMSET_C_512) -> bytes:
    """`count` PEM certificates named as issued by `issuer_subject_der`, each with a fresh key."""
    from datetime import UTC, datetime, timedelta

    curve = curve_for_oid(curve_oid)
    assert curve is not None
    now = datetime.now(UTC).replace(microsecond=0)
    alg = {"algorithm": GOST_512_SIG}
    out = []
    for n in range(count):
        key = GostKey(curve_oid, secrets.randbelow(curve.q - 1) + 1)
        tbs = AnyTbsCertificate(
            {
                "version": "v3",
                "serial_number": secrets.randbits(127) | 1 << 126,
                "signature": alg,
                "issuer": asn1_x509.Name.load(issuer_subject_der),
                "validity": {
                    "not_before": _time(now - timedelta(days=1)),
                    "not_after": _time(now + timedelta(days=365)),
                },
                "subject": test_name(f"foreign {n}"),
                "subject_public_key_info": AnySpki.load(spki_der(key)),
            }
        )
        out.append(pem_encode(assemble_signed(tbs.dump(), alg, secrets.token_bytes(128))))
    return b"".join(out)
