"""The keyboard-wedge detector as an application-wide Qt event filter.

Install once on the QApplication: focus does not matter, a scan typed into any window is caught.
Signals: `scanned(ScanEvent)` for a complete scan, `discarded(str)` with a Russian message for
the window when a burst was cut short or is not a policy code.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from desk_app.config import Settings
from desk_app.scanner.events import ScanEvent, SourceKind
from desk_app.scanner.wedge import Decision, KeyStroke, WedgeConfig, WedgeDetector

log = logging.getLogger(__name__)

DISCARDED_MESSAGE_RU = "Код считан не полностью. Отсканируйте ещё раз."
_TERMINATOR_KEYS = {Qt.Key.Key_Return: "\r", Qt.Key.Key_Enter: "\r", Qt.Key.Key_Tab: "\t"}


def wedge_config_from(settings: Settings) -> WedgeConfig:
    return WedgeConfig(
        prefix=settings.wedge_prefix,
        suffix=settings.wedge_suffix,
        terminator=settings.wedge_terminator,
        max_gap_ms=settings.wedge_max_gap_ms,
    )


def monotonic_ms() -> float:
    return time.monotonic() * 1000.0


class WedgeFilter(QObject):
    """`clock` (milliseconds) stamps each key press and judges the gaps; tests pass a controlled one
    so that a loaded machine's scheduling pauses cannot split a burst that a scanner typed."""

    scanned = Signal(object)  # ScanEvent
    discarded = Signal(str)  # Russian message for the window

    def __init__(
        self, config: WedgeConfig, parent: QObject | None = None, *, clock: Callable[[], float] = monotonic_ms
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self._detector = WedgeDetector(config)
        self._replaying = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._on_gap)
        self._target: QWidget | None = None

    def install(self, app: QApplication) -> None:
        app.installEventFilter(self)

    def uninstall(self, app: QApplication) -> None:
        app.removeEventFilter(self)
        self._timer.stop()

    def _now_ms(self) -> float:
        return self._clock()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._replaying or event.type() not in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            return False
        if not isinstance(watched, QWidget) or not self._is_first_receiver(watched):
            return False  # the QWindow hop before the widget, or propagation to parents
        assert isinstance(event, QKeyEvent)
        if event.type() == QEvent.Type.ShortcutOverride:
            # While a burst is held, its keys must not trigger shortcuts: claim them.
            if self._detector.holding and self._plain_key(event):
                event.accept()
            return False
        if not self._plain_key(event):
            self._apply(self._detector.feed(KeyStroke("", event.key(), False, self._now_ms())))
            return False
        text = _TERMINATOR_KEYS.get(Qt.Key(event.key()), event.text())
        shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        stroke = KeyStroke(text, event.key(), shift, self._now_ms(), token=event.clone())
        self._target = watched
        decision = self._detector.feed(stroke)
        self._apply(decision)
        self._arm_timer()
        return decision.swallow

    def _arm_timer(self) -> None:
        deadline = self._detector.deadline_ms()
        if deadline is not None:
            self._timer.start(max(0, int(deadline - self._now_ms()) + 1))

    @staticmethod
    def _plain_key(event: QKeyEvent) -> bool:
        mods = event.modifiers() & ~(Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier)
        return mods == Qt.KeyboardModifier.NoModifier

    @staticmethod
    def _is_first_receiver(widget: QWidget) -> bool:
        focus = QApplication.focusWidget()
        return widget is focus if focus is not None else widget.isWindow()

    def _on_gap(self) -> None:
        self._apply(self._detector.tick(self._now_ms()))
        self._arm_timer()  # a timer may fire a little early: check again later

    def _apply(self, decision: Decision) -> None:
        if decision.replay:
            self._replay(decision.replay)
        if decision.scan is not None:
            log.info("wedge scan of %d characters", len(decision.scan))
            self.scanned.emit(ScanEvent(SourceKind.WEDGE, decision.scan.encode("utf-8"), origin="keyboard"))
        if decision.discarded is not None:
            log.warning("wedge burst discarded: %s", decision.discarded)
            self.discarded.emit(DISCARDED_MESSAGE_RU)

    def _replay(self, strokes: list[KeyStroke]) -> None:
        """Deliver a person's held keys, in order, to the widget that has focus now."""
        target = QApplication.focusWidget() or self._target
        if target is None:
            return
        self._replaying = True
        try:
            for stroke in strokes:
                if isinstance(stroke.token, QKeyEvent):
                    QApplication.sendEvent(target, stroke.token)
        finally:
            self._replaying = False
