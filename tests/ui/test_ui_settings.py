"""The administrator's settings window: PIN first, validation in Russian, save and reopen."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit

from desk_app import paths
from desk_app.config import Settings, load_settings
from desk_app.core.roles import PinThrottle, check_admin_pin, hash_pin, verify_pin
from desk_app.ui.dialogs import PinDialog
from desk_app.ui.main_window import MainWindow
from desk_app.ui.settings_dialog import PinNotSetDialog, SettingsDialog
from tests.helpers.ui import ADMIN_PIN, make_window


@pytest.fixture
def window(qtbot: Any, judge_settings: Settings, tmp_path: Path) -> Iterator[MainWindow]:
    settings = judge_settings.replace(admin_pin_hash=hash_pin(ADMIN_PIN))
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


@pytest.mark.expect_log_warnings
def test_a_wrong_pin_keeps_settings_closed(qtbot: Any, window: MainWindow) -> None:
    window.settings_action.trigger()
    dialog = window.active_dialog
    assert isinstance(dialog, PinDialog)
    dialog.pin.setText("1111")
    dialog._try()  # checked off the GUI thread (scrypt): the window does not freeze meanwhile
    assert dialog.error.text() == "Проверяем PIN…" and not dialog.pin.isEnabled()  # _try returned undecided
    qtbot.waitUntil(lambda: dialog.error.text() == "Неверный PIN.", timeout=5000)
    assert dialog.isVisible()
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
    assert reloaded.admin_pin_hash == "" and "admin_pin_hash" not in window.config_path.read_text("utf-8")
    assert verify_pin(ADMIN_PIN, window.settings.admin_pin_hash)  # the machine-wide PIN is kept

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


def test_the_window_sets_no_pin_and_says_where_it_sets_one(qtbot: Any, window: MainWindow) -> None:
    """Issue 19: the settings window no longer writes a PIN (it did, into the user's own file)."""
    dialog = _open_settings(qtbot, window, ADMIN_PIN)
    assert dialog.findChild(QLineEdit, "setting_new_pin") is None
    assert not [e for e in dialog.findChildren(QLineEdit) if e.echoMode() == QLineEdit.EchoMode.Password and
                "token" not in e.objectName()]  # the registry token is the only hidden field
    where = dialog.findChild(QLabel, "pinWhere")
    assert "задаёт ИТ-служба" in where.text() and str(paths.machine_config_file()) in where.text()
    assert "desk-app admin set-pin" in where.text()
    dialog.reject()


@pytest.mark.parametrize("stored", ["", "pbkdf2_sha256$200000$c2FsdHNhbHRzYWx0c2FsdA==$AAAA"])
def test_no_usable_pin_opens_no_settings_and_says_it_sets_one(
    qtbot: Any, judge_settings: Settings, tmp_path: Path, stored: str
) -> None:
    win = make_window(qtbot, judge_settings.replace(admin_pin_hash=stored), tmp_path / "config" / "config.toml")
    try:
        win.settings_action.trigger()
        dialog = win.active_dialog
        assert isinstance(dialog, PinNotSetDialog)
        text = dialog.message.text()
        assert "ИТ-служб" in text and str(paths.machine_config_file()) in text
        assert ("старом" in text) == bool(stored)
        dialog.accept()
        qtbot.wait(50)
        assert not isinstance(win.active_dialog, SettingsDialog)
    finally:
        win.shutdown()


@pytest.mark.expect_log_warnings
def test_wrong_pins_make_the_dialog_wait_and_say_so(qtbot: Any, window: MainWindow) -> None:
    now = [100.0]
    window.session.pin_throttle = PinThrottle(clock=lambda: now[0])
    window.settings_action.trigger()
    dialog = window.active_dialog
    assert isinstance(dialog, PinDialog)
    for _ in range(3):
        qtbot.waitUntil(dialog.pin.isEnabled, timeout=5000)
        dialog.pin.setText("1111")
        dialog._try()
    qtbot.waitUntil(lambda: "Следующая попытка" in dialog.error.text(), timeout=5000)
    assert "Следующая попытка через 2 с" in dialog.error.text() and dialog.error.text().startswith("Неверный PIN.")
    assert not dialog.pin.isEnabled()
    dialog.pin.setText(ADMIN_PIN)
    dialog._try()  # ignored while waiting, even the right PIN
    assert dialog.isVisible() and not isinstance(window.active_dialog, SettingsDialog)
    now[0] += 2
    qtbot.waitUntil(dialog.pin.isEnabled, timeout=3000)
    dialog.pin.setText("1111")
    dialog._try()
    qtbot.waitUntil(lambda: "через 4 с" in dialog.error.text(), timeout=5000)  # growing
    dialog.reject()
    window.settings_action.trigger()  # a new dialog does not forget the wait
    again = window.active_dialog
    assert isinstance(again, PinDialog) and not again.pin.isEnabled() and "через 4 с" in again.error.text()
    now[0] += 4
    qtbot.waitUntil(again.pin.isEnabled, timeout=3000)
    again.pin.setText(ADMIN_PIN)
    again._try()
    qtbot.waitUntil(lambda: isinstance(window.active_dialog, SettingsDialog), timeout=5000)
    window.active_dialog.reject()


def test_pin_hash_is_salted_and_demo_pin_only_in_demo() -> None:
    a, b = hash_pin("2468"), hash_pin("2468")
    assert a != b and verify_pin("2468", a) and verify_pin("2468", b)
    assert not verify_pin("2468", "garbage") and not verify_pin("2468", "pbkdf2_sha256$1$AA==$AA==")
    assert check_admin_pin("1234", "", demo=True)
    assert not check_admin_pin("1234", "", demo=False)
    assert not check_admin_pin("1234", a, demo=True)
