"""Every scanning route behind one protocol, and the one registry of them.

A source (keyboard wedge, serial port, camera, ...) is opened by its module's
`open_source(settings, sink, **options) -> ScanSource`, delivers to a `ScanSink` (from any
thread: the window's sink posts to the GUI thread through its one dispatcher), and is started
and stopped by whoever opened it. Every source has the same callback shapes:

- `sink.scanned(event)`: one complete scan (a `ScanEvent`: raw bytes, never a guessed text);
- `sink.scan_refused(reason)`: a scan that started and failed (keys that were not a policy);
- `sink.scan_reading(chars)`: a scan is under way, `chars` read so far (the desk reacts at once);
- `sink.state_changed(kind, state)`: the device's state value ("connected", "lost", "failed"...);
- `sink.preview(frame, outlines)`: a picture, from sources that have one (the camera).

A new scanner type is one module with `open_source` and one line in `SOURCES` (when it is
wanted, from the settings). Qt-free: the wedge's module imports Qt itself, only when opened.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from desk_app.config import Settings
from desk_app.scanner.events import ScanEvent, SourceKind


class ScanSink(Protocol):
    """Where every source delivers; each method may be called from the source's own thread."""

    def scanned(self, event: ScanEvent) -> None: ...

    def scan_refused(self, reason: str) -> None: ...

    def scan_reading(self, chars: int) -> None: ...

    def state_changed(self, kind: SourceKind, state: str) -> None: ...

    def preview(self, frame: Any, outlines: list[Any]) -> None: ...


class ScanSource(Protocol):
    kind: SourceKind

    def start(self) -> None: ...

    def stop(self) -> None: ...


@dataclass(frozen=True)
class SourceEntry:
    kind: SourceKind
    module: str  # has `open_source(settings, sink, **options) -> ScanSource`
    wanted: Callable[[Settings], bool]


# The registry: every scanner type the desk knows, in the order they are opened.
SOURCES: tuple[SourceEntry, ...] = (
    SourceEntry(SourceKind.WEDGE, "desk_app.scanner.qt_wedge", lambda s: s.wedge_enabled),
    SourceEntry(SourceKind.SERIAL, "desk_app.scanner.serial_source", lambda s: bool(s.serial_port)),
    SourceEntry(SourceKind.CAMERA, "desk_app.scanner.camera", lambda s: bool(s.camera)),
)


class SourceUnavailable(Exception):
    """The settings want a source this build or machine cannot offer (OpenCV missing, ...)."""

    def __init__(self, kind: SourceKind, why: str) -> None:
        super().__init__(f"{kind.value} scanning not available: {why}")
        self.kind = kind


def open_source(entry: SourceEntry, settings: Settings, sink: ScanSink, **options: Any) -> ScanSource:
    """Open one registered source (not started). SourceUnavailable when its module cannot load."""
    try:
        module = importlib.import_module(entry.module)
    except ImportError as exc:
        raise SourceUnavailable(entry.kind, str(exc)) from None
    source: ScanSource = module.open_source(settings, sink, **options)
    return source
