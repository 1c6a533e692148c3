"""A distinct sound per decision: accept one rising chime, warn two tones, reject three low tones.

QtMultimedia is an add-on outside PySide6-Essentials; when it is installed the WAV files in
resources/sounds are played, otherwise the system beep is repeated (1, 2 or 3 times) so the
decisions still sound different. Switched off with `ui.sounds = false`.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, QUrl
from PySide6.QtWidgets import QApplication

from desk_app import paths

log = logging.getLogger(__name__)

BEEPS = {"accept": 1, "warn": 2, "reject": 3}
_BEEP_GAP_MS = 220


class DecisionSounds(QObject):
    def __init__(self, enabled: bool, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.enabled = enabled
        self.played: list[str] = []  # the decisions sounded, newest last (for support and tests)
        self._effects = self._load_effects() if enabled else {}

    def _load_effects(self) -> dict[str, QObject]:
        try:
            from PySide6.QtMultimedia import QSoundEffect  # type: ignore[import-not-found]
        except ImportError:
            return {}
        effects: dict[str, QObject] = {}
        for decision in BEEPS:
            effect = QSoundEffect(self)
            effect.setSource(QUrl.fromLocalFile(str(paths.resource("sounds", f"{decision}.wav"))))
            effects[decision] = effect
        return effects

    def play(self, decision: str) -> None:
        if not self.enabled or decision not in BEEPS:
            return
        self.played.append(decision)
        effect = self._effects.get(decision)
        if effect is not None:
            effect.play()  # type: ignore[attr-defined]
            return
        for i in range(BEEPS[decision]):
            QTimer.singleShot(i * _BEEP_GAP_MS, QApplication.beep)
