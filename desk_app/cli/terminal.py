"""The one way the CLI writes to a terminal: hidden characters escaped, never sent raw.

A file name, a field of a policy or a registry's text can hold an escape sequence (`ESC ] 0;`
retitles the terminal, `ESC [ 2J` clears it), C1 controls (U+009B is a CSI on some terminals)
or bidi overrides (U+202E reverses what follows). Whatever the CLI echoes goes through `echo`
(human lines; the newlines between lines kept, every other control escaped, `\\x1b`) or
`json_text` (JSON: C0 is escaped by JSON itself; C1, bidi and the other invisible characters
as `\\uXXXX`, still valid JSON). The character class is desk_app.text_fields.is_hidden.
"""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

from desk_app.text_fields import escape_hidden, is_hidden


def terminal_text(value: object, *, lines: bool = False) -> str:
    """`value` as text safe to print: every hidden character escaped (with `lines`, "\\n" kept)."""
    return escape_hidden(value if isinstance(value, str) else str(value), keep="\n" if lines else "")


def echo(*parts: object, file: TextIO | None = None, flush: bool = False) -> None:
    """print() for the CLI: the parts joined by spaces, hidden characters escaped, line breaks kept."""
    print(terminal_text(" ".join(str(p) for p in parts), lines=True), file=file or sys.stdout, flush=flush)


def _json_escape(ch: str) -> str:
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF or code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def json_text(value: Any, **kwargs: Any) -> str:
    """json.dumps(value, ensure_ascii=False) with every hidden character as a JSON escape."""
    text = json.dumps(value, ensure_ascii=False, **kwargs)
    # Outside strings JSON has only spaces and (with indent) newlines; inside, C0 is escaped already.
    return "".join(_json_escape(ch) if ch != "\n" and is_hidden(ch) else ch for ch in text)
