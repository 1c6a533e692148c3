"""The large coloured verdict: green accept, amber warn, red reject, grey while idle or busy.

It shows only what the verification core read from signed content (`Verdict.policy` and
`Judgement.details`), or, for manual entry, what was typed, marked as such.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from desk_app.ui import texts
from desk_app.verify.verdict import Verdict

# Background and text colours: WCAG contrast above 4.5:1 for each pair.
COLOURS: dict[str, tuple[str, str]] = {
    "accept": ("#1b6e2a", "#ffffff"),
    "warn": ("#f2b01e", "#1a1a1a"),
    "reject": ("#b3121f", "#ffffff"),
    "idle": ("#e6e8eb", "#1a1a1a"),
    "busy": ("#cfd8e3", "#1a1a1a"),
}


def detail(details: Any, key: str) -> str | None:
    """A signed extra from Judgement.details (a mapping or an object), or None."""
    if details is None:
        return None
    value = details.get(key) if isinstance(details, dict) else getattr(details, key, None)
    return str(value) if value not in (None, "") else None


class VerdictPanel(QFrame):
    def __init__(self, tz: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("verdictPanel")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._tz = tz
        self.state = "idle"
        self.verdict: Verdict | None = None

        self.headline = self._label(25, bold=True)
        self.subline = self._label(16)
        self.manual_marker = self._label(14, bold=True)
        self.name = self._label(24, bold=True)
        self.fields: dict[str, QLabel] = {}

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.setSpacing(6)
        layout.addWidget(self.headline)
        layout.addWidget(self.subline)
        layout.addWidget(self.manual_marker)
        layout.addSpacing(8)
        layout.addWidget(self.name)

        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(6)
        rows = [
            ("birth_date", self.tr("Дата рождения")),
            ("number", self.tr("Номер полиса")),
            ("insurer", self.tr("Страховая компания")),
            ("validity", self.tr("Срок действия")),
            ("kind", self.tr("Вид полиса, регион")),
            ("status", self.tr("Статус")),
        ]
        for row, (key, caption) in enumerate(rows):
            cap = self._label(14)
            cap.setText(caption + ":")
            value = self._label(16)
            if key == "number":
                value.setFont(QFont("DejaVu Sans Mono", 22, QFont.Weight.Bold))
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(cap, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(value, row, 1)
            self.fields[key] = value
        grid.setColumnStretch(1, 1)
        self._grid_host = QWidget()
        self._grid_host.setLayout(grid)
        layout.addWidget(self._grid_host)

        self.reasons_caption = self._label(14, bold=True)
        self.reasons_caption.setText(self.tr("Причины и проверки:"))
        self.reasons = self._label(14)
        layout.addWidget(self.reasons_caption)
        layout.addWidget(self.reasons)
        layout.addStretch(1)
        self.show_idle()

    def _label(self, size: int, *, bold: bool = False) -> QLabel:
        label = QLabel()
        font = QFont()
        font.setPointSize(size)
        font.setBold(bold)
        label.setFont(font)
        label.setWordWrap(True)
        return label

    # States ------------------------------------------------------------------------------
    def _paint(self, state: str) -> None:
        """Colour the panel for `state` through its palette (the labels inherit the text colour)
        and `paintEvent`: a `setStyleSheet` here re-polished the panel and every label, 1.5-3.5 ms
        on each change, twice a scan (busy, then the verdict) on the way from Enter to the colour."""
        self.state = state
        background, foreground = COLOURS[state]
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(background))
        palette.setColor(QPalette.ColorRole.WindowText, QColor(foreground))
        self.setPalette(palette)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(COLOURS[self.state][0]))
        painter.drawRoundedRect(QRectF(self.rect()), 10, 10)
        painter.end()

    def background(self) -> QColor:
        return QColor(COLOURS[self.state][0])

    def _details_visible(self, visible: bool) -> None:
        for widget in (self.name, self._grid_host, self.reasons_caption, self.reasons):
            widget.setVisible(visible)

    def show_idle(self, message: str | None = None) -> None:
        self.verdict = None
        self._paint("idle")
        self.headline.setText(message or self.tr("Готово к сканированию"))
        self.subline.setText(
            self.tr("Поднесите QR-код полиса к сканеру. Ручной ввод номера — F2, файл — Ctrl+O.")
        )
        self.manual_marker.setVisible(False)
        self._details_visible(False)

    def show_busy(self, message: str) -> None:
        self.verdict = None
        self._paint("busy")
        self.headline.setText(message)
        self.subline.setText(self.tr("Подождите, идёт проверка…"))
        self.manual_marker.setVisible(False)
        self._details_visible(False)

    def show_problem(self, headline: str, detail_text: str) -> None:
        """A scan that never became a verdict (unreadable file, internal error): amber, not red."""
        self.verdict = None
        self._paint("warn")
        self.headline.setText(headline)
        self.subline.setText(detail_text)
        self.manual_marker.setVisible(False)
        self._details_visible(False)

    def show_verdict(self, verdict: Verdict, details: Any = None) -> None:
        self.verdict = verdict
        self._paint(verdict.decision)
        self.headline.setText(texts.headline(verdict, self._tz))
        self.subline.setText(texts.subline(verdict.decision))
        manual = verdict.signature == "not_applicable"
        self.manual_marker.setVisible(manual)
        self.manual_marker.setText(
            self.tr("ВВЕДЕНО ВРУЧНУЮ — проверено только по регистру, подпись не проверялась")
        )
        p = verdict.policy
        self._details_visible(True)
        self.name.setVisible(bool(p.last_name))
        self.name.setText(texts.full_name(verdict))
        insurer_name = detail(details, "insurer_name")
        insurer = insurer_name or "—"
        if p.insurer_code:
            insurer += " " + self.tr("(код %1)").replace("%1", p.insurer_code)
        kind = detail(details, "kind")
        region = detail(details, "region")
        kind_text = texts.tr(texts.KIND_TEXT[kind]) if kind in texts.KIND_TEXT else (kind or "—")
        self.fields["birth_date"].setText(texts.fmt_date(p.birth_date))
        self.fields["number"].setText(texts.grouped_number(p.number))
        self.fields["insurer"].setText(insurer)
        self.fields["validity"].setText(texts.validity(verdict))
        self.fields["kind"].setText(kind_text + (f", {region}" if region else ""))
        self.fields["status"].setText(texts.status_line(verdict, self._tz))
        self.reasons.setText("\n".join("• " + line for line in texts.reason_lines(verdict)))
