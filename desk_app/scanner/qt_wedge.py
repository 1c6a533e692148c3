"""The keyboard-wedge detector as an application-wide Qt event filter.

Install once on the QApplication: focus does not matter, a scan typed into any window is caught.
Signals: `scanned(ScanEvent)` for a complete scan, `refused(str)` with a `Refusal` value when keys
a scanner typed did not make a scan (the window words it in Russian), `reading(int)` while a
scanner types: first when the burst's first `MIN_SCAN_CHARS` keys came at a machine's pace
(16 ms into a scan at 2 ms a key; the desk clears the previous patient and says «Читаю QR-код…»),
then every `PROGRESS_EVERY` characters. A burst announced so that ends with neither a scan nor a
refusal (its keys delivered as typed: no terminator came) is refused as cut short, so the desk
never stays on «Читаю».

Timing uses each key event's own timestamp (`QKeyEvent.timestamp()`, set by the window system
when the key happened), so a pause of the GUI thread (a garbage collection, a slow slot) cannot
split a scanner's burst. Only when no further key arrives does a local timer end the burst: it
fires the detector's gap limit plus `DELIVERY_MARGIN_MS` after the last character was
*received*, and when it fires late (the GUI thread was stalled, so input may be queued behind
it) it waits one more on-time round before deciding. Key events are stored as plain values and re-created for a replay:
`QKeyEvent.clone()` leaks ~96 bytes a call in PySide6 6.11.3.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from desk_app.config import Settings
from desk_app.scanner.events import ScanEvent, SourceKind
from desk_app.scanner.wedge import TERMINATORS, Decision, KeyKind, KeyRecord, Refusal, WedgeConfig, WedgeDetector

if TYPE_CHECKING:
    from desk_app.scanner.sources import ScanSink

log = logging.getLogger(__name__)

# How much later than its predecessor a key may reach the app (measured: p99 ~30-60 ms on a
# 2-core machine at load average 5-8, bench/wedge_endurance_bench.py "delivery"). The timer
# waits the detector's gap limit plus this after the last character was received.
DELIVERY_MARGIN_MS = 30.0
LATE_MS = 8.0  # a timer this late means the GUI thread was busy: queued keys may be waiting
CONFIRM_MS = 8.0  # one more on-time round of the event loop before a late timer decides
PROGRESS_EVERY = 128  # characters between two `reading` signals (a 2.3 KB code: 18 updates)

_TERMINATOR_TEXT = {
    int(Qt.Key.Key_Return.value): "\r", int(Qt.Key.Key_Enter.value): "\r", int(Qt.Key.Key_Tab.value): "\t"
}
_BURST_MODIFIERS = frozenset(int(k.value) for k in (Qt.Key.Key_Shift, Qt.Key.Key_AltGr, Qt.Key.Key_Mode_switch))
_SHIFT = int(Qt.KeyboardModifier.ShiftModifier.value)
_TYPING_MODIFIERS = _SHIFT | int(Qt.KeyboardModifier.KeypadModifier.value) | int(
    Qt.KeyboardModifier.GroupSwitchModifier.value
)
_ALTGR_ON_WINDOWS = int(Qt.KeyboardModifier.ControlModifier.value) | int(Qt.KeyboardModifier.AltModifier.value)
_KEY_PRESS = QEvent.Type.KeyPress
_SHORTCUT_OVERRIDE = QEvent.Type.ShortcutOverride
_KEY_EVENTS = frozenset({QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride})


def wedge_config_from(settings: Settings) -> WedgeConfig:
    return WedgeConfig(
        prefix=settings.wedge_prefix,
        suffix=settings.wedge_suffix,
        terminator=settings.wedge_terminator,
        max_gap_ms=settings.wedge_max_gap_ms,
    )


def monotonic_ms() -> float:
    return time.monotonic() * 1000.0


@dataclass(slots=True, frozen=True)
class _Replayable:
    """Everything needed to re-create a key event, and the widget it was meant for."""

    type: QEvent.Type
    key: int
    modifiers: int
    native_scan_code: int
    native_virtual_key: int
    native_modifiers: int
    text: str
    autorepeat: bool
    count: int
    timestamp: int
    receiver: QWidget


class WedgeFilter(QObject):
    """`clock` (milliseconds) stamps key events that carry no timestamp of their own (synthetic
    events: QTest, tests); events from the window system are judged on their own stamps."""

    scanned = Signal(object)  # ScanEvent
    refused = Signal(str)  # a Refusal value; the window shows why in Russian
    reading = Signal(int)  # a scanner is typing: the characters read so far

    def __init__(
        self, config: WedgeConfig, parent: QObject | None = None, *, clock: Callable[[], float] = monotonic_ms
    ) -> None:
        super().__init__(parent)
        self._fallback_clock = clock
        self._detector = WedgeDetector(config)
        self._terminator_text = TERMINATORS[config.terminator]
        self._replaying = False
        self._reading = False  # `reading` was emitted for the burst being held
        self._due_ms = 0.0  # local monotonic time at which the timer decides
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._on_timer)

    def install(self, app: QApplication) -> None:
        app.installEventFilter(self)

    def uninstall(self, app: QApplication) -> None:
        app.removeEventFilter(self)
        self._timer.stop()

    # Events -------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Called for every event of the application: the rejection of others comes first, and
        # each getter is read once (PySide6 builds a Python enum object for every call).
        etype = event.type()
        if etype not in _KEY_EVENTS or self._replaying:
            return False
        if not isinstance(watched, QWidget) or not _is_first_receiver(watched):
            return False  # the QWindow hop before the widget, or propagation to parents
        assert isinstance(event, QKeyEvent)
        key = event.key()
        mods = event.modifiers().value
        text = event.text()
        kind = self._kind(key, mods, text)
        if etype == _SHORTCUT_OVERRIDE:
            # While a burst is held, its keys must not trigger shortcuts: claim them.
            if self._detector.holding and kind is not KeyKind.OTHER:
                event.accept()
            return False
        press = etype == _KEY_PRESS
        native_scan_code = event.nativeScanCode()
        autorepeat = event.isAutoRepeat()
        timestamp = event.timestamp()
        record = KeyRecord(
            kind=kind,
            press=press,
            text=_TERMINATOR_TEXT[key] if kind is KeyKind.TERMINATOR else text,
            key=key,
            shift=bool(mods & _SHIFT),
            stamp_ms=float(timestamp) if timestamp else self._fallback_clock(),
            code=native_scan_code or key,
            autorepeat=autorepeat,
            token=_Replayable(
                etype, key, mods, native_scan_code, event.nativeVirtualKey(), event.nativeModifiers(), text,
                autorepeat, event.count(), timestamp, watched,
            ),
        )
        was_holding = self._detector.holding
        decision = self._detector.feed(record)
        if decision.replay or decision.scan is not None or decision.refusal is not None:
            self._apply(decision)
        self._end_reading(decision)
        if decision.started:
            self._reading = True
            self.reading.emit(self._detector.held_chars)
        elif self._reading and press and kind is KeyKind.CHAR and self._detector.held_chars % PROGRESS_EVERY == 0:
            self.reading.emit(self._detector.held_chars)
        if self._detector.holding:
            if not was_holding or (press and kind is not KeyKind.MODIFIER):
                self._due_ms = monotonic_ms() + self._detector.gap_limit_ms + DELIVERY_MARGIN_MS
                if not self._timer.isActive():
                    self._arm(self._due_ms)  # a timer that fires early re-arms itself to the new due
        elif was_holding:
            self._timer.stop()
        return decision.swallow

    def _kind(self, key: int, mods: int, text: str) -> KeyKind:
        if key in _BURST_MODIFIERS:
            return KeyKind.MODIFIER
        plain = not (mods & ~_TYPING_MODIFIERS)
        terminator = _TERMINATOR_TEXT.get(key)
        if terminator is not None:
            return KeyKind.TERMINATOR if plain and terminator == self._terminator_text else KeyKind.OTHER
        if not text or not text.isprintable():
            return KeyKind.OTHER
        altgr = (mods & _ALTGR_ON_WINDOWS) == _ALTGR_ON_WINDOWS  # Windows reports AltGr as Ctrl+Alt
        return KeyKind.CHAR if plain or altgr else KeyKind.OTHER

    # Timer --------------------------------------------------------------------------------
    def _arm(self, due_ms: float) -> None:
        self._due_ms = due_ms
        self._timer.start(max(0, int(due_ms - monotonic_ms()) + 1))

    def _on_timer(self) -> None:
        if not self._detector.holding:
            return
        now = monotonic_ms()
        if now < self._due_ms:
            self._arm(self._due_ms)  # fired early, or keys came since it was started
            return
        if now - self._due_ms > LATE_MS:
            self._arm(now + CONFIRM_MS)  # stalled: let queued key events in before deciding
            return
        decision = self._detector.gap_over()
        self._apply(decision)
        self._end_reading(decision)

    def _end_reading(self, decision: Decision) -> None:
        """An announced burst is over: by a scan or a refusal, or else it is refused here."""
        if not self._reading or (self._detector.holding and decision.scan is None and decision.refusal is None):
            return
        self._reading = False
        if decision.scan is None and decision.refusal is None:
            # Its keys were delivered as typed (no terminator), or kept for a rest after a stall.
            log.warning("wedge keys refused (cut_short): a machine-paced burst ended without a scan")
            self.refused.emit(Refusal.CUT_SHORT.value)

    # Results ------------------------------------------------------------------------------
    def _apply(self, decision: Decision) -> None:
        if decision.replay:
            self._replay(decision.replay)
        if decision.refusal is not None:  # it concerns keys before the scan's terminator: say it first
            log.warning("wedge keys refused (%s): %s", decision.refusal.value, decision.detail)
            self.refused.emit(decision.refusal.value)
        if decision.scan is not None:
            rejoined = f" ({decision.detail})" if decision.detail and decision.refusal is None else ""
            log.info("wedge scan of %d characters%s", len(decision.scan), rejoined)
            self.scanned.emit(ScanEvent(SourceKind.WEDGE, decision.scan.encode("utf-8"), origin="keyboard",
                                        typing_ms=decision.typing_ms))

    def _replay(self, records: list[KeyRecord]) -> None:
        """Deliver a person's held keys, in their press/release order, to the widget each was meant
        for (or, if that one is gone, the widget that has the focus now)."""
        self._replaying = True
        try:
            for record in records:
                token = record.token
                if not isinstance(token, _Replayable):
                    continue
                target = token.receiver if shiboken6.isValid(token.receiver) else QApplication.focusWidget()
                if target is None:
                    continue
                event = QKeyEvent(
                    token.type, token.key, Qt.KeyboardModifier(token.modifiers), token.native_scan_code,
                    token.native_virtual_key, token.native_modifiers, token.text, token.autorepeat, token.count,
                )
                event.setTimestamp(token.timestamp)
                QApplication.sendEvent(target, event)
        finally:
            self._replaying = False


def _is_first_receiver(widget: QWidget) -> bool:
    """Whether Qt delivers a key event to `widget` first (as QWidgetWindow chooses the receiver)."""
    grabber = QWidget.keyboardGrabber()
    if grabber is not None:
        return widget is grabber
    popup = QApplication.activePopupWidget()
    if popup is not None:
        return widget is (popup.focusWidget() or popup)
    focus = QApplication.focusWidget()
    return widget is focus if focus is not None else widget.isWindow()


class WedgeSource:
    """The keyboard wedge as a registered source (desk_app.scanner.sources): the app-wide key
    filter, installed on `start()` and removed on `stop()`; it runs on the GUI thread."""

    kind = SourceKind.WEDGE

    def __init__(self, settings: Settings, sink: ScanSink, clock: Callable[[], float] | None = None) -> None:
        self.filter = WedgeFilter(wedge_config_from(settings), clock=clock or monotonic_ms)
        self.filter.scanned.connect(sink.scanned)
        # Keys a scanner typed that did not make a scan: a scan that started and failed.
        self.filter.refused.connect(sink.scan_refused)
        self.filter.reading.connect(sink.scan_reading)  # a scanner is typing

    def start(self) -> None:
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        self.filter.install(app)

    def stop(self) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            self.filter.uninstall(app)


def open_source(settings: Settings, sink: ScanSink, *, clock: Callable[[], float] | None = None,
                **_options: Any) -> WedgeSource:  # fmt: skip
    """The registry's opener; `clock` (milliseconds) replaces the monotonic clock (tests)."""
    return WedgeSource(settings, sink, clock)
