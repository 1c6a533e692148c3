"""Ages and dates in plain words, English and Russian."""

from __future__ import annotations

from datetime import datetime


def _parts(moment: datetime | None, now: datetime) -> tuple[int, str] | None:
    if moment is None:
        return None
    seconds = abs((now - moment).total_seconds())
    if seconds < 3600:
        return int(seconds // 60), "min"
    if seconds < 2 * 86400:
        return int(seconds // 3600), "h"
    return int(seconds // 86400), "d"


def age_en(moment: datetime | None, now: datetime) -> str:
    parts = _parts(moment, now)
    if parts is None:
        return "an unknown time"
    number, unit = parts
    return f"{number} {'days' if unit == 'd' else unit}"


def age_ru(moment: datetime | None, now: datetime) -> str:
    parts = _parts(moment, now)
    if parts is None:
        return "неизвестно сколько времени"
    number, unit = parts
    return f"{number} {dict(min='мин', h='ч', d='дн')[unit]}"


def when_ru(moment: datetime) -> str:
    return moment.strftime("%d.%m.%Y %H:%M UTC")


def mb(n_bytes: float) -> str:
    return f"{n_bytes / 1_000_000:.0f} MB"
