"""The verdict panel changes colour without re-styling its widgets (Enter -> colour <= 25 ms).

A `setStyleSheet` per state change re-polished the panel and all its labels: 1.5-3.5 ms on a
real X display, twice a scan (busy, then the verdict), on the path the issue-13 endurance bench
times (docs/performance.md, "Keyboard wedge"). The colour now goes through the palette and the
panel's own paint (the `session` branch's panel; this test came from the wedge-perf branch's
identical fix)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from desk_app.ui.verdict_panel import BORDER, COLOURS, RADIUS, VerdictPanel


class _StyleChanges(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.StyleChange:
            self.count += 1
        return False


def test_state_changes_paint_the_colours_without_restyling_the_labels(qtbot: QtBot) -> None:
    panel = VerdictPanel(ZoneInfo("Europe/Moscow"))
    qtbot.addWidget(panel)
    panel.resize(600, 400)
    panel.show()
    qtbot.waitExposed(panel)
    watcher = _StyleChanges()
    labels = panel.findChildren(QLabel)
    for label in labels:
        label.installEventFilter(watcher)
    for state in ("busy", "accept", "busy", "reject", "warn", "idle"):
        panel._paint(state)
        panel.headline.setText("ПРОВЕРКА")
        image = panel.grab().toImage()
        background, foreground = COLOURS[state]
        inside = int(BORDER + RADIUS) + 2  # past the border and the rounded corner
        assert QColor(image.pixel(image.width() - inside, image.height() - inside)).name() == background
        assert panel.headline.palette().windowText().color().name() == foreground
        headline = panel.headline.grab().toImage()
        colours = {
            QColor(headline.pixel(x, y)).name() for x in range(headline.width()) for y in range(headline.height())
        }
        assert foreground in colours, f"no {foreground} text on the {state} panel"
    assert watcher.count == 0, f"{watcher.count} style changes on {len(labels)} labels"
