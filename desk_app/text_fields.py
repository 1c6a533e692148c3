"""What staff may type into a text field that is stored (doctor, reasons, desk id): one rule.

- Line breaks, tabs and every kind of Unicode space are accepted and folded into single spaces:
  a reason pasted over several lines is stored on one line (the register has one line per visit).
- Control characters (C0 other than those, DEL, C1), invisible format characters (bidi
  embeddings, overrides and isolates, zero-width spaces and joiners, the BOM, the soft hyphen),
  blank-looking letters and marks (Hangul fillers, the braille blank, variation selectors ...),
  surrogates, private-use and unassigned code points are refused with a message naming the
  character: they hide or reorder what a reader sees, and break exports.
- Empty after folding is "not given"; longer than `MAX_TEXT` characters is refused.

Used by the ledger (desk_app.visits.service), the configuration (`desk.id`) and the CLI; the
window gets the same refusal as a `TextFieldError` (`.field`, `.problem`, `.char`) to word it.
"""

from __future__ import annotations

import unicodedata
from typing import Literal

MAX_TEXT = 500  # doctor names, reasons: enough for a sentence, not for a novel
Problem = Literal["control_character", "invisible_character", "too_long", "empty"]


class TextFieldError(ValueError):
    """A typed text that cannot be stored; the message (English) names the field and the character."""

    def __init__(self, field: str, problem: Problem, message: str, char: str | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.problem = problem
        self.char = char


# Letters and marks that look blank or vanish (not Cf, so the category test misses them): Hangul
# fillers, Khmer inherent vowels, Mongolian free variation selectors, the braille blank, variation
# selectors, the combining grapheme joiner, the object replacement and replacement characters. The policy profile
# refuses the same set in documents (desk_app.verify.profile, docs/verification.md "Characters").
BLANK_LOOKING = frozenset(
    "\u034f\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180e\u180f\u2800\u3164\uffa0\ufffc\ufffd"
    + "".join(map(chr, range(0xFE00, 0xFE10)))
    + "".join(map(chr, range(0xE0100, 0xE01F0)))
)


def _refusal(ch: str) -> Problem | None:
    category = unicodedata.category(ch)
    if category == "Cc":
        return "control_character"
    if category in ("Cf", "Cs", "Co", "Cn") or ch in BLANK_LOOKING:
        return "invisible_character"
    return None


def is_hidden(ch: str) -> bool:
    """A character the rule above refuses: a control (C0, DEL, C1), an invisible format character
    (bidi overrides, zero-width ...), a surrogate, private-use, unassigned or blank-looking one."""
    return _refusal(ch) is not None or ch in "\ufffe\uffff"


def escape_hidden(text: str, *, keep: str = "") -> str:
    """`text` with every hidden character (is_hidden) but those in `keep` written as a visible
    escape: `\\x1b` for C0/C1, `\\u202E`, `\\U000E0001`; a lone surrogate from a file name that
    was not UTF-8 (surrogateescape) as the byte it stands for, `\\xff`."""
    out = []
    for ch in text:
        if ch in keep or not is_hidden(ch):
            out.append(ch)
            continue
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:
            out.append(f"\\x{code - 0xDC00:02x}")
        elif code <= 0xFF:
            out.append(f"\\x{code:02x}")
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04X}")
        else:
            out.append(f"\\U{code:08X}")
    return "".join(out)


def clean_text(value: str | None, field: str, *, max_length: int = MAX_TEXT) -> str | None:
    """`value` with whitespace folded, or None when empty; raises TextFieldError (see the module doc)."""
    if value is None:
        return None
    words = value.split()  # every Unicode space, tab, line and paragraph break
    for word in words:
        for ch in word:
            problem = _refusal(ch)
            if problem is not None:
                kind = "a control character" if problem == "control_character" else "an invisible formatting character"
                raise TextFieldError(field, problem, f"{field} contains {kind} (U+{ord(ch):04X}); type plain text",
                                     ch)  # fmt: skip
    text = " ".join(words)
    if not text:
        return None
    if len(text) > max_length:
        raise TextFieldError(field, "too_long", f"{field} is longer than {max_length} characters")
    return text


def required_text(value: str | None, field: str, *, max_length: int = MAX_TEXT) -> str:
    text = clean_text(value, field, max_length=max_length)
    if text is None:
        raise TextFieldError(field, "empty", f"{field} must not be empty")
    return text


def printable(value: object) -> str:
    """Any stored value as text that every export format can carry, nothing dropped.

    Bytes are decoded (bad UTF-8 as U+FFFD), other types as str(); a character the rule above
    refuses is written as a visible escape `\\uXXXX` (an export never fails on it, and a reader
    sees that something odd was stored).
    """
    if value is None:
        return ""
    if isinstance(value, bytes | bytearray | memoryview):
        text = bytes(value).decode("utf-8", "replace")
    else:
        text = value if isinstance(value, str) else str(value)
    out = []
    for ch in text:
        if ch in "\t\n\r":
            out.append(" ")
        elif _refusal(ch) is not None or ch in "\ufffe\uffff":
            out.append(f"\\u{ord(ch):04X}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08X}")
        else:
            out.append(ch)
    return "".join(out)
