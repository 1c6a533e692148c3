"""The doctor's identity check: the passport in hand against the digest signed in the policy."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont, QRegularExpressionValidator
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

RESULT_STYLE = {
    "match": ("#1b6e2a", "#ffffff"),
    "mismatch": ("#b3121f", "#ffffff"),
    "not_present": ("#e6e8eb", "#1a1a1a"),
    "none": ("transparent", "#1a1a1a"),
}


class IdentityPanel(QGroupBox):
    """Emits `checked(result)` with "match", "mismatch" or "not_present"."""

    checked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Сверка с паспортом (для врача)"))
        self._judgement: Any = None
        self.result: str | None = None
        self.passport = QLineEdit()
        self.passport.setObjectName("passportEdit")
        self.passport.setPlaceholderText(self.tr("серия и номер, например 4510 123456"))
        self.passport.setValidator(QRegularExpressionValidator(r"[0-9 ]{0,12}", self.passport))
        self.passport.returnPressed.connect(self.check)
        self.button = QPushButton(self.tr("Сверить"))
        self.button.setObjectName("passportCheck")
        self.button.clicked.connect(self.check)
        self.outcome = QLabel()
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
        self.set_judgement(None)

    def set_judgement(self, judgement: Any) -> None:
        self._judgement = judgement
        self.result = None
        self.passport.clear()
        usable = judgement is not None and judgement.verdict.decision != "reject"
        self.setEnabled(usable)
        self._show("none", self.tr("Сначала отсканируйте полис.") if judgement is None else "")

    def check(self) -> None:
        if self._judgement is None:
            return
        digits = "".join(ch for ch in self.passport.text() if ch.isdigit())
        if len(digits) != 10:
            self._show("none", self.tr("Серия и номер паспорта — 10 цифр (4 + 6)."))
            return
        result = self._judgement.check_passport(f"{digits[:4]} {digits[4:]}")
        self.result = result
        messages = {
            "match": self.tr("Паспорт СОВПАДАЕТ с полисом"),
            "mismatch": self.tr("Паспорт НЕ СОВПАДАЕТ с полисом — проверьте личность"),
            "not_present": self.tr("Сверка невозможна: в полисе нет данных паспорта"),
        }
        self._show(result, messages.get(result, self.tr("Сверка невозможна")))
        self.checked.emit(result)

    def _show(self, kind: str, text: str) -> None:
        background, foreground = RESULT_STYLE.get(kind, RESULT_STYLE["none"])
        self.outcome.setStyleSheet(f"background: {background}; color: {foreground}; padding: 6px;")
        self.outcome.setText(text)
