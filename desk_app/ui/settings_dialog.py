"""Settings for IT staff, behind the administrator PIN; saved to the user's TOML config file.

The window never sets the PIN: its hash lives only in the machine-wide file, which IT writes
(`desk-app admin set-pin` as root/administrator); the dialog says where.

Keys set in the machine-wide file are shown read-only. Each value is validated by the same
rules as the config file (`desk_app.config.parse_toml_settings`); an error names the field in
Russian. The file is written on a background lane, never on the GUI thread.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desk_app import paths
from desk_app.config import OPTIONS_BY_ATTR, ConfigError, Settings, parse_toml_settings, save_settings
from desk_app.ui.plain_text import plain_label
from desk_app.ui.tasks import TaskRunner
from desk_app.ui.theme import REJECT_RED

log = logging.getLogger(__name__)

# (attribute, Russian label, hint shown when the value is refused)
FIELDS: tuple[tuple[str, str, str], ...] = (
    (
        "desk_id",
        QT_TRANSLATE_NOOP("SettingsDialog", "Имя стойки"),
        QT_TRANSLATE_NOOP("SettingsDialog", "укажите имя стойки (например, desk-1)"),
    ),
    (
        "registry_url",
        QT_TRANSLATE_NOOP("SettingsDialog", "Адрес регистра"),
        QT_TRANSLATE_NOOP("SettingsDialog", "нужен адрес https://… (http — только для 127.0.0.1)"),
    ),
    ("registry_token", QT_TRANSLATE_NOOP("SettingsDialog", "Ключ доступа к регистру"), ""),
    (
        "trust_url",
        QT_TRANSLATE_NOOP("SettingsDialog", "Адрес списка сертификатов Казначейства"),
        QT_TRANSLATE_NOOP("SettingsDialog", "нужен адрес https://… (http — только для 127.0.0.1)"),
    ),
    (
        "trust_root",
        QT_TRANSLATE_NOOP("SettingsDialog", "Файл корневого сертификата"),
        QT_TRANSLATE_NOOP("SettingsDialog", "укажите путь к файлу .pem"),
    ),
    (
        "storage_url",
        QT_TRANSLATE_NOOP("SettingsDialog", "База приёмов"),
        QT_TRANSLATE_NOOP("SettingsDialog", "путь к файлу SQLite, sqlite:///ПУТЬ или postgresql://…"),
    ),
    ("wedge_enabled", QT_TRANSLATE_NOOP("SettingsDialog", "Клавиатурный сканер"), ""),
    ("wedge_prefix", QT_TRANSLATE_NOOP("SettingsDialog", "Префикс сканера"), ""),
    ("wedge_suffix", QT_TRANSLATE_NOOP("SettingsDialog", "Суффикс сканера"), ""),
    (
        "wedge_terminator",
        QT_TRANSLATE_NOOP("SettingsDialog", "Окончание скана"),
        QT_TRANSLATE_NOOP("SettingsDialog", "enter или tab"),
    ),
    ("serial_port", QT_TRANSLATE_NOOP("SettingsDialog", "COM-порт сканера"), ""),
    (
        "serial_baud",
        QT_TRANSLATE_NOOP("SettingsDialog", "Скорость COM-порта"),
        QT_TRANSLATE_NOOP("SettingsDialog", "число больше нуля"),
    ),
    (
        "serial_terminator",
        QT_TRANSLATE_NOOP("SettingsDialog", "Окончание скана на COM-порту"),
        QT_TRANSLATE_NOOP("SettingsDialog", "cr, lf, crlf или tab"),
    ),
    ("camera", QT_TRANSLATE_NOOP("SettingsDialog", "Камера (номер или адрес)"), ""),
    ("sounds", QT_TRANSLATE_NOOP("SettingsDialog", "Звуки"), ""),
)
LABELS = {attr: label for attr, label, _hint in FIELDS}
HINTS = {attr: hint for attr, _label, hint in FIELDS}
CHOICES = {
    "wedge_terminator": ("enter", "tab"),
    "serial_terminator": ("cr", "lf", "crlf", "tab"),
}


class SettingsDialog(QDialog):
    """`saved(Settings)` is emitted after the file is written; the dialog then closes."""

    saved = Signal(object)

    def __init__(
        self, settings: Settings, config_path: Path, tasks: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Настройки стойки (администратор)"))
        self.settings = settings
        self.config_path = config_path
        self._tasks = tasks
        self.editors: dict[str, QWidget] = {}
        form = QFormLayout()
        for attr, label, _hint in FIELDS:
            editor = self._editor(attr, getattr(settings, attr))
            editor.setObjectName(f"setting_{attr}")
            text = QCoreApplication.translate("SettingsDialog", label)
            if attr in settings.locked:
                editor.setEnabled(False)
                editor.setToolTip(self.tr("Задано администратором для всего компьютера — здесь не меняется"))
                text += self.tr(" (заблокировано)")
            self.editors[attr] = editor
            form.addRow(text + ":", editor)
        self.pin_note = plain_label(pin_where_text())
        self.pin_note.setObjectName("pinWhere")
        self.pin_note.setWordWrap(True)
        form.addRow(self.tr("PIN администратора:"), self.pin_note)
        self.error = plain_label()
        self.error.setObjectName("settingsError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {REJECT_RED}; font-weight: bold;")
        where = plain_label(self.tr("Файл настроек: %1").replace("%1", str(config_path)))
        where.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.doctor_button = self.buttons.addButton(
            self.tr("Диагностика"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.doctor_button.setObjectName("runDoctor")
        self.doctor_button.setToolTip(self.tr("Проверить настройки, сертификаты, регистр, базу, сканеры и диск"))
        self.doctor_button.clicked.connect(self.run_doctor)
        self.doctor_report = QPlainTextEdit()
        self.doctor_report.setObjectName("doctorReport")
        self.doctor_report.setReadOnly(True)
        self.doctor_report.setVisible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(where)
        layout.addWidget(self.error)
        layout.addWidget(self.doctor_report)
        layout.addWidget(self.buttons)

    def _editor(self, attr: str, value: Any) -> QWidget:
        if isinstance(value, bool):
            box = QCheckBox()
            box.setChecked(value)
            return box
        if attr in CHOICES:
            combo = QComboBox()
            combo.addItems(list(CHOICES[attr]))
            combo.setCurrentText(str(value))
            return combo
        if isinstance(value, int):
            spin = QSpinBox()
            spin.setRange(0, 4_000_000)
            spin.setValue(value)
            return spin
        line = QLineEdit(str(value))
        if OPTIONS_BY_ATTR[attr].secret:
            line.setEchoMode(QLineEdit.EchoMode.Password)
        return line

    def value_of(self, attr: str) -> Any:
        editor = self.editors[attr]
        if isinstance(editor, QCheckBox):
            return editor.isChecked()
        if isinstance(editor, QComboBox):
            return editor.currentText()
        if isinstance(editor, QSpinBox):
            return editor.value()
        assert isinstance(editor, QLineEdit)
        return editor.text().strip()

    def collect(self) -> Settings:
        """The edited settings; raises ConfigError (English) for the first bad field."""
        changes: dict[str, Any] = {}
        for attr, _label, _hint in FIELDS:
            if attr in self.settings.locked:
                continue
            key = OPTIONS_BY_ATTR[attr].key
            section, name = key.split(".", 1)
            try:
                changes.update(parse_toml_settings({section: {name: self.value_of(attr)}}, "settings window"))
            except ConfigError as exc:
                raise FieldError(attr, str(exc)) from None
        if not changes.get("desk_id", self.settings.desk_id):
            raise FieldError("desk_id", "desk id is empty")
        return dataclasses.replace(self.settings, **changes)

    def run_doctor(self) -> None:
        """`desk-app doctor` on the values in the form, off the GUI thread (it may take ~15 s)."""
        try:
            candidate = self.collect()
        except FieldError as exc:
            self.error.setText(exc.russian())
            return
        self.doctor_button.setEnabled(False)
        self.doctor_report.setVisible(True)
        self.doctor_report.setPlainText(self.tr("Идёт проверка…"))

        def done(results: list) -> None:
            self.doctor_button.setEnabled(True)
            self.doctor_report.setPlainText(doctor_report_text(results))

        def failed(exc: BaseException) -> None:
            self.doctor_button.setEnabled(True)
            self.doctor_report.setPlainText(self.tr("Диагностика не выполнена: %1").replace("%1", str(exc)))

        if not self._tasks.update.submit(_run_doctor, candidate, on_success=done, on_failure=failed):
            self.doctor_button.setEnabled(True)
            self.doctor_report.setPlainText(self.tr("Программа занята — нажмите «Диагностика» ещё раз."))

    def save(self) -> None:
        try:
            new = self.collect()
        except FieldError as exc:
            self.error.setText(exc.russian())
            return
        self.buttons.setEnabled(False)
        self.error.setText("")
        def done(saved: Settings) -> None:
            self.saved.emit(saved)
            self.accept()

        def failed(exc: BaseException) -> None:
            self.buttons.setEnabled(True)
            self.error.setText(self.tr("Не удалось сохранить файл настроек: %1").replace("%1", str(exc)))

        if not self._tasks.probe.submit(_save, new, self.config_path, on_success=done, on_failure=failed):
            self.buttons.setEnabled(True)
            self.error.setText(self.tr("Программа занята — нажмите «Сохранить» ещё раз."))


def _run_doctor(candidate: Settings) -> list:
    from desk_app.doctor import run_checks

    return run_checks(candidate)


def _save(new: Settings, path: Path) -> Settings:
    save_settings(new, path)
    return new


_LEVEL_MARKS = {"ok": "✔", "warning": "⚠", "error": "✖"}


def doctor_report_text(results: list) -> str:
    """One line per check, in Russian, worst news first."""
    order = {"error": 0, "warning": 1, "ok": 2}
    lines = [
        f"{_LEVEL_MARKS.get(r.level, '?')} {r.title_ru}: {r.message_ru}"
        for r in sorted(results, key=lambda r: order.get(r.level, 3))
    ]
    return "\n".join(lines)


class FieldError(ValueError):
    def __init__(self, attr: str, detail: str) -> None:
        super().__init__(detail)
        self.attr = attr

    def russian(self) -> str:
        label = QCoreApplication.translate("SettingsDialog", LABELS.get(self.attr, self.attr))
        hint = HINTS.get(self.attr)
        hint = (
            QCoreApplication.translate("SettingsDialog", hint)
            if hint
            else QCoreApplication.translate("SettingsDialog", "недопустимое значение")
        )
        return QCoreApplication.translate("SettingsDialog", "Поле «%1»: %2.").replace("%1", label).replace("%2", hint)


def pin_where_text() -> str:
    """Where IT sets the administrator PIN (Russian)."""
    return (
        QCoreApplication.translate(
            "SettingsDialog",
            "PIN администратора задаёт ИТ-служба в общем файле настроек компьютера %1 "
            "(команда «desk-app admin set-pin», выполняется от имени администратора). "
            "В этом окне PIN не меняется.",
        ).replace("%1", str(paths.machine_config_file()))
    )


class PinNotSetDialog(QDialog):
    """No usable administrator PIN on this desk (none set, or an outdated kind): where IT sets one."""

    def __init__(self, problem: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("PIN администратора"))
        if problem == "outdated":
            first = self.tr(
                "PIN администратора на этом компьютере задан в старом, небезопасном виде и больше не "
                "принимается. Попросите ИТ-службу задать новый PIN."
            )
        else:
            first = self.tr("PIN администратора на этом компьютере не задан. Попросите ИТ-службу задать его.")
        self.message = plain_label(first + "\n\n" + pin_where_text())
        self.message.setObjectName("pinNotSet")
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
