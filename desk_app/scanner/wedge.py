"""Keyboard-wedge scanners: tell a scanner's burst of keystrokes from a person typing.

A USB scanner in keyboard mode "types" the QR text a few milliseconds per key and ends with
Enter (or Tab). A person types tens to hundreds of milliseconds per key. So every printable key
is *held* for up to `max_gap_ms`: if the next key comes sooner, the keys form a burst; when the
burst ends with the terminator and is long enough, it is a scan and none of its keys (nor the
terminator) reach the focused widget or press a dialog's default button. A key left alone when
the gap runs out was typed by a person and is *replayed* to the widget, in order, a few dozen
milliseconds late. A long burst that stops without a terminator (a cable wiggle, a scan cut
short) is discarded with a message, never judged.

With the Russian layout active the OS turns the scanner's key positions into Cyrillic
look-alikes ('OMS1:' arrives as 'ЩЬЫ1Ж'). The intended text is recovered from the Qt key code
when the platform gives the Latin key (Windows, macOS), else from the character's position in
the ЙЦУКЕН layout. This module is Qt-free; `qt_wedge.py` connects it to the application.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field

from desk_app.verify.payload import BASE45_ALPHABET, FORM_B_PREFIX

MIN_SCAN_CHARS = 8  # fewer fast keys are a person's key rollover, not a scan

# The Russian (ЙЦУКЕН) layout key by key against US QWERTY, unshifted then shifted.
_US_KEYS = "`1234567890-=qwertyuiop[]\\asdfghjkl;'zxcvbnm,./"
_US_SHIFTED = '~!@#$%^&*()_+QWERTYUIOP{}|ASDFGHJKL:"ZXCVBNM<>?'
_RU_KEYS = "ё1234567890-=йцукенгшщзхъ\\фывапролджэячсмитьбю."
_RU_SHIFTED = 'Ё!"№;%:?*()_+ЙЦУКЕНГШЩЗХЪ/ФЫВАПРОЛДЖЭЯЧСМИТЬБЮ,'
RUSSIAN_TO_US: dict[str, str] = {
    ru: us for ru, us in zip(_RU_KEYS + _RU_SHIFTED, _US_KEYS + _US_SHIFTED, strict=True) if ru != us
}
_CYRILLIC = frozenset(ch for ch in _RU_KEYS + _RU_SHIFTED if ch.isalpha() or ch == "№")
_QT_KEY_A, _QT_KEY_Z = 0x41, 0x5A  # Qt::Key_A .. Qt::Key_Z equal ASCII 'A'..'Z'

TERMINATORS = {"enter": "\r", "tab": "\t"}


@dataclass(frozen=True)
class KeyStroke:
    """One key press: the text the OS produced, the Qt key code, Shift, arrival time in ms."""

    text: str
    key: int
    shift: bool
    at_ms: float
    token: object = None  # the adapter's copy of the event, for replaying a person's keys


@dataclass
class Decision:
    """What to do with the current key and what happened to the keys held so far."""

    swallow: bool = False  # True: the current key must not reach the focused widget
    replay: list[KeyStroke] = field(default_factory=list)  # a person's held keys: deliver first
    scan: str | None = None  # a complete scan, recovered to the intended text
    discarded: str | None = None  # why a burst was dropped (English, for logs)


@dataclass(frozen=True)
class WedgeConfig:
    prefix: str = ""
    suffix: str = ""
    terminator: str = "enter"  # "enter" or "tab"
    max_gap_ms: float = 45.0
    min_chars: int = MIN_SCAN_CHARS


def recover_text(strokes: list[KeyStroke]) -> str:
    """The text the scanner meant, whatever layout the OS applied to its key positions."""
    russian = any(s.text in _CYRILLIC or s.text.upper() in _CYRILLIC for s in strokes)
    out: list[str] = []
    for stroke in strokes:
        text = stroke.text
        if _QT_KEY_A <= stroke.key <= _QT_KEY_Z and text and text not in string.ascii_letters:
            # The platform reported the Latin key under a non-Latin layout: trust the key.
            letter = chr(stroke.key)
            out.append(letter if stroke.shift else letter.lower())
        elif russian:
            out.append("".join(RUSSIAN_TO_US.get(ch, ch) for ch in text))
        else:
            out.append(text)
    return "".join(out)


def undo_caps_lock(text: str) -> str:
    """Caps Lock inverts a scanner's letters; form B has upper-case letters only."""
    if text[: len(FORM_B_PREFIX)].upper() == FORM_B_PREFIX and text[: len(FORM_B_PREFIX)] != FORM_B_PREFIX:
        return text.upper()
    return text


def plausibility_problem(text: str) -> str | None:
    """None when `text` looks like a whole policy QR text, else why not (English)."""
    if text.startswith(FORM_B_PREFIX):
        body = text[len(FORM_B_PREFIX) :]
        if any(ch not in BASE45_ALPHABET for ch in body):
            return "scan has characters outside Base45 (wrong layout or a garbled scan)"
        if len(body) % 3 == 1 or not body:
            return "scan is cut short (Base45 length is impossible)"
        return None
    if text.startswith("<"):
        return None if text.rstrip().endswith(">") else "scan is cut short (XML does not end)"
    return "scan is not a policy code (neither OMS1: nor XML)"


class WedgeDetector:
    """Feed it every key press (and `tick` from a timer); it says what to swallow and replay."""

    def __init__(self, config: WedgeConfig) -> None:
        self.config = config
        self._held: list[KeyStroke] = []

    @property
    def holding(self) -> bool:
        return bool(self._held)

    def deadline_ms(self) -> float | None:
        """When `tick` must be called if no key comes first."""
        return self._held[-1].at_ms + self.config.max_gap_ms if self._held else None

    def feed(self, stroke: KeyStroke) -> Decision:
        decision = Decision()
        if self._held and stroke.at_ms - self._held[-1].at_ms > self.config.max_gap_ms:
            self._end_burst(decision)
        is_terminator = stroke.text == TERMINATORS[self.config.terminator]
        if is_terminator:
            if len(self._held) >= self.config.min_chars:
                self._complete(decision)
                decision.swallow = True
            else:
                decision.replay += self._held  # a person pressed Enter after quick keys
                self._held = []
            return decision
        if not stroke.text or not stroke.text.isprintable():
            # Arrows, Backspace, shortcuts...: a person; deliver what was held, then this key.
            decision.replay += self._held
            self._held = []
            return decision
        self._held.append(stroke)
        decision.swallow = True
        return decision

    def tick(self, now_ms: float) -> Decision:
        decision = Decision()
        if self._held and now_ms - self._held[-1].at_ms >= self.config.max_gap_ms:
            self._end_burst(decision)
        return decision

    def _end_burst(self, decision: Decision) -> None:
        """The gap ran out with no terminator: a person's keys, or a partial scan."""
        held, self._held = self._held, []
        if len(held) >= self.config.min_chars:
            decision.discarded = f"partial scan of {len(held)} keys without a terminator"
        else:
            decision.replay += held

    def _complete(self, decision: Decision) -> None:
        held, self._held = self._held, []
        text = undo_caps_lock(recover_text(held))
        prefix, suffix = self.config.prefix, self.config.suffix
        if prefix:
            if not text.startswith(prefix):
                decision.discarded = "scan does not start with the configured prefix"
                return
            text = text[len(prefix) :]
        if suffix:
            if not text.endswith(suffix):
                decision.discarded = "scan does not end with the configured suffix"
                return
            text = text[: -len(suffix)]
        problem = plausibility_problem(text)
        if problem:
            decision.discarded = problem
        else:
            decision.scan = text
