"""The way into the settings window: the administrator's PIN first (or choosing one on a first
run), then the settings dialog; saving hands the new settings back to the window."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QTimer

from desk_app.config import Settings
from desk_app.core.roles import pin_not_set

if TYPE_CHECKING:
    from desk_app.ui.main_window import MainWindow


def open_settings(w: MainWindow) -> None:
    from desk_app.ui.dialogs import PinDialog
    from desk_app.ui.settings_dialog import NewPinDialog

    if pin_not_set(w.settings):
        first_run = NewPinDialog(w)
        first_run.accepted.connect(lambda: _show_settings(w, w.settings.replace(admin_pin_hash=first_run.pin_hash)))
        w.open_dialog(first_run)
        return
    pin = PinDialog(w.session.admin_pin_ok, QCoreApplication.translate("MainWindow", "Вход в настройки"), w)
    pin.accepted.connect(lambda: _show_settings(w, w.settings))
    w.open_dialog(pin)


def _show_settings(w: MainWindow, settings: Settings) -> None:
    from desk_app.ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(settings, w.config_path, w.tasks, w)
    dialog.saved.connect(w.apply_settings)
    # Opened after the PIN dialog has finished closing.
    QTimer.singleShot(0, lambda: w.open_dialog(dialog))
