"""GOST R 34.10-2012 signature verification (policy-qr.md section 2a conventions).

- the digest is the Streebog output bytes; e = int.from_bytes(digest, "little") mod q, 0 -> 1;
- the signature is s || r, each big-endian and bits/8 bytes;
- a public key is X || Y, each little-endian (the SPKI's OCTET STRING contents).

Verification only: the desk never holds a GOST secret key (signing lives in
desk_app/demo/gost_sign.py).
"""

from __future__ import annotations

from . import ec
from .curves import GostCurve


class GostKeyError(ValueError):
    """A GOST public key that cannot be used: wrong size, off the curve, infinity, wrong order."""


class GostPublicKey:
    """An immutable, validated GOST R 34.10-2012 public key point on ``curve``."""

    __slots__ = ("curve", "x", "y")

    curve: GostCurve
    x: int
    y: int

    def __init__(self, curve: GostCurve, x: int, y: int) -> None:
        _validate_point(curve, x, y)
        object.__setattr__(self, "curve", curve)
        object.__setattr__(self, "x", x)
        object.__setattr__(self, "y", y)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("GostPublicKey is immutable")

    def __repr__(self) -> str:
        return f"GostPublicKey({self.curve.name}, x={self.x:#x}, y={self.y:#x})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, GostPublicKey):
            return NotImplemented
        return (self.curve, self.x, self.y) == (other.curve, other.x, other.y)

    def __hash__(self) -> int:
        return hash((self.curve.name, self.x, self.y))

    @classmethod
    def from_octets(cls, curve: GostCurve, octets: bytes) -> GostPublicKey:
        """Read X || Y (each little-endian, bits/8 bytes); raises GostKeyError for a bad key."""
        size = curve.size
        if not isinstance(octets, bytes | bytearray | memoryview) or len(octets) != 2 * size:
            raise GostKeyError(f"a {curve.bits}-bit GOST public key is {2 * size} bytes")
        raw = bytes(octets)
        x = int.from_bytes(raw[:size], "little")
        y = int.from_bytes(raw[size:], "little")
        return cls(curve, x, y)

    def to_octets(self) -> bytes:
        size = self.curve.size
        return self.x.to_bytes(size, "little") + self.y.to_bytes(size, "little")

    def verify_digest(self, digest: bytes, signature: bytes) -> bool:
        """True only when ``signature`` (s || r) is valid for ``digest`` under this key."""
        curve = self.curve
        size = curve.size
        if not isinstance(digest, bytes | bytearray) or not isinstance(signature, bytes | bytearray):
            return False
        if len(digest) != size or len(signature) != 2 * size:
            return False
        q = curve.q
        s = int.from_bytes(signature[:size], "big")
        r = int.from_bytes(signature[size:], "big")
        if not (0 < r < q and 0 < s < q):
            return False
        e = int.from_bytes(digest, "little") % q or 1
        v = pow(e, -1, q)
        z1 = s * v % q
        z2 = (q - r) * v % q
        point = _shamir(curve, z1, z2, self.x, self.y)
        if point[2] == 0:
            return False
        p = curve.p
        z = point[2]
        x_affine = point[0] * pow(z * z % p, -1, p) % p
        return x_affine % q == r


def _validate_point(curve: GostCurve, x: int, y: int) -> None:
    if x == 0 and y == 0:
        raise GostKeyError("the public key is the point at infinity")
    if not ec.on_curve(curve, x, y):
        raise GostKeyError(f"the public key is not a point of {curve.name}")
    # With cofactor 1 every finite point of the curve has prime order q; otherwise check.
    if curve.cofactor != 1 and ec.multiply(curve.q, (x, y), curve)[2] != 0:
        raise GostKeyError(f"the public key is not in the order-q subgroup of {curve.name}")


def _shamir(curve: GostCurve, k1: int, k2: int, x2: int, y2: int) -> ec.Jacobian:
    """k1 * G + k2 * (x2, y2) by joint double-and-add (Shamir's trick)."""
    p, a = curve.p, curve.a
    g = (curve.x, curve.y)
    g_plus_q = ec.to_affine(ec.add_affine((curve.x, curve.y, 1), x2, y2, p, a), p)
    result = ec.INFINITY
    for i in range(max(k1.bit_length(), k2.bit_length()) - 1, -1, -1):
        result = ec.double(result, p, a)
        b1 = k1 >> i & 1
        b2 = k2 >> i & 1
        if b1 and b2:
            if g_plus_q is None:
                continue
            result = ec.add_affine(result, g_plus_q[0], g_plus_q[1], p, a)
        elif b1:
            result = ec.add_affine(result, g[0], g[1], p, a)
        elif b2:
            result = ec.add_affine(result, x2, y2, p, a)
    return result
