"""The webcam in the window: a real video file (cv2.VideoWriter, frames of a bundled demo
policy's QR code) configured as the camera; the code held up for many frames gives exactly one
verdict, the preview shows the picture with the code outlined, the status bar follows the
camera's state, and the camera thread is stopped and joined on shutdown."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cv2
import pytest
from PySide6.QtGui import QImage

from desk_app import paths
from desk_app.scanner.events import SourceKind
from desk_app.ui.demo import DemoEnvironment, start_demo
from desk_app.ui.scanning import start_scanners
from tests.helpers.ui import make_window
from tests.helpers.video import green_pixels, write_code_video

FRAME = (1280, 960)


def write_policy_video(path: Path, timeline: list[tuple[int, bool]], policy: str = "active") -> Path:
    """timeline: (frames, code in view?) segments at 10 fps; the code is the demo policy's QR image."""
    from desk_app.devtools.renderings import Shot

    code = cv2.imread(str(paths.resource("demo", "policies", f"{policy}.png")), cv2.IMREAD_GRAYSCALE)
    assert code is not None
    return write_code_video(path, code, timeline, Shot(code_px=820, tilt=0.01, rotate_deg=3, noise_sigma=2), FRAME)


@pytest.fixture
def demo_env(tmp_path: Path) -> Iterator[DemoEnvironment]:
    video = write_policy_video(tmp_path / "desk-camera.avi", [(4, False), (40, True), (6, False)])
    env = start_demo(tmp_path / "demo", sounds=False, camera=str(video))
    try:
        yield env
    finally:
        env.stop()


def test_code_held_in_front_of_the_camera_gives_exactly_one_verdict(
    qtbot: Any, demo_env: DemoEnvironment
) -> None:
    window = make_window(qtbot, demo_env.settings, demo_env.config_path)
    verdicts: list[Any] = []
    window.verdict_shown.connect(verdicts.append)
    frames: list[QImage] = []
    try:
        assert not window.camera_view.isVisible()
        with qtbot.waitSignal(window.verdict_shown, timeout=30000) as blocker:
            sources = start_scanners(window)
            assert window.camera_view.isVisible() and window.camera_action.isChecked()
            camera = next(s for s in sources if s.kind is SourceKind.CAMERA)
            window.scan_sink.frame_listeners.append(frames.append)
        judgement = blocker.args[0]
        assert judgement.verdict.signature == "ok"
        assert judgement.verdict.decision == "accept"
        assert window.panel.headline.text() == "Полис действителен"
        # The video plays to its end (the code stays in view for 40 frames, then goes).
        qtbot.waitUntil(lambda: window.health.camera_state == "ended", timeout=30000)
        qtbot.waitUntil(lambda: window.status.labels["camera"].text() == "Камера: видео закончилось", timeout=5000)
        qtbot.wait(300)  # nothing else is on its way
        assert len(verdicts) == 1
        assert camera.frames_read == 50
        assert window.camera_view.frames_shown > 0
        # The preview showed the code outlined in green while it was in view.
        assert max(green_pixels(f) for f in frames) > 200
        # Toggling hides and shows the preview (F3 / the Service menu).
        window.camera_action.trigger()
        assert not window.camera_view.isVisible()
        window.camera_action.trigger()
        assert window.camera_view.isVisible()
    finally:
        window.shutdown()
    assert not any(t.name == "camera" and t.is_alive() for t in threading.enumerate())


def test_a_camera_that_cannot_be_opened_is_shown_and_its_thread_joined_on_shutdown(
    qtbot: Any, tmp_path: Path
) -> None:
    """A camera that cannot be opened (unplugged) keeps retrying in its own thread; the preview
    and the status bar say so; shutdown stops and joins it."""
    env = start_demo(tmp_path / "demo", sounds=False, camera=str(tmp_path / "unplugged.avi"))
    try:
        window = make_window(qtbot, env.settings, env.config_path)
        try:
            start_scanners(window)
            qtbot.waitUntil(lambda: window.health.camera_state == "lost", timeout=10000)
            text = "Камера: нет изображения — переподключение…"
            assert window.camera_view.text() == text
            qtbot.waitUntil(lambda: window.status.labels["camera"].text() == text, timeout=5000)
            assert any(t.name == "camera" and t.is_alive() for t in threading.enumerate())
        finally:
            window.shutdown()
        assert not any(t.name == "camera" and t.is_alive() for t in threading.enumerate())
    finally:
        env.stop()


def test_window_without_a_camera_has_no_preview(qtbot: Any, judge_settings: Any, tmp_path: Path) -> None:
    window = make_window(qtbot, judge_settings, tmp_path / "c.toml")
    try:
        start_scanners(window)
        assert not window.camera_view.isVisible()
        assert not window.camera_action.isEnabled()
        qtbot.waitUntil(lambda: window.status.labels["camera"].text() == "Камера: нет", timeout=5000)
    finally:
        window.shutdown()



@pytest.mark.expect_log_warnings  # the worker logs the decoder's traceback: that is the point
def test_an_error_inside_the_camera_loop_stops_it_and_the_status_bar_says_so(
    qtbot: Any, demo_env: DemoEnvironment
) -> None:
    """A decoder that raises (a bug, a frame it chokes on) used to kill the camera thread silently
    while the status bar still said "running". Now the worker's catch-all reports "stopped: error"
    through the dispatcher, and the status bar and the preview say so."""
    decoded: list[int] = []

    def decoder_with_a_bug(frame: Any, *, live: bool) -> list[Any]:
        decoded.append(1)
        if len(decoded) >= 3:
            raise ValueError("decoder bug on this frame")
        return []

    window = make_window(qtbot, demo_env.settings, demo_env.config_path)
    try:
        sources = start_scanners(window, source_options={SourceKind.CAMERA: {"decode": decoder_with_a_bug}})
        camera = next(s for s in sources if s.kind is SourceKind.CAMERA)
        qtbot.waitUntil(lambda: window.health.camera_state == "failed", timeout=30000)
        text = "Камера: остановлена из-за ошибки — перезапустите программу"
        qtbot.waitUntil(lambda: window.status.labels["camera"].text() == text, timeout=5000)
        assert window.camera_view.text() == text
        assert isinstance(camera.failure, ValueError)
        qtbot.waitUntil(lambda: not camera.running, timeout=5000)
        assert not any(t.name == "camera" and t.is_alive() for t in threading.enumerate())
    finally:
        window.shutdown()
