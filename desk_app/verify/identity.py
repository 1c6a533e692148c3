"""The doctor's passport check against the policy's signed IdentityDigest."""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import Literal

PassportCheck = Literal["match", "mismatch", "not_present"]
_PASSPORT_RE = re.compile(r"[ ]*([0-9]{2})[ ]?([0-9]{2})[ ]*[№N]?[ ]*([0-9]{6})[ ]*")


class PassportFormatError(ValueError):
    """The typed text is not a passport series and number (4 + 6 digits)."""


def passport_digits(text: str) -> str:
    m = _PASSPORT_RE.fullmatch(text)
    if not m:
        raise PassportFormatError("passport series and number must be 4 + 6 digits")
    return "".join(m.groups())


def check_passport(typed: str, digest: bytes | None, salt: bytes | None) -> PassportCheck:
    digits = passport_digits(typed)
    if digest is None or salt is None:
        return "not_present"
    candidate = hashlib.sha256(salt + digits.encode("ascii")).digest()
    return "match" if hmac.compare_digest(candidate, digest) else "mismatch"
