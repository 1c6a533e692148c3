"""The administrator's settings window: PIN first, validation in Russian, save and reopen."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit

from desk_app.config import Settings, load_settings
from desk_app.core.roles import check_admin_pin, hash_pin, verify_pin
from desk_app.ui.dialogs import PinDialog
from desk_app.ui.main_window import MainWindow
from desk_app.ui.settings_dialog import NewPinDialog, SettingsDialog
from tests.helpers.ui import ADMIN_PIN, make_window


@pytest.fixture
def window(qtbot: Any, judge_settings: Settings, tmp_path: Path) -> Iterator[MainWindow]:
    settings = judge_settings.replace(admin_pin_hash=hash_pin(ADMIN_PIN, iterations=1000))
    win = make_window(qtbot, settings, tmp_path / "config" / "config.toml")
    yield win
    win.shutdown()


def _open_settings(qtbot: Any, window: MainWindow, pin: str) -> SettingsDialog:
    window.settings_action.trigger()
    dialog = window.active_dialog
    assert isinstance(dialog, PinDialog)
    dialog.pin.setText(pin)
    dialog._try()
    qtbot.waitUntil(lambda: isinstance(window.active_dialog, SettingsDialog), timeout=5000)
    assert isinstance(window.active_dialog, SettingsDialog)
    return window.active_dialog


def _set(dialog: SettingsDialog, attr: str, value: Any) -> None:
    editor = dialog.editors[attr]
    if isinstance(editor, QCheckBox):
        editor.setChecked(value)
    elif isinstance(editor, QComboBox):
        editor.setCurrentText(value)
    elif isinstance(editor, QLineEdit):
        editor.setText(value)
    else:
        editor.setValue(value)  # type: ignore[attr-defined]


def test_a_wrong_pin_keeps_settings_closed(qtbot: Any, window: MainWindow) -> None:
    window.settings_action.trigger()
    dialog = window.active_dialog
    assert isinstance(dialog, PinDialog)
    dialog.pin.setText("1111")
    dialog._try()
    assert dialog.isVisible() and dialog.error.text() == "Неверный PIN."
    qtbot.wait(50)
    assert not isinstance(window.active_dialog, SettingsDialog)


@pytest.mark.expect_log_warnings
def test_settings_round_trip(qtbot: Any, window: MainWindow) -> None:
    dialog = _open_settings(qtbot, window, ADMIN_PIN)
    wanted = {
        "registry_url": "https://registry.tfoms.example/api",
        "registry_token": "clinic-secret",
        "trust_url": "https://trust.example/treasury",
        "storage_url": "postgresql://desk@db.clinic.example/visits",
        "desk_id": "desk-7",
        "sounds": False,
        "serial_port": "/dev/serial/by-id/usb-scanner",
        "serial_baud": 115200,
        "wedge_terminator": "tab",
        "camera": "0",
    }
    for attr, value in wanted.items():
        _set(dialog, attr, value)
    with qtbot.waitSignal(dialog.saved, timeout=5000) as blocker:
        dialog.save()
    assert blocker.args[0].desk_id == "desk-7"
    assert window.settings.desk_id == "desk-7"  # applied to the running window
    reloaded = load_settings(window.config_path, machine_file=Path("/nonexistent/machine.toml"))
    for attr, value in wanted.items():
        assert getattr(reloaded, attr) == value, attr
    assert verify_pin(ADMIN_PIN, reloaded.admin_pin_hash)  # the PIN survives the save

    again = _open_settings(qtbot, window, ADMIN_PIN)
    for attr, value in wanted.items():
        assert again.value_of(attr) == value, attr
    again.reject()


def test_a_bad_value_is_refused_in_russian_naming_the_field(qtbot: Any, window: MainWindow) -> None:
    dialog = _open_settings(qtbot, window, ADMIN_PIN)
    _set(dialog, "registry_url", "http://registry.example.com")  # plain http off loopback
    dialog.save()
    assert dialog.isVisible()
    assert dialog.error.text().startswith("Поле «Адрес регистра»:")
    assert not window.config_path.exists()
    _set(dialog, "registry_url", "")
    _set(dialog, "serial_baud", 0)
    dialog.save()
    assert "Скорость COM-порта" in dialog.error.text()
    dialog.reject()


def test_locked_keys_are_read_only(qtbot: Any, judge_settings: Settings, tmp_path: Path) -> None:
    from desk_app.ui.tasks import TaskRunner

    settings = judge_settings.replace(registry_url="https://registry.example", locked=frozenset({"registry_url"}))
    tasks = TaskRunner()
    try:
        dialog = SettingsDialog(settings, tmp_path / "c.toml", tasks)
        qtbot.addWidget(dialog)
        assert not dialog.editors["registry_url"].isEnabled()
        assert dialog.editors["desk_id"].isEnabled()
    finally:
        assert tasks.stop()


def test_new_pin_must_be_digits_and_typed_twice(qtbot: Any) -> None:
    dialog = NewPinDialog()
    qtbot.addWidget(dialog)
    dialog.first.setText("12ab")
    dialog._try()
    assert "от 4 до 12 цифр" in dialog.error.text()
    dialog.first.setText("5791")
    dialog.second.setText("5792")
    dialog._try()
    assert dialog.error.text() == "PIN не совпадает."
    dialog.second.setText("5791")
    dialog._try()
    assert verify_pin("5791", dialog.pin_hash) and not verify_pin("5792", dialog.pin_hash)


def test_pin_hash_is_salted_and_demo_pin_only_in_demo() -> None:
    a, b = hash_pin("2468", iterations=1000), hash_pin("2468", iterations=1000)
    assert a != b and verify_pin("2468", a) and verify_pin("2468", b)
    assert not verify_pin("2468", "garbage") and not verify_pin("2468", "pbkdf2_sha256$1$AA==$AA==")
    assert check_admin_pin("1234", "", demo=True)
    assert not check_admin_pin("1234", "", demo=False)
    assert not check_admin_pin("1234", a, demo=True)
