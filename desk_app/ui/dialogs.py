"""Small modal dialogs: manual policy entry, the administrator PIN, a reason with a PIN."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, QDate, Qt, QTimer
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk_app.core.roles import MAX_PIN_DIGITS
from desk_app.ui.plain_text import plain_label
from desk_app.ui.tasks import Lane
from desk_app.ui.theme import ACCEPT_GREEN, REJECT_RED
from desk_app.ui.wording import refusal_text
from desk_app.verify.numbers import enp_is_valid
from desk_app.visits.rules import Refusal

NO_DATE = QDate(1900, 1, 1)  # the birth date field's "not typed yet"


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
        # Nothing pre-filled: the minimum date stands for "not typed yet" and shows as such.
        self.birth_date.setMinimumDate(NO_DATE)
        self.birth_date.setSpecialValueText(self.tr("дд.мм.гггг — введите дату"))
        self.birth_date.setDate(NO_DATE)
        self.birth_date.calendarWidget().setCurrentPage(1980, 1)
        self.hint = plain_label()
        self.hint.setObjectName("manualHint")
        self.hint.setWordWrap(True)
        note = plain_label(
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
        self.birth_date.dateChanged.connect(self._validate)
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
        if ok and self.birth_date.date() == NO_DATE:
            self.hint.setText(self.tr("Номер введён верно. Введите дату рождения."))
        self.hint.setStyleSheet(f"color: {colour};" if colour else "")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok and self.birth_date.date() != NO_DATE)


class PinBackoff:
    """After wrong PINs the desk session makes the next try wait (desk_app.core.roles.PinThrottle):
    this shows the wait in Russian, counting down, with the PIN field and OK disabled meanwhile."""

    def __init__(self, wait: Callable[[], float], error: QLabel, controls: list[QWidget], parent: QWidget) -> None:
        self._wait = wait
        self._error = error
        self._controls = controls
        self._prefix = ""
        self._timer = QTimer(parent)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self._tick)

    def start(self, prefix: str = "") -> bool:
        """Begin showing the wait if there is one (after `prefix`, e.g. "wrong PIN"); True if so."""
        self._prefix = prefix
        if self._wait() <= 0:
            return False
        for control in self._controls:
            control.setEnabled(False)
        self._tick()
        self._timer.start()
        return True

    def _tick(self) -> None:
        left = self._wait()
        if left <= 0:
            self._timer.stop()
            for control in self._controls:
                control.setEnabled(True)
            self._error.setText(self._prefix)
            return
        text = QCoreApplication.translate(
            "PinDialog", "Слишком много неверных PIN. Следующая попытка через %1 с."
        ).replace("%1", str(int(left + 0.999)))
        self._error.setText(f"{self._prefix} {text}".strip())


def _no_wait() -> float:
    return 0.0


_Result = TypeVar("_Result")  # what a PIN check answers (a bool, or the role unlocked)


class _Checking:
    """Runs a dialog's PIN check off the GUI thread when given a lane: one guess costs >= 0.25 s
    of scrypt (desk_app.core.roles), which must not freeze the window. Without a lane (a dialog
    built on its own) the check runs at once."""

    def __init__(self, dialog: QDialog, lane: Lane | None, controls: list[QWidget], error: QLabel) -> None:
        self._dialog = dialog
        self._lane = lane
        self._controls = controls
        self._error = error

    def run(self, check: Callable[..., _Result], args: tuple[str, ...], done: Callable[[_Result], None]) -> None:
        if self._lane is None:
            done(check(*args))
            return
        for control in self._controls:
            control.setEnabled(False)
        self._error.setText(QCoreApplication.translate("PinDialog", "Проверяем PIN…"))

        def finished(result: _Result) -> None:
            for control in self._controls:
                control.setEnabled(True)
            if self._dialog.isVisible():
                done(result)

        def failed(_exc: BaseException) -> None:
            for control in self._controls:
                control.setEnabled(True)
            self._error.setText(QCoreApplication.translate("PinDialog", "PIN не проверен — попробуйте ещё раз."))

        if not self._lane.submit(check, *args, on_success=finished, on_failure=failed):
            failed(RuntimeError("the lane is full"))


class PinDialog(QDialog):
    """Asks for the administrator PIN; `check` decides. Wrong PINs keep the dialog open; after
    several, `wait()` (the session's) is shown counting down and no PIN can be tried meanwhile."""

    def __init__(
        self,
        check: Callable[[str], bool],
        title: str,
        parent: QWidget | None = None,
        wait: Callable[[], float] = _no_wait,
        lane: Lane | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._check = check
        self.pin = _pin_edit("pinEdit")
        self.error = _error_label("pinError")
        buttons, ok_button = _ok_cancel(self, self._try)
        self.backoff = PinBackoff(wait, self.error, [self.pin, ok_button], self)
        self.checking = _Checking(self, lane, [self.pin, ok_button], self.error)
        layout = QFormLayout(self)
        layout.addRow(self.tr("PIN администратора:"), self.pin)
        layout.addRow(self.error)
        layout.addRow(buttons)
        self.backoff.start()

    def _try(self) -> None:
        if not self.pin.isEnabled():
            return  # waiting after wrong PINs, or a check under way
        self.checking.run(self._check, (self.pin.text(),), self._checked)

    def _checked(self, ok: bool) -> None:
        if ok:
            self.accept()
            return
        self.pin.clear()
        wrong = self.tr("Неверный PIN.")
        if not self.backoff.start(wrong):
            self.error.setText(wrong)


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
        wait: Callable[[], float] = _no_wait,
        lane: Lane | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._check = check
        self.role: str | None = None
        text = plain_label(explanation)
        text.setWordWrap(True)
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("reasonEdit")
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(70)
        self.pin = _pin_edit("reasonPin")
        self.error = _error_label("reasonError")
        buttons, ok_button = _ok_cancel(self, self._try)
        self.backoff = PinBackoff(wait, self.error, [self.pin, ok_button], self)
        self.checking = _Checking(self, lane, [self.pin, self.reason, ok_button], self.error)
        layout = QFormLayout(self)
        layout.addRow(text)
        layout.addRow(self.tr("Причина:"), self.reason)
        layout.addRow(self.tr("PIN старшего / администратора:"), self.pin)
        layout.addRow(self.error)
        layout.addRow(buttons)
        self.reason.setFocus(Qt.FocusReason.OtherFocusReason)
        self.backoff.start()

    def reason_text(self) -> str:
        return self.reason.toPlainText().strip()

    def _try(self) -> None:
        if not self.pin.isEnabled():
            return  # waiting after wrong PINs, or a check under way
        self.checking.run(self._check, (self.reason_text(), self.pin.text()), self._checked)

    def _checked(self, refusal: str | Refusal) -> None:
        if not isinstance(refusal, Refusal):  # the role the PIN unlocked
            self.role = refusal
            self.accept()
            return
        self.error.setText(refusal_text(refusal))
        if refusal is Refusal.PIN_REFUSED:
            self.pin.clear()
            self.backoff.start(refusal_text(refusal))


def _pin_edit(name: str) -> QLineEdit:
    """A masked field that takes only what a PIN can be: digits, at most MAX_PIN_DIGITS."""
    pin = QLineEdit()
    pin.setObjectName(name)
    pin.setEchoMode(QLineEdit.EchoMode.Password)
    pin.setValidator(QRegularExpressionValidator(rf"[0-9]{{0,{MAX_PIN_DIGITS}}}", pin))
    return pin


def _error_label(name: str) -> QLabel:
    label = plain_label()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {REJECT_RED};")
    return label


def _ok_cancel(dialog: QDialog, on_ok: Callable[[], None]) -> tuple[QDialogButtonBox, QPushButton]:
    """OK runs `on_ok` (which accepts the dialog once its check passes); Cancel rejects it."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(on_ok)
    buttons.rejected.connect(dialog.reject)
    return buttons, buttons.button(QDialogButtonBox.StandardButton.Ok)
