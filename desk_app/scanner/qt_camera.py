"""The camera preview as a QImage with each detected code outlined (built in the camera thread).

The window runs the Qt-free `CameraWorker` and posts its frames, scans and states through its
one dispatcher (`desk_app.ui.scanning.DeskScanSink`); only the image type is Qt here.
"""

from __future__ import annotations

import cv2
import numpy as np
from PySide6.QtGui import QImage

from desk_app.scanner.decoders import Polygon

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
