"""Which way each scan came in, and whether the desk should name the fast way (Qt-free).

A keyboard-wedge scanner types a 1.3-2.3 KB code in 3-8 s; the same scanner in USB-COM (CDC /
virtual COM port) mode sends it in milliseconds. The window records each scan's transport and,
for the wedge, how long the code took to type (first key to Enter, on the window system's own
stamps); the status bar names the last one and, once the recent wedge scans typically took
longer than `SLOW_WEDGE_MS`, its tooltip suggests USB-COM mode. `desk-app doctor` reads the same
record from the desk's data folder (`scan-transport.json`, written off the GUI thread) and says
the same. Only transports, counts and durations are kept: never a code's content.
"""

from __future__ import annotations

import json
import os
import statistics
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

SLOW_WEDGE_MS = 2000.0  # a wedge scan slower than this to type: suggest USB-COM mode
RECENT = 5  # the wedge scans the suggestion looks at (the median of the latest)
FILE_NAME = "scan-transport.json"


@dataclass
class ScanTransports:
    last_source: str | None = None  # SourceKind value of the latest scan: wedge / serial / camera / file
    last_typing_ms: float | None = None  # the latest wedge scan's typing time
    last_at: str | None = None  # ISO time of the latest scan
    counts: dict[str, int] = field(default_factory=dict)
    wedge_typing_ms: list[float] = field(default_factory=list)  # the latest RECENT wedge scans

    def saw_scan(self, source: str, typing_ms: float | None = None, at: datetime | None = None) -> None:
        self.last_source = source
        self.last_at = (at or datetime.now(UTC)).isoformat(timespec="seconds")
        self.counts[source] = self.counts.get(source, 0) + 1
        self.last_typing_ms = typing_ms
        if source == "wedge" and typing_ms is not None:
            self.wedge_typing_ms = [*self.wedge_typing_ms, typing_ms][-RECENT:]

    @property
    def wedge_median_ms(self) -> float | None:
        return statistics.median(self.wedge_typing_ms) if self.wedge_typing_ms else None

    @property
    def suggest_usb_com(self) -> bool:
        """The recent keyboard-wedge scans typically took longer than `SLOW_WEDGE_MS` to type."""
        median = self.wedge_median_ms
        return median is not None and median > SLOW_WEDGE_MS

    def to_json(self) -> dict[str, Any]:
        return {
            "last_source": self.last_source, "last_typing_ms": self.last_typing_ms, "last_at": self.last_at,
            "counts": dict(self.counts), "wedge_typing_ms": list(self.wedge_typing_ms),
        }  # fmt: skip

    @classmethod
    def from_json(cls, data: Any) -> ScanTransports:
        """A record as written by `save`; anything else gives an empty record."""
        if not isinstance(data, dict):
            return cls()
        counts = data.get("counts") if isinstance(data.get("counts"), dict) else {}
        typing = data.get("wedge_typing_ms")
        last_typing = data.get("last_typing_ms")
        return cls(
            last_source=data["last_source"] if isinstance(data.get("last_source"), str) else None,
            last_typing_ms=float(last_typing) if isinstance(last_typing, (int, float)) else None,
            last_at=data["last_at"] if isinstance(data.get("last_at"), str) else None,
            counts={str(k): int(v) for k, v in counts.items() if isinstance(v, int)},
            wedge_typing_ms=[float(v) for v in typing if isinstance(v, (int, float))][-RECENT:]
            if isinstance(typing, list) else [],
        )  # fmt: skip


def record_path(data_dir: Path) -> Path:
    return data_dir / FILE_NAME


def save(path: Path, transports: ScanTransports) -> None:
    """Write the record atomically (a lane's job: never on the GUI thread)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(transports.to_json()), "utf-8")
    os.replace(tmp, path)


def load(path: Path) -> ScanTransports | None:
    """The desk's record, or None when there is none (or it cannot be read)."""
    try:
        return ScanTransports.from_json(json.loads(path.read_text("utf-8")))
    except (OSError, ValueError):
        return None
