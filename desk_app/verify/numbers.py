"""Check digits of the ENP (unified policy number) and SNILS (spec section 4)."""

from __future__ import annotations

import re

_ENP_RE = re.compile(r"[0-9]{16}", re.ASCII)
_SNILS_RE = re.compile(r"([0-9]{3})-([0-9]{3})-([0-9]{3}) ([0-9]{2})", re.ASCII)


def enp_check_digit(first15: str) -> int:
    """HL7/ISO 27931 "Mod10" over 15 digits (equals Luhn's check digit)."""
    if len(first15) != 15 or not first15.isascii() or not first15.isdigit():
        raise ValueError("need exactly 15 digits")
    from_right = first15[::-1]
    odd = "".join(from_right[0::2])[::-1]  # 1st, 3rd, ... from the right, as one number
    even = "".join(from_right[1::2])[::-1]
    doubled = str(int(odd) * 2)
    total = sum(int(d) for d in doubled + even)
    return (10 - total % 10) % 10


def enp_is_valid(enp: str) -> bool:
    if not isinstance(enp, str) or not _ENP_RE.fullmatch(enp) or not enp.isascii():
        return False
    return enp_check_digit(enp[:15]) == int(enp[15])


def snils_check_number(first9: str) -> int:
    total = sum(int(d) * w for d, w in zip(first9, range(9, 0, -1), strict=True))
    while total > 101:
        total %= 101
    return 0 if total in (100, 101) else total


def snils_is_valid(snils: str) -> bool:
    """SNILS as written on the card, `NNN-NNN-NNN NN`."""
    m = _SNILS_RE.fullmatch(snils) if isinstance(snils, str) else None
    if not m or not snils.isascii():
        return False
    first9 = "".join(m.groups()[:3])
    if int(first9) <= 1001998:  # the rule applies to numbers above 001-001-998
        return True
    return snils_check_number(first9) == int(m.group(4))


def group_enp(enp: str) -> str:
    """`7700 0000 0000 0014` for reading aloud and by eye."""
    return " ".join(enp[i : i + 4] for i in range(0, len(enp), 4))


def mask_enp(enp: str) -> str:
    """For logs: never the full number."""
    if len(enp) < 8:
        return "*" * len(enp)
    return enp[:4] + "*" * (len(enp) - 6) + enp[-2:]
