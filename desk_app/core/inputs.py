"""What `desk-app verify INPUT` accepts: `-` (stdin), a text file with the QR text, an image or a PDF."""

from __future__ import annotations

import sys
from pathlib import Path

IMAGE_AND_PDF_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".bmp", ".tif", ".tiff", ".gif", ".pdf"}
MAX_TEXT_INPUT_BYTES = 256 * 1024


class InputError(Exception):
    """The input cannot be read (English, one line).

    `reason`: "unreadable", "no_code" or "time_budget" (a PDF searched for too long), so a
    window can say which in its own language.
    """

    def __init__(self, message: str, reason: str = "unreadable") -> None:
        super().__init__(message)
        self.reason = reason


def payloads_from_input(name: str) -> list[bytes]:
    """The QR payload(s) an input holds; a text input holds exactly one."""
    if name == "-":
        return [sys.stdin.buffer.read(MAX_TEXT_INPUT_BYTES + 1)]
    path = Path(name)
    if not path.is_file():  # a FIFO, a device or a directory is never read: it may never end
        if path.is_dir():
            raise InputError(f"{name}: is a directory")
        raise InputError(f"{name}: is not a regular file" if path.exists() else f"{name}: no such file")
    if path.suffix.lower() in IMAGE_AND_PDF_SUFFIXES:
        from desk_app.scanner.files import payloads_from_file

        try:
            payloads = payloads_from_file(path)
        except (OSError, ValueError) as exc:
            raise InputError(f"{name}: {exc}", getattr(exc, "reason", "unreadable")) from None
        if not payloads:
            raise InputError(f"{name}: no QR code found", "no_code")
        return payloads
    try:
        with path.open("rb") as fh:
            return [fh.read(MAX_TEXT_INPUT_BYTES + 1)]
    except OSError as exc:
        raise InputError(f"{name}: {exc.strerror or exc}") from None
