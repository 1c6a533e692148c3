"""GOST R 34.10-2012 signature verification (policy-qr.md section 2a conventions).

- the digest is the Streebog output bytes; e = int.from_bytes(digest, "little") mod q, 0 -> 1;
- the signature is s || r, each big-endian and bits/8 bytes;
- a public key is X || Y, each little-endian (the SPKI's OCTET STRING contents).

Verification only: the desk never holds a GOST secret key (signing lives in
desk_app/demo/gost_sign.py).

Speed: C = z1 * G + z2 * Q. A point (a curve's base point G, a public key Q) without a table
goes through one shared wNAF doubling chain; on its second use (256 bits; its ninth at 512,
see TABLE_AFTER_USES) it gets a fixed-base table (kept for the process), after which its
share of C is a few dozen mixed additions and no doublings. The desk sees the same one or
two curves and the same few signer and CA keys again and again, while a curve or key met
once (a 512-bit root checking one CRL) never pays for a table. Keys are cached by (curve,
octets), so a key read again from a certificate finds its table. ``prepare`` builds the
tables ahead (for a start-up worker).
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from . import ec
from .curves import GostCurve

BASE_WINDOW = 8  # bits per row of a curve's base-point table
KEY_WINDOW = 6  # bits per row of a public key's table
KEY_CACHE_SIZE = 64  # distinct public keys kept with their tables


class GostKeyError(ValueError):
    """A GOST public key that cannot be used: wrong size, off the curve, infinity, wrong order."""


# A point gets its table on the use after this many uses. A table costs about 10-25 wNAF
# verifications at either size (bench/gost_bench.py). A 256-bit signer key is used for every
# scan, so it gets one at once; a 512-bit root checks a few certificates and CRLs a day and
# must earn it.
TABLE_AFTER_USES = {256: 1, 512: 8}


class _PointTables:
    """The mutable precomputation behind an immutable point: a use count and, later, a table."""

    __slots__ = ("table", "uses", "width")

    def __init__(self, width: int) -> None:
        self.uses = 0
        self.width = width
        self.table: ec.FixedBaseTable | None = None

    def table_for_use(self, curve: GostCurve, x: int, y: int) -> ec.FixedBaseTable | None:
        """The table, built now if this use is the one that earns it; None: use the wNAF chain."""
        table = self.table
        if table is None:
            self.uses += 1
            if self.uses <= TABLE_AFTER_USES.get(curve.bits, 1):
                return None
            table = ec.FixedBaseTable(curve, x, y, self.width)
            self.table = table
        return table


_lock = threading.Lock()
_base_points: dict[GostCurve, _PointTables] = {}
_key_cache: OrderedDict[tuple[GostCurve, bytes], GostPublicKey] = OrderedDict()


def _base_point(curve: GostCurve) -> _PointTables:
    tables = _base_points.get(curve)
    if tables is None:
        with _lock:
            tables = _base_points.setdefault(curve, _PointTables(BASE_WINDOW))
    return tables


def prepare(curve: GostCurve) -> None:
    """Build Streebog's tables and ``curve``'s base-point table now (e.g. in a start-up worker)."""
    from .streebog import streebog256

    streebog256(b"")
    tables = _base_point(curve)
    tables.uses = max(tables.uses, TABLE_AFTER_USES.get(curve.bits, 1))
    tables.table_for_use(curve, curve.x, curve.y)


class GostPublicKey:
    """An immutable, validated GOST R 34.10-2012 public key point on ``curve``."""

    __slots__ = ("_tables", "curve", "x", "y")

    curve: GostCurve
    x: int
    y: int

    def __init__(self, curve: GostCurve, x: int, y: int) -> None:
        _validate_point(curve, x, y)
        object.__setattr__(self, "curve", curve)
        object.__setattr__(self, "x", x)
        object.__setattr__(self, "y", y)
        object.__setattr__(self, "_tables", _PointTables(KEY_WINDOW))

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
        """Read X || Y (each little-endian, bits/8 bytes); raises GostKeyError for a bad key.

        Keys are cached: the same octets on the same curve give the same object (and its tables).
        """
        size = curve.size
        if not isinstance(octets, bytes | bytearray | memoryview) or len(octets) != 2 * size:
            raise GostKeyError(f"a {curve.bits}-bit GOST public key is {2 * size} bytes")
        raw = bytes(octets)
        cache_key = (curve, raw)
        with _lock:
            key = _key_cache.get(cache_key)
            if key is not None:
                _key_cache.move_to_end(cache_key)
                return key
        key = cls(curve, int.from_bytes(raw[:size], "little"), int.from_bytes(raw[size:], "little"))
        with _lock:
            _key_cache[cache_key] = key
            while len(_key_cache) > KEY_CACHE_SIZE:
                _key_cache.popitem(last=False)
        return key

    def to_octets(self) -> bytes:
        size = self.curve.size
        return self.x.to_bytes(size, "little") + self.y.to_bytes(size, "little")

    def verify_digest(self, digest: bytes, signature: bytes) -> bool:
        """True only when ``signature`` (s || r) is valid for ``digest`` under this key."""
        curve = self.curve
        size = curve.size
        if not isinstance(digest, bytes | bytearray | memoryview) or not isinstance(
                signature, bytes | bytearray | memoryview):
            return False
        digest = bytes(digest)
        signature = bytes(signature)
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
        p, a = curve.p, curve.a
        chain: list[tuple[int, ec.Affine]] = []
        table_points: list[ec.Affine] = []
        base_table = _base_point(curve).table_for_use(curve, curve.x, curve.y)
        if base_table is None:
            chain.append((z1, (curve.x, curve.y)))
        else:
            table_points += base_table.points(z1)
        key_table = self._tables.table_for_use(curve, self.x, self.y)
        if key_table is None:
            chain.append((z2, (self.x, self.y)))
        else:
            table_points += key_table.points(z2)
        point = ec.multi_multiply(chain, curve) if chain else ec.INFINITY
        x, _, z = ec.add_affine_points(point, table_points, p, a)
        if z == 0:
            return False
        # x(C) mod q == r without an inversion: X == x * Z^2 for some x = r + j q below p
        # (j < 1 + p/q: up to 4 candidates on the cofactor-4 curves).
        zz = z * z % p
        candidate = r
        while candidate < p:
            if x == candidate * zz % p:
                return True
            candidate += q
        return False


def _validate_point(curve: GostCurve, x: int, y: int) -> None:
    if x == 0 and y == 0:
        raise GostKeyError("the public key is the point at infinity")
    if not ec.on_curve(curve, x, y):
        raise GostKeyError(f"the public key is not a point of {curve.name}")
    # With cofactor 1 every finite point of the curve has prime order q; otherwise check.
    if curve.cofactor != 1 and ec.wnaf_multiply(curve.q, (x, y), curve)[2] != 0:
        raise GostKeyError(f"the public key is not in the order-q subgroup of {curve.name}")


def base_multiply(curve: GostCurve, k: int) -> ec.Affine | None:
    """k * G (affine; None for infinity), through the curve's table once it has one: for the demo signer."""
    table = _base_point(curve).table_for_use(curve, curve.x, curve.y)
    if table is None:
        return ec.to_affine(ec.wnaf_multiply(k % curve.q, (curve.x, curve.y), curve), curve.p)
    return ec.to_affine(ec.add_affine_points(ec.INFINITY, table.points(k % curve.q), curve.p, curve.a), curve.p)
