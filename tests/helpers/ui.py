"""Helpers for the window tests: a real reference registry and a real window, torn down cleanly."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtGui import QColor

from desk_app.config import Settings
from desk_app.demo.registry_server import RegistryServer
from desk_app.registry.records import parse_record
from desk_app.ui.main_window import MainWindow
from desk_app.verify.payload import encode_form_b

TOKEN = "ui-test-token"
ADMIN_PIN = "2468"

ACTIVE_ENP = "7700000000000016"  # PolicyData's default number
EXPIRED_ENP = "7800000000000031"
SUSPENDED_ENP = "1600000000000044"
UNKNOWN_ENP = "7700000000000057"


def registry_records() -> list[Any]:
    now = datetime.now(UTC).isoformat(timespec="seconds")
    rows = [
        {"enp": ACTIVE_ENP, "status": "active", "insurer_code": "77012", "birth_date": "1985-03-14"},
        {"enp": EXPIRED_ENP, "status": "expired", "valid_to": "2025-12-31", "insurer_code": "77012"},
        {"enp": SUSPENDED_ENP, "status": "suspended", "reason": "двойное страхование", "insurer_code": "77012"},
    ]
    return [parse_record({**row, "updated_at": now}) for row in rows]


@contextmanager
def reference_registry(folder: Path) -> Iterator[RegistryServer]:
    server = RegistryServer(folder / "registry-server.sqlite", token=TOKEN)
    server.put(registry_records())
    server.start()
    try:
        yield server
    finally:
        server.stop()


def scan_text(xml: bytes) -> str:
    return encode_form_b(xml)


def panel_colour(window: MainWindow) -> QColor:
    """The verdict panel's real painted colour, sampled from a grab of the widget."""
    image = window.panel.grab().toImage()
    return QColor(image.pixel(image.width() - 12, image.height() // 2))  # inside the 6 px border


def make_window(qtbot: Any, settings: Settings, config_path: Path) -> MainWindow:
    window = MainWindow(settings, config_path=config_path)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.judge_ready, timeout=15000):
        pass
    qtbot.waitUntil(lambda: window.record.services.list.count() > 0, timeout=10000)
    return window


def scan_and_wait(qtbot: Any, window: MainWindow, payload: str | bytes, timeout: int = 15000) -> Any:
    with qtbot.waitSignal(window.verdict_shown, timeout=timeout) as blocker:
        assert window.submit_scan(payload, "test")
    return blocker.args[0]
