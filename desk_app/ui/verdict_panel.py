"""The large verdict panel: the desk's state from a metre away, by colour, glyph and border.

Green ✓ accept, amber ! warn, red ✕ reject, grey while idle or busy; after a visit is
recorded, blue ✓ "Приём записан"; after a refused one, violet ✕ "Услуга уже записана сегодня";
a scan that failed, ↻ "отсканируйте ещё раз" (looks in `desk_app.ui.theme`).

It shows only what the verification core read from signed content (`Verdict.policy` and
`Judgement.details`), or, for manual entry, what was typed, marked as such.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from desk_app.ui import texts
from desk_app.ui.plain_text import plain_label
from desk_app.ui.theme import LOOKS
from desk_app.verify.verdict import TRUST_ROOT_NOT_CONFIGURED, Verdict

if TYPE_CHECKING:
    from desk_app.core.judge import PolicyDetails, SearchFacts

BORDER = 6.0
RADIUS = 10.0
PEN_STYLE = {"solid": Qt.PenStyle.SolidLine, "dashed": Qt.PenStyle.DashLine, "dotted": Qt.PenStyle.DotLine}

# Background and text colours of each state (WCAG contrast above 4.5:1 for each pair).
COLOURS: dict[str, tuple[str, str]] = {name: (look.background, look.foreground) for name, look in LOOKS.items()}


def detail(details: PolicyDetails | Mapping[str, object] | None, key: str) -> str | None:
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
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # the desk's focus when nothing is to be typed
        self._tz = tz
        self.state = "idle"
        self._painted: str | None = None
        self._details_shown: bool | None = None
        self.verdict: Verdict | None = None

        self.glyph = self._label(34, bold=True)
        self.glyph.setObjectName("verdictGlyph")
        self.glyph.setWordWrap(False)
        self.glyph.setFixedWidth(56)
        self.glyph.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.headline = self._label(23, bold=True)
        self.subline = self._label(15)
        self.manual_marker = self._label(13, bold=True)
        self.name = self._label(21, bold=True)
        self.fields: dict[str, QLabel] = {}

        layout = QVBoxLayout(self)
        margin = int(BORDER) + 12
        layout.setContentsMargins(margin + 4, margin, margin + 4, margin)
        layout.setSpacing(4)
        top = QHBoxLayout()
        top.addWidget(self.glyph, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.headline, 1)
        layout.addLayout(top)
        layout.addWidget(self.subline)
        layout.addWidget(self.manual_marker)
        layout.addSpacing(4)
        layout.addWidget(self.name)

        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(3)
        rows = [
            ("birth_date", self.tr("Дата рождения")),
            ("number", self.tr("Номер полиса")),
            ("insurer", self.tr("Страховая компания")),
            ("validity", self.tr("Срок действия")),
            ("kind", self.tr("Вид полиса, регион")),
            ("status", self.tr("Статус")),
        ]
        for row, (key, caption) in enumerate(rows):
            cap = self._label(13)
            cap.setWordWrap(False)  # one line each: a wrapped caption made its row taller
            cap.setText(caption + ":")
            value = self._label(15)
            if key == "number":
                value.setFont(QFont("DejaVu Sans Mono", 19, QFont.Weight.Bold))
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(cap, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(value, row, 1)
            self.fields[key] = value
        grid.setColumnStretch(1, 1)
        self._grid_host = QWidget()
        self._grid_host.setLayout(grid)
        layout.addWidget(self._grid_host)

        self.reasons_caption = self._label(13, bold=True)
        self.reasons_caption.setText(self.tr("Причины и проверки:"))
        self.reasons = self._label(13)
        layout.addWidget(self.reasons_caption)
        layout.addWidget(self.reasons)
        layout.addStretch(1)
        self.show_idle()

    def _label(self, size: int, *, bold: bool = False) -> QLabel:
        label = plain_label()
        font = QFont()
        font.setPointSize(size)
        font.setBold(bold)
        label.setFont(font)
        label.setWordWrap(True)
        return label

    # States ------------------------------------------------------------------------------
    def _paint(self, state: str) -> None:
        if state == self._painted:
            return  # a style sheet re-polishes every label: only when the state changes
        self.state = self._painted = state
        look = LOOKS[state]
        # Palette, not a style sheet: a style sheet re-polishes every label on each change.
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.WindowText, QColor(look.foreground))
        self.setPalette(palette)
        self.update()
        self.glyph.setText(look.glyph)
        self.glyph.setVisible(bool(look.glyph))

    def paintEvent(self, event: QPaintEvent) -> None:
        """The state's background, and its border (solid, dashed, dotted or double) in the text colour."""
        look = LOOKS[self.state]
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(QColor(look.background))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawRoundedRect(QRectF(self.rect()), RADIUS, RADIUS)
        pen = QPen(QColor(look.foreground), BORDER / 2 if look.border == "double" else BORDER)
        pen.setStyle(PEN_STYLE.get(look.border, Qt.PenStyle.SolidLine))
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        inset = BORDER / 4 if look.border == "double" else BORDER / 2
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(inset, inset, -inset, -inset), RADIUS, RADIUS)
        if look.border == "double":
            inner = inset + BORDER
            painter.drawRoundedRect(QRectF(self.rect()).adjusted(inner, inner, -inner, -inner), RADIUS, RADIUS)
        painter.end()

    def background(self) -> QColor:
        return QColor(COLOURS[self.state][0])

    def _details_visible(self, visible: bool) -> None:
        if visible == self._details_shown:
            return
        self._details_shown = visible
        for widget in (self.name, self._grid_host, self.reasons_caption, self.reasons):
            widget.setVisible(visible)

    def show_idle(self, message: str | None = None) -> None:
        self.verdict = None
        self._paint("idle")
        self.headline.setText(message or self.tr("Готово к сканированию"))
        self.subline.setText(
            self.tr("Поднесите QR-код полиса к сканеру. Ручной ввод номера — F2, поиск по документу — F3, "
                    "файл — Ctrl+O.")
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

    def show_reading(self, chars: int) -> None:
        """A keyboard-wedge scanner is typing a code (3-8 s for 1.3-2.3 KB): say so at once."""
        self.verdict = None
        self._paint("busy")
        self.headline.setText(self.tr("Читаю QR-код…"))
        self.subline.setText(
            self.tr("Прочитано знаков: %1. Держите полис у сканера до сигнала.").replace("%1", str(chars))
        )
        self.manual_marker.setVisible(False)
        self._details_visible(False)

    def show_message(self, state: str, headline: str, detail_text: str) -> None:
        """A state with no verdict fields: problem, scan_failed, recorded, refused."""
        self.verdict = None
        self._paint(state)
        self.headline.setText(headline)
        self.subline.setText(detail_text)
        self.manual_marker.setVisible(False)
        self._details_visible(False)

    def show_verdict(
        self, verdict: Verdict, details: PolicyDetails | Mapping[str, object] | None = None,
        search: SearchFacts | None = None,
    ) -> None:  # fmt: skip
        """`search` when the policy was searched for by document: the panel says how it was
        found (or not) instead of "typed"."""
        self.verdict = verdict
        self._paint(verdict.decision)
        if search is not None:
            self.headline.setText(texts.search_headline(verdict, search, self._tz))
            self.subline.setText(texts.search_subline(verdict, search))
        else:
            self.headline.setText(texts.headline(verdict, self._tz))
            self.subline.setText(texts.subline(verdict.decision))
        # Typed (or found) and judged by the registry; not a desk that judged nothing (no trust root).
        manual = verdict.signature == "not_applicable" and TRUST_ROOT_NOT_CONFIGURED not in verdict.reasons
        self.manual_marker.setVisible(manual)
        self.manual_marker.setText(
            texts.search_marker(search) if search is not None
            else self.tr("ВВЕДЕНО ВРУЧНУЮ — проверено только по регистру, подпись не проверялась")
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
        values = {
            "birth_date": texts.fmt_date(p.birth_date),
            "number": texts.grouped_number(p.number),
            "insurer": insurer,
            "validity": texts.validity(verdict),
            "kind": kind_text + (f", {region}" if region else ""),
            "status": texts.status_line(verdict, self._tz),
        }
        for key, text in values.items():
            self.fields[key].setText(text.strip() or "—")  # an empty field says so, never blank
        self.reasons.setText("\n".join("• " + line for line in texts.reason_lines(verdict)))
