"""Short-Weierstrass point arithmetic in Jacobian coordinates (x = X/Z^2, y = Y/Z^3).

Points are tuples (X, Y, Z); Z == 0 is the point at infinity. Affine points are (x, y)
tuples. Verification-only: nothing here needs to be constant-time (no secret enters it;
the demo signer that reuses it is test tooling).

Speed comes from fixed-base tables (``FixedBaseTable``): for a point B used again and again
(a curve's base point, a signer key the desk keeps seeing) the multiples d * 2^(w i) * B for
1 <= d <= 2^(w-1) are stored in affine form, so k * B is about bits/w mixed additions and no
doublings. Points without a table share one doubling chain (``multi_multiply``, interleaved
width-5 wNAF).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .curves import GostCurve

Jacobian = tuple[int, int, int]
Affine = tuple[int, int]

INFINITY: Jacobian = (1, 1, 0)


def on_curve(curve: GostCurve, x: int, y: int) -> bool:
    p = curve.p
    return 0 <= x < p and 0 <= y < p and (y * y - (x * x * x + curve.a * x + curve.b)) % p == 0


def double(pt: Jacobian, p: int, a: int) -> Jacobian:
    x1, y1, z1 = pt
    if z1 == 0 or y1 == 0:
        return INFINITY
    yy = y1 * y1 % p
    s = 4 * x1 * yy % p
    zz = z1 * z1 % p
    m = (3 * x1 * x1 + a * zz * zz) % p
    x3 = (m * m - 2 * s) % p
    y3 = (m * (s - x3) - 8 * yy * yy) % p
    z3 = 2 * y1 * z1 % p
    return (x3, y3, z3)


def add(p1: Jacobian, p2: Jacobian, p: int, a: int) -> Jacobian:
    x1, y1, z1 = p1
    x2, y2, z2 = p2
    if z1 == 0:
        return p2
    if z2 == 0:
        return p1
    z1z1 = z1 * z1 % p
    z2z2 = z2 * z2 % p
    u1 = x1 * z2z2 % p
    u2 = x2 * z1z1 % p
    s1 = y1 * z2 * z2z2 % p
    s2 = y2 * z1 * z1z1 % p
    h = (u2 - u1) % p
    r = (s2 - s1) % p
    if h == 0:
        if r == 0:
            return double(p1, p, a)
        return INFINITY
    hh = h * h % p
    hhh = h * hh % p
    v = u1 * hh % p
    x3 = (r * r - hhh - 2 * v) % p
    y3 = (r * (v - x3) - s1 * hhh) % p
    z3 = z1 * z2 * h % p
    return (x3, y3, z3)


def add_affine(p1: Jacobian, x2: int, y2: int, p: int, a: int) -> Jacobian:
    """p1 + (x2, y2) with the second point affine (Z = 1): the cheaper mixed addition."""
    x1, y1, z1 = p1
    if z1 == 0:
        return (x2, y2, 1)
    z1z1 = z1 * z1 % p
    u2 = x2 * z1z1 % p
    s2 = y2 * z1 * z1z1 % p
    h = (u2 - x1) % p
    r = (s2 - y1) % p
    if h == 0:
        if r == 0:
            return double(p1, p, a)
        return INFINITY
    hh = h * h % p
    hhh = h * hh % p
    v = x1 * hh % p
    x3 = (r * r - hhh - 2 * v) % p
    y3 = (r * (v - x3) - y1 * hhh) % p
    z3 = z1 * h % p
    return (x3, y3, z3)


def add_affine_points(acc: Jacobian, points: Iterable[Affine], p: int, a: int) -> Jacobian:
    """acc + sum(points), the points affine: the verification hot loop, mixed additions inlined."""
    x1, y1, z1 = acc
    for x2, y2 in points:
        if z1 == 0:
            x1, y1, z1 = x2, y2, 1
            continue
        z1z1 = z1 * z1 % p
        h = (x2 * z1z1 - x1) % p
        r = (y2 * z1 * z1z1 - y1) % p
        if h == 0:
            if r == 0:
                x1, y1, z1 = double((x1, y1, z1), p, a)
            else:
                x1, y1, z1 = INFINITY
            continue
        hh = h * h % p
        hhh = h * hh % p
        v = x1 * hh % p
        x1 = (r * r - hhh - 2 * v) % p
        y1 = (r * (v - x1) - y1 * hhh) % p
        z1 = z1 * h % p
    return (x1, y1, z1)


def to_affine(pt: Jacobian, p: int) -> Affine | None:
    x, y, z = pt
    if z == 0:
        return None
    zi = pow(z, -1, p)
    zi2 = zi * zi % p
    return (x * zi2 % p, y * zi2 * zi % p)


def batch_to_affine(points: Sequence[Jacobian], p: int) -> list[Affine]:
    """Affine forms of finite Jacobian points with one inversion (Montgomery's trick)."""
    prefix = []
    acc = 1
    for _, _, z in points:
        if z == 0:
            raise ValueError("the point at infinity has no affine form")
        prefix.append(acc)
        acc = acc * z % p
    inv = pow(acc, -1, p)
    out: list[Affine] = [(0, 0)] * len(points)
    for i in range(len(points) - 1, -1, -1):
        x, y, z = points[i]
        zi = inv * prefix[i] % p
        inv = inv * z % p
        zi2 = zi * zi % p
        out[i] = (x * zi2 % p, y * zi2 * zi % p)
    return out


def multiply(k: int, pt: Affine, curve: GostCurve) -> Jacobian:
    """k * pt by plain double-and-add (simple and obviously right; key checks and tests)."""
    p, a = curve.p, curve.a
    result = INFINITY
    x, y = pt
    for bit in bin(k)[2:] if k > 0 else "":
        result = double(result, p, a)
        if bit == "1":
            result = add_affine(result, x, y, p, a)
    return result


def wnaf_digits(k: int, width: int) -> list[int]:
    """Width-w non-adjacent form of k >= 0, least significant digit first."""
    digits = []
    full = 1 << width
    half = full >> 1
    while k:
        if k & 1:
            d = k & (full - 1)
            if d >= half:
                d -= full
            k -= d
        else:
            d = 0
        digits.append(d)
        k >>= 1
    return digits


def _odd_multiples(pt: Affine, curve: GostCurve, width: int) -> list[Affine] | None:
    """pt, 3 pt, ..., (2^(w-1) - 1) pt in affine form (one inversion); None for a tiny-order point."""
    p, a = curve.p, curve.a
    x, y = pt
    twice = double((x, y, 1), p, a)
    odd: list[Jacobian] = [(x, y, 1)]
    for _ in range((1 << (width - 2)) - 1):
        odd.append(add(odd[-1], twice, p, a))
    if twice[2] == 0 or any(z == 0 for _, _, z in odd):
        return None
    return batch_to_affine(odd, p)


def wnaf_multiply(k: int, pt: Affine, curve: GostCurve, width: int = 5) -> Jacobian:
    """k * pt for a point used once: width-5 wNAF."""
    return multi_multiply([(k, pt)], curve, width)


def multi_multiply(terms: Sequence[tuple[int, Affine]], curve: GostCurve, width: int = 5) -> Jacobian:
    """sum(k * pt) over one shared doubling chain (interleaved wNAF, Shamir's trick generalized).

    About max-bits doublings plus bits/(w+1) additions per term.
    """
    p, a = curve.p, curve.a
    plans = []
    result = INFINITY
    for k, pt in terms:
        table = _odd_multiples(pt, curve, width)
        if table is None:  # a point of order <= 2^(w-1): only in hostile input, go the plain way
            result = add(result, multiply(k, pt, curve), p, a)
            continue
        plans.append((wnaf_digits(k, width), table))
    length = max((len(digits) for digits, _ in plans), default=0)
    chain = INFINITY
    for i in range(length - 1, -1, -1):
        chain = double(chain, p, a)
        for digits, table in plans:
            if i < len(digits):
                d = digits[i]
                if d > 0:
                    tx, ty = table[d >> 1]
                    chain = add_affine(chain, tx, ty, p, a)
                elif d < 0:
                    tx, ty = table[(-d) >> 1]
                    chain = add_affine(chain, tx, p - ty, p, a)
    return add(result, chain, p, a)


class FixedBaseTable:
    """Signed-window table of a point B: k * B as about bits/w mixed additions.

    Row i holds d * 2^(w i) * B for d = 1 .. 2^(w-1) (affine). A scalar is recoded into
    signed digits in [-2^(w-1), 2^(w-1)]; a negative digit uses the row's point negated.
    """

    __slots__ = ("_half", "_mask", "_p", "_rows", "_width")

    def __init__(self, curve: GostCurve, x: int, y: int, width: int) -> None:
        p, a = curve.p, curve.a
        self._p = p
        self._width = width
        self._mask = (1 << width) - 1
        self._half = 1 << (width - 1)
        n_rows = (curve.q.bit_length() + width) // width + 1
        jacobian: list[Jacobian] = []
        base: Jacobian = (x, y, 1)
        for _ in range(n_rows):
            row_base = to_affine(base, p)
            if row_base is None:  # pragma: no cover - B has prime order q > 2^(w n_rows)
                raise ValueError("the base point has small order")
            bx, by = row_base
            current: Jacobian = (bx, by, 1)
            jacobian.append(current)
            for _ in range(self._half - 1):
                current = add_affine(current, bx, by, p, a)
                jacobian.append(current)
            base = double(current, p, a)  # 2^(w-1) * row base doubled = 2^w * row base
        flat = batch_to_affine(jacobian, p)
        self._rows = [flat[i * self._half:(i + 1) * self._half] for i in range(n_rows)]

    def points(self, k: int) -> list[Affine]:
        """The affine points whose sum is k * B (k >= 0 and below the table's range)."""
        out = []
        width, mask, half, p = self._width, self._mask, self._half, self._p
        rows = self._rows
        i = 0
        carry = 0
        while k or carry:
            d = (k & mask) + carry
            k >>= width
            if d > half:
                d -= 1 << width
                carry = 1
            else:
                carry = 0
            if d > 0:
                out.append(rows[i][d - 1])
            elif d < 0:
                x, y = rows[i][-d - 1]
                out.append((x, p - y))
            i += 1
        return out
