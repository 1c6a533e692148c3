"""The status bar: scanners, camera, registry, trust list, database — always visible."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from desk_app.ui.plain_text import plain_label
from desk_app.ui.probes import DeskStatus
from desk_app.ui.theme import LEVEL_TEXT

LEVEL_STYLE = {level: f"color: {colour};" for level, colour in LEVEL_TEXT.items()}


class DeskStatusBar(QStatusBar):
    FIELDS = ("scanner", "camera", "registry", "trust", "database")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.labels: dict[str, QLabel] = {}
        for name in self.FIELDS:
            label = plain_label("…")
            label.setObjectName(f"status_{name}")
            self.addPermanentWidget(label)
            self.labels[name] = label

    def show_status(self, status: DeskStatus) -> None:
        for name in self.FIELDS:
            self.set_item(name, *getattr(status, name))
        if self.labels["scanner"].toolTip() != status.scanner_tip:
            self.labels["scanner"].setToolTip(status.scanner_tip)

    def set_item(self, name: str, text: str, level: str) -> None:
        label = self.labels[name]
        if label.text() != text:
            label.setText(text)
        style = LEVEL_STYLE.get(level, "")
        if label.styleSheet() != style:  # a new style sheet re-polishes: only when the level changes
            label.setStyleSheet(style)
