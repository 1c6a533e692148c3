"""A real video file for the camera tests: a QR code photographed frame by frame (cv2.VideoWriter,
MJPG), in view or not as a timeline says."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from PySide6.QtGui import QImage

from desk_app.devtools.renderings import Shot, photograph

FPS = 10.0


def write_code_video(
    path: Path, code: np.ndarray, timeline: list[tuple[int, bool]], shot: Shot, frame: tuple[int, int]
) -> Path:
    """timeline: (frames, code in view?) segments at `FPS`; `code` is a grayscale QR image, each
    frame in view photographs it with `shot` (seeded by the frame's index), the others are grey."""
    empty = np.full((frame[1], frame[0]), 110, np.uint8)
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), FPS, frame)
    assert writer.isOpened()
    index = 0
    for frames, visible in timeline:
        for _ in range(frames):
            gray = photograph(code, shot, frame=frame, seed=index) if visible else empty
            writer.write(cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR))
            index += 1
    writer.release()
    return path


def green_pixels(image: QImage) -> int:
    """How many pixels of a preview image are the outline's green (a detected code is outlined)."""
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    arr = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    rgb = arr[:, : image.width() * 3].reshape(image.height(), image.width(), 3)
    return int(np.count_nonzero((rgb[:, :, 1] > 150) & (rgb[:, :, 0] < 60) & (rgb[:, :, 2] < 60)))
