"""The webcam's small live preview: the frames the camera worker already scaled and outlined.

The worker thread converts each frame to a QImage with the detected code outlined in green
(desk_app.scanner.qt_camera.preview_image); this widget only scales it to its own size and paints it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel, QWidget

from desk_app.ui.plain_text import make_plain

PREVIEW_SIZE = (320, 240)


class CameraPreview(QLabel):
    """Hidden until a camera is configured; `show_frame` ignores frames while it is hidden."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        make_plain(self)  # state messages may name a device
        self.setObjectName("cameraPreview")
        self.setFixedSize(*PREVIEW_SIZE)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setStyleSheet("background: #202020; color: #dddddd;")
        self.setText(self.tr("Камера: ожидание изображения…"))
        self.frames_shown = 0
        self.last_image: QImage | None = None

    def show_frame(self, image: QImage) -> None:
        if not self.isVisible() or image.isNull():
            return
        self.last_image = image
        self.setPixmap(
            QPixmap.fromImage(image).scaled(
                self.size(), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.FastTransformation
            )
        )
        self.frames_shown += 1

    def show_state(self, text: str) -> None:
        """A state message (lost, ended) replaces the last picture, so a frozen frame never lingers."""
        self.clear()
        self.setText(text)
