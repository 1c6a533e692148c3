"""GOST R 34.10-2012 signing for the demo/test issuer only (never used by the desk's checks).

Conventions as in policy-qr.md section 2a: the digest is Streebog output bytes read
little-endian for e; the signature is s || r, each big-endian; the public key is X || Y,
each little-endian.
"""

from __future__ import annotations

import secrets

from desk_app.verify.gost.curves import GostCurve
from desk_app.verify.gost.gost3410 import base_multiply


def generate_private_key(curve: GostCurve) -> int:
    """A random private key d in [1, q-1]."""
    return 1 + secrets.randbelow(curve.q - 1)


def public_key_octets(curve: GostCurve, d: int) -> bytes:
    """X || Y (little-endian) of d * G."""
    if not 0 < d < curve.q:
        raise ValueError("the private key must be in [1, q-1]")
    point = base_multiply(curve, d)
    if point is None:  # pragma: no cover - impossible for 0 < d < q
        raise ValueError("the private key gives the point at infinity")
    size = curve.size
    return point[0].to_bytes(size, "little") + point[1].to_bytes(size, "little")


def sign_digest(curve: GostCurve, d: int, digest: bytes, *, k: int | None = None) -> bytes:
    """s || r over a Streebog digest; ``k`` fixes the nonce (the standard's examples)."""
    size = curve.size
    if len(digest) != size:
        raise ValueError(f"a {curve.bits}-bit GOST signature needs a {size}-byte digest")
    if not 0 < d < curve.q:
        raise ValueError("the private key must be in [1, q-1]")
    q = curve.q
    e = int.from_bytes(digest, "little") % q or 1
    while True:
        nonce = k if k is not None else 1 + secrets.randbelow(q - 1)
        if not 0 < nonce < q:
            raise ValueError("k must be in [1, q-1]")
        point = base_multiply(curve, nonce)
        assert point is not None
        r = point[0] % q
        s = (r * d + nonce * e) % q
        if r and s:
            return s.to_bytes(size, "big") + r.to_bytes(size, "big")
        if k is not None:
            raise ValueError("this k gives r = 0 or s = 0; choose another")
