"""The real desk window under pytest-qt (offscreen): scans, verdict colours and headlines,
manual entry, the passport check, visits with duplicates and overrides, responsiveness."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor

from desk_app.config import Settings
from desk_app.core.roles import hash_pin
from desk_app.demo.faults import Faults
from desk_app.registry.records import parse_record
from desk_app.registry.status_store import StatusStore
from desk_app.ui.dialogs import ManualEntryDialog, ReasonDialog
from desk_app.ui.main_window import MainWindow
from desk_app.ui.verdict_panel import COLOURS
from desk_app.visits import VisitLedger
from desk_app.visits.model import OVERRIDE_ROLES
from tests.helpers.ui import (
    ACTIVE_ENP,
    ADMIN_PIN,
    EXPIRED_ENP,
    SUSPENDED_ENP,
    TOKEN,
    make_window,
    panel_colour,
    reference_registry,
    scan_and_wait,
    scan_text,
)

GREEN, AMBER, RED = (QColor(COLOURS[k][0]) for k in ("accept", "warn", "reject"))


@pytest.fixture
def registry(tmp_path: Path) -> Iterator[Any]:
    with reference_registry(tmp_path) as server:
        yield server


@pytest.fixture
def desk_settings(judge_settings: Settings, registry: Any) -> Settings:
    return judge_settings.replace(
        registry_url=registry.url,
        registry_token=TOKEN,
        registry_timeout=1.0,
        registry_connect_timeout=0.5,
        admin_pin_hash=hash_pin(ADMIN_PIN),
    )


@pytest.fixture
def window(qtbot: Any, desk_settings: Settings, tmp_path: Path) -> Iterator[MainWindow]:
    win = make_window(qtbot, desk_settings, tmp_path / "config.toml")
    yield win
    win.shutdown()  # stops and joins every lane before the test ends


def _same(a: QColor, b: QColor) -> bool:
    return a.rgb() == b.rgb()


def test_window_opens_ready_to_scan_with_no_field_needing_focus(window: MainWindow) -> None:
    assert window.panel.state == "idle"
    assert window.panel.headline.text() == "Готово к сканированию"
    assert not window.record.record_button.isEnabled()
    assert not window.identity.isEnabled()


def test_accept_is_green_with_name_number_and_insurer(qtbot: Any, window: MainWindow, policy_xml: Any) -> None:
    judgement = scan_and_wait(qtbot, window, scan_text(policy_xml()))
    assert judgement.verdict.decision == "accept"
    assert window.panel.headline.text() == "Полис действителен"
    assert _same(panel_colour(window), GREEN)
    assert window.panel.name.text() == "Иванова Мария Петровна"
    assert window.panel.fields["number"].text() == "7700 0000 0000 0016"
    assert window.panel.fields["birth_date"].text() == "14.03.1985"
    assert "СОГАЗ-Мед" in window.panel.fields["insurer"].text()
    assert "77012" in window.panel.fields["insurer"].text()
    assert "бессрочно" in window.panel.fields["validity"].text()
    assert window.sounds.played[-1] == "accept"


def test_expired_policy_is_red_with_the_end_date(qtbot: Any, window: MainWindow, policy_xml: Any) -> None:
    xml = policy_xml(number=EXPIRED_ENP, kind="temporary", valid_from=date(2025, 1, 1), valid_to=date(2025, 12, 31))
    judgement = scan_and_wait(qtbot, window, scan_text(xml))
    assert judgement.verdict.decision == "reject"
    assert window.panel.headline.text() == "Срок действия истёк 31.12.2025"
    assert _same(panel_colour(window), RED)
    assert window.sounds.played[-1] == "reject"
    assert not window.record.record_button.isEnabled()


def test_tampered_document_is_red_and_says_it_was_changed(qtbot: Any, window: MainWindow, policy_xml: Any) -> None:
    xml = policy_xml().replace("Мария".encode(), "Марина".encode())
    judgement = scan_and_wait(qtbot, window, scan_text(xml))
    assert judgement.verdict.signature == "bad_signature"
    assert window.panel.headline.text() == "Подпись недействительна — документ изменён"
    assert _same(panel_colour(window), RED)
    # nothing the signature did not cover is shown; every empty field says "—", never blank
    assert not window.panel.name.isVisible()
    for key in ("birth_date", "number", "insurer", "validity", "kind"):
        assert window.panel.fields[key].text() == "—", key
    assert window.panel.fields["status"].text().strip()
    assert "Марина" not in window.panel.grab().toImage().text()


def test_suspended_in_registry_is_red(qtbot: Any, window: MainWindow, policy_xml: Any) -> None:
    scan_and_wait(qtbot, window, scan_text(policy_xml(number=SUSPENDED_ENP)))
    assert window.panel.headline.text() == "Действие полиса приостановлено"
    assert _same(panel_colour(window), RED)


@pytest.mark.expect_log_warnings
def test_registry_down_with_an_old_copy_is_amber_with_the_status_time(
    qtbot: Any, window: MainWindow, registry: Any, policy_xml: Any
) -> None:
    two_days_ago = datetime.now(UTC) - timedelta(days=2)
    record = parse_record(
        {"enp": ACTIVE_ENP, "status": "active", "birth_date": "1985-03-14", "updated_at": two_days_ago.isoformat()}
    )
    store = StatusStore(window.settings.status_db_path)
    store.put_answer(record, received_at=two_days_ago)
    store.close()
    registry.set_faults(Faults(status=503))
    judgement = scan_and_wait(qtbot, window, scan_text(policy_xml()))
    verdict = judgement.verdict
    assert verdict.decision == "warn" and verdict.status_source == "cache"
    stamp = verdict.status_as_of.astimezone(window.settings.tz).strftime("%d.%m.%Y %H:%M")
    assert window.panel.headline.text() == f"Нет связи с регистром — статус по данным от {stamp}"
    assert _same(panel_colour(window), AMBER)
    assert window.sounds.played[-1] == "warn"
    assert "Регистр сообщил о своей ошибке" in window.panel.reasons.text()
    assert "старше суток" in window.panel.reasons.text()


@pytest.mark.expect_log_warnings
def test_registry_down_and_no_copy_is_amber_not_red(
    qtbot: Any, window: MainWindow, registry: Any, policy_xml: Any
) -> None:
    registry.set_faults(Faults(status=503))
    judgement = scan_and_wait(qtbot, window, scan_text(policy_xml()))
    assert judgement.verdict.decision == "warn"
    assert window.panel.headline.text() == "Нет связи с регистром — статус не проверен"
    assert _same(panel_colour(window), AMBER)


def test_unreadable_file_is_a_problem_not_a_crash(qtbot: Any, window: MainWindow, tmp_path: Path) -> None:
    junk = tmp_path / "photo.png"
    junk.write_bytes(b"not an image at all")
    with qtbot.waitSignal(window.verdict_shown, timeout=15000):
        window.submit_file(junk)
    assert window.panel.headline.text() == "QR-код не найден — отсканируйте ещё раз"
    assert window.panel.state == "scan_failed" and window.panel.glyph.text() == "↻"
    assert window.panel.subline.text().startswith("Файл «photo.png».")
    assert window.session.patient is None


def test_qr_image_file_goes_through_the_real_decoder(
    qtbot: Any, window: MainWindow, policy_xml: Any, tmp_path: Path
) -> None:
    import qrcode

    image = qrcode.make(scan_text(policy_xml()), error_correction=qrcode.constants.ERROR_CORRECT_M)
    path = tmp_path / "policy.png"
    image.save(path)
    with qtbot.waitSignal(window.verdict_shown, timeout=20000) as blocker:
        window.submit_file(path)
    assert blocker.args[0].verdict.decision == "accept"
    assert window.panel.headline.text() == "Полис действителен"


def test_manual_entry_checks_the_digit_as_typed_and_is_marked(qtbot: Any, window: MainWindow) -> None:
    window.manual_action.trigger()
    dialog = window.active_dialog
    assert isinstance(dialog, ManualEntryDialog)
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    qtbot.keyClicks(dialog.number, "7700 0000 0000 0017")  # wrong check digit
    assert "контрольная цифра" in dialog.hint.text()
    assert not ok.isEnabled()
    dialog.number.clear()
    qtbot.keyClicks(dialog.number, ACTIVE_ENP)
    assert not ok.isEnabled()  # no birth date is pre-filled: it must be typed
    assert dialog.birth_date.text().startswith("дд.мм.гггг") and "дату рождения" in dialog.hint.text()
    dialog.birth_date.setDate(date(1985, 3, 14))
    assert ok.isEnabled()
    with qtbot.waitSignal(window.verdict_shown, timeout=15000) as blocker:
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    verdict = blocker.args[0].verdict
    assert verdict.signature == "not_applicable" and verdict.decision == "accept"
    assert window.panel.headline.text() == "Полис действителен (номер введён вручную)"
    assert window.panel.manual_marker.isVisible()
    assert "ВВЕДЕНО ВРУЧНУЮ" in window.panel.manual_marker.text()
    assert _same(panel_colour(window), GREEN)


def test_manual_entry_with_another_birth_date_is_rejected(qtbot: Any, window: MainWindow) -> None:
    with qtbot.waitSignal(window.verdict_shown, timeout=15000) as blocker:
        window.submit_manual(ACTIVE_ENP, date(1990, 1, 1))
    assert blocker.args[0].verdict.decision == "reject"
    assert window.panel.headline.text() == "Дата рождения не совпадает с регистром — полис не принят"


@pytest.mark.parametrize(
    ("typed", "result", "text"),
    [("4510 123456", "match", "СОВПАДАЕТ"), ("4510123457", "mismatch", "НЕ СОВПАДАЕТ")],
)
def test_passport_check(qtbot: Any, window: MainWindow, policy_xml: Any, typed: str, result: str, text: str) -> None:
    scan_and_wait(qtbot, window, scan_text(policy_xml()))
    assert window.identity.isEnabled()
    qtbot.keyClicks(window.identity.passport, typed)
    qtbot.keyClick(window.identity.passport, Qt.Key.Key_Return)
    assert window.identity.result == result
    assert window.session.patient.identity_check == result
    assert text in window.identity.outcome.text()


def test_passport_not_in_policy_says_not_available(qtbot: Any, window: MainWindow, policy_xml: Any) -> None:
    scan_and_wait(qtbot, window, scan_text(policy_xml(passport=None)))
    qtbot.keyClicks(window.identity.passport, "4510 123456")
    qtbot.mouseClick(window.identity.button, Qt.MouseButton.LeftButton)
    assert window.identity.result == "not_present"
    assert "нет данных паспорта" in window.identity.outcome.text()


def _fill_visit(qtbot: Any, window: MainWindow, search: str = "терапевта первичный", code: str = "B01.047.001") -> None:
    window.record.services.filter.clear()
    # QTest types ASCII only; Cyrillic is set as the text a keyboard layout would produce
    if search.isascii():
        qtbot.keyClicks(window.record.services.filter, search)
    else:
        window.record.services.filter.setText(search)
    assert window.record.services.selected_code() == code
    window.record.doctor.setText("Петров П. П.")


def _record(qtbot: Any, window: MainWindow) -> Any:
    with qtbot.waitSignal(window.visit_outcome, timeout=10000) as blocker:
        qtbot.mouseClick(window.record.record_button, Qt.MouseButton.LeftButton)
    return blocker.args[0]


@pytest.mark.expect_log_warnings
def test_record_visit_then_refuse_duplicate_then_override_by_role(
    qtbot: Any, window: MainWindow, policy_xml: Any
) -> None:
    scan_and_wait(qtbot, window, scan_text(policy_xml()))
    qtbot.keyClicks(window.identity.passport, "4510 123456")
    window.identity.check()
    _fill_visit(qtbot, window)
    first = _record(qtbot, window)
    assert first.recorded
    assert window.record.message.text() == "✓ Приём записан."
    assert window.panel.state == "recorded" and window.panel.headline.text() == "Приём записан"
    qtbot.waitUntil(lambda: window.today.table.rowCount() == 1, timeout=5000)
    assert window.today.table.item(0, 5).text() == "совпал"  # the passport check is kept

    scan_and_wait(qtbot, window, scan_text(policy_xml()))
    _fill_visit(qtbot, window)
    duplicate = _record(qtbot, window)
    assert not duplicate.recorded and duplicate.duplicate_of is not None
    assert window.record.duplicate_box.isVisible()
    shown = window.record.duplicate_label.text()
    assert "Петров П. П." in shown and window.settings.desk_id in shown
    assert duplicate.duplicate_of.time.strftime("%H:%M") in shown
    # the big panel itself is no longer "go": the refusal state, naming who, when and which desk
    assert window.panel.state == "refused" and window.panel.glyph.text() == "✕"
    assert window.panel.headline.text() == "Услуга уже записана сегодня."
    assert window.panel.subline.text().startswith(shown)
    assert "Иванова Мария Петровна" in window.panel.subline.text() and "B01.047.001" in window.panel.subline.text()

    # a wrong PIN: the role is not granted, nothing is recorded
    qtbot.mouseClick(window.record.override_button, Qt.MouseButton.LeftButton)
    dialog = window.active_dialog
    assert isinstance(dialog, ReasonDialog)
    dialog.reason.setPlainText("пациент пришёл повторно по направлению")
    dialog.pin.setText("0000")
    dialog._try()  # checked off the GUI thread (scrypt)
    qtbot.waitUntil(lambda: "Неверный PIN" in dialog.error.text(), timeout=5000)
    assert dialog.isVisible()
    dialog.pin.setText(ADMIN_PIN)
    with qtbot.waitSignal(window.visit_outcome, timeout=10000) as blocker:
        dialog._try()
    overridden = blocker.args[0]
    assert overridden.recorded and overridden.overridden
    # recorded with the role the PIN unlocked (the session's answer), the first one as registrar
    unlocked = window.session.senior_unlock("пациент пришёл повторно по направлению", ADMIN_PIN)
    with VisitLedger.from_settings(window.settings, with_catalogue=False) as ledger:
        roles = [ledger.get(r.visit_id).role for r in (overridden.duplicate_of, overridden)]  # type: ignore[union-attr]
    assert roles == ["registrar", unlocked] and unlocked in OVERRIDE_ROLES
    assert window.panel.state == "recorded" and window.panel.headline.text() == "Повторный приём записан с причиной"
    qtbot.waitUntil(lambda: window.today.table.rowCount() == 2, timeout=5000)
    assert "повторно" in window.today.table.item(1, 6).text()


@pytest.mark.expect_log_warnings
def test_warn_needs_a_written_reason(qtbot: Any, window: MainWindow, registry: Any, policy_xml: Any) -> None:
    registry.set_faults(Faults(status=503))
    judgement = scan_and_wait(qtbot, window, scan_text(policy_xml()))
    assert judgement.verdict.decision == "warn"
    assert window.record.warn_reason.isVisible()
    _fill_visit(qtbot, window)
    qtbot.mouseClick(window.record.record_button, Qt.MouseButton.LeftButton)
    assert "почему пациент принимается" in window.record.message.text()
    window.record.warn_reason.setText("паспорт и полис проверены вручную")
    assert _record(qtbot, window).recorded


def test_cancel_needs_the_role_and_a_reason(qtbot: Any, window: MainWindow, policy_xml: Any) -> None:
    scan_and_wait(qtbot, window, scan_text(policy_xml()))
    _fill_visit(qtbot, window)
    result = _record(qtbot, window)
    qtbot.waitUntil(lambda: window.today.table.rowCount() == 1, timeout=5000)
    assert window.today.select_visit(result.visit_id)
    qtbot.mouseClick(window.today.cancel_button, Qt.MouseButton.LeftButton)
    dialog = window.active_dialog
    assert isinstance(dialog, ReasonDialog)
    dialog.pin.setText(ADMIN_PIN)
    dialog._try()
    qtbot.waitUntil(lambda: "Укажите причину" in dialog.error.text(), timeout=5000)
    dialog.reason.setPlainText("ошибочная запись")
    with qtbot.waitSignal(window.visit_outcome, timeout=10000) as blocker:
        dialog._try()
    assert blocker.args[0].cancelled
    qtbot.waitUntil(lambda: "ОТМЕНЁН" in window.today.table.item(0, 6).text(), timeout=5000)


def test_today_search_filters_rows(qtbot: Any, window: MainWindow, policy_xml: Any) -> None:
    scan_and_wait(qtbot, window, scan_text(policy_xml()))
    _fill_visit(qtbot, window)
    assert _record(qtbot, window).recorded
    _fill_visit(qtbot, window, "B01.029.001", "B01.029.001")
    assert _record(qtbot, window).recorded
    qtbot.waitUntil(lambda: window.today.table.rowCount() == 2, timeout=5000)
    window.today.search.setText("офтальмолога")
    assert window.today.table.rowCount() == 1
    window.today.search.clear()
    qtbot.keyClicks(window.today.search, "7700 0000")
    assert window.today.table.rowCount() == 2


@pytest.mark.expect_log_warnings
def test_window_keeps_processing_events_while_the_registry_hangs(
    qtbot: Any, window: MainWindow, registry: Any, policy_xml: Any
) -> None:
    registry.set_faults(Faults(delay=5.0))
    ticks: list[float] = []
    heartbeat = QTimer()
    heartbeat.setInterval(10)
    heartbeat.timeout.connect(lambda: ticks.append(time.perf_counter()))
    heartbeat.start()
    payload = scan_text(policy_xml())
    started = time.perf_counter()
    with qtbot.waitSignal(window.verdict_shown, timeout=15000) as blocker:
        window.submit_scan(payload, "test")
        window.submit_scan(payload, "test")  # a second scan while the first waits: queued
        assert "поставлен в очередь" in window.statusBar().currentMessage()
    heartbeat.stop()
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    assert time.perf_counter() - started >= 0.9  # the registry really did hang us up to the time limit
    assert len(ticks) > 50
    assert max(gaps) < 0.100, f"the GUI thread stalled for {max(gaps) * 1000:.0f} ms"
    assert blocker.args[0].verdict.decision == "warn"
    assert "не ответил вовремя" in window.panel.reasons.text() or "Нет связи" in window.panel.headline.text()
    # Both scans were judged, in order; the verdict on the desk is the latest scan's: the first
    # scan's result came back while the second was queued, and never replaced the new patient.
    assert window.tasks.judge.busy is False
    with qtbot.assertNotEmitted(window.verdict_shown, wait=500):
        pass


def test_a_malformed_passport_entry_says_how_to_type_it(qtbot: Any, window: MainWindow, policy_xml: Any) -> None:
    scan_and_wait(qtbot, window, scan_text(policy_xml()))
    qtbot.keyClicks(window.identity.passport, "4510 1234")
    qtbot.keyClick(window.identity.passport, Qt.Key.Key_Return)
    assert window.identity.result is None and window.session.patient.identity_check == "not_checked"
    assert window.identity.outcome.text() == "Серия и номер паспорта — 10 цифр (4 + 6)."


def test_no_two_actions_share_a_shortcut_with_a_camera_configured(
    qtbot: Any, desk_settings: Settings, tmp_path: Path
) -> None:
    """Qt fires neither action on an ambiguous shortcut: F3 once opened the search and toggled the
    camera preview both, so with a camera configured F3 did nothing at all."""
    from PySide6.QtGui import QAction

    win = make_window(qtbot, desk_settings.replace(camera=str(tmp_path / "no-such-camera.avi")), tmp_path / "c.toml")
    try:
        seen: dict[str, str] = {}
        for action in win.findChildren(QAction):
            for key in action.shortcuts():
                text = key.toString()
                assert text not in seen, f"{text}: {seen[text]!r} and {action.text()!r}"
                seen[text] = action.text()
        assert win.camera_action.isEnabled() and win.camera_action.shortcut().toString() == "F4"
        assert win.search_action.shortcut().toString() == "F3"
    finally:
        win.shutdown()
