"""The typed desk a ui helper gets in place of the window (`DeskContext`), and the session
listener that announces a new verdict to the desk's health, sounds and status bar.

A helper (ScanIntake, VisitActions, the settings flow) is handed exactly this: the session,
the lanes, the health, the view, the settings, and the few window services it may ask for
(the status bar, a refresh of it, a dialog opened window-modal). It never sees the window, so
no helper can reach into a widget it was not given, and the type checker says what each one uses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QDialog, QStatusBar, QWidget

from desk_app.config import Settings
from desk_app.core.session import DeskSession, DeskState, Patient
from desk_app.core.session_health import DeskHealth
from desk_app.ui.desk_view import DeskView
from desk_app.ui.sounds import DecisionSounds
from desk_app.ui.tasks import TaskRunner


@dataclass
class DeskContext:
    """The desk's parts, shared by reference: `settings` is replaced when the settings are saved."""

    settings: Settings
    session: DeskSession
    tasks: TaskRunner
    health: DeskHealth
    view: DeskView
    status_bar: Callable[[], QStatusBar]  # the window's (current) status bar
    refresh_status: Callable[[], None]  # recompute the status bar on the probe lane
    open_dialog: Callable[[QDialog], None]  # window-modal, non-blocking
    dialog_parent: QWidget
    is_closed: Callable[[], bool]  # the window is shutting down: queue nothing new

    def say(self, text: str, ms: int) -> None:
        """A transient line in the status bar."""
        self.status_bar().showMessage(text, ms)


class VerdictAnnouncer:
    """A session listener: when a new patient's verdict is on the desk, the registry's health
    learns from it, the decision's sound plays and the status bar is refreshed (once per patient)."""

    def __init__(self, health: DeskHealth, sounds: DecisionSounds, refresh_status: Callable[[], None]) -> None:
        self._health = health
        self._sounds = sounds
        self._refresh_status = refresh_status
        self._announced: Patient | None = None

    def __call__(self, session: DeskSession) -> None:
        patient = session.patient
        if patient is None or patient is self._announced or session.state is not DeskState.VERDICT:
            return
        self._announced = patient
        verdict = patient.judgement.verdict
        self._health.saw_verdict(verdict)
        self._sounds.play(verdict.decision)
        self._refresh_status()
