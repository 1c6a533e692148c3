"""Is this PC's clock believable? A wrong date turns valid policies into expired ones (and back).

Two independent checks:
- skew against the registry's `Date` header (the same 2-hour limit as the verdict's
  `clock_suspect`, see verify/decision.py);
- a floor: the clock can never be earlier than this build was made, than the trust list was
  downloaded (recorded by this PC), or than the Treasury issued the CRL in the cache.
"""

from __future__ import annotations

import functools
import json
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from desk_app.verify.decision import CLOCK_TOLERANCE

# The oldest date a release of this code can run at; a frozen build records its own date
# in build-info.json (written by build_installer.spec), which is later and so tighter.
RELEASE_FLOOR = datetime(2026, 11, 1, tzinfo=UTC)
BUILD_INFO = "build-info.json"
SKEW_LIMIT = CLOCK_TOLERANCE  # beyond this, verdicts carry clock_suspect and never accept
SKEW_NOTICE = timedelta(minutes=5)  # worth a warning: Windows time sync is probably off
FLOOR_SLACK = timedelta(minutes=10)  # the CRL issuer's clock and ours may differ a little


@dataclass(frozen=True)
class FloorMark:
    """A moment the clock cannot be earlier than, and where it comes from."""

    moment: datetime
    what: str


def build_date(meipass: str | None = None) -> datetime | None:
    """The frozen build's date (None when running from source or the file is unreadable)."""
    base = meipass if meipass is not None else getattr(sys, "_MEIPASS", None)
    if not base:
        return None
    try:
        data = json.loads((Path(base) / BUILD_INFO).read_text("utf-8"))
        moment = datetime.fromisoformat(data["built_at"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@functools.cache
def _this_build_date() -> datetime | None:
    """This process's own build date: read once, it cannot change while the app runs."""
    return build_date()


def floor_marks(
    trust_fetched_at: datetime | None = None, crl_this_update: datetime | None = None
) -> list[FloorMark]:
    marks = [FloorMark(RELEASE_FLOOR, "the release date of this version")]
    built = _this_build_date()  # on every verdict's path: no file read each time
    if built is not None:
        marks.append(FloorMark(built, "the date this package was built"))
    if trust_fetched_at is not None:
        marks.append(FloorMark(trust_fetched_at, "the last download of the Treasury trust list"))
    if crl_this_update is not None:
        marks.append(FloorMark(crl_this_update - FLOOR_SLACK, "the issue time of the cached Treasury CRL"))
    return marks


def broken_floor(now: datetime, marks: list[FloorMark]) -> FloorMark | None:
    """The latest mark the clock is earlier than, or None when the clock passes them all."""
    broken = [m for m in marks if now < m.moment]
    return max(broken, key=lambda m: m.moment) if broken else None


def skew(now: datetime, server_date: datetime) -> timedelta:
    """Positive when this PC is ahead of the server."""
    return now - server_date


def describe_skew(delta: timedelta) -> str:
    seconds = abs(delta.total_seconds())
    amount = f"{seconds / 3600:.1f} h" if seconds >= 3600 else f"{seconds / 60:.0f} min"
    return f"{amount} {'ahead of' if delta.total_seconds() > 0 else 'behind'}"


def describe_skew_ru(delta: timedelta) -> str:
    seconds = abs(delta.total_seconds())
    amount = f"{seconds / 3600:.1f} ч" if seconds >= 3600 else f"{seconds / 60:.0f} мин"
    return f"{'спешат' if delta.total_seconds() > 0 else 'отстают'} на {amount}"


def clock_before_floor(now: datetime, snapshot: object | None = None) -> FloorMark | None:
    """One call for the judge or the status bar: the floor the clock breaks, given a TrustSnapshot.

    `snapshot` is a desk_app.verify.trust_store.TrustSnapshot (or None): its download time and
    its CRLs' issue times join the release and build dates as moments the clock cannot precede.
    """
    fetched = getattr(snapshot, "fetched_at", None)
    crls = getattr(snapshot, "crls", {}) or {}
    issued = [c.this_update for c in crls.values()]
    return broken_floor(now, floor_marks(fetched, max(issued) if issued else None))
