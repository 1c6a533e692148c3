"""Connecting the scanner package's sources (keyboard wedge, serial port, camera) to the window.

Every source ends in `MainWindow.submit_scan`. Each is optional: a source that cannot start
is logged and shown in the status bar; the window works with whatever is there.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

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
        self.filter.refused.connect(lambda refusal: _show_refusal(window, refusal))
        self.filter.install(self._app)

    def stop(self) -> None:
        self.filter.uninstall(self._app)


def _show_refusal(window: Any, refusal: str) -> None:
    """The window's own (translatable) words for keys a scanner typed that did not make a scan.

    Form A (the raw XML) cannot pass through a keyboard at all: the panel says so and names the
    ways in. A cut-short or non-policy code is a status-bar note: scanning again is the answer.
    """
    from PySide6.QtCore import QCoreApplication

    if refusal == "form_a":
        window.clear()
        window.panel.show_problem(
            QCoreApplication.translate("Scanning", "Этот QR-код не читается клавиатурным сканером"),
            QCoreApplication.translate(
                "Scanning",
                "В коде полный текст полиса с русскими буквами — сканер в режиме клавиатуры не может его"
                " передать. Покажите код камере или откройте файл с кодом: «Открыть файл с QR-кодом…» (Ctrl+O).",
            ),
        )
    elif refusal == "not_a_policy":
        window.statusBar().showMessage(
            QCoreApplication.translate("Scanning", "Отсканирован код, который не является QR-кодом полиса."), 6000
        )
    else:
        window.statusBar().showMessage(
            QCoreApplication.translate("Scanning", "Код считан не полностью. Отсканируйте ещё раз."), 6000
        )


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

    def on_state(value: str, _text_ru: str) -> None:
        window.serial_state = value
        window.refresh_status()

    scanner.state_changed.connect(on_state)
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
        window.camera_state = "unavailable"
        window.refresh_status()
        return None
    camera = QtCamera(FrameSource(window.settings.camera), window)
    camera.scanned.connect(lambda event, _polygon: window.submit_scan(event.payload, event.source.value))
    camera.frame_ready.connect(window.camera_view.show_frame)
    camera.state_changed.connect(lambda value, _text_ru: window.set_camera_state(value))
    window.show_camera_preview(True)
    camera.start()
    return camera
