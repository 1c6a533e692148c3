"""Connecting the scanner package's sources (keyboard wedge, serial port, camera) to the window.

Every source ends in `MainWindow.submit_scan`; the serial reader's and the camera's threads
post their scans, frames and states through the window's one dispatcher (`tasks.post`). Each
is optional: a source that cannot start is logged and shown in the status bar; the window
works with whatever is there.
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
        # Keys a scanner typed that did not make a scan: a scan that started and failed, so the desk
        # goes to its typed failure state (nothing of the last patient stays); the view words it.
        self.filter.refused.connect(lambda refusal: window.scan_failed(_wedge_failure(refusal)))
        self.filter.install(self._app)

    def stop(self) -> None:
        self.filter.uninstall(self._app)


def _wedge_failure(refusal: str) -> ScanFailure:
    """The keyboard-wedge filter's refusal (desk_app.scanner.wedge.Refusal value) as the desk's."""
    return {
        "form_a": ScanFailure.FORM_A,
        "not_a_policy": ScanFailure.NOT_A_POLICY,
        "cut_short": ScanFailure.GARBLED,
    }.get(refusal, ScanFailure.GARBLED)


def _start_wedge(window: Any, clock: Callable[[], float] | None = None) -> Any:
    if not window.settings.wedge_enabled:
        return None
    return _WedgeSource(window, clock)


def _post_scan(window: Any) -> Callable[..., None]:
    """A worker thread's scan callback: the scan goes to the window through the one dispatcher."""

    def on_scan(event: Any, *_polygon: Any) -> None:
        window.tasks.post(lambda e: window.submit_scan(e.payload, e.source.value), event)

    return on_scan


def _start_serial(window: Any) -> Any:
    """The serial (USB-COM) reader: its thread reads the port; scans and states come back to
    the GUI thread through the window's dispatcher (`tasks.post`), as lane results do."""
    if not window.settings.serial_port:
        return None
    from desk_app.scanner.serial_source import SerialConfig, SerialReader

    reader = SerialReader(
        SerialConfig.from_settings(window.settings),
        _post_scan(window),
        lambda state, _detail: window.tasks.post(window.set_serial_state, state.value),
    )
    reader.start()
    return reader


class DispatchedCamera:
    """The camera worker (its own thread reads and decodes frames) with its scans, preview frames
    and states posted through the window's dispatcher. `frame_listeners` see each preview frame."""

    def __init__(self, window: Any, source: Any, **worker_options: Any) -> None:
        from desk_app.scanner.camera import CameraWorker
        from desk_app.scanner.qt_camera import preview_image

        self._window = window
        self._preview_image = preview_image
        self.frame_listeners: list[Callable[[Any], None]] = [window.camera_view.show_frame]
        self.worker = CameraWorker(source, _post_scan(window), self._on_frame, self._on_state, **worker_options)

    def _on_frame(self, frame: Any, outlines: list[Any]) -> None:
        image = self._preview_image(frame, outlines)  # converted in the worker thread
        self._window.tasks.post(self._show_frame, image)

    def _show_frame(self, image: Any) -> None:
        for listener in self.frame_listeners:
            listener(image)

    def _on_state(self, state: Any, _detail: str) -> None:
        self._window.tasks.post(self._window.set_camera_state, state.value)

    def start(self) -> None:
        self.worker.start()

    def stop(self) -> None:
        self.worker.stop()


def _start_camera(window: Any) -> Any:
    """The webcam (device index, video file or stream URL)."""
    if not window.settings.camera:
        return None
    try:
        from desk_app.scanner.camera import FrameSource
    except ImportError:  # a build without OpenCV
        log.info("camera scanning not available in this build")
        window.set_camera_state("unavailable")
        return None
    camera = DispatchedCamera(window, FrameSource(window.settings.camera))
    window.show_camera_preview(True)
    camera.start()
    return camera
