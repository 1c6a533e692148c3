"""Keyboard-wedge scanners: tell a scanner's burst of keystrokes from a person typing.

A USB HID scanner in keyboard mode "types" the QR text as key positions, a few milliseconds per
key, pressing Shift (AltGr on some layouts) around every shifted character, and ends with Enter
(or Tab). A person types tens to hundreds of milliseconds per key. Every key event that could be
part of a burst is *held* while the detector decides; the adapter (`qt_wedge.py`) swallows what
is held and, when the keys turn out to be a person's, *replays* them in their original
press/release order. Nothing a person typed is dropped: only a complete scan, a refused
form-A code, or a burst that already spells the start of a policy code is kept from the widgets.

The timings (all measured on the events' own timestamps, stamped by the window system when the
key happened, never on when the application got round to them):

* `GAP_MS` = 45: the longest gap between two character presses of one burst. Scanners type
  2-10 ms per character (full-speed USB HID polls every 1 ms and needs 2-4 reports per
  character; the issue-13 XTEST injector never paused more than 6.7 ms), up to ~20 ms for
  low-speed devices polled every 8-10 ms; Zebra/Honeywell "intercharacter delay" is 0 ms by
  default. A very fast typist types 60 ms per key (200 wpm), an ordinary fast one 120 ms (100
  wpm); typing studies (Dhakal et al., CHI 2018, 136 M keystrokes) put the mean inter-key
  interval near 240 ms. 45 ms is 2x the slowest default scanner and 15 ms under the fastest
  typist's pace; it is the existing `scanner.wedge_max_gap_ms` setting's default.
* `MIN_SCAN_CHARS` = 8: a person's fastest key rollover covers 2-4 keys under the gap; 8
  consecutive sub-gap presses never come from a person, and the shortest signed form-B policy
  is hundreds of characters, so the threshold costs no scan.
* End of scan: the configured terminator (Enter, or Tab) pressed within the gap after at least
  `MIN_SCAN_CHARS` characters. A burst that stops without one is over once a character press
  comes more than the gap later, or the adapter's timer finds the gap over; it is refused with a
  message only when it already spells a policy code's start, otherwise it is replayed.
* `MACHINE_PACE_MS` = 20: a terminated burst that is no policy code at all is refused as a
  scanned non-policy code only when its median gap is a machine's (<= the slowest default
  scanner); at a person's pace its keys and the Enter are delivered as typed.
* `STALL_TOLERANCE_MS` = 300: once a burst's first `MIN_SCAN_CHARS` characters came at a
  machine's pace (and in a refused form-A code's further lines), a longer gap (up to 300 ms)
  does not end it: on a loaded 2-core machine (load
  average 7-8) the X server itself stamped gaps of 60-100 ms into a steady XTEST stream
  (bench/wedge_endurance_bench.py). If such a burst then does not decode whole, it is judged
  again with the strict gap, part by part, so a person's keys after a real pause are delivered.
* `REJOIN_MS` = 2000: a scan split by a longer stall (its first part refused as cut short) is
  made whole again when its rest, at a machine's pace, starts within 2 s of the cut and ends
  with the terminator, and the joined text decodes whole (Base45 and zlib complete: a person's
  keys never complete a cut zlib stream, so none of theirs is taken). The refusal shown for the
  cut part is then replaced by the verdict; without this a 300 ms stall cost the scan.
* `MAX_SCAN_CHARS`: no QR text is longer than `payload.MAX_QR_CHARS` (7,000, plus room for a
  prefix and suffix), so neither a burst nor a cut scan with its rest is kept beyond it: a burst
  that reaches it ends there (judged as a burst that stopped), and a rest that would make a cut
  scan longer ends the cut scan (refused as no policy). Every buffer here is bounded by it
  (`MAX_BUFFERED_RECORDS`, `buffered_records`): before, a machine's 8-character bursts with no
  terminator were all kept as one cut scan's rest (17,147 key records after 2,000 bursts).

With the Russian layout active the OS turns the scanner's key positions into Cyrillic
look-alikes ('OMS1:' arrives as 'ЩЬЫ1Ж'). The intended text is recovered from the Qt key code
when the platform gives the Latin key (Windows, macOS), else from the character's position in
the ЙЦУКЕН layout. Form A (raw XML with Cyrillic and line breaks) cannot pass through a keyboard:
it is recognised by its start (`<?xml` or `<Policy`, or the Russian-layout image `Б...`) and
refused as a whole, the rest of its lines included. This module is Qt-free.
"""

from __future__ import annotations

import itertools
import re
import statistics
import string
from dataclasses import dataclass, field, replace
from enum import Enum

from desk_app.verify.payload import BASE45_ALPHABET, FORM_B_PREFIX, MAX_QR_CHARS, decode_payload

GAP_MS = 45.0
MIN_SCAN_CHARS = 8
MACHINE_PACE_MS = 20.0
STALL_TOLERANCE_MS = 300.0
REJOIN_MS = 2000.0
MAX_SCAN_CHARS = MAX_QR_CHARS + 100  # the longest QR text, with a prefix and a suffix
MAX_HELD_RECORDS = 4 * MAX_SCAN_CHARS  # press and release of each character and of a Shift around it
MAX_BUFFERED_RECORDS = MAX_HELD_RECORDS + MAX_SCAN_CHARS  # the held burst and a cut scan's characters

# The Russian (ЙЦУКЕН) layout key by key against US QWERTY, unshifted then shifted.
_US_KEYS = "`1234567890-=qwertyuiop[]\\asdfghjkl;'zxcvbnm,./"
_US_SHIFTED = '~!@#$%^&*()_+QWERTYUIOP{}|ASDFGHJKL:"ZXCVBNM<>?'
_RU_KEYS = "ё1234567890-=йцукенгшщзхъ\\фывапролджэячсмитьбю."
_RU_SHIFTED = 'Ё!"№;%:?*()_+ЙЦУКЕНГШЩЗХЪ/ФЫВАПРОЛДЖЭЯЧСМИТЬБЮ,'
RUSSIAN_TO_US: dict[str, str] = {
    ru: us for ru, us in zip(_RU_KEYS + _RU_SHIFTED, _US_KEYS + _US_SHIFTED, strict=True) if ru != us
}
_CYRILLIC = frozenset(ch for ch in _RU_KEYS + _RU_SHIFTED if ch.isalpha() or ch == "№")
_RUSSIAN_TO_US_TABLE = str.maketrans(RUSSIAN_TO_US)
_BASE45 = frozenset(BASE45_ALPHABET)
_QT_KEY_A, _QT_KEY_Z = 0x41, 0x5A  # Qt::Key_A .. Qt::Key_Z equal ASCII 'A'..'Z'
_FORM_A_START = re.compile(r"\s*<(\?xml|([A-Za-z_][\w.-]*:)?Policy\b)")

TERMINATORS = {"enter": "\r", "tab": "\t"}


class KeyKind(Enum):
    CHAR = "char"  # a key that types printable text with no Ctrl/Alt/Meta (Shift and AltGr allowed)
    MODIFIER = "modifier"  # Shift, AltGr / ISO_Level3_Shift: part of a scanner's burst
    TERMINATOR = "terminator"  # the configured end-of-scan key (Enter or Tab)
    OTHER = "other"  # arrows, Backspace, F-keys, shortcuts: always a person's


class Refusal(Enum):
    """Why keys that a scanner typed did not become a scan (the window words each in Russian)."""

    FORM_A = "form_a"  # raw XML: a keyboard cannot type it; use the camera or open the file
    CUT_SHORT = "cut_short"  # the start of a policy code, then nothing or a broken rest
    NOT_A_POLICY = "not_a_policy"  # a scanned code that is not a policy at all


@dataclass(slots=True)
class KeyRecord:
    """One key event as the detector needs it; `token` is the adapter's data to replay it."""

    kind: KeyKind
    press: bool
    text: str
    key: int
    shift: bool
    stamp_ms: float  # the event's own timestamp (window-system time), milliseconds
    code: int = 0  # identifies the physical key across press and release (native scan code)
    autorepeat: bool = False
    token: object = None


@dataclass
class Decision:
    """What to do with the current key and what happened to the keys held so far."""

    swallow: bool = False  # True: the current key must not reach the focused widget
    replay: list[KeyRecord] = field(default_factory=list)  # a person's held keys: deliver first, in order
    scan: str | None = None  # a complete scan, recovered to the intended text
    refusal: Refusal | None = None  # keys a scanner typed that are not a scan (the window says why)
    detail: str | None = None  # why, in English, for the log (never the content)


@dataclass(frozen=True)
class WedgeConfig:
    prefix: str = ""
    suffix: str = ""
    terminator: str = "enter"  # "enter" or "tab"
    max_gap_ms: float = GAP_MS
    min_chars: int = MIN_SCAN_CHARS
    machine_pace_ms: float = MACHINE_PACE_MS
    stall_tolerance_ms: float = STALL_TOLERANCE_MS
    rejoin_ms: float = REJOIN_MS


def _latin_key_for_other_text(stroke: KeyRecord) -> bool:
    """The platform reported a Latin letter key for a stroke whose text is no Latin letter."""
    return _QT_KEY_A <= stroke.key <= _QT_KEY_Z and bool(stroke.text) and stroke.text not in string.ascii_letters


def recover_text(strokes: list[KeyRecord], *, latin_keyed: bool | None = None) -> str:
    """The text the scanner meant, whatever layout the OS applied to its key positions.

    Runs on the GUI thread between the Enter press and the scan's submission, over ~1,300
    strokes: the usual cases (all text as typed, or all of it Russian-layout look-alikes) take
    C-speed string operations. `latin_keyed`: whether any stroke is `_latin_key_for_other_text`,
    when the caller kept count while the keys came (None: find out here)."""
    typed = "".join([s.text for s in strokes])
    russian = not _CYRILLIC.isdisjoint(typed) or not _CYRILLIC.isdisjoint(typed.upper())
    if latin_keyed is None:
        latin_keyed = any(map(_latin_key_for_other_text, strokes))
    if not latin_keyed:
        return typed.translate(_RUSSIAN_TO_US_TABLE) if russian else typed
    out: list[str] = []
    for stroke in strokes:
        text = stroke.text
        if _latin_key_for_other_text(stroke):
            # The platform reported the Latin key under a non-Latin layout: trust the key.
            letter = chr(stroke.key)
            out.append(letter if stroke.shift else letter.lower())
        elif russian:
            out.append(text.translate(_RUSSIAN_TO_US_TABLE))
        else:
            out.append(text)
    return "".join(out)


def undo_caps_lock(text: str) -> str:
    """Caps Lock inverts a scanner's letters; form B has upper-case letters only."""
    if text[: len(FORM_B_PREFIX)].upper() == FORM_B_PREFIX and text[: len(FORM_B_PREFIX)] != FORM_B_PREFIX:
        return text.upper()
    return text


def looks_like_form_a(typed: str, recovered: str) -> bool:
    """The start of a raw-XML policy, as typed (US layout) or as recovered (Russian layout)."""
    return bool(_FORM_A_START.match(typed) or _FORM_A_START.match(recovered))


def starts_like_form_b(text: str) -> bool:
    head = text[: len(FORM_B_PREFIX)].upper()
    return len(head) >= 3 and FORM_B_PREFIX.startswith(head)


def plausibility_problem(text: str) -> str | None:
    """None when `text` looks like a whole form-B policy QR text, else why not (English)."""
    if text.startswith(FORM_B_PREFIX):
        body = text[len(FORM_B_PREFIX) :]
        if not _BASE45.issuperset(body):
            return "scan has characters outside Base45 (wrong layout or a garbled scan)"
        if len(body) % 3 == 1 or not body:
            return "scan is cut short (Base45 length is impossible)"
        return None
    return "scan is not a policy code (no OMS1: prefix)"


def gap_ms(later: float, earlier: float) -> float:
    """Milliseconds between two event stamps; X11 stamps are 32-bit and wrap every 49.7 days."""
    gap = later - earlier
    if gap < -(2**31) and earlier < 2**32:
        gap += 2**32
    return gap


class WedgeDetector:
    """Feed it every key event (press and release) in arrival order, and `gap_over()` when the
    adapter's timer finds no character came for the gap; it says what to swallow and replay."""

    def __init__(self, config: WedgeConfig) -> None:
        self.config = config
        self._held: list[KeyRecord] = []
        self._held_chars = 0
        self._held_char_records: list[KeyRecord] = []  # the character presses among `_held`, kept as they come
        self._latin_keyed = False  # a held character is `_latin_key_for_other_text`
        self._last_char_ms: float | None = None
        self._absorbing = False  # swallowing the rest of a refused form-A code until a gap
        self._pressed_swallowed: set[int] = set()  # keys whose press was swallowed: swallow the release
        self._machine_burst = False  # the first min_chars characters came at a machine's pace
        self._stalled = False  # a gap longer than max_gap_ms was tolerated inside this burst
        self._cut: list[KeyRecord] = []  # the characters of the latest scan refused as cut short

    @property
    def holding(self) -> bool:
        """True while keys are held or a refused code's rest is being swallowed: run the timer."""
        return bool(self._held) or self._absorbing

    @property
    def gap_limit_ms(self) -> float:
        """The longest gap that does not end the current burst: the strict gap for a person's
        keys, the stall tolerance once the held keys are a machine's or while a refused form-A
        code's further lines are swallowed (keys a person types within that time after such a
        code are swallowed with it: no one reacts to a refusal that fast)."""
        if self._machine_burst or self._absorbing:
            return self.config.stall_tolerance_ms
        return self.config.max_gap_ms

    @property
    def buffered_records(self) -> int:
        """Key records kept between calls (the held burst and a cut scan); at most
        MAX_BUFFERED_RECORDS."""
        return len(self._held) + len(self._cut)

    def feed(self, rec: KeyRecord) -> Decision:
        decision = Decision()
        starts_char = rec.press and rec.kind in (KeyKind.CHAR, KeyKind.TERMINATOR) and not rec.autorepeat
        if starts_char and self._last_char_ms is not None:
            gap = gap_ms(rec.stamp_ms, self._last_char_ms)
            if gap > self.gap_limit_ms:
                self._burst_over(decision)
            elif gap > self.config.max_gap_ms:
                self._stalled = True
        if not rec.press:
            return self._release(rec, decision)
        if rec.kind is KeyKind.OTHER or rec.autorepeat:
            # A person: whatever was held goes first, then this key, untouched.
            self._burst_over(decision)
            self._pressed_swallowed.discard(rec.code)
            return decision
        self._pressed_swallowed.discard(rec.code)
        if self._absorbing:
            if rec.kind is not KeyKind.MODIFIER:
                self._last_char_ms = rec.stamp_ms
            self._pressed_swallowed.add(rec.code)
            decision.swallow = True
            return decision
        if rec.kind is KeyKind.TERMINATOR:
            self._terminated(rec, decision)
            return decision
        self._held.append(rec)
        if rec.kind is KeyKind.CHAR:
            self._held_chars += 1
            self._held_char_records.append(rec)
            self._latin_keyed = self._latin_keyed or _latin_key_for_other_text(rec)
            self._last_char_ms = rec.stamp_ms
            if self._held_chars == self.config.min_chars:
                self._machine_burst = self._machine_paced(self._held_char_records)
        decision.swallow = True
        if self._held_chars > MAX_SCAN_CHARS or len(self._held) > MAX_HELD_RECORDS:
            self._burst_over(decision)  # longer than any QR text: judged as a burst that stopped here
        return decision

    def gap_over(self) -> Decision:
        """No character came for the gap: the burst is over (a person's keys, or a cut scan)."""
        decision = Decision()
        self._burst_over(decision)
        return decision

    def _release(self, rec: KeyRecord, decision: Decision) -> Decision:
        if rec.code in self._pressed_swallowed:
            self._pressed_swallowed.discard(rec.code)
            decision.swallow = True
        elif self._held:
            self._held.append(rec)  # kept in order behind its press (a short Space on a button)
            decision.swallow = True
            if len(self._held) > MAX_HELD_RECORDS:
                self._burst_over(decision)
        return decision

    def _take(self) -> list[KeyRecord]:
        held, self._held = self._held, []
        self._held_chars = 0
        self._held_char_records = []
        self._latin_keyed = False
        self._last_char_ms = None
        self._machine_burst = False
        self._stalled = False
        return held

    def _judge_strictly(self, held: list[KeyRecord], decision: Decision, terminator: KeyRecord | None) -> None:
        """A burst kept together across a tolerated stall that is no valid scan: judge its keys
        again with the strict gap, as if each longer pause had ended a burst."""
        strict = WedgeDetector(replace(self.config, stall_tolerance_ms=self.config.max_gap_ms))
        strict._cut = self._cut
        for rec in held:
            _merge(decision, strict.feed(rec))
        last = strict.feed(terminator) if terminator is not None else strict.gap_over()
        _merge(decision, last)
        decision.swallow = last.swallow
        self._pressed_swallowed |= strict._pressed_swallowed
        self._absorbing = strict._absorbing
        self._last_char_ms = strict._last_char_ms if strict._absorbing else None
        self._cut = strict._cut

    def _drop(self, held: list[KeyRecord]) -> None:
        """Keys that were a scanner's: the releases still to come must not reach a widget either
        (a key's last event in `held` decides: pressed, or released already)."""
        last_is_press = {rec.code: rec.press for rec in held}
        self._pressed_swallowed.difference_update([code for code, press in last_is_press.items() if not press])
        self._pressed_swallowed.update([code for code, press in last_is_press.items() if press])

    def _burst_over(self, decision: Decision) -> None:
        self._absorbing = False
        stalled = self._stalled
        held = self._take()
        if stalled:
            self._judge_strictly(held, decision, None)
            return
        chars = [r for r in held if r.press and r.kind is KeyKind.CHAR]
        cut, self._cut = self._cut, []
        if len(chars) >= self.config.min_chars:
            typed = "".join(r.text for r in chars)
            recovered = undo_caps_lock(recover_text(chars))
            if looks_like_form_a(typed, recovered):
                self._refuse(decision, held, Refusal.FORM_A, f"raw XML (form A) of {len(chars)} keys by keyboard")
                return
            if starts_like_form_b(self._strip_prefix(recovered)):
                self._refuse(decision, held, Refusal.CUT_SHORT, f"policy code cut short after {len(chars)} keys")
                self._cut = chars
                return
            if self._continues(cut, chars) and self._machine_paced(chars):
                if len(cut) + len(chars) > MAX_SCAN_CHARS:  # longer than any QR text: no scan
                    self._refuse(decision, held, Refusal.NOT_A_POLICY,
                                 f"keys after a cut scan longer than any QR code ({len(cut) + len(chars)})")
                    return
                self._drop(held)  # the middle of a scan split by two stalls: kept for its rest
                self._cut = cut + chars
                return
        decision.replay += held

    def _terminated(self, terminator: KeyRecord, decision: Decision) -> None:
        cut, self._cut = self._cut, []
        if self._continues(cut, self._held_char_records) and self._rejoined(cut, terminator, decision):
            return
        if self._held_chars < self.config.min_chars:
            self._burst_over(decision)  # a person pressed Enter after a few quick keys
            return
        stalled = self._stalled
        chars, latin_keyed = self._held_char_records, self._latin_keyed
        held = self._take()
        typed = "".join([r.text for r in chars])
        recovered = undo_caps_lock(recover_text(chars, latin_keyed=latin_keyed))
        text = self._strip_prefix(recovered)
        if stalled and not _decodes(text[: -len(self.config.suffix)] if self.config.suffix else text):
            self._judge_strictly(held, decision, terminator)
            return
        if looks_like_form_a(typed, recovered) or looks_like_form_a("", text):
            self._refuse(decision, held, Refusal.FORM_A, f"raw XML (form A) of {len(chars)} keys by keyboard")
            self._absorbing = True  # its further lines follow at the scanner's pace
            self._last_char_ms = terminator.stamp_ms
        elif (scanned := self._without_suffix(text)) is None:
            self._refuse(decision, held, Refusal.CUT_SHORT, "scan does not end with the configured suffix")
        else:
            text = scanned
            problem = plausibility_problem(text)
            if problem is None:
                self._drop(held)
                decision.scan = text
            elif starts_like_form_b(text):
                self._refuse(decision, held, Refusal.CUT_SHORT, problem)
            elif self._machine_paced(chars):
                self._refuse(decision, held, Refusal.NOT_A_POLICY, problem)
            else:
                decision.replay += held  # a fast person: their keys and their Enter, as typed
                return
        self._pressed_swallowed.add(terminator.code)
        decision.swallow = True

    def _continues(self, cut: list[KeyRecord], chars: list[KeyRecord]) -> bool:
        """`chars` could be the rest of the cut scan: they started soon after it and do not
        themselves start a policy code (a fresh scan after the refusal stands on its own)."""
        if not cut or not chars or gap_ms(chars[0].stamp_ms, cut[-1].stamp_ms) > self.config.rejoin_ms:
            return False
        return not starts_like_form_b(self._strip_prefix(undo_caps_lock(recover_text(chars[:8]))))

    def _rejoined(self, cut: list[KeyRecord], terminator: KeyRecord, decision: Decision) -> bool:
        """The cut scan and these keys decode whole together: submit the scan, drop the keys."""
        text = self._without_suffix(self._strip_prefix(undo_caps_lock(recover_text(cut + self._held_char_records))))
        if text is None or plausibility_problem(text) is not None or not _decodes(text):
            return False
        self._drop(self._take())
        self._pressed_swallowed.add(terminator.code)
        decision.scan = text
        decision.swallow = True
        decision.detail = f"scan made whole again after a stall ({len(cut)} + more keys)"
        return True

    def _strip_prefix(self, text: str) -> str:
        prefix = self.config.prefix
        return text[len(prefix) :] if prefix and text.startswith(prefix) else text

    def _without_suffix(self, text: str) -> str | None:
        """`text` without the configured suffix; None when a suffix is configured and missing."""
        suffix = self.config.suffix
        if not suffix:
            return text
        return text[: -len(suffix)] if text.endswith(suffix) else None

    def _machine_paced(self, chars: list[KeyRecord]) -> bool:
        gaps = [gap_ms(b.stamp_ms, a.stamp_ms) for a, b in itertools.pairwise(chars)]
        return bool(gaps) and statistics.median(gaps) <= self.config.machine_pace_ms

    def _refuse(self, decision: Decision, held: list[KeyRecord], refusal: Refusal, detail: str) -> None:
        self._drop(held)
        decision.refusal = refusal
        decision.detail = detail


def _merge(into: Decision, part: Decision) -> None:
    into.replay += part.replay
    into.scan = into.scan if part.scan is None else part.scan
    if into.refusal is None and part.refusal is not None:
        into.refusal, into.detail = part.refusal, part.detail


def _decodes(text: str) -> bool:
    """A burst kept across a stall counts as a scan only if it decodes whole (Base45 and zlib
    complete): keys of a cut scan and of a person who typed on may still spell valid Base45."""
    try:
        decode_payload(text)
    except ValueError:
        return False
    return True
