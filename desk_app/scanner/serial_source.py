"""Serial scanners (USB-CDC virtual COM port): a reader thread that frames scans by terminator
and survives the cable being pulled and put back.

When the port disappears or errors, the reader closes it, reports `disconnected`, and retries
opening with a growing delay (0.2 s doubling to 5 s) until the port is back or `stop()` is
called. A scan cut off by the unplug is dropped, never delivered half. Configure ports by a
stable name (`/dev/serial/by-id/...` on Linux) rather than a number that changes on replug;
`list_ports()` gives those names with VID:PID for the settings window.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desk_app.config import Settings
from desk_app.scanner.events import ScanEvent, SourceKind
from desk_app.verify.payload import MAX_QR_CHARS
from desk_app.worker import FAILED_STATE, Backoff, Worker

if TYPE_CHECKING:
    from desk_app.scanner.sources import ScanSink

log = logging.getLogger(__name__)

TERMINATOR_BYTES = {"cr": b"\r", "lf": b"\n", "crlf": b"\r\n", "tab": b"\t"}
MAX_LINE_BYTES = MAX_QR_CHARS * 4  # a line longer than any QR text is noise: dropped
BACKOFF_FIRST_S = 0.2
BACKOFF_MAX_S = 5.0
READ_TIMEOUT_S = 0.1


class SerialState(StrEnum):
    CONNECTING = "connecting"
    CONNECTED = "connected"
    DISCONNECTED = "disconnected"
    STOPPED = "stopped"
    FAILED = FAILED_STATE  # stopped: error (the reader raised; the status bar says so)


@dataclass(frozen=True)
class SerialConfig:
    port: str
    baud: int = 9600
    terminator: str = "cr"

    @classmethod
    def from_settings(cls, settings: Settings) -> SerialConfig:
        return cls(settings.serial_port, settings.serial_baud, settings.serial_terminator)


class LineFramer:
    """Bytes in, complete lines out; CR/LF left over from a CRLF scanner are ignored."""

    def __init__(self, terminator: str) -> None:
        self.terminator = TERMINATOR_BYTES[terminator]
        self._buffer = bytearray()
        self.dropped = 0

    def feed(self, data: bytes) -> list[bytes]:
        self._buffer += data
        lines: list[bytes] = []
        while True:
            index = self._buffer.find(self.terminator)
            if index < 0:
                break
            line = bytes(self._buffer[:index]).strip(b"\r\n")
            del self._buffer[: index + len(self.terminator)]
            if line:
                lines.append(line)
        if len(self._buffer) > MAX_LINE_BYTES:
            self.dropped += 1
            self._buffer.clear()
            log.warning("serial scanner: %d bytes without a terminator dropped", MAX_LINE_BYTES)
        return lines

    def reset(self) -> int:
        """Forget a partial line (the port went away); returns how many bytes were dropped."""
        size = len(self._buffer.strip(b"\r\n"))
        self._buffer.clear()
        return size


class SerialReader(Worker):
    """Reads scans from a serial port in its own thread (desk_app.worker.Worker); callbacks run
    in that thread. An unexpected error (not the port's own) ends it as `FAILED`."""

    kind = SourceKind.SERIAL
    stop_timeout = 2.0

    def __init__(
        self,
        config: SerialConfig,
        on_scan: Callable[[ScanEvent], None],
        on_state: Callable[[SerialState, str], None] | None = None,
    ) -> None:
        if not config.port:
            raise ValueError("no serial port configured (scanner.serial_port)")
        if config.terminator not in TERMINATOR_BYTES:
            raise ValueError(f"unknown serial terminator {config.terminator!r}")
        super().__init__()
        self.thread_name = f"serial-{config.port}"
        self.config = config
        self._on_scan = on_scan
        self._on_state = on_state or (lambda _state, _detail: None)
        self._backoff = Backoff(BACKOFF_FIRST_S, BACKOFF_MAX_S)
        self.state = SerialState.STOPPED

    def _set_state(self, state: SerialState, detail: str = "") -> None:
        if state != self.state:
            self.state = state
            log.info("serial scanner %s: %s %s", self.config.port, state.value, detail)
            self._on_state(state, detail)

    def failed(self, exc: BaseException) -> None:
        self._set_state(SerialState.FAILED, f"{type(exc).__name__}: {exc}")

    def run(self) -> None:
        import serial

        framer = LineFramer(self.config.terminator)
        self._set_state(SerialState.CONNECTING)
        while not self.stopping:
            try:
                port = serial.Serial(self.config.port, self.config.baud, timeout=READ_TIMEOUT_S)
            except (serial.SerialException, OSError, ValueError) as exc:
                self._set_state(SerialState.DISCONNECTED, str(exc))  # reported once per outage
                self.sleep(self._backoff.next())
                continue
            self._backoff.reset()
            self._set_state(SerialState.CONNECTED, self.config.port)
            try:
                self._read_until_error(port, framer)
            except (serial.SerialException, OSError) as exc:
                dropped = framer.reset()
                detail = f"{exc}" + (f"; a partial scan of {dropped} bytes was dropped" if dropped else "")
                self._set_state(SerialState.DISCONNECTED, detail)
            finally:
                try:
                    port.close()
                except (serial.SerialException, OSError):
                    pass
        self._set_state(SerialState.STOPPED)

    def _read_until_error(self, port: object, framer: LineFramer) -> None:
        while not self.stopping:
            data = port.read(4096)  # type: ignore[attr-defined]
            for line in framer.feed(data):
                self._on_scan(ScanEvent(SourceKind.SERIAL, line, origin=self.config.port))


@dataclass(frozen=True)
class PortInfo:
    device: str
    description: str
    vid_pid: str  # "0C2E:0B61" or "" for non-USB ports
    stable_names: tuple[str, ...]  # /dev/serial/by-id links to this device (Linux)


def list_ports(by_id_dir: Path = Path("/dev/serial/by-id")) -> list[PortInfo]:
    """Serial ports for the settings window, with the names that survive a replug."""
    from serial.tools import list_ports as lp

    links: dict[str, list[str]] = {}
    if by_id_dir.is_dir():
        for link in sorted(by_id_dir.iterdir()):
            try:
                links.setdefault(str(link.resolve()), []).append(str(link))
            except OSError:
                continue
    out: list[PortInfo] = []
    for port in lp.comports():
        vid_pid = f"{port.vid:04X}:{port.pid:04X}" if port.vid is not None and port.pid is not None else ""
        out.append(PortInfo(port.device, port.description or "", vid_pid, tuple(links.get(port.device, ()))))
    return out


def open_source(settings: Settings, sink: ScanSink, **_options: Any) -> SerialReader:
    """The registry's opener (desk_app.scanner.sources): the serial port the settings name."""
    return SerialReader(
        SerialConfig.from_settings(settings),
        sink.scanned,
        lambda state, _detail: sink.state_changed(SourceKind.SERIAL, state.value),
    )
