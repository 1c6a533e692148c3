"""Qt adapter for the camera worker: preview frames as QImage with outlines, detections, state."""

from __future__ import annotations

import cv2
import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from desk_app.scanner.camera import CameraState, CameraWorker, FrameSource
from desk_app.scanner.decoders import Polygon
from desk_app.scanner.events import ScanEvent
from desk_app.scanner.qt_guard import EmitGuard

STATE_TEXT_RU = {
    CameraState.OPENING: "Камера: подключение…",
    CameraState.RUNNING: "Камера работает",
    CameraState.LOST: "Камера недоступна — переподключение…",
    CameraState.ENDED: "Видео закончилось",
    CameraState.STOPPED: "Камера выключена",
}
PREVIEW_MAX_WIDTH = 640


def preview_image(frame: np.ndarray, outlines: list[Polygon]) -> QImage:
    """A small RGB QImage of the frame with each detected code outlined in green (owns its data)."""
    scale = min(1.0, PREVIEW_MAX_WIDTH / frame.shape[1])
    small = cv2.resize(frame, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else frame
    rgb = cv2.cvtColor(small, cv2.COLOR_BGR2RGB if small.ndim == 3 else cv2.COLOR_GRAY2RGB)
    for polygon in outlines:
        points = (np.array(polygon, dtype=np.float32) * scale).astype(np.int32).reshape(-1, 1, 2)
        cv2.polylines(rgb, [points], isClosed=True, color=(0, 200, 0), thickness=3)
    height, width = rgb.shape[:2]
    return QImage(rgb.data, width, height, 3 * width, QImage.Format.Format_RGB888).copy()


class QtCamera(QObject):
    """Signals: `frame_ready(QImage)`, `scanned(ScanEvent, polygon)`, `state_changed(value, text_ru)`.

    `stop()` stops the worker thread and waits for it (call it before the window closes).
    """

    frame_ready = Signal(QImage)
    scanned = Signal(object, object)
    state_changed = Signal(str, str)

    def __init__(self, source: FrameSource, parent: QObject | None = None, **worker_options: float) -> None:
        super().__init__(parent)
        self._guard = EmitGuard()
        self._worker = CameraWorker(
            source, self._emit_scan, self._emit_frame, self._emit_state, **worker_options
        )

    @property
    def worker(self) -> CameraWorker:
        return self._worker

    def _emit_scan(self, event: ScanEvent, polygon: Polygon) -> None:
        self._guard.emit(self.scanned, event, polygon)

    def _emit_frame(self, frame: np.ndarray, outlines: list[Polygon]) -> None:
        self._guard.emit(self.frame_ready, preview_image(frame, outlines))  # converted in the worker thread

    def _emit_state(self, state: CameraState, _detail: str) -> None:
        self._guard.emit(self.state_changed, state.value, STATE_TEXT_RU[state])

    def start(self) -> None:
        self._worker.start()

    def stop(self) -> None:
        self._guard.close()  # no signal leaves the worker from here on, even if it lingers
        self._worker.stop()
