"""The status bar: scanners, camera, registry, trust list, database — always visible."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from desk_app.ui.probes import DeskStatus

LEVEL_STYLE = {"ok": "color: #1b6e2a;", "warn": "color: #8a5a00;", "bad": "color: #b3121f;", "off": "color: #555;"}


class DeskStatusBar(QStatusBar):
    FIELDS = ("scanner", "camera", "registry", "trust", "database")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.labels: dict[str, QLabel] = {}
        for name in self.FIELDS:
            label = QLabel("…")
            label.setObjectName(f"status_{name}")
            self.addPermanentWidget(label)
            self.labels[name] = label

    def show_status(self, status: DeskStatus) -> None:
        for name in self.FIELDS:
            text, level = getattr(status, name)
            label = self.labels[name]
            label.setText(text)
            label.setStyleSheet(LEVEL_STYLE.get(level, ""))

    def set_item(self, name: str, text: str, level: str) -> None:
        self.labels[name].setText(text)
        self.labels[name].setStyleSheet(LEVEL_STYLE.get(level, ""))
