"""Strict readers for the policy's `xs:date` and `xs:dateTime` values.

Python's own `fromisoformat` is wider than the contract (basic formats, `,` fractions, offsets
up to 23:59 with seconds) and says nothing about arithmetic: a moment of 9999-12-31T23:59:59-03:00
parses, then overflows when it is turned into UTC, moved by the 5-minute skew allowance or shown
in a clinic's time zone. These readers accept only the profile's forms, ASCII digits only, an
offset within xs:dateTime's -14:00..+14:00, and a moment whose UTC instant lies far enough
inside Python's calendar that every later conversion stays representable.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone

_DATE_RE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", re.ASCII)
_DATETIME_RE = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,9}))?"
    r"(?:(Z)|([+-])([0-9]{2}):([0-9]{2}))",
    re.ASCII,
)
MAX_OFFSET = timedelta(hours=14)  # xs:dateTime's limit
# Room on both sides for any conversion the desk makes: any UTC offset (Python's are under a
# day: the clinic's time zone, the window's local time) and comparisons with certificate times.
MARGIN = timedelta(days=1)
EARLIEST_MOMENT = datetime.min.replace(tzinfo=UTC) + MARGIN
LATEST_MOMENT = datetime.max.replace(tzinfo=UTC) - MARGIN


class XsValueError(ValueError):
    """The text is not a value of the profile's date or date-time form (English, one line)."""


def parse_xs_date(text: str) -> date:
    """`YYYY-MM-DD`, a real calendar date, years 0001-9999."""
    m = _DATE_RE.fullmatch(text)
    if not m:
        raise XsValueError("is not a YYYY-MM-DD date")
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise XsValueError("is not a real date") from None


def parse_xs_datetime(text: str) -> datetime:
    """`YYYY-MM-DDThh:mm:ss[.f{1,9}](Z|±hh:mm)`, offset within ±14:00, moment within the safe range.

    Fractional digits past the sixth are dropped (datetime keeps microseconds).
    """
    m = _DATETIME_RE.fullmatch(text)
    if not m:
        raise XsValueError("must be an xs:dateTime with an offset (YYYY-MM-DDThh:mm:ss±hh:mm)")
    year, month, day, hour, minute, second = (int(m[i]) for i in range(1, 7))
    micro = int((m[7] or "0")[:6].ljust(6, "0"))
    if m[8]:
        offset = timedelta(0)
    else:
        off_h, off_m = int(m[10]), int(m[11])
        if off_m > 59:
            raise XsValueError("has an offset with more than 59 minutes")
        offset = timedelta(hours=off_h, minutes=off_m) * (-1 if m[9] == "-" else 1)
        if abs(offset) > MAX_OFFSET:
            raise XsValueError("has an offset beyond ±14:00")
    try:
        local = datetime(year, month, day, hour, minute, second, micro)
    except ValueError:
        raise XsValueError("is not a real date-time") from None
    # The UTC instant, computed without leaving the calendar: compare local time to the bounds
    # shifted by the offset rather than subtracting the offset from an extreme local time.
    earliest = EARLIEST_MOMENT.replace(tzinfo=None) + offset
    latest = LATEST_MOMENT.replace(tzinfo=None) + offset
    if not earliest <= local <= latest:
        raise XsValueError(f"lies outside {EARLIEST_MOMENT.date()}..{LATEST_MOMENT.date()} (UTC)")
    return local.replace(tzinfo=timezone(offset))
