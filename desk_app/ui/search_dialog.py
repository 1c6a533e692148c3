"""F3 «Поиск по документу»: the policy of a patient who shows an identity document or a СНИЛС.

Keyboard-only: the document type (↑/↓ or the first letter), Tab, the series and number, Tab,
the birth date (ДД.ММ.ГГГГ), Enter. Each field is checked as it is typed, by the rules of
`desk_app.verify.documents`, and its hint names the rule in Russian; «Найти» is enabled only
when every field holds. Nothing typed here is kept after the dialog closes.
"""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desk_app.ui.plain_text import plain_label
from desk_app.ui.theme import ACCEPT_GREEN, REJECT_RED
from desk_app.verify import documents as d
from desk_app.verify.documents import DocumentError, DocumentQuery

_CTX = "Search"

DOCUMENT_CHOICES: tuple[tuple[str, str], ...] = (
    ("passport_rf", QT_TRANSLATE_NOOP("Search", "Паспорт РФ")),
    ("birth_certificate", QT_TRANSLATE_NOOP("Search", "Свидетельство о рождении")),
    ("snils", QT_TRANSLATE_NOOP("Search", "СНИЛС")),
)
PLACEHOLDER = {
    "passport_rf": "4510 123456",
    "birth_certificate": QT_TRANSLATE_NOOP("Search", "IV-МЮ 654321"),
    "snils": "112-233-445 95",
}
# What may be typed at all (the rule itself is checked as typed and named in the hint).
ALLOWED = {
    "passport_rf": r"[0-9 ]{0,11}",
    # Cyrillic letters (А-Я, Ё, а-я, ё) as code points: PCRE2 \x{...}
    "birth_certificate": r"[IVXLCivxlc]{0,8}-?[\x{0410}-\x{044F}\x{0401}\x{0451}]{0,2} ?[0-9]{0,6}",
    "snils": r"[0-9 -]{0,14}",
}

# Each rule, named in Russian (the problem codes of desk_app.verify.documents).
RULE_TEXT: dict[str, str] = {
    d.PASSPORT_FORMAT: QT_TRANSLATE_NOOP(
        "Search", "Паспорт: 4 цифры серии и 6 цифр номера, например 4510 123456."),
    d.BIRTH_CERTIFICATE_SERIES: QT_TRANSLATE_NOOP(
        "Search", "Серия свидетельства: римская цифра латинскими буквами (I, V, X, L, C), дефис и две русские "
        "заглавные буквы, например IV-МЮ."),
    d.BIRTH_CERTIFICATE_NUMBER: QT_TRANSLATE_NOOP(
        "Search", "Номер свидетельства: 6 цифр после серии, например IV-МЮ 654321."),
    d.SNILS_FORMAT: QT_TRANSLATE_NOOP("Search", "СНИЛС: 11 цифр, например 112-233-445 95."),
    d.SNILS_CHECK: QT_TRANSLATE_NOOP(
        "Search", "Ошибка в СНИЛС: не сходится контрольное число (последние 2 цифры). Проверьте номер."),
    d.BIRTH_DATE_FORMAT: QT_TRANSLATE_NOOP(
        "Search", "Дата рождения: настоящая дата в виде ДД.ММ.ГГГГ, например 14.03.1985."),
    d.BIRTH_DATE_FUTURE: QT_TRANSLATE_NOOP("Search", "Дата рождения не может быть позже сегодняшней."),
    d.BIRTH_DATE_TOO_EARLY: QT_TRANSLATE_NOOP("Search", "Дата рождения не может быть раньше 1900 года."),
}  # fmt: skip
_DMY = re.compile(r"([0-9]{2})\.([0-9]{2})\.([0-9]{4})", re.ASCII)


def tr(text: str) -> str:
    return QCoreApplication.translate(_CTX, text)


def parse_dmy(text: str, today: date) -> date:
    """ДД.ММ.ГГГГ as a real date, not in the future; raises DocumentError naming the rule."""
    m = _DMY.fullmatch(text.strip())
    if m is None:
        raise DocumentError(d.BIRTH_DATE_FORMAT)
    return d.parse_birth_date(f"{m.group(3)}-{m.group(2)}-{m.group(1)}", today)


class DocumentSearchDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__(parent)
        self._today = today or date.today()
        self.setWindowTitle(QCoreApplication.translate("Search", "Поиск по документу"))
        note = plain_label(QCoreApplication.translate("Search",
            "Если у пациента нет полиса, найдите полис в регистре по документу: паспорту, свидетельству "
            "о рождении или СНИЛС. Нужна связь с регистром. Документ нигде не сохраняется."
        ))  # fmt: skip
        note.setWordWrap(True)
        self.kind = QComboBox()
        self.kind.setObjectName("searchKind")
        for code, label in DOCUMENT_CHOICES:
            self.kind.addItem(tr(label), code)
        self.document = QLineEdit()
        self.document.setObjectName("searchDocument")
        self.document.setMinimumWidth(320)
        self.document_hint = self._hint("searchDocumentHint")
        self.birth_date = QLineEdit()
        self.birth_date.setObjectName("searchBirthDate")
        self.birth_date.setPlaceholderText(QCoreApplication.translate("Search", "ДД.ММ.ГГГГ"))
        self.birth_date.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9.]{0,10}"), self.birth_date))
        self.birth_hint = self._hint("searchBirthDateHint")

        form = QFormLayout()
        form.addRow(QCoreApplication.translate("Search", "Документ:"), self.kind)
        form.addRow(QCoreApplication.translate("Search", "Серия и номер:"), self.document)
        form.addRow("", self.document_hint)
        form.addRow(QCoreApplication.translate("Search", "Дата рождения:"), self.birth_date)
        form.addRow("", self.birth_hint)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.find_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.find_button.setText(QCoreApplication.translate("Search", "Найти"))
        self.buttons.accepted.connect(self._try_accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.document.textEdited.connect(self._document_edited)
        self.document.textChanged.connect(self._validate)
        self.birth_date.textChanged.connect(self._validate)
        self._kind_changed()
        self.kind.setFocus()  # keyboard only: type, Tab, series and number, Tab, birth date, Enter

    def _hint(self, name: str) -> QLabel:
        label = plain_label()
        label.setObjectName(name)
        label.setWordWrap(True)
        return label

    # What was typed ---------------------------------------------------------------------------
    def document_kind(self) -> str:
        return str(self.kind.currentData())

    def query(self) -> DocumentQuery:
        """The checked query; raises DocumentError when a field breaks its rule."""
        born = parse_dmy(self.birth_date.text(), self._today)
        return d.make_query(self.document_kind(), self.document.text(), born, self._today)

    # Checking as typed -------------------------------------------------------------------------
    def _kind_changed(self) -> None:
        kind = self.document_kind()
        self.document.clear()
        self.document.setPlaceholderText(tr(PLACEHOLDER[kind]))
        self.document.setValidator(QRegularExpressionValidator(QRegularExpression(ALLOWED[kind]), self.document))
        self._validate()

    def _document_edited(self, text: str) -> None:
        """A birth certificate's series is in capitals: small letters typed become capitals."""
        if self.document_kind() == "birth_certificate" and text != text.upper():
            position = self.document.cursorPosition()
            self.document.setText(text.upper())
            self.document.setCursorPosition(position)

    def _validate(self) -> bool:
        kind, text, born = self.document_kind(), self.document.text(), self.birth_date.text()
        doc_problem = d.document_problem(kind, text) if text.strip() else None
        self._show(self.document_hint, doc_problem, bool(text.strip()), self._document_prompt(kind))
        date_problem = None
        if born.strip():
            try:
                parse_dmy(born, self._today)
            except DocumentError as exc:
                date_problem = exc.problem
        self._show(self.birth_hint, date_problem, bool(born.strip()), RULE_TEXT[d.BIRTH_DATE_FORMAT])
        ok = bool(text.strip()) and bool(born.strip()) and doc_problem is None and date_problem is None
        self.find_button.setEnabled(ok)
        return ok

    @staticmethod
    def _document_prompt(kind: str) -> str:
        first = {"passport_rf": d.PASSPORT_FORMAT, "birth_certificate": d.BIRTH_CERTIFICATE_SERIES,
                 "snils": d.SNILS_FORMAT}[kind]  # fmt: skip
        return RULE_TEXT[first]

    def _show(self, label: QLabel, problem: str | None, typed: bool, prompt: str) -> None:
        if not typed:
            label.setText(tr(prompt))
            label.setStyleSheet("")
        elif problem is not None:
            label.setText(tr(RULE_TEXT[problem]))
            label.setStyleSheet(f"color: {REJECT_RED};")
        else:
            label.setText(QCoreApplication.translate("Search", "Введено верно."))
            label.setStyleSheet(f"color: {ACCEPT_GREEN};")

    def _try_accept(self) -> None:
        if self._validate():
            self.accept()
