"""What the status bar says, computed off the GUI thread (Qt-free, so it is easy to test).

Each item is (Russian text, level) with level one of ok / warn / bad / off.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from desk_app.config import Settings

log = logging.getLogger(__name__)

Item = tuple[str, str]


@dataclass(frozen=True)
class DeskStatus:
    scanner: Item
    camera: Item
    registry: Item
    trust: Item
    database: Item


def age_text(moment: datetime | None, now: datetime | None = None) -> str:
    """"5 мин", "3 ч", "2 дн" — how long ago."""
    if moment is None:
        return "?"
    seconds = max(0.0, ((now or datetime.now(UTC)) - moment).total_seconds())
    if seconds < 3600:
        return f"{int(seconds // 60)} мин"
    if seconds < 86400 * 2:
        return f"{int(seconds // 3600)} ч"
    return f"{int(seconds // 86400)} дн"


def scanner_item(settings: Settings, serial_state: str | None) -> Item:
    parts: list[str] = []
    level = "ok"
    if settings.wedge_enabled:
        parts.append("клавиатурный")
    if settings.serial_port:
        if serial_state == "connected":
            parts.append(f"{settings.serial_port} подключён")
        else:
            parts.append(f"{settings.serial_port} не подключён")
            level = "warn"
    if not parts:
        return "Сканер: выключен", "bad"
    return "Сканер: " + ", ".join(parts), level


def camera_item(settings: Settings, camera_state: str | None) -> Item:
    if not settings.camera:
        return "Камера: нет", "off"
    if camera_state == "running":
        return "Камера: работает", "ok"
    return "Камера: недоступна", "warn"


def registry_item(settings: Settings, last_source: str | None, copy_synced_at: datetime | None) -> Item:
    copy = f", копия {age_text(copy_synced_at)} назад" if copy_synced_at else ", копии нет"
    if settings.offline:
        return "Регистр: автономно" + copy, "warn"
    if not settings.registry_url:
        return "Регистр: не настроен", "bad"
    if last_source == "online":
        return "Регистр: на связи" + copy, "ok"
    if last_source in ("cache", "none"):
        return "Регистр: нет связи" + copy, "bad"
    return "Регистр: " + settings.registry_url.split("//", 1)[-1].split("/", 1)[0] + copy, "off"


def trust_item(snapshot: Any, now: datetime | None = None) -> Item:
    """From a TrustSnapshot: age of the trust list and whether the CRL is still current."""
    if snapshot is None:
        return "Сертификаты: загружаются…", "off"
    now = now or datetime.now(UTC)
    if not getattr(snapshot, "certs", None):
        return "Сертификаты: список пуст", "bad"
    text = f"Сертификаты: {age_text(snapshot.fetched_at, now)} назад"
    next_update = snapshot.crl_next_update
    if next_update is None:
        return text + ", СОС нет", "warn"
    if next_update < now:
        return text + ", СОС устарел", "warn"
    return text + ", СОС до " + next_update.strftime("%d.%m %H:%M"), "ok"


def database_item(storage_url: str, ledger_error: str | None) -> Item:
    kind = "PostgreSQL" if storage_url.startswith(("postgresql://", "postgres://")) else "SQLite"
    if ledger_error:
        return f"База: {kind} — ошибка", "bad"
    return f"База: {kind}", "ok"


def registry_copy_synced_at(settings: Settings) -> datetime | None:
    """When the offline copy of the registry last finished a full sync (None if never or unknown)."""
    path = settings.status_db_path
    if not path.exists():
        return None
    try:
        from desk_app.cache.status_store import StatusStore

        store = StatusStore(path)
        try:
            return store.sync_state().last_complete_at
        finally:
            store.close()
    except Exception:  # the status bar must never take the window down
        log.exception("cannot read the registry copy's age")
        return None
