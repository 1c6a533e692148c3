"""A serial scanner through a pseudo-terminal pair standing in for the port, unplugged and back."""

from __future__ import annotations

import os
import queue
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desk_app.config import Settings
from desk_app.scanner.events import ScanEvent, SourceKind
from desk_app.scanner.serial_source import (
    MAX_LINE_BYTES,
    LineFramer,
    SerialConfig,
    SerialReader,
    SerialState,
    list_ports,
)

FORM_B = b"OMS1:6BFOXN*TS0BI$ZDFRH"


class FakeCable:
    """A pty pair; the port name is a symlink (like /dev/serial/by-id) that survives a replug."""

    def __init__(self, link: Path) -> None:
        self.link = link
        self.master: int | None = None
        self.slave: int | None = None
        self.plug()

    def plug(self) -> None:
        self.master, self.slave = os.openpty()
        tmp = self.link.with_suffix(".new")
        tmp.unlink(missing_ok=True)
        tmp.symlink_to(os.ttyname(self.slave))
        tmp.replace(self.link)

    def unplug(self) -> None:
        self.link.unlink(missing_ok=True)
        for fd in (self.master, self.slave):
            if fd is not None:
                os.close(fd)
        self.master = self.slave = None

    def scan(self, data: bytes) -> None:
        assert self.master is not None
        os.write(self.master, data)


@pytest.fixture
def cable(tmp_path: Path) -> Iterator[FakeCable]:
    c = FakeCable(tmp_path / "scanner-by-id")
    yield c
    c.unplug()


def _wait_state(states: queue.Queue[SerialState], wanted: SerialState, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if states.get(timeout=0.1) == wanted:
                return
        except queue.Empty:
            continue
    raise AssertionError(f"serial reader never reached {wanted}")


def test_scans_unplug_and_replug(cable: FakeCable) -> None:
    scans: queue.Queue[ScanEvent] = queue.Queue()
    states: queue.Queue[SerialState] = queue.Queue()
    reader = SerialReader(
        SerialConfig(str(cable.link), 115200, "crlf"), scans.put, lambda state, _detail: states.put(state)
    )
    reader.start()
    try:
        _wait_state(states, SerialState.CONNECTED)
        cable.scan(FORM_B[:10])
        cable.scan(FORM_B[10:] + b"\r\n")
        event = scans.get(timeout=3)
        assert event.payload == FORM_B and event.source is SourceKind.SERIAL
        cable.scan("<Policy>Ёлкина</Policy>\r\n".encode())
        assert scans.get(timeout=3).payload == "<Policy>Ёлкина</Policy>".encode()

        cable.scan(b"OMS1:HALF-A-SC")  # the cable is pulled mid-scan
        time.sleep(0.2)
        cable.unplug()
        _wait_state(states, SerialState.DISCONNECTED)
        time.sleep(0.5)  # a few reconnection attempts fail while unplugged
        cable.plug()
        _wait_state(states, SerialState.CONNECTED)
        cable.scan(FORM_B + b"\r\n")
        assert scans.get(timeout=3).payload == FORM_B  # the half scan was dropped, not glued on
        assert scans.empty()
    finally:
        reader.stop()
    assert reader.state is SerialState.STOPPED


def test_port_missing_at_start_then_appears(tmp_path: Path) -> None:
    link = tmp_path / "later"
    scans: queue.Queue[ScanEvent] = queue.Queue()
    states: queue.Queue[SerialState] = queue.Queue()
    reader = SerialReader(SerialConfig(str(link), 9600, "cr"), scans.put, lambda s, _d: states.put(s))
    reader.start()
    cable = None
    try:
        _wait_state(states, SerialState.DISCONNECTED)
        cable = FakeCable(link)
        _wait_state(states, SerialState.CONNECTED)
        cable.scan(FORM_B + b"\r")
        assert scans.get(timeout=3).payload == FORM_B
    finally:
        reader.stop()
        if cable is not None:
            cable.unplug()


def test_a_serial_scan_reaches_the_window_through_its_dispatcher(
    qtbot: QtBot, cable: FakeCable, judge_settings: Settings, policy_xml, tmp_path: Path
) -> None:
    """The real window with a serial port: the reader's thread posts the scan and its states
    through the window's one dispatcher; the verdict and the status arrive on the GUI thread."""
    from desk_app.ui.scanning import start_scanners
    from desk_app.verify.payload import encode_form_b
    from tests.helpers.ui import make_window

    settings = judge_settings.replace(serial_port=str(cable.link), serial_baud=9600, serial_terminator="tab")
    window = make_window(qtbot, settings, tmp_path / "config.toml")
    try:
        start_scanners(window)
        qtbot.waitUntil(lambda: window.health.serial_state == "connected", timeout=5000)
        qtbot.waitUntil(lambda: "подключён" in window.status.labels["scanner"].text(), timeout=5000)
        with qtbot.waitSignal(window.verdict_shown, timeout=15000) as blocker:
            cable.scan(encode_form_b(policy_xml()).encode() + b"\t")
        assert blocker.args[0].verdict.signature == "ok"
        assert window.panel.name.text() == "Иванова Мария Петровна"
    finally:
        window.shutdown()


@pytest.mark.parametrize(
    ("terminator", "stream", "lines"),
    [
        ("cr", b"A\rB\r\nC\r", [b"A", b"B", b"C"]),  # a CRLF scanner on a CR setting still works
        ("lf", b"\nA\nB", [b"A"]),
        ("crlf", b"A\r\nB\rC\r\n", [b"A", b"B\rC"]),
        ("tab", b"OMS1:A B\t", [b"OMS1:A B"]),  # spaces are Base45 and kept
    ],
)
def test_line_framing(terminator: str, stream: bytes, lines: list[bytes]) -> None:
    framer = LineFramer(terminator)
    out: list[bytes] = []
    for byte in stream:  # byte by byte, as a slow port delivers
        out += framer.feed(bytes([byte]))
    assert out == lines


@pytest.mark.expect_log_warnings
def test_endless_line_without_terminator_is_dropped() -> None:
    framer = LineFramer("cr")
    assert framer.feed(b"x" * (MAX_LINE_BYTES + 1)) == []
    assert framer.dropped == 1
    assert framer.feed(b"OK\r") == [b"OK"]


def test_no_port_configured_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match=r"scanner\.serial_port"):
        SerialReader(SerialConfig(""), lambda _e: None)


def test_list_ports_maps_by_id_links(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from serial.tools import list_ports as lp
    from serial.tools.list_ports_common import ListPortInfo

    by_id = tmp_path / "by-id"
    by_id.mkdir()
    device = tmp_path / "ttyACM0"
    device.touch()
    (by_id / "usb-Honeywell_Scanner_123-if00").symlink_to(device)
    info = ListPortInfo(str(device), skip_link_detection=True)
    info.vid, info.pid, info.description = 0x0C2E, 0x0B61, "Honeywell scanner"
    monkeypatch.setattr(lp, "comports", lambda: [info])
    (port,) = list_ports(by_id)
    assert port.vid_pid == "0C2E:0B61"
    assert port.stable_names == (str(by_id / "usb-Honeywell_Scanner_123-if00"),)
