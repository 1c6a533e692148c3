"""Qt adapter for the serial reader: signals delivered in the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from desk_app.scanner.events import ScanEvent
from desk_app.scanner.qt_guard import EmitGuard
from desk_app.scanner.serial_source import SerialConfig, SerialReader, SerialState

STATE_TEXT_RU = {
    SerialState.CONNECTING: "Сканер: подключение…",
    SerialState.CONNECTED: "Сканер подключён",
    SerialState.DISCONNECTED: "Сканер отключён — проверьте кабель",
    SerialState.STOPPED: "Сканер выключен",
}


class QtSerialScanner(QObject):
    """`scanned(ScanEvent)`; `state_changed(state value, Russian text)`. Call `stop()` before exit."""

    scanned = Signal(object)
    state_changed = Signal(str, str)

    def __init__(self, config: SerialConfig, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # Signals emitted from the reader thread reach GUI-thread slots through queued connections.
        self._guard = EmitGuard()
        self._reader = SerialReader(config, self._emit_scan, self._emit_state)

    def _emit_scan(self, event: ScanEvent) -> None:
        self._guard.emit(self.scanned, event)

    def _emit_state(self, state: SerialState, _detail: str) -> None:
        self._guard.emit(self.state_changed, state.value, STATE_TEXT_RU[state])

    def start(self) -> None:
        self._reader.start()

    def stop(self) -> None:
        self._guard.close()  # no signal leaves the reader from here on, even if it lingers
        self._reader.stop()
