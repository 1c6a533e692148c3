"""Free disk in the data folder, the log folder, and a clock that cannot be right."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

from desk_app import clock
from desk_app.config import Settings
from desk_app.doctor.result import CheckResult, error, ok, warning
from desk_app.doctor.wording import mb
from desk_app.logging_setup import LOG_FILE, log_dir_for

DISK_ERROR_BYTES = 200_000_000
DISK_WARNING_BYTES = 1_000_000_000


def _existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def check_disk(settings: Settings, usage=shutil.disk_usage) -> CheckResult:
    title, title_ru = "Free disk space", "Свободное место на диске"
    folder = settings.data_path
    free = usage(_existing(folder)).free
    details = {"data_dir": str(folder), "free_bytes": free}
    if free < DISK_ERROR_BYTES:
        return error("disk", title, title_ru,
                     f"only {mb(free)} free where the data lives ({folder}): visits and the registry copy may fail",
                     f"На диске с данными ({folder}) свободно лишь {mb(free)}: запись посещений может не пройти.",
                     **details)
    if free < DISK_WARNING_BYTES:
        return warning("disk", title, title_ru, f"{mb(free)} free where the data lives ({folder})",
                       f"На диске с данными ({folder}) свободно {mb(free)}: освободите место.", **details)
    return ok("disk", title, title_ru, f"{mb(free)} free in {folder}", f"свободно {mb(free)} ({folder})", **details)


def check_logs(settings: Settings) -> CheckResult:
    title, title_ru = "Log files", "Журнал работы"
    folder = log_dir_for(settings)
    target = _existing(folder)
    if not os.access(target, os.W_OK):
        return warning("logs", title, title_ru, f"{folder} is not writable: the desk runs without a log",
                       f"Папка журнала {folder} недоступна для записи: программа работает без журнала.",
                       log_dir=str(folder))
    return ok("logs", title, title_ru, f"{folder / LOG_FILE} (5 x 2 MB, rotated)",
              f"{folder / LOG_FILE} (5 файлов по 2 МБ)", log_dir=str(folder))


def check_clock_floor(settings: Settings, now: datetime | None = None) -> CheckResult:
    """The clock must not be earlier than the build, the trust list's download or the CRL's issue."""
    from desk_app.verify.trust_store import TrustRootError, TrustStore

    title, title_ru = "PC clock", "Часы компьютера"
    now = now or datetime.now(UTC)
    snapshot = None
    root = settings.trust_root_path
    try:  # read-only: the trust check is the one that may seed the demo cache
        snapshot = TrustStore(root, settings.trust_cache_dir).snapshot if root is not None else None
    except TrustRootError:  # reported by the trust check; the build date still bounds the clock
        pass
    broken = clock.clock_before_floor(now, snapshot)
    details = {"now": now.isoformat()}
    if broken is not None:
        return error(
            "clock", title, title_ru,
            f"the PC clock says {now:%Y-%m-%d %H:%M} UTC, earlier than {broken.what} ({broken.moment:%Y-%m-%d}): "
            "the date is wrong, so policy dates cannot be judged. Set the date and time and turn on time sync",
            f"Часы компьютера показывают {now:%d.%m.%Y %H:%M} UTC — раньше, чем это возможно: дата неверна, "
            "сроки полисов проверяются неправильно. Исправьте дату и время, включите синхронизацию.",
            floor=broken.moment.isoformat(), **details,
        )
    local = now.astimezone(settings.tz)
    return ok("clock", title, title_ru, f"{local:%Y-%m-%d %H:%M %Z} ({settings.timezone}), plausible",
              f"{local:%d.%m.%Y %H:%M} ({settings.timezone})", **details)
