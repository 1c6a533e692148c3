"""The one result every scanning route delivers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum


class SourceKind(StrEnum):
    WEDGE = "wedge"
    SERIAL = "serial"
    CAMERA = "camera"


@dataclass(frozen=True)
class ScanEvent:
    """One QR text as scanned: raw bytes (never a decoder's guessed text), where and when."""

    source: SourceKind
    payload: bytes
    at: datetime = field(default_factory=lambda: datetime.now(UTC))
    origin: str = ""  # port name, camera URL, file name: for logs, never personal data
    typing_ms: float | None = None  # keyboard wedge: first key to Enter, on the window system's stamps

    def __repr__(self) -> str:  # the payload is personal data: show its size only
        return f"ScanEvent(source={self.source.value}, bytes={len(self.payload)}, origin={self.origin!r})"
