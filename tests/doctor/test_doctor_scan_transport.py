"""The way each scan came in: the desk's record (`scan-transport.json`), the status bar's text
and tooltip, and `desk-app doctor`'s advice to use USB-COM mode when wedge scans are slow."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from desk_app.config import Settings
from desk_app.core import scan_transport
from desk_app.core.scan_transport import SLOW_WEDGE_MS, ScanTransports
from desk_app.doctor import device_checks
from desk_app.ui import probes


def _record(data_dir: Path, *scans: tuple[str, float | None]) -> ScanTransports:
    record = ScanTransports()
    for source, typing_ms in scans:
        record.saw_scan(source, typing_ms)
    scan_transport.save(scan_transport.record_path(data_dir), record)
    return record


def test_the_record_suggests_usb_com_only_when_wedge_scans_are_slow(tmp_path: Path) -> None:
    fast = _record(tmp_path, ("wedge", 900.0), ("wedge", 1100.0), ("serial", None))
    assert not fast.suggest_usb_com and fast.last_source == "serial" and fast.counts == {"wedge": 2, "serial": 1}
    slow = _record(tmp_path, *[("wedge", SLOW_WEDGE_MS + 600)] * 3, ("wedge", 800.0))
    assert slow.suggest_usb_com  # the median of the recent wedge scans, not one fast one
    loaded = scan_transport.load(scan_transport.record_path(tmp_path))
    assert loaded == slow
    (tmp_path / scan_transport.FILE_NAME).write_text("{not json", "utf-8")
    assert scan_transport.load(scan_transport.record_path(tmp_path)) is None
    assert ScanTransports.from_json({"counts": "x", "wedge_typing_ms": ["a", 5]}).wedge_typing_ms == [5.0]


def test_doctor_names_the_last_transport_and_suggests_usb_com(tmp_path: Path) -> None:
    settings = Settings(data_dir=str(tmp_path))
    first = device_checks.check_wedge(settings)
    assert first.level == "ok" and "сканов ещё не было" in first.message_ru
    _record(tmp_path, ("wedge", 3400.0), ("wedge", 3300.0), ("wedge", 3500.0))
    slow = device_checks.check_wedge(settings)
    assert slow.level == "warning"
    assert "последний скан: сканер-клавиатура" in slow.message_ru and "3,4 с" in slow.message_ru
    assert "USB-COM" in slow.message_ru and "USB-COM" in slow.message
    assert slow.details["wedge_typing_ms_median"] == 3400
    _record(tmp_path, ("serial", None))
    fast = device_checks.check_wedge(settings)
    assert fast.level == "ok" and "последний скан: USB-COM" in fast.message_ru


def test_the_status_bar_names_the_transport_and_its_tooltip_suggests_usb_com(qapp: Any) -> None:
    settings = Settings(serial_port="")
    record = ScanTransports()
    assert probes.scanner_tip(record) == "Сканов ещё не было."
    record.saw_scan("wedge", 3400.0)
    text, level = probes.scanner_item(settings, None, record)
    assert text == "Сканер: клавиатурный, последний скан: клавиатура, 3,4 с" and level == "warn"
    tip = probes.scanner_tip(record)
    assert "Последний скан: клавиатура." in tip and "режим USB-COM" in tip
    record.saw_scan("camera")
    assert probes.scanner_item(settings, None, ScanTransports.from_json(record.to_json()))[0].endswith(
        "последний скан: камера"
    )


def test_the_window_records_each_scans_transport(qtbot: Any, judge_settings: Settings, tmp_path: Path,
                                                 policy_xml: Any) -> None:
    from tests.helpers.ui import make_window, scan_text

    window = make_window(qtbot, judge_settings, tmp_path / "config.toml")
    try:
        with qtbot.waitSignal(window.verdict_shown, timeout=15000):
            assert window.submit_scan(scan_text(policy_xml()), "wedge", typing_ms=3400.0)
        label = window.status.labels["scanner"]
        qtbot.waitUntil(lambda: "последний скан: клавиатура, 3,4 с" in label.text(), timeout=10000)
        assert "режим USB-COM" in label.toolTip()
        path = scan_transport.record_path(judge_settings.data_path)
        qtbot.waitUntil(path.exists, timeout=10000)
        saved = scan_transport.load(path)
        assert saved is not None and saved.last_source == "wedge" and saved.wedge_typing_ms == [3400.0]
    finally:
        window.shutdown()
