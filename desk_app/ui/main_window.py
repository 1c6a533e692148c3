"""The desk window: shows the desk session's state and forwards typed intents to it.

The patient at the desk and every rule live in the Qt-free `desk_app.core.session.DeskSession`;
`DeskView` paints its state; `ScanIntake` and `VisitActions` queue the slow work on typed
lanes (`tasks.judge`, `tasks.ledger`, `tasks.probe`, `tasks.update`, see tasks.py) with their
arguments captured here. Panels emit typed values; the window never reads a panel's widgets.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDialog, QFileDialog, QMainWindow

from desk_app import paths
from desk_app.config import Settings
from desk_app.core import scan_transport
from desk_app.core.focus import Spot, focus_after_change, focus_after_passport_check
from desk_app.core.session import DeskSession, ScanFailure
from desk_app.core.session_health import DeskHealth
from desk_app.ui import desk_layout, probes, settings_flow, window_chrome
from desk_app.ui.background_reports import BackgroundReports, thread_failure_listeners
from desk_app.ui.desk_context import DeskContext, VerdictAnnouncer
from desk_app.ui.desk_view import DeskView
from desk_app.ui.dialogs import ManualEntryDialog
from desk_app.ui.scan_intake import ScanIntake
from desk_app.ui.scanning import DeskScanSink
from desk_app.ui.search_dialog import DocumentSearchDialog
from desk_app.ui.sounds import DecisionSounds
from desk_app.ui.tasks import TaskRunner
from desk_app.ui.theme import apply_readable_palette
from desk_app.ui.updates import UnattendedUpdates
from desk_app.ui.visit_actions import VisitActions

if TYPE_CHECKING:
    from desk_app.core.judge import Judge
    from desk_app.registry.sync import SyncOutcome
    from desk_app.scanner.sources import ScanSource
    from desk_app.verify.documents import DocumentQuery
    from desk_app.visits.service import VisitLedger

log = logging.getLogger(__name__)

STATUS_REFRESH_MS = 15_000
TRANSPORTS = frozenset({"wedge", "serial", "camera"})  # scanner sources (desk_app.scanner.events.SourceKind)


class MainWindow(QMainWindow):
    # Emitted on the GUI thread once the verdict (or None for a failed scan) is on screen.
    verdict_shown = Signal(object)
    visit_outcome = Signal(object)
    judge_ready = Signal()

    def __init__(
        self,
        settings: Settings,
        *,
        config_path: Path | None = None,
        judge_factory: Callable[[Settings], Judge] | None = None,
        ledger_factory: Callable[[Settings], VisitLedger] | None = None,
    ) -> None:
        super().__init__()
        self.config_path = config_path or paths.user_config_file()
        self.closed = False
        self.tasks = TaskRunner()
        self.reports = BackgroundReports(self.statusBar, self.tasks.post)
        self.tasks.report_to(self.reports.job_failed, self.reports.job_refused)
        thread_failure_listeners.append(self.reports.thread_died)
        self.health = DeskHealth()
        self.session = DeskSession(settings)
        self._judge: Judge | None = None  # the built judge, for the updates and the trust snapshot
        self.scanner_sources: list[ScanSource] = []  # started by app.py; stopped in shutdown()
        self.scan_sink: DeskScanSink | None = None  # where the sources deliver (ui/scanning.start_scanners)
        self.active_dialog: QDialog | None = None
        self.demo_cases: list[tuple[Path, str]] = []
        self.sounds = DecisionSounds(settings.sounds, self)

        self.setWindowTitle(self.tr("Проверка полиса ОМС — регистратура"))
        self.resize(1280, 800)
        apply_readable_palette(self)
        # The layout's typed widgets, named on the window for the menus and the tests.
        self.widgets = desk_layout.build(self, settings.tz)
        self.banner, self.panel, self.identity = self.widgets.banner, self.widgets.panel, self.widgets.identity
        self.record, self.today = self.widgets.record, self.widgets.today
        self.camera_view, self.status = self.widgets.camera_view, self.widgets.status
        self.view = DeskView(self.panel, self.identity, self.record, self.today, settings.tz)
        # What every helper gets in place of the window.
        self.desk = DeskContext(
            settings=settings, session=self.session, tasks=self.tasks, health=self.health, view=self.view,
            status_bar=self.statusBar, refresh_status=self.refresh_status, open_dialog=self.open_dialog,
            dialog_parent=self, is_closed=lambda: self.closed,
        )  # fmt: skip
        # The session publishes each change: the view paints it, a new verdict is announced.
        self.session.subscribe(self.view.render)
        self.session.subscribe(VerdictAnnouncer(self.health, self.sounds, self.refresh_status))
        self.visits = VisitActions(self.desk, self.record, self.today, self.visit_outcome.emit, ledger_factory)
        self.scans = ScanIntake(self.desk, self.verdict_shown.emit, self.visits.note_search, judge_factory)
        self.updates = UnattendedUpdates(self.tasks, self)
        self.updates.trust_checked.connect(lambda _updated: self.refresh_status())
        self.updates.sync_finished.connect(self._on_sync_finished)
        self.updates.sync_stopped.connect(self._on_sync_stopped)
        menus = window_chrome.build_menus(self)
        self.open_file_action, self.manual_action, self.record_action = (
            menus.open_file_action, menus.manual_action, menus.record_action
        )
        self.search_action = menus.search_action
        self.settings_action, self.camera_action, self.demo_menu = (
            menus.settings_action, menus.camera_action, menus.demo_menu
        )
        self._connect_panels()
        self._status_timer = QTimer(self)
        self._status_timer.setInterval(STATUS_REFRESH_MS)
        self._status_timer.timeout.connect(self.refresh_status)
        self._status_timer.start()
        QTimer.singleShot(0, self._start_background)

    @property
    def settings(self) -> Settings:
        return self.desk.settings

    # Layout -------------------------------------------------------------------------------
    def _connect_panels(self) -> None:
        window_chrome.update_banner(self.banner, self.settings)
        s = self.session
        self.identity.check_requested.connect(self._check_passport)
        self.record.service_chosen.connect(s.choose_service)
        self.record.doctor_changed.connect(s.set_doctor)
        self.record.warn_reason_changed.connect(s.set_warn_reason)
        self.record.record_requested.connect(self.record_visit)
        self.record.override_requested.connect(self.visits.override)
        self.today.cancel_requested.connect(self.visits.cancel)
        self.view.render(s)

    def _check_passport(self, text: str) -> None:
        result = self.session.check_passport(text)
        self.identity.show_result(result or "")
        self.view.apply_focus(focus_after_passport_check(self.session, result))

    # Background start ---------------------------------------------------------------------
    def _start_background(self) -> None:
        if self.closed:
            return
        self._build_judge()
        self.visits.open()
        if self.settings.demo:
            self.tasks.probe.submit(window_chrome.list_demo_policies, on_success=self._fill_demo_menu)
        self.refresh_status()

    def _build_judge(self) -> None:
        self.tasks.judge.submit(
            self.scans.host.build, self.settings, on_success=self._on_judge_ready, on_failure=self._on_judge_failed
        )

    def _on_judge_ready(self, judge: Judge) -> None:
        self._judge = judge
        self.health.judge_error = None
        if not self.closed:
            self.updates.start(self.settings, judge)
        self.refresh_status()
        self.judge_ready.emit()

    def _on_judge_failed(self, exc: BaseException) -> None:
        log.error("the judge could not be built: %s", exc)  # the English detail; the desk says it in Russian
        self.health.judge_error = str(exc)
        self.scans.failed(ScanFailure.NO_JUDGE)
        self.refresh_status()

    # Intents --------------------------------------------------------------------------------
    def submit_scan(self, payload: str | bytes, origin: str = "", *, typing_ms: float | None = None) -> bool:
        """Every scanner ends here. Never blocks: the judge lane queues or refuses. `origin`: the
        scanner's transport (wedge / serial / camera); `typing_ms`: how long a wedge typed it."""
        if typing_ms is not None:
            log.info("scan by %s, typed in %.0f ms", origin, typing_ms)  # never the payload: personal data
        else:
            log.debug("scan from %s", origin or "an unnamed source")
        self.close_dialog_for_scan()
        if origin in TRANSPORTS:
            self.saw_transport(origin, typing_ms)
        return self.scans.scan(payload)

    def saw_transport(self, source: str, typing_ms: float | None = None) -> None:
        """Name the way this scan came in (status bar, and the record `desk-app doctor` reads)."""
        transports = self.health.transports
        transports.saw_scan(source, typing_ms)
        record = scan_transport.ScanTransports.from_json(transports.to_json())  # a copy for the lane
        self.tasks.probe.submit(scan_transport.save, scan_transport.record_path(self.settings.data_path), record)
        self.refresh_status()

    def scan_reading(self, chars: int) -> None:
        """A keyboard-wedge scanner is typing a code: a new patient at its first keys (the
        previous one leaves the screen at once), then the characters read so far."""
        # An open dialog stays until the scan has ended: closing it now would move the X input
        # focus while the scanner types, and keys typed during the move are lost.
        self.session.reading(chars)

    def close_dialog_for_scan(self) -> None:
        """A scan means a new patient: a dialog about the desk's patient (manual entry, a repeat
        record's reason and PIN, a cancellation) is closed, unconfirmed, and the desk says why."""
        dialog = self.active_dialog
        if dialog is None or not dialog.isVisible() or not dialog.property("closesOnScan"):
            return
        title = dialog.windowTitle()
        log.info("a scan closed the open dialog %r unconfirmed", dialog.objectName() or type(dialog).__name__)
        dialog.reject()
        self.statusBar().showMessage(
            self.tr("Окно «%1» закрыто без изменений: отсканирован новый полис.").replace("%1", title), 10000
        )

    def submit_file(self, path: Path) -> bool:
        self.saw_transport("file")
        return self.scans.file(path)

    def submit_manual(self, enp: str, birth_date: date) -> bool:
        return self.scans.manual(enp, birth_date)

    def submit_search(self, query: DocumentQuery) -> bool:
        """A search by identity document (a checked DocumentQuery). Never blocks."""
        return self.scans.search(query)

    def scan_failed(self, failure: ScanFailure) -> None:
        """A scan started (keys a scanner typed) and made no code: a new patient all the same."""
        self.close_dialog_for_scan()
        self.scans.failed(failure)

    def clear(self) -> None:
        """Esc: a clean desk for the next patient: every field empty, the focus on the desk."""
        self.session.clear()
        self.view.clear_fields()
        self.view.apply_focus(focus_after_change(self.session) or Spot.DESK)

    def record_visit(self, override_reason: str | None = None, role: str = "registrar") -> bool:
        return self.visits.record(override_reason, role)

    def refresh_today(self) -> None:
        self.visits.refresh_today()

    def open_file(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Файл с QR-кодом полиса"), "",
            self.tr("Изображения, PDF и текст (*.png *.jpg *.jpeg *.bmp *.pdf *.txt);;Все файлы (*)"),
        )  # fmt: skip
        if name:
            self.submit_file(Path(name))

    def manual_entry(self) -> None:
        dialog = ManualEntryDialog(self)
        dialog.accepted.connect(lambda: self.submit_manual(dialog.enp(), dialog.date_of_birth()))
        self.open_dialog(dialog)

    def document_search(self) -> None:
        """F3 «Поиск по документу»."""
        dialog = DocumentSearchDialog(self, today=self.session_today())
        dialog.accepted.connect(lambda: self.submit_search(dialog.query()))
        self.open_dialog(dialog)

    def session_today(self) -> date:
        """Today in the clinic's time zone (a birth date may not be later)."""
        from datetime import datetime

        return datetime.now(self.settings.tz).date()

    def open_dialog(self, dialog: QDialog, *, closes_on_scan: bool = True) -> None:
        """Window-modal and non-blocking: the lanes' results keep arriving while it is open.
        `closes_on_scan`: a new scan closes it unconfirmed (not the settings: a scan is no
        reason to lose an administrator's changes)."""
        self.active_dialog = dialog
        dialog.setProperty("closesOnScan", closes_on_scan)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: setattr(self, "active_dialog", None))
        dialog.open()

    def _fill_demo_menu(self, cases: list[tuple[Path, str]]) -> None:
        if self.demo_menu is not None:
            self.demo_cases = cases
            window_chrome.fill_demo_menu(self, self.demo_menu, cases, self.submit_file)

    # Devices --------------------------------------------------------------------------------
    def show_camera_preview(self, visible: bool) -> None:
        self.camera_view.setVisible(visible)
        self.camera_action.setChecked(visible)

    def toggle_camera_preview(self) -> None:
        self.show_camera_preview(not self.camera_view.isVisible())

    def set_camera_state(self, value: str) -> None:
        """The camera worker's state (opening / running / lost / ended / stopped), on the GUI thread."""
        self.health.camera_state = value
        if value != "running":
            self.camera_view.show_state(probes.camera_item(self.settings, value)[0])
        self.refresh_status()

    def set_serial_state(self, value: str) -> None:
        self.health.serial_state = value
        self.refresh_status()

    def _on_sync_stopped(self, exc: BaseException) -> None:
        """The offline copy's sync thread stopped: error (its worker logged the traceback)."""
        self.health.sync_failed = True
        self.refresh_status()

    def _on_sync_finished(self, outcome: SyncOutcome) -> None:
        """A run of the offline copy's sync ended: it also tells whether the registry answers."""
        self.health.saw_sync(outcome)
        self.refresh_status()

    def refresh_status(self) -> None:
        if self.closed:
            return
        trust = self._judge.trust if self._judge is not None else None  # None: no trust root configured
        snapshot = trust.snapshot if trust is not None else None
        self.tasks.probe.submit(
            probes.desk_status, self.settings, copy.deepcopy(self.health), snapshot,
            on_success=self.status.show_status,
            droppable=True,  # the next refresh replaces it: a full probe lane is no news for the user
        )  # fmt: skip

    # Settings -----------------------------------------------------------------------------
    def open_settings(self) -> None:
        settings_flow.open_settings(self)

    def apply_settings(self, new: Settings) -> None:
        """Use new settings: the desk is cleared, the judge and the ledger rebuilt on their lanes."""
        self.desk.settings = new
        self.sounds.enabled = new.sounds
        window_chrome.update_banner(self.banner, new)
        self.session.configure(new)
        self.updates.stop()  # before the judge (whose registry client the sync shares) is closed
        self._judge = None
        self.tasks.judge.submit(self.scans.host.close)
        self._build_judge()
        self.visits.open()
        self.refresh_status()

    # Shutdown -----------------------------------------------------------------------------
    def shutdown(self) -> None:
        """Stop devices and lanes and wait for them (idempotent)."""
        if self.closed:
            return
        self.closed = True
        if self.reports.thread_died in thread_failure_listeners:
            thread_failure_listeners.remove(self.reports.thread_died)
        self._status_timer.stop()
        self.updates.stop()
        for source in self.scanner_sources:
            try:
                source.stop()
            except Exception:
                log.exception("stopping a scanner failed")
        self.tasks.stop(finals={self.tasks.ledger: self.visits.ledger.close, self.tasks.judge: self.scans.host.close})

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)
