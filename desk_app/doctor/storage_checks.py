"""The visits ledger: the storage URL opens and its schema is this app's."""

from __future__ import annotations

import os
from pathlib import Path

from desk_app.config import Settings
from desk_app.doctor.result import CheckResult, error, ok
from desk_app.logging_setup import mask_text

TITLE, TITLE_RU = "Visits database", "База посещений"


def sqlite_path(url: str) -> Path | None:
    if url.startswith(("postgresql://", "postgres://")):
        return None
    return Path(url[len("sqlite:///"):] if url.startswith("sqlite:///") else url).expanduser()


def _nearest_existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def check_storage(settings: Settings) -> CheckResult:
    from desk_app.visits.model import StorageError
    from desk_app.visits.store import SCHEMA_VERSION, open_store

    url = settings.resolved_storage_url
    shown = mask_text(url)
    path = sqlite_path(url)
    if path is not None and not path.exists():
        parent = _nearest_existing(path.parent)
        if not os.access(parent, os.W_OK):
            return error(
                "storage", TITLE, TITLE_RU,
                f"{path} does not exist and {parent} is not writable: visits cannot be recorded",
                f"Файл базы {path} не существует, а папка {parent} недоступна для записи: посещения не сохранятся.",
                url=shown,
            )
        return ok("storage", TITLE, TITLE_RU, f"{path} will be created at the first visit",
                  f"файл {path} будет создан при первом посещении", url=shown)
    try:
        store = open_store(url)
    except StorageError as exc:
        return error("storage", TITLE, TITLE_RU, mask_text(str(exc)),
                     f"База посещений не открывается ({shown}): {mask_text(str(exc))}", url=shown)
    try:
        head = store.audit_head()
        clinic_zone = store.stored_clinic_timezone()
    finally:
        store.close()
    entries = head[0] if head else 0
    kind = "PostgreSQL" if path is None else "SQLite"
    if clinic_zone is not None and clinic_zone != settings.timezone:
        return error(
            "storage", TITLE, TITLE_RU,
            f"{kind} {shown}: this desk's time zone {settings.timezone} (desk.timezone) is not the clinic's "
            f"{clinic_zone}, kept with the ledger: set desk.timezone = \"{clinic_zone}\"",
            f"Часовой пояс рабочего места ({settings.timezone}, desk.timezone) не совпадает с часовым поясом "
            f"клиники в базе посещений ({clinic_zone}): укажите desk.timezone = \"{clinic_zone}\".",
            url=shown, clinic_timezone=clinic_zone,
        )  # fmt: skip
    return ok(
        "storage", TITLE, TITLE_RU,
        f"{kind} {shown} opens, schema version {SCHEMA_VERSION}, {entries} audit entries",
        f"{kind} {shown} открывается, схема версии {SCHEMA_VERSION}, записей в журнале аудита: {entries}",
        url=shown, audit_entries=entries,
    )
