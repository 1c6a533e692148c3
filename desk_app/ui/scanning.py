"""Connecting the scanner package's registered sources (desk_app.scanner.sources: keyboard
wedge, serial port, camera, ...) to the window through one ScanSink.

Every source ends in `MainWindow.submit_scan`; the sources' threads post their scans, frames
and states through the window's one dispatcher (`tasks.post`). Each is optional: a source that
cannot start is logged and shown in the status bar; the window works with whatever is there.
A new scanner type needs nothing here: one module and one line in `SOURCES`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from desk_app.core.session import ScanFailure
from desk_app.scanner.events import ScanEvent, SourceKind

if TYPE_CHECKING:
    import numpy as np
    from PySide6.QtGui import QImage

    from desk_app.scanner.decoders import Polygon
    from desk_app.scanner.sources import ScanSource
    from desk_app.ui.main_window import MainWindow

log = logging.getLogger(__name__)


def start_scanners(
    window: MainWindow,
    *,
    wedge_clock: Callable[[], float] | None = None,
    source_options: dict[SourceKind, dict[str, Any]] | None = None,
) -> list[ScanSource]:
    """Open and start every registered source the settings want (desk_app.scanner.sources.SOURCES);
    they are stopped by `window.shutdown()`. A source that cannot start is logged and shown in
    the status bar; the window works with whatever is there.

    `wedge_clock` (milliseconds) replaces the keyboard-wedge filter's monotonic clock (tests);
    `source_options` go to one kind's opener (the camera worker's `decode`, for tests).
    """
    from desk_app.scanner.sources import SOURCES, SourceUnavailable, open_source

    sink = DeskScanSink(window)
    window.scan_sink = sink
    options: dict[SourceKind, dict[str, Any]] = {SourceKind.WEDGE: {"clock": wedge_clock}}
    for kind, extra in (source_options or {}).items():
        options[kind] = {**options.get(kind, {}), **extra}
    started: list[ScanSource] = []
    for entry in SOURCES:
        if not entry.wanted(window.settings):
            continue
        try:
            source = open_source(entry, window.settings, sink, **options.get(entry.kind, {}))
            if entry.kind is SourceKind.CAMERA:
                window.show_camera_preview(True)
            source.start()
        except SourceUnavailable as exc:
            log.info("%s", exc)
            sink.state_changed(entry.kind, "unavailable")
            continue
        except Exception:
            log.exception("the %s scanner source failed to start", entry.kind.value)
            sink.state_changed(entry.kind, "unavailable")
            continue
        started.append(source)
    window.scanner_sources.extend(started)
    return started


class DeskScanSink:
    """The window's ScanSink: every source's scans, refusals, states and preview frames go to
    the GUI thread through the window's one dispatcher (`tasks.post`), whatever thread calls."""

    def __init__(self, window: MainWindow) -> None:
        self._window = window
        self.frame_listeners: list[Callable[[QImage], None]] = [window.camera_view.show_frame]

    def scanned(self, event: ScanEvent) -> None:
        self._window.tasks.post(
            lambda e: self._window.submit_scan(e.payload, e.source.value, typing_ms=e.typing_ms), event
        )

    def scan_refused(self, reason: str) -> None:
        # Keys a scanner typed that did not make a scan: a scan that started and failed, so the desk
        # goes to its typed failure state (nothing of the last patient stays); the view words it.
        self._window.tasks.post(self._window.scan_failed, _wedge_failure(reason))

    def scan_reading(self, chars: int) -> None:
        self._window.tasks.post(self._window.scan_reading, chars)  # a scan is being typed: react at once

    def state_changed(self, kind: SourceKind, state: str) -> None:
        setter = {SourceKind.SERIAL: self._window.set_serial_state, SourceKind.CAMERA: self._window.set_camera_state}
        if kind in setter:
            self._window.tasks.post(setter[kind], state)

    def preview(self, frame: np.ndarray, outlines: list[Polygon]) -> None:
        from desk_app.scanner.qt_camera import preview_image  # OpenCV: only with a camera

        image = preview_image(frame, outlines)  # converted in the camera's thread
        self._window.tasks.post(self._show_frame, image)

    def _show_frame(self, image: QImage) -> None:
        for listener in self.frame_listeners:
            listener(image)


def _wedge_failure(refusal: str) -> ScanFailure:
    """The keyboard-wedge filter's refusal (desk_app.scanner.wedge.Refusal value) as the desk's."""
    return {
        "form_a": ScanFailure.FORM_A,
        "not_a_policy": ScanFailure.NOT_A_POLICY,
        "cut_short": ScanFailure.GARBLED,
    }.get(refusal, ScanFailure.GARBLED)
