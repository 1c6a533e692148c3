"""Unattended updates while the window runs: the Treasury's trust list and the registry's copy.

Nothing here runs on the GUI thread except a timer and the callbacks that report results:
- the trust list: a timer asks the "update" lane to call `Judge.refresh_trust()`, which fetches
  only when the cache is older than `Settings.trust_refresh_hours` (a failed fetch keeps the
  cache and is tried again at the next tick);
- the registry copy: `desk_app.registry.sync.SyncScheduler` on its own thread every
  `Settings.registry_sync_minutes`, sharing the judge's registry client (one 429 back-off) and
  offline copy, when a registry URL is configured and the desk is not offline.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from desk_app.config import Settings
from desk_app.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from desk_app.core.judge import Judge
    from desk_app.worker import Worker

log = logging.getLogger(__name__)

MIN_CHECK_MS = 500
MAX_CHECK_MS = 10 * 60 * 1000  # look at least every 10 minutes whether the trust list is due
MAX_FIRST_SYNC_DELAY_S = 30.0  # let the window and the first scans settle before the first sync run


def trust_check_interval_ms(refresh_hours: float) -> int:
    """How often to ask whether the trust list is due: twice per refresh period, within limits."""
    return max(MIN_CHECK_MS, min(MAX_CHECK_MS, int(refresh_hours * 3600 * 1000 / 2)))


class UnattendedUpdates(QObject):
    """Create on the GUI thread; `start(settings, judge)` once the judge is built; `stop()` before
    the judge is closed (it joins the sync thread)."""

    trust_checked = Signal(bool)  # True when a new trust list was installed
    sync_finished = Signal(object)  # a SyncResult or a SyncError, delivered on the GUI thread
    sync_stopped = Signal(object)  # the sync thread stopped: error (the exception), on the GUI thread

    def __init__(self, tasks: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._judge: Judge | None = None
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.check_trust)
        self.sync_scheduler: Worker | None = None
        self.trust_checks = 0

    def start(self, settings: Settings, judge: Judge | None) -> None:
        self.stop()
        self._judge = judge
        if judge is None or settings.offline:
            return
        if settings.trust_url:
            self._timer.start(trust_check_interval_ms(settings.trust_refresh_hours))
            self.check_trust()  # the window was built without waiting for the network: fetch now if due
        if settings.registry_url:
            self._start_sync(settings, judge)

    def _start_sync(self, settings: Settings, judge: Judge) -> None:
        interval = settings.registry_sync_minutes * 60.0
        self.sync_scheduler = judge.status_source.sync_worker(
            interval, first_delay=min(MAX_FIRST_SYNC_DELAY_S, interval),
            on_result=lambda outcome: self._tasks.post(self.sync_finished.emit, outcome),  # the one dispatcher
            on_failure=lambda exc: self._tasks.post(self.sync_stopped.emit, exc),  # its thread died
        )  # fmt: skip
        if self.sync_scheduler is None:
            log.warning("registry sync not started: the registry backend keeps no offline copy")
            return
        self.sync_scheduler.start()
        log.info("registry sync every %.1f min started", settings.registry_sync_minutes)

    def check_trust(self) -> None:
        judge = self._judge
        if judge is None:
            return
        self._tasks.update.submit(judge.refresh_trust, on_success=self._on_trust_checked)

    def _on_trust_checked(self, updated: bool) -> None:
        self.trust_checks += 1
        if updated:
            log.info("trust list updated unattended")
        self.trust_checked.emit(updated)

    def stop(self) -> None:
        """Stop the timer and the sync thread (after its page in progress) and wait for it."""
        self._timer.stop()
        self._judge = None
        scheduler, self.sync_scheduler = self.sync_scheduler, None
        if scheduler is not None:
            scheduler.stop()
