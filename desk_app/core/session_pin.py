"""The administrator PIN: stored only as a salted PBKDF2-SHA256 hash in the settings.

The desk session's one seam for the role/PIN check (moved here from ui/pin.py so the Qt-free
session and the command line use the same code); when the hardening branch's
`desk_app.core.roles` lands, `DeskSession` is repointed there and this module goes.

Format: `pbkdf2_sha256$<iterations>$<salt b64>$<hash b64>`. With no hash configured, the
demo accepts the documented demo PIN; a real desk asks IT staff to set one on first use.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

ALGORITHM = "pbkdf2_sha256"
ITERATIONS = 200_000
DEMO_PIN = "1234"  # documented in docs/user-guide.ru.md; only when the demo runs with no PIN set


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
    return demo and hmac.compare_digest(pin, DEMO_PIN)
