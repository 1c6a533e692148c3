"""The window's frame around the desk: the demo / test-root banner, the menus, the demo menu."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu

from desk_app import paths
from desk_app.config import Settings

if TYPE_CHECKING:
    from desk_app.ui.main_window import MainWindow

CAMERA_SHORTCUT = "F4"  # F2 manual entry, F3 search by document, F5... the demo cases
DEMO_HOTKEYS = ("F5", "F6", "F7", "F8", "F9", "F10", "F11", "F12")
# The main Enter key is Qt's Key_Return and the keypad's is Key_Enter: both record; the menu shows
# the first, "Ctrl+Enter", as the button and the guide do.
RECORD_SHORTCUTS = ("Ctrl+Enter", "Ctrl+Return")


def update_banner(banner: QLabel, settings: Settings) -> None:
    if settings.demo:
        banner.setText(
            QCoreApplication.translate(
                "MainWindow", "ДЕМО — учебный режим: тестовые сертификаты и тестовый регистр. Не для приёма пациентов."
            )
        )
        banner.setStyleSheet("background: #5b2a86; color: white; font-size: 16pt; font-weight: bold;")
        banner.setVisible(True)
    elif not settings.trust_root_configured:
        banner.setText(
            QCoreApplication.translate(
                "MainWindow",
                "Корневой сертификат Казначейства не настроен: полисы не проверяются. Сообщите администратору!",
            )
        )
        banner.setStyleSheet("background: #b3121f; color: white; font-size: 16pt; font-weight: bold;")
        banner.setVisible(True)
    elif settings.uses_demo_root:
        banner.setText(
            QCoreApplication.translate(
                "MainWindow",
                "ВНИМАНИЕ: включён ТЕСТОВЫЙ корневой сертификат. Подписи не проверяются по-настоящему."
                " Сообщите администратору!",
            )
        )
        banner.setStyleSheet("background: #b3121f; color: white; font-size: 16pt; font-weight: bold;")
        banner.setVisible(True)
    else:
        banner.setVisible(False)


def add_action(window: QMainWindow, menu: QMenu, text: str, shortcut: str, slot: Callable[[], Any]) -> QAction:
    action = QAction(text, window)
    action.setShortcut(QKeySequence(shortcut))
    action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
    action.triggered.connect(lambda _checked=False: slot())
    menu.addAction(action)
    window.addAction(action)
    return action


@dataclass(frozen=True)
class DeskMenus:
    """The actions `build_menus` made (tests and the window toggle them)."""

    open_file_action: QAction
    manual_action: QAction
    search_action: QAction
    record_action: QAction
    settings_action: QAction
    camera_action: QAction
    demo_menu: QMenu | None


def build_menus(w: MainWindow) -> DeskMenus:
    """The Полис and Сервис menus (and an empty Демо menu in a demo), wired to the window's intents."""
    bar = w.menuBar()
    menu = bar.addMenu(QCoreApplication.translate("MainWindow", "&Полис"))
    open_file = add_action(
        w, menu, QCoreApplication.translate("MainWindow", "Открыть файл с QR-кодом…"), "Ctrl+O", w.open_file
    )
    manual = add_action(
        w, menu, QCoreApplication.translate("MainWindow", "Ввести номер вручную…"), "F2", w.manual_entry
    )
    search = add_action(
        w, menu, QCoreApplication.translate("MainWindow", "Поиск по документу…"), "F3", w.document_search
    )
    add_action(w, menu, QCoreApplication.translate("MainWindow", "Очистить экран (следующий пациент)"), "Esc", w.clear)
    menu.addSeparator()
    record = add_action(
        w, menu, QCoreApplication.translate("MainWindow", "Записать приём"), RECORD_SHORTCUTS[0], w.record_visit
    )
    record.setShortcuts([QKeySequence(k) for k in RECORD_SHORTCUTS])
    menu.addSeparator()
    add_action(w, menu, QCoreApplication.translate("MainWindow", "Выход"), "Ctrl+Q", w.close)
    service = bar.addMenu(QCoreApplication.translate("MainWindow", "&Сервис"))
    settings_action = add_action(
        w, service, QCoreApplication.translate("MainWindow", "Настройки (администратор)…"), "Ctrl+,", w.open_settings
    )
    add_action(w, service, QCoreApplication.translate("MainWindow", "Обновить состояние"), "Ctrl+R", w.refresh_status)
    camera = add_action(
        w, service, QCoreApplication.translate("MainWindow", "Показать камеру"), CAMERA_SHORTCUT,
        w.toggle_camera_preview,
    )  # fmt: skip
    camera.setCheckable(True)
    camera.setEnabled(bool(w.settings.camera))
    demo = bar.addMenu(QCoreApplication.translate("MainWindow", "&Демо-сканирование")) if w.settings.demo else None
    return DeskMenus(open_file, manual, search, record, settings_action, camera, demo)


def fill_demo_menu(
    window: QMainWindow, menu: QMenu, cases: list[tuple[Path, str]], scan: Callable[[Path], Any]
) -> None:
    """One item per demo case: its Russian title (no file names), F5… as shortcuts."""
    for i, (path, title) in enumerate(cases):
        action = QAction(title, window)
        if i < len(DEMO_HOTKEYS):
            action.setShortcut(QKeySequence(DEMO_HOTKEYS[i]))
            action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
            window.addAction(action)
        action.triggered.connect(lambda _c=False, p=path: scan(p))
        menu.addAction(action)


def list_demo_policies() -> list[tuple[Path, str]]:
    """The bundled demo QR images with their Russian titles (resources/demo/policies/index.json)."""
    folder = paths.resource("demo", "policies")
    try:
        index = json.loads((folder / "index.json").read_text("utf-8"))
    except (OSError, ValueError):
        return []
    cases = []
    for case in index:
        if not isinstance(case, dict) or not isinstance(case.get("name"), str):
            continue
        image = folder / f"{case['name']}.png"
        text = folder / f"{case['name']}.b.txt"
        path = image if image.exists() else text
        if path.exists():
            cases.append((path, str(case.get("title") or case["name"])))
    return cases
