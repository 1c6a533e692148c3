"""COM ports: the serial scanner reads scans from COM3, and doctor names COM ports right.

scripts/package_windows.sh bridges COM3 of the Wine prefix to a Linux pty whose other end sends
the demo policy (resources/demo/policies/active.b.txt) followed by CR, again and again
(packaging/windows/com_bridge.py). DESK_TEST_COM_PORT names that port.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from desk_app.config import Settings
from desk_app.doctor.device_checks import check_serial
from desk_app.scanner.events import ScanEvent, SourceKind
from desk_app.scanner.serial_source import SerialConfig, SerialReader, SerialState

POLICY = (Path(__file__).resolve().parents[2] / "resources" / "demo" / "policies" / "active.b.txt").read_bytes()


@pytest.fixture
def com_port() -> str:
    port = os.environ.get("DESK_TEST_COM_PORT", "")
    if not port:
        pytest.fail("DESK_TEST_COM_PORT is not set: run these tests with scripts/package_windows.sh (it bridges COM3)")
    return port


def test_serial_reader_reads_a_whole_scan_from_com3(com_port: str) -> None:
    scans: list[ScanEvent] = []
    states: list[SerialState] = []
    got = threading.Event()

    def on_scan(event: ScanEvent) -> None:
        scans.append(event)
        got.set()

    reader = SerialReader(SerialConfig(com_port, 9600, "cr"), on_scan, lambda state, _d: states.append(state))
    reader.start()
    try:
        assert got.wait(20), f"no scan from {com_port}; states {states}"
    finally:
        reader.stop()
    # The first line may be cut (the reader opened mid-scan): a whole one must follow it.
    assert SerialState.CONNECTED in states
    whole = [s for s in scans if s.payload == POLICY.strip()]
    if not whole:
        got.clear()
        reader = SerialReader(SerialConfig(com_port, 9600, "cr"), on_scan)
        reader.start()
        try:
            got.wait(20)
        finally:
            reader.stop()
        whole = [s for s in scans if s.payload == POLICY.strip()]
    assert whole, f"{len(scans)} scans, none equal to the policy sent"
    assert whole[0].source is SourceKind.SERIAL and whole[0].origin == com_port


def test_doctor_opens_com3(com_port: str) -> None:
    result = check_serial(Settings(serial_port=com_port))
    assert result is not None
    assert result.level == "ok", result
    assert com_port in result.message_ru


def test_doctor_says_a_missing_com_port_is_not_found() -> None:
    result = check_serial(Settings(serial_port="COM57"))
    assert result is not None
    assert result.level == "error"
    assert result.message_ru.startswith("Порт COM57 не найден"), result.message_ru

