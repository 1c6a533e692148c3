"""Recording a visit (searchable services, doctor, duplicate box) and today's visits at this desk.

The panels hold no rules: they emit typed values (the chosen service code, the doctor's name,
the warn reason, "record", "override", a visit id to cancel) and show what the window tells
them from the desk session.
"""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desk_app.ui.plain_text import plain_label
from desk_app.ui.theme import INK, LEVEL_TEXT, LOOKS, panel_style
from desk_app.visits.catalogue import Service
from desk_app.visits.model import Visit

MIN_ROWS_SHOWN = 5  # today's visits always visible at once at 1280x800

IDENTITY_TEXT = {
    "match": QT_TRANSLATE_NOOP("TodayPanel", "совпал"),
    "mismatch": QT_TRANSLATE_NOOP("TodayPanel", "НЕ совпал"),
    "not_present": QT_TRANSLATE_NOOP("TodayPanel", "нет данных"),
    "not_checked": QT_TRANSLATE_NOOP("TodayPanel", "не сверялся"),
    "document_typed": QT_TRANSLATE_NOOP("TodayPanel", "по документу"),
}


class ServicePicker(QWidget):
    """A filter line over the catalogue: type part of a code or name, arrows to move, Enter to pick.

    Emits `chosen(code or None)`. Nothing is chosen until something is typed or picked.
    """

    chosen = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.filter = QLineEdit()
        self.filter.setObjectName("serviceFilter")
        self.filter.setPlaceholderText(self.tr("Поиск услуги: код или часть названия"))
        self.filter.setClearButtonEnabled(True)
        self.list = QListWidget()
        self.list.setObjectName("serviceList")
        self.list.setMinimumHeight(140)
        # Full names, wrapped: «первичный» and «повторный» end the names, and must never be cut off.
        self.list.setWordWrap(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter)
        layout.addWidget(self.list)
        self.filter.textChanged.connect(self._apply_filter)
        self.filter.installEventFilter(self)
        self.list.currentItemChanged.connect(lambda *_items: self.chosen.emit(self.selected_code()))

    def reset(self) -> None:
        """A new patient: no filter, no service chosen."""
        if self.filter.text():
            self.filter.clear()
        if self.list.currentRow() != -1:
            self.list.setCurrentRow(-1)
            self.list.clearSelection()

    def set_services(self, services: Sequence[Service]) -> None:
        self.list.clear()
        for service in services:
            item = QListWidgetItem(f"{service.code}  {service.name}")
            item.setData(Qt.ItemDataRole.UserRole, service.code)
            self.list.addItem(item)
        self._apply_filter(self.filter.text())

    def _apply_filter(self, text: str) -> None:
        words = text.casefold().split()
        first_visible = None
        for row in range(self.list.count()):
            item = self.list.item(row)
            hidden = not all(w in item.text().casefold() for w in words)
            item.setHidden(hidden)
            if not hidden and first_visible is None:
                first_visible = item
        current = self.list.currentItem()
        if not words:
            if current is not None and current.isHidden():
                self.list.setCurrentRow(-1)
        elif current is None or current.isHidden():
            self.list.setCurrentItem(first_visible)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.filter and event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                self._step(1 if key == Qt.Key.Key_Down else -1)
                return True
        return super().eventFilter(watched, event)

    def _step(self, delta: int) -> None:
        rows = [r for r in range(self.list.count()) if not self.list.item(r).isHidden()]
        if not rows:
            return
        current = self.list.currentRow()
        position = rows.index(current) if current in rows else -1
        position = max(0, min(len(rows) - 1, position + delta))
        self.list.setCurrentRow(rows[position])

    def selected_code(self) -> str | None:
        item = self.list.currentItem()
        if item is None or item.isHidden():
            return None
        return str(item.data(Qt.ItemDataRole.UserRole))


class RecordPanel(QGroupBox):
    """Emits `service_chosen(code|None)`, `doctor_changed(str)`, `warn_reason_changed(str)`,
    `record_requested()`, and `override_requested()` from the duplicate box."""

    record_requested = Signal()
    override_requested = Signal()
    service_chosen = Signal(object)
    doctor_changed = Signal(str)
    warn_reason_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Запись приёма"))
        self.services = ServicePicker()
        self.doctor = QLineEdit()
        self.doctor.setObjectName("doctorEdit")
        self.doctor.setPlaceholderText(self.tr("Врач (ФИО)"))
        self.warn_reason = QLineEdit()
        self.warn_reason.setObjectName("warnReasonEdit")
        self.warn_reason.setPlaceholderText(
            self.tr("Проверка неполная: почему принимаете (например, «паспорт проверен»)")
        )
        self.record_button = QPushButton(self.tr("Записать приём  (Ctrl+Enter)"))
        self.record_button.setObjectName("recordButton")
        self.message = plain_label()
        self.message.setObjectName("recordMessage")
        self.message.setWordWrap(True)

        self.duplicate_box = QFrame()
        self.duplicate_box.setObjectName("duplicateBox")
        self.duplicate_box.setStyleSheet(panel_style("duplicateBox", LOOKS["refused"], width=2))
        self.duplicate_label = plain_label()
        self.duplicate_label.setObjectName("duplicateLabel")
        self.duplicate_label.setWordWrap(True)
        self.override_button = QPushButton(self.tr("Записать повторно (старший, с причиной)…"))
        self.override_button.setObjectName("overrideButton")
        dup_layout = QVBoxLayout(self.duplicate_box)
        dup_layout.addWidget(self.duplicate_label)
        dup_layout.addWidget(self.override_button)
        self.duplicate_box.setVisible(False)

        layout = QVBoxLayout(self)
        layout.addWidget(self.services, 1)
        layout.addWidget(self.doctor)
        layout.addWidget(self.warn_reason)
        layout.addWidget(self.record_button)
        layout.addWidget(self.message)
        layout.addWidget(self.duplicate_box)
        self.record_button.clicked.connect(self.record_requested)
        self.override_button.clicked.connect(self.override_requested)
        self.services.chosen.connect(self.service_chosen)
        self.doctor.textChanged.connect(self.doctor_changed)
        self.warn_reason.textChanged.connect(self.warn_reason_changed)
        self.new_patient(None)

    def new_patient(self, decision: str | None) -> None:
        """Everything typed for the previous patient goes: service, doctor, reason, messages."""
        self.duplicate_box.setVisible(False)
        self.message.setText("")
        self.services.reset()
        self.doctor.clear()
        self.warn_reason.clear()
        self.warn_reason.setVisible(decision == "warn")

    def show_message(self, text: str, level: str = "ok") -> None:
        mark = {"ok": "✓ ", "warn": "! ", "bad": "✕ "}.get(level, "")
        style = f"color: {LEVEL_TEXT.get(level, INK)}; font-weight: bold;"
        if self.message.styleSheet() != style:
            self.message.setStyleSheet(style)
        self.message.setText(mark + text if text else "")

    def show_duplicate(self, text: str) -> None:
        self.duplicate_label.setText(text)
        self.duplicate_box.setVisible(True)


class TodayPanel(QGroupBox):
    """Today's visits at this desk: a search line, the table, cancel (by role)."""

    cancel_requested = Signal(int)
    COLUMNS = (
        QT_TRANSLATE_NOOP("TodayPanel", "Время"),
        QT_TRANSLATE_NOOP("TodayPanel", "Пациент"),
        QT_TRANSLATE_NOOP("TodayPanel", "Полис"),
        QT_TRANSLATE_NOOP("TodayPanel", "Услуга"),
        QT_TRANSLATE_NOOP("TodayPanel", "Врач"),
        QT_TRANSLATE_NOOP("TodayPanel", "Паспорт"),
        QT_TRANSLATE_NOOP("TodayPanel", "Отметки"),
    )

    def __init__(self, tz: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Приёмы сегодня на этой стойке"))
        self._tz = tz
        self._visits: list[Visit] = []
        self.search = QLineEdit()
        self.search.setObjectName("todaySearch")
        self.search.setPlaceholderText(self.tr("Поиск: фамилия, номер полиса, услуга, врач"))
        self.search.setClearButtonEnabled(True)
        self.cancel_button = QPushButton(self.tr("Отменить приём (старший)…"))
        self.cancel_button.setObjectName("cancelVisitButton")
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setObjectName("todayTable")
        self.table.setHorizontalHeaderLabels([QCoreApplication.translate("TodayPanel", c) for c in self.COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table (arrows move inside it)
        # Compact rows: at least 5 of today's visits show at 1280x800.
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 5)
        self.table.verticalHeader().setMinimumSectionSize(self.table.fontMetrics().height() + 4)
        row = self.table.verticalHeader().defaultSectionSize()
        header = self.table.horizontalHeader().sizeHint().height()
        self.table.setMinimumHeight(header + MIN_ROWS_SHOWN * row + 2 * self.table.frameWidth() + 2)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table)
        self.search.textChanged.connect(self._refill)
        self.cancel_button.clicked.connect(self._cancel_selected)

    def set_visits(self, visits: Sequence[Visit]) -> None:
        self._visits = list(visits)
        self._refill()

    def _row(self, visit: Visit) -> list[str]:
        patient = " ".join(
            x for x in (visit.last_name, _initial(visit.first_name), _initial(visit.middle_name)) if x
        )
        marks = []
        if visit.override_of is not None:
            marks.append(self.tr("повторно: ") + (visit.override_reason or ""))
        if visit.cancelled:
            marks.append(self.tr("ОТМЕНЁН: ") + (visit.cancel_reason or ""))
        if visit.decision == "warn":
            marks.append(self.tr("с предупреждением"))
        number = visit.policy_number
        grouped = " ".join(number[i : i + 4] for i in range(0, len(number), 4))
        return [
            visit.recorded_at.astimezone(self._tz).strftime("%H:%M"),
            patient or "—",
            grouped,
            f"{visit.service_code} {visit.service_name}",
            visit.doctor,
            QCoreApplication.translate("TodayPanel", IDENTITY_TEXT.get(visit.identity_check, visit.identity_check)),
            "; ".join(marks),
        ]

    def _refill(self) -> None:
        words = self.search.text().casefold().split()
        rows = []
        for visit in self._visits:
            cells = self._row(visit)
            haystack = " ".join([*cells, visit.policy_number]).casefold()
            if all(w in haystack for w in words):
                rows.append((visit, cells))
        self.table.setRowCount(len(rows))
        for r, (visit, cells) in enumerate(rows):
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 0:
                    item.setData(Qt.ItemDataRole.UserRole, visit.id)
                if visit.cancelled:
                    item.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(r, c, item)

    def select_visit(self, visit_id: int) -> bool:
        for r in range(self.table.rowCount()):
            if self.table.item(r, 0).data(Qt.ItemDataRole.UserRole) == visit_id:
                self.table.selectRow(r)
                return True
        return False

    def _cancel_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.cancel_requested.emit(int(self.table.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole)))


def _initial(name: str | None) -> str:
    return f"{name[0]}." if name else ""
