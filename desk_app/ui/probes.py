"""What the status bar says, computed off the GUI thread (no widgets, so it is easy to test).

Each item is (Russian text, level) with level one of ok / warn / bad / off.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from desk_app.config import Settings

if TYPE_CHECKING:
    from desk_app.core.scan_transport import ScanTransports
    from desk_app.core.session_health import DeskHealth
    from desk_app.verify.trust_store import TrustSnapshot

log = logging.getLogger(__name__)

Item = tuple[str, str]


@dataclass(frozen=True)
class DeskStatus:
    scanner: Item
    camera: Item
    registry: Item
    trust: Item
    database: Item
    scanner_tip: str = ""  # the scanner item's tooltip: the last scan's way in, the USB-COM advice


def _t(text: str) -> str:
    """Translate a string marked with QT_TRANSLATE_NOOP("DeskStatus", ...) or taken from a table."""
    return QCoreApplication.translate("DeskStatus", text)


def age_text(moment: datetime | None, now: datetime | None = None) -> str:
    """"5 мин", "3 ч", "2 дн" — how long ago."""
    if moment is None:
        return "?"
    seconds = max(0.0, ((now or datetime.now(UTC)) - moment).total_seconds())
    if seconds < 3600:
        return QCoreApplication.translate("DeskStatus", "%1 мин").replace("%1", str(int(seconds // 60)))
    if seconds < 86400 * 2:
        return QCoreApplication.translate("DeskStatus", "%1 ч").replace("%1", str(int(seconds // 3600)))
    return QCoreApplication.translate("DeskStatus", "%1 дн").replace("%1", str(int(seconds // 86400)))


def scanner_item(settings: Settings, serial_state: str | None, transports: ScanTransports | None = None) -> Item:
    parts: list[str] = []
    level = "ok"
    if settings.wedge_enabled:
        parts.append(QCoreApplication.translate("DeskStatus", "клавиатурный"))
    if settings.serial_port:
        if serial_state == "failed":  # the reader's thread stopped: error
            stopped = QCoreApplication.translate("DeskStatus", "%1 остановлен из-за ошибки")
            parts.append(stopped.replace("%1", settings.serial_port))
            level = "bad"
        elif serial_state == "connected":
            parts.append(QCoreApplication.translate("DeskStatus", "%1 подключён").replace("%1", settings.serial_port))
        else:
            parts.append(
                QCoreApplication.translate("DeskStatus", "%1 не подключён").replace("%1", settings.serial_port)
            )
            level = "warn"
    if not parts:
        return QCoreApplication.translate("DeskStatus", "Сканер: выключен"), "bad"
    text = QCoreApplication.translate("DeskStatus", "Сканер: %1").replace("%1", ", ".join(parts))
    if transports is not None and transports.suggest_usb_com:
        level = "warn" if level == "ok" else level  # slow: the tooltip says how to make it fast
    return text + last_scan_text(transports), level


TRANSPORT_TEXT = {
    "wedge": QT_TRANSLATE_NOOP("DeskStatus", "клавиатура"),
    "serial": QT_TRANSLATE_NOOP("DeskStatus", "USB-COM"),
    "camera": QT_TRANSLATE_NOOP("DeskStatus", "камера"),
    "file": QT_TRANSLATE_NOOP("DeskStatus", "файл"),
}


def seconds_text(ms: float) -> str:
    """"3,4 с": a duration as the desk says it."""
    return QCoreApplication.translate("DeskStatus", "%1 с").replace("%1", f"{ms / 1000:.1f}".replace(".", ","))


def last_scan_text(transports: ScanTransports | None) -> str:
    """", последний скан: клавиатура, 3,4 с" (empty before the first scan)."""
    if transports is None or transports.last_source is None:
        return ""
    source = transports.last_source
    text = QCoreApplication.translate("DeskStatus", ", последний скан: %1").replace(
        "%1", _t(TRANSPORT_TEXT.get(source, source))
    )
    if transports.last_typing_ms is not None:
        text += ", " + seconds_text(transports.last_typing_ms)
    return text


def scanner_tip(transports: ScanTransports | None) -> str:
    """The scanner item's tooltip: how the last scan came in, and USB-COM advice when the
    keyboard-wedge scans are slow to type."""
    if transports is None or transports.last_source is None:
        return QCoreApplication.translate("DeskStatus", "Сканов ещё не было.")
    lines = [QCoreApplication.translate("DeskStatus", "Последний скан: %1.").replace(
        "%1", _t(TRANSPORT_TEXT.get(transports.last_source, transports.last_source)))]
    median = transports.wedge_median_ms
    if median is not None:
        lines.append(QCoreApplication.translate("DeskStatus", "Сканер-клавиатура вводит код за %1.").replace(
            "%1", seconds_text(median)))
    if transports.suggest_usb_com:
        lines.append(QCoreApplication.translate(
            "DeskStatus",
            "Быстрее: переключите сканер в режим USB-COM (виртуальный COM-порт) — код придёт за доли "
            "секунды. Как это сделать — в руководстве по установке, раздел «Сканер в режиме USB-COM».",
        ))
    return "\n".join(lines)


# The camera worker's states (desk_app.scanner.camera.CameraState values).
CAMERA_STATE_TEXT: dict[str, Item] = {
    "opening": (QT_TRANSLATE_NOOP("DeskStatus", "Камера: подключение…"), "warn"),
    "running": (QT_TRANSLATE_NOOP("DeskStatus", "Камера: работает"), "ok"),
    "lost": (QT_TRANSLATE_NOOP("DeskStatus", "Камера: нет изображения — переподключение…"), "warn"),
    "ended": (QT_TRANSLATE_NOOP("DeskStatus", "Камера: видео закончилось"), "off"),
    "stopped": (QT_TRANSLATE_NOOP("DeskStatus", "Камера: выключена"), "off"),
    "failed": (QT_TRANSLATE_NOOP("DeskStatus", "Камера: остановлена из-за ошибки — перезапустите программу"), "bad"),
}


def camera_item(settings: Settings, camera_state: str | None) -> Item:
    if not settings.camera:
        return QCoreApplication.translate("DeskStatus", "Камера: нет"), "off"
    text, level = CAMERA_STATE_TEXT.get(
        camera_state or "", (QT_TRANSLATE_NOOP("DeskStatus", "Камера: недоступна"), "warn")
    )
    return _t(text), level


def registry_item(
    settings: Settings, last_source: str | None, copy_synced_at: datetime | None, *, sync_failed: bool = False
) -> Item:
    if sync_failed:  # the offline copy's sync thread stopped: error
        return QCoreApplication.translate("DeskStatus", "Регистр: обновление копии остановлено из-за ошибки"), "bad"
    copy = (
        QCoreApplication.translate("DeskStatus", ", копия %1 назад").replace("%1", age_text(copy_synced_at))
        if copy_synced_at
        else QCoreApplication.translate("DeskStatus", ", копии нет")
    )
    if settings.offline:
        return QCoreApplication.translate("DeskStatus", "Регистр: автономно") + copy, "warn"
    if not settings.registry_url:
        return QCoreApplication.translate("DeskStatus", "Регистр: не настроен"), "bad"
    if last_source == "online":
        return QCoreApplication.translate("DeskStatus", "Регистр: на связи") + copy, "ok"
    if last_source in ("cache", "none"):
        return QCoreApplication.translate("DeskStatus", "Регистр: нет связи") + copy, "bad"
    host = settings.registry_url.split("//", 1)[-1].split("/", 1)[0]
    return QCoreApplication.translate("DeskStatus", "Регистр: %1").replace("%1", host) + copy, "off"


def trust_item(
    snapshot: TrustSnapshot | None, now: datetime | None = None, *, judge_failed: bool = False,
    root_configured: bool = True,
) -> Item:  # fmt: skip
    """From a TrustSnapshot: age of the trust list and whether the CRL is still current."""
    if not root_configured:  # the judge has no trust store: nothing will ever load
        return QCoreApplication.translate("DeskStatus", "Сертификаты: корень не настроен"), "bad"
    if judge_failed:
        return QCoreApplication.translate("DeskStatus", "Сертификаты: ошибка"), "bad"
    if snapshot is None:
        return QCoreApplication.translate("DeskStatus", "Сертификаты: загружаются…"), "off"
    now = now or datetime.now(UTC)
    if not snapshot.certs:
        return QCoreApplication.translate("DeskStatus", "Сертификаты: список пуст"), "bad"
    text = QCoreApplication.translate("DeskStatus", "Сертификаты: %1 назад").replace(
        "%1", age_text(snapshot.fetched_at, now)
    )
    next_update = snapshot.crl_next_update
    if next_update is None:
        return text + QCoreApplication.translate("DeskStatus", ", СОС нет"), "warn"
    if next_update < now:
        return text + QCoreApplication.translate("DeskStatus", ", СОС устарел"), "warn"
    until = next_update.astimezone().strftime("%d.%m.%Y %H:%M")  # the desk's local time, with the year
    return text + QCoreApplication.translate("DeskStatus", ", СОС до %1").replace("%1", until), "ok"


def database_item(storage_url: str, ledger_error: str | None) -> Item:
    kind = "PostgreSQL" if storage_url.startswith(("postgresql://", "postgres://")) else "SQLite"
    if ledger_error:
        return QCoreApplication.translate("DeskStatus", "База: %1 — ошибка").replace("%1", kind), "bad"
    return QCoreApplication.translate("DeskStatus", "База: %1").replace("%1", kind), "ok"


def desk_status(settings: Settings, health: DeskHealth, snapshot: TrustSnapshot | None) -> DeskStatus:
    """On the probe lane, from values captured on the GUI thread (`health` is a copy)."""
    return DeskStatus(
        scanner=scanner_item(settings, health.serial_state, health.transports),
        scanner_tip=scanner_tip(health.transports),
        camera=camera_item(settings, health.camera_state),
        registry=registry_item(
            settings, health.registry_source, registry_copy_synced_at(settings), sync_failed=health.sync_failed
        ),
        trust=trust_item(snapshot, judge_failed=health.judge_error is not None,
                         root_configured=settings.trust_root_configured),
        database=database_item(settings.resolved_storage_url, health.ledger_error),
    )


def registry_copy_synced_at(settings: Settings) -> datetime | None:
    """When the offline copy of the registry last finished a full sync (None if never or unknown)."""
    path = settings.status_db_path
    if not path.exists():
        return None
    try:
        from desk_app.registry.status_store import StatusStore

        store = StatusStore(path)
        try:
            return store.sync_state().last_complete_at
        finally:
            store.close()
    except Exception:  # the status bar must never take the window down
        log.exception("cannot read the registry copy's age")
        return None
