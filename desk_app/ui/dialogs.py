"""Small modal dialogs: manual policy entry, the administrator PIN, a reason with a PIN."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desk_app.ui.theme import ACCEPT_GREEN, REJECT_RED
from desk_app.ui.wording import refusal_text
from desk_app.verify.numbers import enp_is_valid
from desk_app.visits.rules import Refusal


class ManualEntryDialog(QDialog):
    """The policy number (16 digits, check digit checked as typed) and the birth date."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Ручной ввод полиса"))
        self.number = QLineEdit()
        self.number.setObjectName("manualNumber")
        self.number.setPlaceholderText("0000 0000 0000 0000")
        self.number.setValidator(QRegularExpressionValidator(r"[0-9 ]{0,19}", self.number))
        self.number.setMinimumWidth(320)
        self.birth_date = QDateEdit()
        self.birth_date.setObjectName("manualBirthDate")
        self.birth_date.setDisplayFormat("dd.MM.yyyy")
        self.birth_date.setCalendarPopup(True)
        self.birth_date.setMaximumDate(QDate.currentDate())
        self.birth_date.setDate(QDate(1980, 1, 1))
        self.hint = QLabel()
        self.hint.setObjectName("manualHint")
        self.hint.setWordWrap(True)
        note = QLabel(
            self.tr("Без QR-кода подпись не проверяется: полис будет проверен только по регистру.")
        )
        note.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.tr("Номер полиса (16 цифр):"), self.number)
        form.addRow(self.tr("Дата рождения:"), self.birth_date)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Проверить"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(self.buttons)
        self.number.textChanged.connect(self._validate)
        self._validate()

    def enp(self) -> str:
        return self.number.text().replace(" ", "")

    def date_of_birth(self) -> date:
        qd = self.birth_date.date()
        return date(qd.year(), qd.month(), qd.day())

    def _validate(self) -> None:
        enp = self.enp()
        ok = enp_is_valid(enp)
        if not enp:
            self.hint.setText(self.tr("Введите 16 цифр номера полиса."))
        elif len(enp) < 16:
            self.hint.setText(self.tr("Введено цифр: %1 из 16.").replace("%1", str(len(enp))))
        elif not ok:
            self.hint.setText(self.tr("Ошибка в номере: не сходится контрольная цифра. Проверьте номер."))
        else:
            self.hint.setText(self.tr("Номер введён верно."))
        colour = ACCEPT_GREEN if ok else (REJECT_RED if len(enp) >= 16 else None)
        self.hint.setStyleSheet(f"color: {colour};" if colour else "")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)


class PinDialog(QDialog):
    """Asks for the administrator PIN; `check` decides. Wrong PINs keep the dialog open."""

    def __init__(self, check: Callable[[str], bool], title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._check = check
        self.pin = QLineEdit()
        self.pin.setObjectName("pinEdit")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setValidator(QRegularExpressionValidator(r"[0-9]{0,12}", self.pin))
        self.error = QLabel()
        self.error.setStyleSheet(f"color: {REJECT_RED};")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._try)
        buttons.rejected.connect(self.reject)
        layout = QFormLayout(self)
        layout.addRow(self.tr("PIN администратора:"), self.pin)
        layout.addRow(self.error)
        layout.addRow(buttons)

    def _try(self) -> None:
        if self._check(self.pin.text()):
            self.accept()
        else:
            self.error.setText(self.tr("Неверный PIN."))
            self.pin.clear()


class ReasonDialog(QDialog):
    """A reason and the PIN of the permitted role, for overrides and cancellations. `check(reason,
    pin)` is the desk session's rule: the role the PIN unlocks, or a typed Refusal; the dialog
    only words a refusal, and keeps the unlocked role in `.role` once accepted."""

    def __init__(
        self,
        check: Callable[[str, str], str | Refusal],
        title: str,
        explanation: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._check = check
        self.role: str | None = None
        text = QLabel(explanation)
        text.setWordWrap(True)
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("reasonEdit")
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(70)
        self.pin = QLineEdit()
        self.pin.setObjectName("reasonPin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setStyleSheet(f"color: {REJECT_RED};")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._try)
        buttons.rejected.connect(self.reject)
        layout = QFormLayout(self)
        layout.addRow(text)
        layout.addRow(self.tr("Причина:"), self.reason)
        layout.addRow(self.tr("PIN старшего / администратора:"), self.pin)
        layout.addRow(self.error)
        layout.addRow(buttons)
        self.reason.setFocus(Qt.FocusReason.OtherFocusReason)

    def reason_text(self) -> str:
        return self.reason.toPlainText().strip()

    def _try(self) -> None:
        refusal = self._check(self.reason_text(), self.pin.text())
        if not isinstance(refusal, Refusal):
            self.role = refusal
            self.accept()
            return
        self.error.setText(refusal_text(refusal))
        if refusal is Refusal.PIN_REFUSED:
            self.pin.clear()
