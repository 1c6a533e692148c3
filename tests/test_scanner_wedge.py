"""Keyboard-wedge scans through real Qt key events, in the Latin and the Russian layout,
interleaved with a person typing into a QLineEdit inside a dialog with a default button.

The filter tells a scanner from a person by the time between key presses. The tests give it a
controlled clock (`KeyClock`) that moves exactly as a scanner (2 ms a key) or a person (~110 ms
a key) would, so a loaded machine pausing the test process between two `sendEvent` calls cannot
make a scanner's burst look interrupted. The filter's own QTimer still runs in real time and
flushes a person's held key once the clock says the gap has passed.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QPushButton, QVBoxLayout
from pytestqt.qtbot import QtBot

from desk_app.config import Settings
from desk_app.scanner.events import ScanEvent, SourceKind
from desk_app.scanner.qt_wedge import DISCARDED_MESSAGE_RU, WedgeFilter, wedge_config_from
from desk_app.scanner.wedge import RUSSIAN_TO_US, KeyStroke, WedgeConfig, WedgeDetector, recover_text
from desk_app.verify.payload import decode_payload, encode_form_b

US_TO_RUSSIAN = {us: ru for ru, us in RUSSIAN_TO_US.items()}
PAYLOAD = encode_form_b("<Policy>тест</Policy>".encode())  # 'OMS1:' + Base45: letters, digits, $%*+-./:


SCANNER_GAP_MS = 2.0  # a USB scanner types a character every 1-8 ms
PERSON_GAP_MS = 110


class KeyClock:
    """Milliseconds that move only when the test says time passed between key presses."""

    def __init__(self) -> None:
        self.now_ms = 1_000_000.0

    def __call__(self) -> float:
        return self.now_ms

    def advance(self, ms: float) -> None:
        self.now_ms += ms


class Desk:
    def __init__(self, qtbot: QtBot, config: WedgeConfig) -> None:
        self.clock = KeyClock()
        self.dialog = QDialog()
        self.field = QLineEdit(self.dialog)
        self.ok = QPushButton("OK", self.dialog)
        self.ok.setDefault(True)
        self.ok.clicked.connect(self.dialog.accept)
        layout = QVBoxLayout(self.dialog)
        layout.addWidget(self.field)
        layout.addWidget(self.ok)
        self.accepted = 0
        self.dialog.accepted.connect(self._on_accept)
        qtbot.addWidget(self.dialog)
        self.dialog.show()
        qtbot.waitExposed(self.dialog)
        self.field.setFocus()
        qtbot.waitUntil(lambda: QApplication.focusWidget() is self.field)
        self.filter = WedgeFilter(config, clock=self.clock)
        self.filter.install(QApplication.instance())  # type: ignore[arg-type]
        self.scans: list[ScanEvent] = []
        self.discards: list[str] = []
        self.filter.scanned.connect(self.scans.append)
        self.filter.discarded.connect(self.discards.append)

    def _on_accept(self) -> None:
        self.accepted += 1

    def close(self) -> None:
        self.filter.uninstall(QApplication.instance())  # type: ignore[arg-type]


@pytest.fixture
def desk(qtbot: QtBot) -> Iterator[Desk]:
    d = Desk(qtbot, WedgeConfig(max_gap_ms=45))
    yield d
    d.close()


def scanner_types(
    widget: QLineEdit, clock: KeyClock, text: str, *, layout: str = "latin", enter: bool = True
) -> None:
    """What a scanner does: key presses SCANNER_GAP_MS apart.

    layout "latin": the OS gives the Latin text. "russian-x11": Cyrillic text and Cyrillic key
    codes (Linux). "russian-win": Cyrillic text but the Latin Qt key (Windows, macOS).
    """
    for ch in text:
        shift = ch.isupper() or ch in '~!@#$%^&*()_+{}|:"<>?'
        shown = ch if layout == "latin" else US_TO_RUSSIAN.get(ch, ch)
        if layout == "russian-win" and ch.isalpha():
            key = ord(ch.upper())
        elif shown.isalpha():
            key = ord(shown.upper())
        else:
            key = ord(ch) if ch != " " else Qt.Key.Key_Space
        mods = Qt.KeyboardModifier.ShiftModifier if shift else Qt.KeyboardModifier.NoModifier
        QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyPress, key, mods, shown))
        clock.advance(SCANNER_GAP_MS)
    if enter:
        QApplication.sendEvent(
            widget, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, "\r")
        )
        clock.advance(SCANNER_GAP_MS)


def person_types(qtbot: QtBot, widget: QLineEdit, clock: KeyClock, text: str, delay_ms: int = PERSON_GAP_MS) -> None:
    """A person: real key events `delay_ms` apart (QTest.keyClicks cannot type Cyrillic). The
    real wait lets the filter's timer deliver a held key, as it would between a person's keys."""
    for ch in text:
        if ch == "\r":
            key, mods = Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier
        else:
            key = ord(ch.upper()) if ch.isalpha() else ord(ch)
            mods = Qt.KeyboardModifier.ShiftModifier if ch.isupper() else Qt.KeyboardModifier.NoModifier
        QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyPress, key, mods, ch))
        clock.advance(delay_ms)
        qtbot.wait(delay_ms)


@pytest.mark.parametrize("layout", ["latin", "russian-x11", "russian-win"])
def test_scan_interleaved_with_human_typing(qtbot: QtBot, desk: Desk, layout: str) -> None:
    person_types(qtbot, desk.field, desk.clock, "Иван")
    scanner_types(desk.field, desk.clock, PAYLOAD, layout=layout)
    person_types(qtbot, desk.field, desk.clock, "ов")
    qtbot.waitUntil(lambda: desk.field.text() == "Иванов", timeout=2000)
    assert [s.payload for s in desk.scans] == [PAYLOAD.encode("ascii")]
    assert desk.scans[0].source is SourceKind.WEDGE
    assert decode_payload(desk.scans[0].payload) == "<Policy>тест</Policy>".encode()
    assert desk.accepted == 0  # the scanner's Enter did not press the default button
    assert desk.discards == []


def test_person_pressing_enter_still_presses_the_default_button(qtbot: QtBot, desk: Desk) -> None:
    person_types(qtbot, desk.field, desk.clock, "12")
    qtbot.waitUntil(lambda: desk.field.text() == "12", timeout=1000)  # the last key: replayed by the timer
    person_types(qtbot, desk.field, desk.clock, "\r")
    qtbot.waitUntil(lambda: desk.accepted == 1, timeout=2000)
    assert desk.field.text() == "12"
    assert desk.scans == []


def test_cable_wiggle_partial_burst_is_discarded_with_message(qtbot: QtBot, desk: Desk) -> None:
    scanner_types(desk.field, desk.clock, PAYLOAD[:40], enter=False)
    desk.clock.advance(200)  # the keys stop: the filter's timer finds the gap over
    qtbot.waitUntil(lambda: desk.discards == [DISCARDED_MESSAGE_RU], timeout=2000)
    assert desk.scans == []
    assert desk.field.text() == ""  # the half scan did not land in the field either


def test_garbled_scan_with_terminator_is_discarded(qtbot: QtBot, desk: Desk) -> None:
    scanner_types(desk.field, desk.clock, "HELLO WORLD 123")
    assert desk.discards == [DISCARDED_MESSAGE_RU]
    assert desk.scans == [] and desk.accepted == 0


def test_tab_terminator_prefix_and_suffix(qtbot: QtBot) -> None:
    settings = Settings(wedge_prefix="]Q1", wedge_suffix="#", wedge_terminator="tab")
    desk = Desk(qtbot, wedge_config_from(settings))
    try:
        scanner_types(desk.field, desk.clock, "]Q1" + PAYLOAD + "#", enter=False)
        QApplication.sendEvent(
            desk.field, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Tab, Qt.KeyboardModifier.NoModifier, "\t")
        )
        assert [s.payload for s in desk.scans] == [PAYLOAD.encode("ascii")]
        assert QApplication.focusWidget() is desk.field  # Tab did not move the focus
    finally:
        desk.close()


def test_ctrl_shortcut_is_never_held(qtbot: QtBot, desk: Desk) -> None:
    person_types(qtbot, desk.field, desk.clock, "abc")
    qtbot.keyClick(desk.field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)  # select all
    qtbot.keyClick(desk.field, Qt.Key.Key_Backspace)
    assert desk.field.text() == ""


# Qt-free logic ------------------------------------------------------------------------------
def _strokes(text: str, gap_ms: float, start: float = 0.0) -> list[KeyStroke]:
    return [KeyStroke(ch, ord(ch.upper()), ch.isupper(), start + i * gap_ms) for i, ch in enumerate(text)]


def test_recover_every_base45_character_from_the_russian_layout() -> None:
    from desk_app.verify.payload import BASE45_ALPHABET

    text = "OMS1:" + BASE45_ALPHABET
    russian = "".join(US_TO_RUSSIAN.get(ch, ch) for ch in text)
    assert russian.startswith("ЩЬЫ1Ж")
    assert recover_text([KeyStroke(ch, 0, ch.isupper(), 0) for ch in russian]) == text


def test_caps_lock_is_undone() -> None:
    detector = WedgeDetector(WedgeConfig())
    for stroke in _strokes(PAYLOAD.swapcase(), 2):
        detector.feed(stroke)
    assert detector.feed(KeyStroke("\r", 0, False, len(PAYLOAD) * 2)).scan == PAYLOAD


def test_fast_two_key_rollover_is_a_person() -> None:
    detector = WedgeDetector(WedgeConfig(max_gap_ms=45))
    a, b = _strokes("ab", 20)
    assert detector.feed(a).swallow and detector.feed(b).swallow
    decision = detector.tick(100)
    assert [s.text for s in decision.replay] == ["a", "b"] and decision.discarded is None


def test_slow_keys_are_replayed_one_by_one() -> None:
    detector = WedgeDetector(WedgeConfig(max_gap_ms=45))
    first, second = _strokes("xy", 150)
    detector.feed(first)
    decision = detector.feed(second)  # the gap ran out before this key: 'x' goes first
    assert [s.text for s in decision.replay] == ["x"] and decision.swallow
