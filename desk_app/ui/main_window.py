"""The desk window: scan → verdict → passport check → visit. Thin: every slow job goes to a lane.

Lanes (see tasks.py): "judge" owns the Judge (trust cache, registry client: network and
crypto), "ledger" owns the visits ledger (every database call), "probe" reads caches and files
for the status bar and the demo menu. The GUI thread only queues work and shows results.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desk_app import paths
from desk_app.config import Settings
from desk_app.core.session_pin import check_admin_pin
from desk_app.ui import probes
from desk_app.ui.camera_view import CameraPreview
from desk_app.ui.dialogs import ManualEntryDialog, ReasonDialog
from desk_app.ui.identity_panel import IdentityPanel
from desk_app.ui.ledger_access import LedgerAccess, first_record_text
from desk_app.ui.sounds import DecisionSounds
from desk_app.ui.status_bar import DeskStatusBar
from desk_app.ui.tasks import TaskRunner
from desk_app.ui.updates import UnattendedUpdates
from desk_app.ui.verdict_panel import VerdictPanel
from desk_app.ui.visits_panel import RecordPanel, TodayPanel

log = logging.getLogger(__name__)

DEMO_HOTKEYS = ("F5", "F6", "F7", "F8", "F9", "F10", "F11", "F12")
STATUS_REFRESH_MS = 15_000


def _default_judge_factory(settings: Settings) -> Any:
    from desk_app.core.judge import build_judge  # heavy (lxml, signxml, cryptography): worker only

    # No network on the way to a ready window: the trust list is fetched by UnattendedUpdates.
    return build_judge(settings, refresh=False)


class MainWindow(QMainWindow):
    # Emitted on the GUI thread once the verdict (or problem) for a scan is on screen.
    verdict_shown = Signal(object)
    visit_outcome = Signal(object)
    visits_loaded = Signal(list)
    judge_ready = Signal()

    def __init__(
        self,
        settings: Settings,
        *,
        config_path: Path | None = None,
        judge_factory: Callable[[Settings], Any] | None = None,
        ledger_factory: Callable[[Settings], Any] | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.config_path = config_path or paths.user_config_file()
        self._judge_factory = judge_factory or _default_judge_factory
        self._judge: Any = None  # touched only on the judge lane
        self.ledger = LedgerAccess(settings, ledger_factory)  # touched only on the ledger lane
        self.tasks = TaskRunner()
        self.updates = UnattendedUpdates(self.tasks, self)
        self.updates.trust_checked.connect(lambda _updated: self.refresh_status())
        self.updates.sync_finished.connect(self._on_sync_finished)
        self.current: Any = None  # the Judgement on screen
        self.identity_result: str | None = None
        self.last_source: str | None = None
        self.serial_state: str | None = None
        self.camera_state: str | None = None
        self.ledger_error: str | None = None
        self.trust_snapshot: Any = None
        self.last_sync_outcome: Any = None
        self.scanner_sources: list[Any] = []  # started by app.py; stopped in shutdown()
        self._closed = False
        self.active_dialog: QDialog | None = None
        self.demo_cases: list[tuple[Path, str]] = []
        self.sounds = DecisionSounds(settings.sounds, self)

        self.setWindowTitle(self.tr("Проверка полиса ОМС — регистратура"))
        self.resize(1280, 820)
        self._build_widgets()
        self._build_menus()
        self._status_timer = QTimer(self)
        self._status_timer.setInterval(STATUS_REFRESH_MS)
        self._status_timer.timeout.connect(self.refresh_status)
        self._status_timer.start()
        QTimer.singleShot(0, self._start_background)

    # Layout -------------------------------------------------------------------------------
    def _build_widgets(self) -> None:
        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.banner.setWordWrap(True)
        self.panel = VerdictPanel(self.settings.tz)
        self.identity = IdentityPanel()
        self.record = RecordPanel()
        self.today = TodayPanel(self.settings.tz)
        self.camera_view = CameraPreview()
        self.camera_view.setVisible(False)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.camera_view, 0, Qt.AlignmentFlag.AlignHCenter)
        right_layout.addWidget(self.identity)
        right_layout.addWidget(self.record, 1)
        top = QWidget()
        top_layout = QHBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.panel, 3)
        top_layout.addWidget(right, 2)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(self.today)
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([640, 150])
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(10, 8, 10, 6)
        layout.addWidget(self.banner)
        layout.addWidget(splitter, 1)
        self.setCentralWidget(central)
        self.status = DeskStatusBar()
        self.setStatusBar(self.status)
        self._update_banner()

        self.identity.checked.connect(self._on_identity_checked)
        self.record.record_requested.connect(self.record_visit)
        self.record.override_requested.connect(self.override_duplicate)
        self.today.cancel_requested.connect(self.cancel_visit)

    def _update_banner(self) -> None:
        s = self.settings
        if s.demo:
            self.banner.setText(
                self.tr("ДЕМО — учебный режим: тестовые сертификаты и тестовый регистр. Не для приёма пациентов.")
            )
            self.banner.setStyleSheet("background: #5b2a86; color: white; font-size: 16pt; font-weight: bold;")
            self.banner.setVisible(True)
        elif s.uses_demo_root:
            self.banner.setText(
                self.tr(
                    "ВНИМАНИЕ: включён ТЕСТОВЫЙ корневой сертификат. Подписи не проверяются по-настоящему."
                    " Сообщите администратору!"
                )
            )
            self.banner.setStyleSheet("background: #b3121f; color: white; font-size: 16pt; font-weight: bold;")
            self.banner.setVisible(True)
        else:
            self.banner.setVisible(False)

    def _build_menus(self) -> None:
        menu = self.menuBar().addMenu(self.tr("&Полис"))
        self.open_file_action = self._action(menu, self.tr("Открыть файл с QR-кодом…"), "Ctrl+O", self.open_file)
        self.manual_action = self._action(menu, self.tr("Ввести номер вручную…"), "F2", self.manual_entry)
        self._action(menu, self.tr("Очистить экран"), "Esc", self.clear)
        menu.addSeparator()
        self.record_action = self._action(menu, self.tr("Записать приём"), "Ctrl+Return", self.record_visit)
        menu.addSeparator()
        self._action(menu, self.tr("Выход"), "Ctrl+Q", self.close)
        service = self.menuBar().addMenu(self.tr("&Сервис"))
        self.settings_action = self._action(service, self.tr("Настройки (администратор)…"), "Ctrl+,",
                                            self.open_settings)
        self._action(service, self.tr("Обновить состояние"), "Ctrl+R", self.refresh_status)
        self.camera_action = self._action(service, self.tr("Показать камеру"), "F3", self.toggle_camera_preview)
        self.camera_action.setCheckable(True)
        self.camera_action.setEnabled(bool(self.settings.camera))
        self.demo_menu: QMenu | None = None
        if self.settings.demo:
            self.demo_menu = self.menuBar().addMenu(self.tr("&Демо-сканирование"))

    def _action(self, menu: QMenu, text: str, shortcut: str, slot: Callable[[], Any]) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        self.addAction(action)
        return action

    # Background start ---------------------------------------------------------------------
    def _start_background(self) -> None:
        if self._closed:
            return
        self.tasks["judge"].submit("build_judge", self._judge_on_lane, lambda _j: self._on_judge_ready(),
                                   self._on_judge_failed)
        self.tasks["ledger"].submit("open_ledger", self.ledger.open, self._on_ledger_open, self._on_ledger_failed)
        if self.settings.demo:
            self.tasks["probe"].submit("demo_list", _list_demo_policies, self._fill_demo_menu)
        self.refresh_status()

    def _judge_on_lane(self) -> Any:
        if self._judge is None:
            self._judge = self._judge_factory(self.settings)
        return self._judge

    def _on_judge_ready(self) -> None:
        self.trust_snapshot = getattr(getattr(self._judge, "trust", None), "snapshot", None)
        if not self._closed:
            self.updates.start(self.settings, self._judge)
        self.refresh_status()
        self.judge_ready.emit()

    def _on_judge_failed(self, exc: BaseException) -> None:
        self.panel.show_problem(
            self.tr("Проверка подписей недоступна"),
            self.tr("Не удалось загрузить корневой сертификат Казначейства. Обратитесь к администратору.")
            + "\n" + str(exc),
        )
        self.status.set_item("trust", self.tr("Сертификаты: ошибка"), "bad")

    def _on_ledger_open(self, services: list[Any]) -> None:
        self.ledger_error = None
        self.record.services.set_services(services)
        self.refresh_today()
        self.refresh_status()

    def _on_ledger_failed(self, exc: BaseException) -> None:
        self.ledger_error = str(exc)
        self.record.show_message(
            self.tr("База приёмов недоступна: приёмы сейчас не записываются. Сообщите администратору."), "bad"
        )
        self.refresh_status()

    # Scanning -----------------------------------------------------------------------------
    def submit_scan(self, payload: str | bytes, origin: str = "") -> bool:
        """Every scan source ends here. Never blocks: the judge lane queues or refuses."""
        if self._closed:
            return False
        busy = self.tasks["judge"].busy

        def work() -> Any:
            return self._judge_on_lane().judge_qr(payload)

        if not self.tasks["judge"].submit("judge_qr", work, self.show_judgement, self._on_scan_failed):
            self.statusBar().showMessage(
                self.tr("Слишком много сканов подряд — этот скан пропущен. Отсканируйте ещё раз."), 6000
            )
            return False
        if busy:
            self.statusBar().showMessage(self.tr("Предыдущая проверка ещё идёт — скан поставлен в очередь."), 4000)
        else:
            self.panel.show_busy(self.tr("Проверяем полис…"))
        return True

    def submit_file(self, path: Path) -> bool:
        """An image, PDF or text file: read and decoded on the judge lane, then judged."""

        def work() -> Any:
            from desk_app.core.inputs import InputError, payloads_from_input

            try:
                payloads = payloads_from_input(str(path))
            except InputError as exc:
                log.info("file scan refused: %s", exc)
                return None
            return self._judge_on_lane().judge_qr(payloads[0])

        def done(judgement: Any) -> None:
            if judgement is None:
                self.panel.show_problem(
                    self.tr("QR-код не найден"),
                    self.tr("В файле «%1» не найден QR-код полиса, или файл не читается.").replace(
                        "%1", path.name
                    ),
                )
                self.verdict_shown.emit(None)
            else:
                self.show_judgement(judgement)

        if not self.tasks["judge"].submit("judge_file", work, done, self._on_scan_failed):
            self.statusBar().showMessage(self.tr("Проверка ещё идёт — попробуйте через секунду."), 4000)
            return False
        self.panel.show_busy(self.tr("Читаем файл…"))
        return True

    def submit_manual(self, enp: str, birth_date: date) -> bool:
        def work() -> Any:
            return self._judge_on_lane().judge_manual(enp, birth_date)

        if not self.tasks["judge"].submit("judge_manual", work, self.show_judgement, self._on_scan_failed):
            self.statusBar().showMessage(self.tr("Проверка ещё идёт — попробуйте через секунду."), 4000)
            return False
        self.panel.show_busy(self.tr("Запрашиваем регистр…"))
        return True

    def show_judgement(self, judgement: Any) -> None:
        self.current = judgement
        self.identity_result = None
        verdict = judgement.verdict
        self.last_source = verdict.status_source if verdict.signature in ("ok", "not_applicable") else self.last_source
        self.panel.show_verdict(verdict, judgement.details)
        self.identity.set_judgement(judgement)
        self.record.set_decision(verdict.decision)
        self.sounds.play(verdict.decision)
        self.refresh_status()
        self.verdict_shown.emit(judgement)

    def _on_scan_failed(self, exc: BaseException) -> None:
        self.current = None
        self.identity.set_judgement(None)
        self.record.set_decision(None)
        self.panel.show_problem(
            self.tr("Не удалось проверить полис"),
            self.tr("Внутренняя ошибка проверки. Повторите скан; если повторится — сообщите администратору."),
        )
        self.verdict_shown.emit(None)

    def clear(self) -> None:
        self.current = None
        self.identity_result = None
        self.panel.show_idle()
        self.identity.set_judgement(None)
        self.record.set_decision(None)

    def open_file(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Файл с QR-кодом полиса"), "",
            self.tr("Изображения, PDF и текст (*.png *.jpg *.jpeg *.bmp *.pdf *.txt);;Все файлы (*)"),
        )
        if name:
            self.submit_file(Path(name))

    def manual_entry(self) -> None:
        dialog = ManualEntryDialog(self)
        dialog.accepted.connect(lambda: self.submit_manual(dialog.enp(), dialog.date_of_birth()))
        self._open_dialog(dialog)

    def _open_dialog(self, dialog: QDialog) -> None:
        """Window-modal and non-blocking: the lanes' results keep arriving while it is open."""
        self.active_dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: setattr(self, "active_dialog", None))
        dialog.open()

    # Demo ---------------------------------------------------------------------------------
    def _fill_demo_menu(self, cases: list[tuple[Path, str]]) -> None:
        if self.demo_menu is None:
            return
        self.demo_cases = cases
        for i, (path, title) in enumerate(cases):
            action = QAction(f"{title}  ({path.name})", self)
            if i < len(DEMO_HOTKEYS):
                action.setShortcut(QKeySequence(DEMO_HOTKEYS[i]))
                action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
                self.addAction(action)
            action.triggered.connect(lambda _c=False, p=path: self.submit_file(p))
            self.demo_menu.addAction(action)

    # Camera -------------------------------------------------------------------------------
    def show_camera_preview(self, visible: bool) -> None:
        self.camera_view.setVisible(visible)
        self.camera_action.setChecked(visible)

    def toggle_camera_preview(self) -> None:
        self.show_camera_preview(not self.camera_view.isVisible())

    def set_camera_state(self, value: str) -> None:
        """The camera worker's state (opening / running / lost / ended / stopped), on the GUI thread."""
        self.camera_state = value
        if value != "running":
            self.camera_view.show_state(probes.camera_item(self.settings, value)[0])
        self.refresh_status()

    # Identity -----------------------------------------------------------------------------
    def _on_identity_checked(self, result: str) -> None:
        self.identity_result = result

    # Visits -------------------------------------------------------------------------------
    def _visit_request(self) -> dict[str, Any] | None:
        judgement = self.current
        if judgement is None or judgement.verdict.decision == "reject":
            self.record.show_message(self.tr("Сначала отсканируйте действительный полис."), "warn")
            return None
        code = self.record.services.selected_code()
        doctor = self.record.doctor.text().strip()
        warn_reason = self.record.warn_reason.text().strip() or None
        if code is None:
            self.record.show_message(self.tr("Выберите услугу из списка."), "warn")
            return None
        if not doctor:
            self.record.show_message(self.tr("Укажите врача."), "warn")
            return None
        if judgement.verdict.decision == "warn" and not warn_reason:
            self.record.show_message(
                self.tr("Проверка неполная: напишите, почему пациент принимается."), "warn"
            )
            return None
        return {
            "judgement": judgement,
            "service_code": code,
            "doctor": doctor,
            "identity_check": self.identity_result or "not_checked",
            "warn_reason": warn_reason,
        }

    def record_visit(self, override_reason: str | None = None, role: str = "registrar") -> bool:
        request = self._visit_request()
        if request is None:
            return False
        request.update(override_reason=override_reason, role=role)

        def work() -> Any:
            return self.ledger.record(**request)

        accepted = self.tasks["ledger"].submit("record", work, self._on_recorded, self._on_ledger_call_failed)
        if accepted:
            self.record.record_button.setEnabled(False)
        return accepted

    def _on_recorded(self, result: Any) -> None:
        decision = self.current.verdict.decision if self.current is not None else None
        self.record.set_decision(decision)
        self.record.record_button.setEnabled(decision in ("accept", "warn"))
        if result.recorded:
            text = self.tr("Приём записан.")
            if result.overridden:
                text = self.tr("Повторный приём записан с причиной.")
            self.record.show_message(text, "ok")
            self.refresh_today()
        elif result.duplicate_of is not None:
            self.record.show_message(self.tr("Эта услуга этому пациенту сегодня уже записана."), "bad")
            self.record.show_duplicate(first_record_text(result.duplicate_of, self.settings.tz))
        else:
            self.record.show_message(self.tr("Приём не записан: ") + self.ledger.refusal_text(result), "bad")
        self.visit_outcome.emit(result)

    def _on_ledger_call_failed(self, exc: BaseException) -> None:
        self.record.record_button.setEnabled(self.current is not None)
        self.record.show_message(self.tr("Ошибка базы приёмов: ") + self.ledger.error_text(exc), "bad")
        self.visit_outcome.emit(exc)

    def _check_pin(self, pin: str) -> bool:
        return check_admin_pin(pin, self.settings.admin_pin_hash, demo=self.settings.demo)

    def override_duplicate(self) -> None:
        dialog = ReasonDialog(
            self._check_pin,
            self.tr("Повторная запись услуги"),
            self.tr("Услуга уже записана сегодня. Повторная запись — только старшим, с причиной."),
            self,
        )
        dialog.accepted.connect(lambda: self.record_visit(override_reason=dialog.reason_text(), role="admin"))
        self._open_dialog(dialog)

    def cancel_visit(self, visit_id: int) -> None:
        dialog = ReasonDialog(
            self._check_pin,
            self.tr("Отмена приёма"),
            self.tr("Отменить приём можно только старшему, с причиной. Запись останется в журнале."),
            self,
        )

        def confirmed() -> None:
            reason = dialog.reason_text()
            self.tasks["ledger"].submit(
                "cancel", lambda: self.ledger.cancel(visit_id, reason, "admin"), self._on_cancelled,
                self._on_ledger_call_failed,
            )

        dialog.accepted.connect(confirmed)
        self._open_dialog(dialog)

    def _on_cancelled(self, result: Any) -> None:
        if result.cancelled:
            self.statusBar().showMessage(self.tr("Приём отменён."), 5000)
        else:
            self.statusBar().showMessage(self.tr("Приём не отменён: ") + self.ledger.cancel_refusal_text(result), 8000)
        self.refresh_today()
        self.visit_outcome.emit(result)

    def refresh_today(self) -> None:
        def work() -> list[Any]:
            return self.ledger.list_today()

        def done(visits: list[Any]) -> None:
            self.today.set_visits(visits)
            self.visits_loaded.emit(visits)

        self.tasks["ledger"].submit("list_today", work, done, self._on_ledger_call_failed)

    def _on_sync_finished(self, outcome: Any) -> None:
        """A run of the offline copy's sync ended: it also tells whether the registry answers."""
        self.last_sync_outcome = outcome
        self.last_source = "cache" if isinstance(outcome, Exception) else "online"
        self.refresh_status()

    # Status bar ---------------------------------------------------------------------------
    def refresh_status(self) -> None:
        if self._closed:
            return
        settings = self.settings

        def work() -> probes.DeskStatus:
            snapshot = getattr(getattr(self._judge, "trust", None), "snapshot", None)
            return probes.DeskStatus(
                scanner=probes.scanner_item(settings, self.serial_state),
                camera=probes.camera_item(settings, self.camera_state),
                registry=probes.registry_item(settings, self.last_source, probes.registry_copy_synced_at(settings)),
                trust=probes.trust_item(snapshot),
                database=probes.database_item(settings.resolved_storage_url, self.ledger_error),
            )

        self.tasks["probe"].submit("status", work, self.status.show_status)

    # Settings -----------------------------------------------------------------------------
    def open_settings(self) -> None:
        """PIN first (or, on a first run with no PIN, choosing one), then the settings dialog."""
        from desk_app.ui.dialogs import PinDialog
        from desk_app.ui.settings_dialog import NewPinDialog

        if not self.settings.admin_pin_hash and not self.settings.demo:
            first_run = NewPinDialog(self)
            first_run.accepted.connect(
                lambda: self._show_settings(self.settings.replace(admin_pin_hash=first_run.pin_hash))
            )
            self._open_dialog(first_run)
            return
        pin = PinDialog(self._check_pin, self.tr("Вход в настройки"), self)
        pin.accepted.connect(lambda: self._show_settings(self.settings))
        self._open_dialog(pin)

    def _show_settings(self, settings: Settings) -> None:
        from desk_app.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(settings, self.config_path, self.tasks, self)
        dialog.saved.connect(self.apply_settings)
        # Opened after the PIN dialog has finished closing.
        QTimer.singleShot(0, lambda: self._open_dialog(dialog))

    def apply_settings(self, new: Settings) -> None:
        """Use new settings: the judge and the ledger are rebuilt on their own lanes."""
        self.settings = new
        self.sounds.enabled = new.sounds
        self._update_banner()

        self.updates.stop()  # before the judge (whose registry client the sync shares) is closed
        self.tasks["judge"].submit("drop_judge", self._close_judge)
        self.tasks["judge"].submit("build_judge", self._judge_on_lane, lambda _j: self._on_judge_ready(),
                                   self._on_judge_failed)
        self.ledger.settings_changed(new)
        self.tasks["ledger"].submit("reopen_ledger", self.ledger.open, self._on_ledger_open, self._on_ledger_failed)
        self.refresh_status()

    # Shutdown -----------------------------------------------------------------------------
    def shutdown(self) -> None:
        """Stop devices and lanes and wait for them (idempotent)."""
        if self._closed:
            return
        self._closed = True
        self._status_timer.stop()
        self.updates.stop()
        for source in self.scanner_sources:
            try:
                source.stop()
            except Exception:
                log.exception("stopping a scanner failed")
        self.tasks.stop(finals={"ledger": self.ledger.close, "judge": self._close_judge})

    def _close_judge(self) -> None:
        """On the judge lane: release the registry client's connections and threads."""
        judge, self._judge = self._judge, None
        close = getattr(getattr(judge, "status_source", None), "close", None)
        if close is not None:
            close()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)


def _list_demo_policies() -> list[tuple[Path, str]]:
    """The bundled demo QR images with their Russian titles (resources/demo/policies/index.json)."""
    folder = paths.resource("demo", "policies")
    try:
        index = json.loads((folder / "index.json").read_text("utf-8"))
    except (OSError, ValueError):
        return []
    cases = []
    for case in index:
        if not isinstance(case, dict) or not isinstance(case.get("name"), str):
            continue
        image = folder / f"{case['name']}.png"
        text = folder / f"{case['name']}.b.txt"
        path = image if image.exists() else text
        if path.exists():
            cases.append((path, str(case.get("title") or case["name"])))
    return cases
