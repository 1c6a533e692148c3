"""Webcams: frames from OpenCV (device index, video file or RTSP/HTTP URL, one code path),
decoded in a worker thread at a throttled rate, each presentation of a code reported once.

The worker never touches Qt; the window posts its callbacks through its one dispatcher
(`desk_app.ui.scanning.DeskScanSink`; the preview image is `qt_camera.preview_image`).
A live source that stops giving frames (camera unplugged, stream dropped) is closed and
reopened with a growing delay until it is back or the worker is stopped; a video file simply ends (or, with
`live=True`, behaves like a camera and starts again, which the tests use).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from desk_app.scanner.decoders import Polygon
from desk_app.scanner.events import ScanEvent, SourceKind
from desk_app.scanner.pipeline import decode_frame
from desk_app.worker import FAILED_STATE, Backoff, Worker

if TYPE_CHECKING:
    from desk_app.config import Settings
    from desk_app.scanner.sources import ScanSink

log = logging.getLogger(__name__)

DECODE_INTERVAL_S = 0.1  # decode at most 10 frames a second; the preview runs at camera rate
HOLD_S = 1.5  # a code must be absent this long before the same code counts as shown again
OUTLINE_KEEP_S = 0.4  # how long the preview keeps a code's outline after the last decode
BACKOFF_FIRST_S = 0.5
BACKOFF_MAX_S = 8.0


class CameraState(StrEnum):
    OPENING = "opening"
    RUNNING = "running"
    LOST = "lost"
    ENDED = "ended"  # a video file played to its end
    STOPPED = "stopped"
    FAILED = FAILED_STATE  # stopped: error (the loop raised; the status bar says so)


class FrameSource:
    """OpenCV `VideoCapture` over a device index ("0"), a video file or a stream URL."""

    def __init__(self, spec: str, *, live: bool | None = None) -> None:
        self.spec = spec.strip()
        self.is_device = self.spec.isdigit()
        self.is_file = not self.is_device and "://" not in self.spec
        self.live = (not self.is_file) if live is None else live
        self._capture = None
        self._started = 0.0

    def open(self) -> bool:
        import cv2

        self.close()
        if self.is_file and not Path(self.spec).is_file():
            return False
        capture = cv2.VideoCapture(int(self.spec)) if self.is_device else cv2.VideoCapture(self.spec)
        if not capture.isOpened():
            capture.release()
            return False
        self._capture = capture
        self._started = time.monotonic()
        return True

    def read(self) -> tuple[np.ndarray, float] | None:
        """The next frame (BGR) and its time in seconds, or None when the source gave nothing."""
        import cv2

        if self._capture is None:
            return None
        ok, frame = self._capture.read()
        if not ok or frame is None:
            return None
        if self.is_file and not self.live:
            return frame, self._capture.get(cv2.CAP_PROP_POS_MSEC) / 1000.0
        return frame, time.monotonic()

    def close(self) -> None:
        if self._capture is not None:
            self._capture.release()
            self._capture = None

    def __str__(self) -> str:
        return f"camera {self.spec}" if self.is_device else ("video file" if self.is_file else "camera stream")


@dataclass
class PresentationTracker:
    """Turns per-frame detections into one report per presentation of a code.

    A code is reported when it has not been seen for `hold_s`, or when it comes back into view
    after a different code was reported (A, then B, then A again). A code that merely flickers
    (missed by one decode) or stays in view is not reported again.
    """

    hold_s: float = HOLD_S
    _last_seen: dict[bytes, float] = field(default_factory=dict)
    _previous: frozenset[bytes] = frozenset()
    _last_reported: bytes | None = None

    def update(self, payloads: list[bytes], now: float) -> list[bytes]:
        fresh: list[bytes] = []
        for payload in payloads:
            seen = self._last_seen.get(payload)
            absent_long = seen is None or now - seen >= self.hold_s
            came_back_after_another = payload not in self._previous and payload != self._last_reported
            if absent_long or came_back_after_another:
                fresh.append(payload)
                self._last_reported = payload
            self._last_seen[payload] = now
        self._previous = frozenset(payloads)
        for payload, seen in list(self._last_seen.items()):
            if now - seen > 10 * self.hold_s:
                del self._last_seen[payload]
        return fresh


class CameraWorker(Worker):
    """Capture + decode loop in its own thread (desk_app.worker.Worker). Callbacks run in the
    worker thread; an unexpected error in the loop (a decoder bug) ends it as `FAILED`."""

    thread_name = "camera"
    kind = SourceKind.CAMERA

    def __init__(
        self,
        source: FrameSource,
        on_scan: Callable[[ScanEvent, Polygon], None],
        on_frame: Callable[[np.ndarray, list[Polygon]], None] | None = None,
        on_state: Callable[[CameraState, str], None] | None = None,
        *,
        decode_interval_s: float = DECODE_INTERVAL_S,
        hold_s: float = HOLD_S,
        preview_fps: float = 15.0,
        decode: Callable[..., list[Any]] = decode_frame,
    ) -> None:
        super().__init__()
        self.source = source
        self._on_scan = on_scan
        self._on_frame = on_frame
        self._on_state = on_state or (lambda _s, _d: None)
        self._decode = decode
        self._decode_interval = decode_interval_s
        self._preview_interval = 1.0 / preview_fps if preview_fps > 0 else float("inf")
        self._tracker = PresentationTracker(hold_s)
        self._backoff = Backoff(BACKOFF_FIRST_S, BACKOFF_MAX_S)
        self.state = CameraState.STOPPED
        self.frames_read = 0
        self.frames_decoded = 0

    def _set_state(self, state: CameraState, detail: str = "") -> None:
        if state != self.state:
            self.state = state
            log.info("%s: %s %s", self.source, state.value, detail)
            self._on_state(state, detail)

    def failed(self, exc: BaseException) -> None:
        # run()'s finally has already closed the source before the catch-all calls this.
        self._set_state(CameraState.FAILED, f"{type(exc).__name__}: {exc}")

    def run(self) -> None:
        self._set_state(CameraState.OPENING)
        try:
            while not self.stopping:
                if not self.source.open():
                    self._set_state(CameraState.LOST, "cannot open")
                    self.sleep(self._backoff.next())
                    continue
                self._backoff.reset()
                self._set_state(CameraState.RUNNING)
                self._capture_loop()
                self.source.close()
                if self.stopping:
                    break
                if not self.source.live:
                    self._set_state(CameraState.ENDED)
                    return
                self._set_state(CameraState.LOST, "no frames")
                self.sleep(self._backoff.next())
        finally:
            self.source.close()
        self._set_state(CameraState.STOPPED)

    def _capture_loop(self) -> None:
        last_decode = -1e9
        last_preview = -1e9
        outlines: list[Polygon] = []
        outlines_at = -1e9
        while not self.stopping:
            got = self.source.read()
            if got is None:
                return
            frame, now = got
            self.frames_read += 1
            if now - last_decode >= self._decode_interval - 1e-3:  # frame times are not exact
                last_decode = now
                self.frames_decoded += 1
                codes = self._decode(frame, live=True)
                if codes:
                    outlines, outlines_at = [c.polygon for c in codes], now
                by_payload = {c.payload: c for c in codes}
                for payload in self._tracker.update(list(by_payload), now):
                    event = ScanEvent(SourceKind.CAMERA, payload, origin=str(self.source))
                    self._on_scan(event, by_payload[payload].polygon)
            if self._on_frame is not None and now - last_preview >= self._preview_interval:
                last_preview = now
                self._on_frame(frame, outlines if now - outlines_at <= OUTLINE_KEEP_S else [])


def open_source(settings: Settings, sink: ScanSink, **options: Any) -> CameraWorker:
    """The registry's opener (desk_app.scanner.sources): the camera the settings name. `options`
    go to the worker (`decode`, intervals: tests)."""
    return CameraWorker(
        FrameSource(settings.camera),
        lambda event, _polygon: sink.scanned(event),
        sink.preview,
        lambda state, _detail: sink.state_changed(SourceKind.CAMERA, state.value),
        **options,
    )
