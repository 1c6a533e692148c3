"""doctor's words: the language it speaks, its summary line, ages and dates, English and Russian."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Literal

Language = Literal["ru", "en"]
LANGUAGES: tuple[Language, ...] = ("ru", "en")
# POSIX: the first of these that is set and not empty names the messages' locale.
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")
_LANG_RUSSIAN = 0x19  # the primary language id of a Windows LANGID for Russian (ru-RU is 0x0419)

SUMMARY: dict[Language, dict[int, str]] = {
    "en": {0: "all ok", 1: "warnings: something needs attention", 2: "errors: the desk cannot work properly"},
    "ru": {0: "всё в порядке", 1: "есть предупреждения: обратите внимание",
           2: "есть ошибки: программа не может работать правильно"},
}


def system_language(
    environ: Mapping[str, str] | None = None,
    platform: str | None = None,
    windows_ui_language: Callable[[], int | None] | None = None,
) -> Language:
    """Russian when the system speaks Russian, else English (support's language).

    Windows: the user's UI language (GetUserDefaultUILanguage, a LANGID: ru-RU is 0x0419);
    elsewhere, or when Windows cannot say, LC_ALL, LC_MESSAGES, LANG as POSIX reads them (the
    first one set wins: LANG=ru_RU.UTF-8 is Russian, LANG=C English).
    """
    platform = platform or sys.platform
    if platform == "win32":
        langid = (windows_ui_language or _windows_ui_language)()
        if langid is not None:
            return "ru" if langid & 0x3FF == _LANG_RUSSIAN else "en"
    environ = os.environ if environ is None else environ
    for name in LOCALE_VARIABLES:
        value = environ.get(name, "")
        if value:
            return "ru" if value.lower().startswith("ru") else "en"
    return "en"


def _windows_ui_language() -> int | None:
    try:
        import ctypes

        return int(ctypes.windll.kernel32.GetUserDefaultUILanguage())  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        return None


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
