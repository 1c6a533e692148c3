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
- `hash_pin`, `verify_pin`, `pin_is_acceptable`, `pin_hash_problem`: a PIN of at least 6
  digits, stored only as a salted scrypt hash with its cost,
  `scrypt$<log2 N>$<r>$<p>$<salt b64>$<hash b64>`, in `ui.admin_pin_hash` of the machine-wide
  file (desk_app.config: never the user's file). One guess costs >= 0.25 s (N = 2^17, r = 8:
  bench/pin_kdf_bench.py). Older or cheaper hashes (the PBKDF2 ones of earlier versions) are
  refused with a message telling IT to set a new PIN (`desk-app admin set-pin`).
- `PinThrottle`: the growing wait after wrong PINs (the window's dialogs, through the session).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import time
from collections.abc import Callable
from typing import Literal

from desk_app import paths
from desk_app.config import Settings
from desk_app.visits.model import CANCEL_ROLES, DEFAULT_ROLE, OVERRIDE_ROLES, ROLES

__all__ = [
    "CANCEL_ROLES", "DEFAULT_ROLE", "DEMO_PIN", "OVERRIDE_ROLES", "ROLES", "PinRefused", "PinThrottle",
    "authorize", "check_admin_pin", "hash_pin", "needs_pin", "pin_hash_problem", "pin_is_acceptable",
    "pin_problem", "verify_pin",
]  # fmt: skip

ALGORITHM = "scrypt"
LOG2_N, BLOCK_SIZE, PARALLELISM = 17, 8, 1  # 128 MiB and >= 0.25 s a guess on a desk PC
MIN_COST = (1 << LOG2_N) * BLOCK_SIZE * PARALLELISM  # N * r * p below this is refused as outdated
MAX_LOG2_N, MAX_BLOCK_SIZE, MAX_PARALLELISM = 20, 16, 4  # a stored cost cannot make a check take minutes
MIN_PIN_DIGITS, MAX_PIN_DIGITS = 6, 12
DEMO_PIN = "1234"  # documented in docs/user-guide.ru.md; only when the demo runs with no PIN set
PinProblem = Literal["missing", "wrong", "not_set", "outdated"]
HashProblem = Literal["not_set", "outdated"]
SET_PIN_HINT = "IT sets it as root/administrator with `desk-app admin set-pin`"


class PinRefused(Exception):
    """The administrator PIN was not given, is wrong, or no usable PIN is set on this desk."""

    def __init__(self, problem: PinProblem, message: str) -> None:
        super().__init__(message)
        self.problem = problem
        self.message = message


def _scrypt(pin: str, salt: bytes, log2n: int, r: int, p: int) -> bytes:
    n = 1 << log2n
    return hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=129 * n * r * p + (1 << 20), dklen=32)


def hash_pin(pin: str, *, log2n: int | None = None, r: int | None = None, salt: bytes | None = None) -> str:
    """The stored form of `pin` (`scrypt$...`); the cost travels with the hash."""
    log2n = LOG2_N if log2n is None else log2n
    r = BLOCK_SIZE if r is None else r
    p = PARALLELISM
    salt = salt if salt is not None else os.urandom(16)
    b64 = base64.b64encode
    digest = _scrypt(pin, salt, log2n, r, p)
    return f"{ALGORITHM}${log2n}${r}${p}${b64(salt).decode()}${b64(digest).decode()}"


def _parse(stored: str) -> tuple[int, int, int, bytes, bytes] | None:
    try:
        algorithm, log2n_text, r_text, p_text, salt_b64, digest_b64 = stored.split("$")
        log2n, r, p = int(log2n_text), int(r_text), int(p_text)
        salt = base64.b64decode(salt_b64, validate=True)
        expected = base64.b64decode(digest_b64, validate=True)
    except ValueError:
        return None
    in_range = 1 <= log2n <= MAX_LOG2_N and 1 <= r <= MAX_BLOCK_SIZE and 1 <= p <= MAX_PARALLELISM
    if algorithm != ALGORITHM or not in_range:
        return None
    if len(salt) < 16 or len(expected) != 32:
        return None
    return log2n, r, p, salt, expected


def pin_hash_problem(stored: str) -> HashProblem | None:
    """None when `stored` is a usable PIN hash; "not_set" when empty; "outdated" when it is of an
    older kind (PBKDF2), malformed, or cheaper than MIN_COST: IT must set a new PIN."""
    if not stored:
        return "not_set"
    parsed = _parse(stored)
    if parsed is None:
        return "outdated"
    log2n, r, p, _salt, _expected = parsed
    return "outdated" if (1 << log2n) * r * p < MIN_COST else None


def verify_pin(pin: str, stored: str) -> bool:
    """True when `pin` matches `stored`; an outdated, cheap or malformed stored value never matches."""
    parsed = _parse(stored)
    if parsed is None or pin_hash_problem(stored) is not None:
        return False
    log2n, r, p, salt, expected = parsed
    return hmac.compare_digest(_scrypt(pin, salt, log2n, r, p), expected)


def pin_is_acceptable(pin: str) -> bool:
    """A new PIN: 6 to 12 digits."""
    return pin.isascii() and pin.isdigit() and MIN_PIN_DIGITS <= len(pin) <= MAX_PIN_DIGITS


def check_admin_pin(pin: str, stored_hash: str, *, demo: bool) -> bool:
    if stored_hash:
        return verify_pin(pin, stored_hash)
    return demo and hmac.compare_digest(pin.encode("utf-8"), DEMO_PIN.encode("utf-8"))


class PinThrottle:
    """The wait after wrong PINs: none for the first FREE_TRIES, then 2, 4, 8 ... seconds, at most
    MAX_WAIT, until a right PIN. `clock` is monotonic seconds (injectable for tests)."""

    FREE_TRIES = 2
    MAX_WAIT = 300.0

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self.failures = 0
        self._until = 0.0

    def wait_seconds(self) -> float:
        """How long until the next PIN may be tried (0 when it may be now)."""
        return max(0.0, self._until - self._clock())

    def record(self, ok: bool) -> None:
        if ok:
            self.failures, self._until = 0, 0.0
            return
        self.failures += 1
        extra = self.failures - self.FREE_TRIES
        if extra > 0:
            self._until = self._clock() + min(self.MAX_WAIT, float(2**min(extra, 16)))


def pin_problem(settings: Settings) -> HashProblem | None:
    """Why nobody may act above a registrar at this desk yet, or None. "not_set": no administrator
    PIN and not the demo (the CLI refuses; the window asks to choose one first); "outdated": IT must
    set a new one. The one place this is decided, for the CLI and the window alike."""
    problem = pin_hash_problem(settings.admin_pin_hash)
    return None if problem == "not_set" and settings.demo else problem


def needs_pin(role: str) -> bool:
    """Acting as anyone above a registrar needs the administrator PIN."""
    return role in OVERRIDE_ROLES | CANCEL_ROLES


def authorize(role: str, pin: str | None, settings: Settings) -> None:
    """Raise PinRefused unless `role` may act here with `pin` (a registrar needs none)."""
    if not needs_pin(role):
        return
    problem = pin_problem(settings)
    if problem == "not_set":
        raise PinRefused(
            "not_set",
            f"the {role} role needs the administrator PIN, and none is set on this desk "
            f"(ui.admin_pin_hash in the machine-wide file {paths.machine_config_file()}; {SET_PIN_HINT})",
        )
    if problem == "outdated":
        raise PinRefused(
            "outdated",
            f"the administrator PIN set on this desk is of an older, weaker kind and is no longer accepted: "
            f"IT must set a new one in {paths.machine_config_file()} ({SET_PIN_HINT})",
        )
    if not pin:
        raise PinRefused("missing", f"the {role} role needs the administrator PIN")
    if not check_admin_pin(pin, settings.admin_pin_hash, demo=settings.demo):
        raise PinRefused("wrong", "the administrator PIN is wrong")
