"""Roles and the administrator PIN: the one check the window, the CLI and the desk session use.

API (small on purpose):
- `ROLES`, `OVERRIDE_ROLES`, `CANCEL_ROLES`: who exists, who may record a duplicate anyway
  (with a written reason), who may cancel a visit (the ledger's rules, desk_app.visits.model).
- `needs_pin(role)`: True for a role above `registrar` (`senior`, `admin`). Acting in such a
  role (an override, a cancellation) needs the administrator PIN, on every route.
- `authorize(role, pin, settings)`: None when `role` may act with `pin`; raises `PinRefused`
  (`.problem` is "missing", "wrong" or "not_set", `.message` English) otherwise. A registrar
  needs no PIN. With no PIN hash configured, only the demo accepts `DEMO_PIN`.
- `check_admin_pin(pin, stored_hash, demo=...)`: the bare PIN check (the window's dialogs).
- `hash_pin`, `verify_pin`, `pin_is_acceptable`: setting a PIN (stored only as a salted
  PBKDF2-SHA256 hash, `pbkdf2_sha256$<iterations>$<salt b64>$<hash b64>`, in `ui.admin_pin_hash`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from typing import Literal

from desk_app.config import Settings
from desk_app.visits.model import CANCEL_ROLES, DEFAULT_ROLE, OVERRIDE_ROLES, ROLES

__all__ = [
    "CANCEL_ROLES", "DEFAULT_ROLE", "DEMO_PIN", "OVERRIDE_ROLES", "ROLES", "PinRefused", "authorize",
    "check_admin_pin", "hash_pin", "needs_pin", "pin_is_acceptable", "pin_not_set", "unlocked_role", "verify_pin",
]  # fmt: skip

ALGORITHM = "pbkdf2_sha256"
ITERATIONS = 200_000
DEMO_PIN = "1234"  # documented in docs/user-guide.ru.md; only when the demo runs with no PIN set
PinProblem = Literal["missing", "wrong", "not_set"]


class PinRefused(Exception):
    """The administrator PIN was not given, is wrong, or no PIN is set on this desk."""

    def __init__(self, problem: PinProblem, message: str) -> None:
        super().__init__(message)
        self.problem = problem
        self.message = message


def hash_pin(pin: str, *, iterations: int = ITERATIONS, salt: bytes | None = None) -> str:
    salt = salt if salt is not None else os.urandom(16)
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode("utf-8"), salt, iterations)
    b64 = base64.b64encode
    return f"{ALGORITHM}${iterations}${b64(salt).decode()}${b64(digest).decode()}"


def verify_pin(pin: str, stored: str) -> bool:
    """True when `pin` matches `stored`; a malformed stored value never matches."""
    try:
        algorithm, iterations_text, salt_b64, digest_b64 = stored.split("$")
        iterations = int(iterations_text)
        salt = base64.b64decode(salt_b64, validate=True)
        expected = base64.b64decode(digest_b64, validate=True)
    except ValueError:
        return False
    if algorithm != ALGORITHM or not 1000 <= iterations <= 10_000_000:
        return False
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode("utf-8"), salt, iterations)
    return hmac.compare_digest(digest, expected)


def pin_is_acceptable(pin: str) -> bool:
    """A new PIN: 4 to 12 digits."""
    return pin.isascii() and pin.isdigit() and 4 <= len(pin) <= 12


def check_admin_pin(pin: str, stored_hash: str, *, demo: bool) -> bool:
    if stored_hash:
        return verify_pin(pin, stored_hash)
    return demo and hmac.compare_digest(pin.encode("utf-8"), DEMO_PIN.encode("utf-8"))


def pin_not_set(settings: Settings) -> bool:
    """No administrator PIN on this desk and not the demo: nobody may act above a registrar (the
    CLI refuses; the window asks to choose one first). The one place this is decided."""
    return not settings.admin_pin_hash and not settings.demo


def unlocked_role(pin: str, settings: Settings) -> str | None:
    """The role a PIN typed at the desk unlocks, or None: the administrator PIN unlocks `admin`
    (one PIN per desk today; a per-role PIN would answer `senior` here)."""
    return "admin" if check_admin_pin(pin, settings.admin_pin_hash, demo=settings.demo) else None


def needs_pin(role: str) -> bool:
    """Acting as anyone above a registrar needs the administrator PIN."""
    return role in OVERRIDE_ROLES | CANCEL_ROLES


def authorize(role: str, pin: str | None, settings: Settings) -> None:
    """Raise PinRefused unless `role` may act here with `pin` (a registrar needs none)."""
    if not needs_pin(role):
        return
    if pin_not_set(settings):
        raise PinRefused(
            "not_set",
            f"the {role} role needs the administrator PIN, and none is set on this desk "
            "(ui.admin_pin_hash; set it in the window's settings)",
        )
    if not pin:
        raise PinRefused("missing", f"the {role} role needs the administrator PIN")
    if not check_admin_pin(pin, settings.admin_pin_hash, demo=settings.demo):
        raise PinRefused("wrong", "the administrator PIN is wrong")
