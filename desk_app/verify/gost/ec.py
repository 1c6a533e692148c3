"""Short-Weierstrass point arithmetic in Jacobian coordinates (x = X/Z^2, y = Y/Z^3).

Points are tuples (X, Y, Z); Z == 0 is the point at infinity. Affine points are (x, y)
tuples. Verification-only: nothing here needs to be constant-time (no secret enters it).
"""

from __future__ import annotations

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


def negate(pt: Jacobian, p: int) -> Jacobian:
    x, y, z = pt
    return (x, (-y) % p, z)


def to_affine(pt: Jacobian, p: int) -> Affine | None:
    x, y, z = pt
    if z == 0:
        return None
    zi = pow(z, -1, p)
    zi2 = zi * zi % p
    return (x * zi2 % p, y * zi2 * zi % p)


def multiply(k: int, pt: Affine, curve: GostCurve) -> Jacobian:
    """k * pt by plain double-and-add (key checks and signing; not the verification hot path)."""
    p, a = curve.p, curve.a
    result = INFINITY
    x, y = pt
    for bit in bin(k)[2:] if k > 0 else "":
        result = double(result, p, a)
        if bit == "1":
            result = add_affine(result, x, y, p, a)
    return result
