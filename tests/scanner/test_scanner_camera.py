"""The webcam path from a real video file written with cv2.VideoWriter: a code appears, is
held, removed and shown again -> exactly two detections; the preview outlines it; a live
source that runs dry is reopened without a restart."""

from __future__ import annotations

import queue
import time
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from desk_app.devtools.renderings import Shot, render_clean
from desk_app.scanner.camera import CameraState, CameraWorker, FrameSource, PresentationTracker
from desk_app.scanner.events import ScanEvent, SourceKind
from desk_app.scanner.qt_camera import preview_image
from desk_app.verify.payload import encode_form_b
from tests.helpers.video import green_pixels, write_code_video

PAYLOAD = encode_form_b("<Policy>Ёлкина Анна</Policy>".encode())


def _write_video(path: Path, timeline: list[tuple[int, bool]], payload: str = PAYLOAD) -> Path:
    """timeline: (frames, code visible?) segments at 10 fps, 640x480, MJPG."""
    shot = Shot(code_px=380, tilt=0.03, rotate_deg=5, noise_sigma=3)
    return write_code_video(path, render_clean(payload, module_px=6), timeline, shot, (640, 480))


def test_code_appears_held_removed_shown_again_gives_two_detections(tmp_path: Path) -> None:
    video = _write_video(tmp_path / "desk.avi", [(5, False), (30, True), (20, False), (15, True), (5, False)])
    scans: list[tuple[ScanEvent, tuple]] = []
    states: list[CameraState] = []
    worker = CameraWorker(FrameSource(str(video)), lambda e, p: scans.append((e, p)),
                          on_state=lambda s, _d: states.append(s), decode_interval_s=0.1)
    worker.start()
    assert worker.wait(timeout=30)
    assert [e.payload for e, _ in scans] == [PAYLOAD.encode("ascii")] * 2
    assert all(e.source is SourceKind.CAMERA for e, _ in scans)
    assert worker.frames_read == 75 and worker.frames_decoded == 75  # 10 fps file, 10 Hz decoding
    assert states == [CameraState.OPENING, CameraState.RUNNING, CameraState.ENDED]
    polygon = scans[0][1]
    assert len(polygon) == 4 and all(0 <= x <= 640 and 0 <= y <= 480 for x, y in polygon)


def test_short_gap_is_the_same_presentation(tmp_path: Path) -> None:
    video = _write_video(tmp_path / "flicker.avi", [(10, True), (5, False), (10, True)])  # 0.5 s away
    scans: list[ScanEvent] = []
    worker = CameraWorker(FrameSource(str(video)), lambda e, _p: scans.append(e))
    worker.start()
    assert worker.wait(timeout=30)
    assert len(scans) == 1


def test_camera_preview_images_and_detection(qtbot: QtBot, tmp_path: Path) -> None:
    """The worker's frames as preview QImages (built in the camera thread, as the window does)."""
    video = _write_video(tmp_path / "qt.avi", [(3, False), (20, True)])
    scans: queue.Queue[ScanEvent] = queue.Queue()
    frames: list[QImage] = []
    camera = CameraWorker(
        FrameSource(str(video)), lambda event, _polygon: scans.put(event),
        lambda frame, outlines: frames.append(preview_image(frame, outlines)), preview_fps=1000.0,
    )  # fmt: skip
    try:
        camera.start()
        assert scans.get(timeout=10).payload == PAYLOAD.encode("ascii")
        qtbot.waitUntil(lambda: len(frames) >= 10, timeout=10000)
    finally:
        camera.stop()
    assert frames[0].width() == 640 and frames[0].height() == 480
    # The preview of a frame with a detected code carries the green outline; an empty frame not.
    assert green_pixels(frames[0]) == 0
    assert max(green_pixels(f) for f in frames[3:]) > 200


def test_live_source_lost_and_found_again_without_restart(tmp_path: Path) -> None:
    """A live source that runs dry (unplugged camera) is reopened; here a video file in live mode
    stands in: it ends (lost), is reopened after the back-off, and the code is seen again."""
    video = _write_video(tmp_path / "live.avi", [(8, True)])
    scans: queue.Queue[ScanEvent] = queue.Queue()
    states: list[CameraState] = []
    worker = CameraWorker(FrameSource(str(video), live=True), lambda e, _p: scans.put(e),
                          on_state=lambda s, _d: states.append(s), decode_interval_s=0.0, hold_s=0.2)
    worker.start()
    try:
        first = scans.get(timeout=10)
        second = scans.get(timeout=10)  # after LOST and a reopen
    finally:
        worker.stop()
    assert first.payload == second.payload == PAYLOAD.encode("ascii")
    assert states[:4] == [CameraState.OPENING, CameraState.RUNNING, CameraState.LOST, CameraState.RUNNING]
    assert states[-1] is CameraState.STOPPED


def test_missing_device_keeps_retrying_until_stopped(tmp_path: Path) -> None:
    class CountingSource(FrameSource):
        attempts = 0

        def open(self) -> bool:
            CountingSource.attempts += 1
            return super().open()

    states: list[CameraState] = []
    worker = CameraWorker(CountingSource(str(tmp_path / "no-such.avi"), live=True), lambda e, p: None,
                          on_state=lambda s, _d: states.append(s))
    worker.start()
    # Let it fail to open at least twice (it keeps retrying) before asking it to stop; stopping
    # at once could win the race against the first attempt and prove nothing.
    deadline = time.monotonic() + 10
    while CountingSource.attempts < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    thread = worker._thread
    worker.stop(timeout=5)
    assert CountingSource.attempts >= 2 and CameraState.LOST in states
    assert states[-1] is CameraState.STOPPED and thread is not None and not thread.is_alive()


@pytest.mark.parametrize(
    ("steps", "reported"),
    [
        ([(0.0, [b"A"]), (0.1, [b"A"]), (0.2, [b"A"])], [b"A"]),
        ([(0.0, [b"A"]), (0.5, []), (1.0, [b"A"])], [b"A"]),  # flicker, same presentation
        ([(0.0, [b"A"]), (0.5, []), (2.2, [b"A"])], [b"A", b"A"]),  # absent 1.7 s: shown again
        ([(0.0, [b"A"]), (0.2, [b"B"]), (0.4, [b"A"])], [b"A", b"B", b"A"]),  # a different code came
        ([(0.0, [b"A", b"B"]), (0.1, [b"A", b"B"]), (0.2, [b"B", b"A"])], [b"A", b"B"]),  # both in view
    ],
)
def test_presentation_tracker(steps: list[tuple[float, list[bytes]]], reported: list[bytes]) -> None:
    tracker = PresentationTracker(hold_s=1.5)
    out: list[bytes] = []
    for now, payloads in steps:
        out += tracker.update(payloads, now)
    assert out == reported


def test_frame_source_kinds() -> None:
    assert FrameSource("0").is_device
    assert not FrameSource("rtsp://127.0.0.1:8554/cam").is_file
    assert FrameSource("rtsp://127.0.0.1:8554/cam").live
    assert not FrameSource("/tmp/x.avi").live
