"""GOST R 34.11-2012 (Streebog) and GOST R 34.10-2012 verification, pure Python.

Conventions are those of policy-qr.md section 2a; see each module's docstring.
"""

from .curves import CURVE_OIDS, GostCurve, curve_for_oid
from .gost3410 import GostKeyError, GostPublicKey, prepare
from .streebog import streebog256, streebog512

__all__ = [
    "CURVE_OIDS",
    "GostCurve",
    "GostKeyError",
    "GostPublicKey",
    "curve_for_oid",
    "prepare",
    "streebog256",
    "streebog512",
]
