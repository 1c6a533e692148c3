"""Connecting the scanner package's sources (keyboard wedge, serial port, camera) to the window.

Every source ends in `MainWindow.submit_scan`. Each is optional: a source that cannot start
is logged and shown in the status bar; the window works with whatever is there.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from desk_app.core.session import ScanFailure

log = logging.getLogger(__name__)


def start_scanners(window: Any, *, wedge_clock: Callable[[], float] | None = None) -> list[Any]:
    """Start the sources the settings ask for; they are stopped by `window.shutdown()`.

    `wedge_clock` (milliseconds) replaces the keyboard-wedge filter's monotonic clock (tests).
    """
    started: list[Any] = []
    starters: tuple[Callable[[Any], Any], ...] = (
        lambda w: _start_wedge(w, wedge_clock), _start_serial, _start_camera
    )
    for starter in starters:
        try:
            source = starter(window)
        except Exception:
            log.exception("a scanner source failed to start")
            continue
        if source is not None:
            started.append(source)
    window.scanner_sources.extend(started)
    return started


class _WedgeSource:
    """The scanner package's app-wide key filter, connected to the window; `stop()` removes it."""

    def __init__(self, window: Any, clock: Callable[[], float] | None = None) -> None:
        from PySide6.QtWidgets import QApplication

        from desk_app.scanner.qt_wedge import WedgeFilter, monotonic_ms, wedge_config_from

        self._app = QApplication.instance()
        self.filter = WedgeFilter(wedge_config_from(window.settings), window, clock=clock or monotonic_ms)
        self.filter.scanned.connect(lambda event: window.submit_scan(event.payload, event.source.value))
        # A scan that started and was cut short: the desk goes to "scan again" (nothing of the last patient stays).
        self.filter.discarded.connect(lambda _message_ru: window.scan_failed(ScanFailure.GARBLED))
        self.filter.install(self._app)

    def stop(self) -> None:
        self.filter.uninstall(self._app)


def _start_wedge(window: Any, clock: Callable[[], float] | None = None) -> Any:
    if not window.settings.wedge_enabled:
        return None
    return _WedgeSource(window, clock)


def _start_serial(window: Any) -> Any:
    """The serial (USB-COM) reader: its thread reads the port; state shows in the status bar."""
    if not window.settings.serial_port:
        return None
    from desk_app.scanner.qt_serial import QtSerialScanner
    from desk_app.scanner.serial_source import SerialConfig

    scanner = QtSerialScanner(SerialConfig.from_settings(window.settings), window)
    scanner.scanned.connect(lambda event: window.submit_scan(event.payload, event.source.value))

    scanner.state_changed.connect(lambda value, _text_ru: window.set_serial_state(value))
    scanner.start()
    return scanner


def _start_camera(window: Any) -> Any:
    """The webcam (device index, video file or stream URL): frames are read and decoded on the
    camera worker's thread; the preview, the state and each code held up arrive by signal."""
    if not window.settings.camera:
        return None
    try:
        from desk_app.scanner.camera import FrameSource
        from desk_app.scanner.qt_camera import QtCamera
    except ImportError:  # a build without OpenCV
        log.info("camera scanning not available in this build")
        window.set_camera_state("unavailable")
        return None
    camera = QtCamera(FrameSource(window.settings.camera), window)
    camera.scanned.connect(lambda event, _polygon: window.submit_scan(event.payload, event.source.value))
    camera.frame_ready.connect(window.camera_view.show_frame)
    camera.state_changed.connect(lambda value, _text_ru: window.set_camera_state(value))
    window.show_camera_preview(True)
    camera.start()
    return camera
