"""The way into the settings window: the administrator's PIN first, then the settings dialog;
saving hands the new settings back to the window. With no usable PIN (none set, or an outdated
one) the window says where IT sets one: it never sets a PIN itself (docs/security.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QTimer

from desk_app.config import Settings

if TYPE_CHECKING:
    from desk_app.ui.main_window import MainWindow


def open_settings(w: MainWindow) -> None:
    from desk_app.ui.dialogs import PinDialog
    from desk_app.ui.settings_dialog import PinNotSetDialog

    problem = w.session.pin_problem()
    if problem is not None:
        w.open_dialog(PinNotSetDialog(problem, w), closes_on_scan=False)
        return
    pin = PinDialog(
        w.session.admin_pin_ok, QCoreApplication.translate("MainWindow", "Вход в настройки"), w,
        wait=w.session.pin_wait_seconds, lane=w.tasks.probe,
    )  # fmt: skip
    pin.accepted.connect(lambda: _show_settings(w, w.settings))
    w.open_dialog(pin, closes_on_scan=False)


def _show_settings(w: MainWindow, settings: Settings) -> None:
    from desk_app.ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(settings, w.config_path, w.tasks, w)
    dialog.saved.connect(w.apply_settings)
    # Opened after the PIN dialog has finished closing.
    QTimer.singleShot(0, lambda: w.open_dialog(dialog, closes_on_scan=False))
