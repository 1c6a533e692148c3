"""The doctor's identity check: the passport in hand against the digest signed in the policy."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont, QRegularExpressionValidator
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from desk_app.ui.plain_text import plain_label
from desk_app.ui.theme import ACCEPT_GREEN, INK, REJECT_RED

RESULT_STYLE = {
    "match": (ACCEPT_GREEN, "#ffffff", "✓ "),
    "mismatch": (REJECT_RED, "#ffffff", "✕ "),
    "not_present": ("#e6e8eb", INK, "? "),
    "document_typed": (ACCEPT_GREEN, "#ffffff", "✓ "),
    "none": ("transparent", INK, ""),
}


class IdentityPanel(QGroupBox):
    """Emits `check_requested(typed text)`; the window asks the desk session and calls `show_result`."""

    check_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Сверка с паспортом (для врача)"))
        self.result: str | None = None
        self.passport = QLineEdit()
        self.passport.setObjectName("passportEdit")
        self.passport.setPlaceholderText(self.tr("серия и номер, например 4510 123456"))
        self.passport.setValidator(QRegularExpressionValidator(r"[0-9 ]{0,12}", self.passport))
        self.passport.returnPressed.connect(self.check)
        self.button = QPushButton(self.tr("Сверить"))
        self.button.setObjectName("passportCheck")
        self.button.clicked.connect(self.check)
        self.outcome = plain_label()
        self.outcome.setObjectName("passportOutcome")
        self.outcome.setWordWrap(True)
        font = QFont()
        font.setPointSize(14)
        font.setBold(True)
        self.outcome.setFont(font)
        row = QHBoxLayout()
        row.addWidget(self.passport, 1)
        row.addWidget(self.button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.outcome)
        self.set_decision(None)

    def set_decision(self, decision: str | None) -> None:
        """A new patient (or none): the entry and the last result are cleared."""
        self.result = None
        self.passport.clear()
        self.setEnabled(decision is not None and decision != "reject")
        self._show("none", self.tr("Сначала отсканируйте полис.") if decision is None else "")

    def check(self) -> None:
        if self.isEnabled():
            self.check_requested.emit(self.passport.text())

    def show_result(self, result: str) -> None:
        """match / mismatch / not_present, or "malformed" (the entry is not 4 + 6 digits)."""
        if result == "malformed":
            self.result = None
            self._show("none", self.tr("Серия и номер паспорта — 10 цифр (4 + 6)."))
            return
        self.result = result
        messages = {
            "match": self.tr("Паспорт СОВПАДАЕТ с полисом"),
            "mismatch": self.tr("Паспорт НЕ СОВПАДАЕТ с полисом — проверьте личность"),
            "not_present": self.tr("Сверка невозможна: в полисе нет данных паспорта"),
            "document_typed": self.tr("Личность сверена: полис найден по документу, введённому с документа в руках"),
        }
        self._show(result, messages.get(result, self.tr("Сверка невозможна")))

    def _show(self, kind: str, text: str) -> None:
        background, foreground, mark = RESULT_STYLE.get(kind, RESULT_STYLE["none"])
        style = f"background: {background}; color: {foreground}; padding: 6px;"
        if self.outcome.styleSheet() != style:
            self.outcome.setStyleSheet(style)
        self.outcome.setText(mark + text if text else "")
