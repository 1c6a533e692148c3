"""The desk window's layout: the verdict panel on the left, the passport check and the visit
form on the right, today's visits below, the status bar; and a Tab order with no traps."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QSplitter, QVBoxLayout, QWidget

from desk_app.ui.camera_view import CameraPreview
from desk_app.ui.identity_panel import IdentityPanel
from desk_app.ui.plain_text import plain_label
from desk_app.ui.status_bar import DeskStatusBar
from desk_app.ui.verdict_panel import VerdictPanel
from desk_app.ui.visits_panel import RecordPanel, TodayPanel


@dataclass(frozen=True)
class DeskWidgets:
    """The desk's panels, made by `build`: what the window and its helpers may talk to."""

    banner: QLabel
    panel: VerdictPanel
    identity: IdentityPanel
    record: RecordPanel
    today: TodayPanel
    camera_view: CameraPreview
    status: DeskStatusBar


def build(window: QMainWindow, tz: ZoneInfo) -> DeskWidgets:
    """Create the panels, lay them out in `window` (central widget, status bar) and return them."""
    banner = plain_label()
    banner.setObjectName("banner")
    banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
    banner.setWordWrap(True)
    w = DeskWidgets(
        banner=banner, panel=VerdictPanel(tz), identity=IdentityPanel(), record=RecordPanel(),
        today=TodayPanel(tz), camera_view=CameraPreview(), status=DeskStatusBar(),
    )  # fmt: skip
    w.camera_view.setVisible(False)

    right = QWidget()
    right_layout = QVBoxLayout(right)
    right_layout.setContentsMargins(0, 0, 0, 0)
    right_layout.addWidget(w.camera_view, 0, Qt.AlignmentFlag.AlignHCenter)
    right_layout.addWidget(w.identity)
    right_layout.addWidget(w.record, 1)
    top = QWidget()
    top_layout = QHBoxLayout(top)
    top_layout.setContentsMargins(0, 0, 0, 0)
    top_layout.addWidget(w.panel, 3)
    top_layout.addWidget(right, 2)
    splitter = QSplitter(Qt.Orientation.Vertical)
    splitter.addWidget(top)
    splitter.addWidget(w.today)
    splitter.setStretchFactor(0, 1)
    splitter.setStretchFactor(1, 0)
    # Today's list gets its minimum height (room for 5 visits); the verdict panel all the rest.
    splitter.setSizes([700, 1])
    central = QWidget()
    layout = QVBoxLayout(central)
    layout.setContentsMargins(10, 8, 10, 6)
    layout.addWidget(w.banner)
    layout.addWidget(splitter, 1)
    window.setCentralWidget(central)
    window.setStatusBar(w.status)
    set_tab_order(w)
    return w


def set_tab_order(w: DeskWidgets) -> None:
    """Passport → service search → list → doctor → reason → record → today's search → cancel →
    table, and Tab from the table leaves it (no trap)."""
    chain = [
        w.identity.passport, w.identity.button, w.record.services.filter, w.record.services.list,
        w.record.doctor, w.record.warn_reason, w.record.record_button, w.record.override_button,
        w.today.search, w.today.cancel_button, w.today.table,
    ]  # fmt: skip
    for first, second in itertools.pairwise(chain):
        QWidget.setTabOrder(first, second)
