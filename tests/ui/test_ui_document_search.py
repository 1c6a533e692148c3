"""F3 «Поиск по документу» in the real window (offscreen), against the reference registry on
127.0.0.1: rules named as typed, found by passport and recorded, then the same patient's QR
refused as a duplicate; not found, offline, 429 and the desk's own burst limit."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from desk_app.config import Settings
from desk_app.core.search_limit import SEARCH_BURST, SEARCH_WINDOW
from desk_app.demo.faults import Faults
from desk_app.demo.registry_server import Person
from desk_app.ui.main_window import MainWindow
from desk_app.ui.search_dialog import DocumentSearchDialog
from desk_app.ui.verdict_panel import COLOURS
from desk_app.verify.documents import make_query
from desk_app.visits import VisitLedger
from tests.helpers.ui import ACTIVE_ENP, TOKEN, make_window, panel_colour, reference_registry, scan_and_wait, scan_text

GREEN, AMBER, RED = (QColor(COLOURS[k][0]) for k in ("accept", "warn", "reject"))
TODAY = date(2026, 12, 6)
MARIA = Person(ACTIVE_ENP, "Иванова", "Мария", "Петровна", "F", passport="4510 123456", snils="112-233-445 95")


@pytest.fixture
def registry(tmp_path: Path) -> Iterator[Any]:
    with reference_registry(tmp_path) as server:
        server.put_people([MARIA])
        yield server


@pytest.fixture
def desk_settings(judge_settings: Settings, registry: Any) -> Settings:
    return judge_settings.replace(registry_url=registry.url, registry_token=TOKEN, registry_timeout=1.0,
                                  registry_connect_timeout=0.5)  # fmt: skip


@pytest.fixture
def window(qtbot: Any, desk_settings: Settings, tmp_path: Path) -> Iterator[MainWindow]:
    win = make_window(qtbot, desk_settings, tmp_path / "config.toml")
    yield win
    win.shutdown()


def _open_search(qtbot: Any, window: MainWindow) -> DocumentSearchDialog:
    qtbot.keyClick(window, Qt.Key.Key_F3)
    qtbot.waitUntil(lambda: isinstance(window.active_dialog, DocumentSearchDialog), timeout=5000)
    dialog = window.active_dialog
    assert isinstance(dialog, DocumentSearchDialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.kind.hasFocus, timeout=5000)  # the first field takes the keyboard
    return dialog


def _search(qtbot: Any, window: MainWindow, query: Any) -> Any:
    with qtbot.waitSignal(window.verdict_shown, timeout=15000) as blocker:
        assert window.submit_search(query)
    return blocker.args[0]


def _same(a: QColor, b: QColor) -> bool:
    return a.rgb() == b.rgb()


def test_f3_passport_found_recorded_then_the_qr_is_a_duplicate(
    qtbot: Any, window: MainWindow, policy_xml: Any, desk_settings: Settings
) -> None:
    dialog = _open_search(qtbot, window)
    assert dialog.document_kind() == "passport_rf" and not dialog.find_button.isEnabled()
    # keyboard only: the type is already "Паспорт РФ", Tab to the number, Tab to the birth date
    qtbot.keyClick(dialog.kind, Qt.Key.Key_Tab)
    assert dialog.document.hasFocus()
    qtbot.keyClicks(dialog.document, "4510 12345")
    assert dialog.document_hint.text() == "Паспорт: 4 цифры серии и 6 цифр номера, например 4510 123456."
    qtbot.keyClicks(dialog.document, "6")
    assert dialog.document_hint.text() == "Введено верно."
    qtbot.keyClick(dialog.document, Qt.Key.Key_Tab)
    assert dialog.birth_date.hasFocus()
    qtbot.keyClicks(dialog.birth_date, "30.02.1985")
    assert "настоящая дата" in dialog.birth_hint.text() and not dialog.find_button.isEnabled()
    dialog.birth_date.clear()
    qtbot.keyClicks(dialog.birth_date, "14.03.1985")
    assert dialog.find_button.isEnabled()
    with qtbot.waitSignal(window.verdict_shown, timeout=15000) as blocker:
        qtbot.keyClick(dialog.birth_date, Qt.Key.Key_Return)
    judgement = blocker.args[0]
    verdict = judgement.verdict
    assert (verdict.decision, verdict.signature, verdict.policy.number) == ("accept", "not_applicable", ACTIVE_ENP)
    assert window.panel.headline.text() == "Полис действителен — найден в регистре по паспорту"
    assert window.panel.manual_marker.isVisible()
    assert window.panel.manual_marker.text() == "НАЙДЕН В РЕГИСТРЕ ПО ПАСПОРТУ — ПОДПИСЬ НЕ ПРОВЕРЯЛАСЬ"
    assert window.panel.name.text() == "Иванова Мария Петровна"  # whose policy it is
    assert _same(panel_colour(window), GREEN)
    assert window.session.patient.identity_check == "document_typed"
    assert "найден по документу" in window.identity.outcome.text()

    _fill_visit(window)
    first = _record(qtbot, window)
    assert first.recorded
    qtbot.waitUntil(lambda: window.today.table.rowCount() == 1, timeout=5000)
    assert window.today.table.item(0, 5).text() == "по документу"

    scan_and_wait(qtbot, window, scan_text(policy_xml()))  # the same patient, now with the e-policy QR
    assert window.session.patient is not None
    on_desk = window.session.patient.judgement.verdict
    assert on_desk.signature == "ok" and on_desk.policy.number == ACTIVE_ENP
    _fill_visit(window)
    duplicate = _record(qtbot, window)
    assert not duplicate.recorded and duplicate.refused_because == "duplicate"
    assert window.panel.state == "refused" and window.panel.headline.text() == "Услуга уже записана сегодня."

    window.shutdown()  # the ledger lane has written everything: read what it kept
    with VisitLedger.open(desk_settings.resolved_storage_url) as ledger:
        visits = ledger.list_day(ledger.today())
        entries = [json.loads(e.entry) for e in ledger.store.audit_entries()]
        assert ledger.verify_audit().ok
    assert [(v.identity_check, v.signature) for v in visits] == [("document_typed", "not_applicable")]
    assert [(e["action"], e.get("document"), e.get("outcome")) for e in entries] == [
        ("search", "passport_rf", "found"), ("record", None, None)]  # fmt: skip
    assert "123456" not in json.dumps(entries)


def test_qr_recorded_then_found_by_passport_is_the_same_policy_and_a_duplicate(
    qtbot: Any, window: MainWindow, policy_xml: Any
) -> None:
    scan_and_wait(qtbot, window, scan_text(policy_xml()))
    _fill_visit(window)
    assert _record(qtbot, window).recorded
    judgement = _search(qtbot, window, make_query("passport_rf", "4510 123456", date(1985, 3, 14), TODAY))
    assert judgement.verdict.policy.number == ACTIVE_ENP and judgement.verdict.decision == "accept"
    _fill_visit(window)
    duplicate = _record(qtbot, window)
    assert not duplicate.recorded and duplicate.refused_because == "duplicate"
    assert window.panel.state == "refused" and "Иванова Мария Петровна" in window.panel.subline.text()


def _fill_visit(window: MainWindow) -> None:
    window.record.services.filter.setText("терапевта первичный")
    assert window.record.services.selected_code() == "B01.047.001"
    window.record.doctor.setText("Петров П. П.")


def _record(qtbot: Any, window: MainWindow) -> Any:
    with qtbot.waitSignal(window.visit_outcome, timeout=10000) as blocker:
        qtbot.mouseClick(window.record.record_button, Qt.MouseButton.LeftButton)
    return blocker.args[0]


@pytest.mark.parametrize(
    ("kind", "typed", "hint"),
    [("birth_certificate", "ivmu 654321", "Серия свидетельства: римская цифра латинскими буквами"),
     ("snils", "112-233-445 96", "не сходится контрольное число"),
     ("snils", "112-233", "СНИЛС: 11 цифр")],
)  # fmt: skip
def test_each_rule_is_named_in_russian_as_typed(qtbot: Any, window: MainWindow, kind: str, typed: str,
                                                hint: str) -> None:  # fmt: skip
    dialog = _open_search(qtbot, window)
    dialog.kind.setCurrentIndex(dialog.kind.findData(kind))
    qtbot.keyClicks(dialog.document, typed)
    qtbot.keyClicks(dialog.birth_date, "14.03.1985")
    assert hint in dialog.document_hint.text() and not dialog.find_button.isEnabled()
    dialog.reject()


def test_birth_certificate_series_typed_small_becomes_capitals(qtbot: Any, window: MainWindow) -> None:
    dialog = _open_search(qtbot, window)
    dialog.kind.setCurrentIndex(dialog.kind.findData("birth_certificate"))
    qtbot.keyClicks(dialog.document, "iv-")
    dialog.document.insert("мю")  # QTest types ASCII only: Cyrillic as the keyboard layout would give it
    qtbot.keyClicks(dialog.document, " 654321")
    assert dialog.document.text() == "IV-МЮ 654321"
    dialog.birth_date.setText("02.05.2019")
    assert dialog.find_button.isEnabled()
    assert dialog.query().request_body()["document"] == {"type": "birth_certificate", "series": "IV-МЮ",
                                                         "number": "654321"}  # fmt: skip
    dialog.reject()


def test_not_found_is_red_and_never_says_which_field(qtbot: Any, window: MainWindow) -> None:
    judgement = _search(qtbot, window, make_query("passport_rf", "4510 123456", date(1985, 3, 15), TODAY))
    assert (judgement.verdict.decision, judgement.verdict.status) == ("reject", "not_found")
    assert window.panel.headline.text() == "Не найден в регистре по паспорту"
    assert "Документ и дата рождения не подходят" in window.panel.subline.text()
    assert _same(panel_colour(window), RED)
    assert not window.record.record_button.isEnabled()


@pytest.mark.expect_log_warnings
@pytest.mark.parametrize("faults", [Faults(status=503), Faults(drop=True)])
def test_registry_down_is_amber_offering_f2(qtbot: Any, window: MainWindow, registry: Any, faults: Faults) -> None:
    registry.set_faults(faults)
    judgement = _search(qtbot, window, make_query("passport_rf", "4510 123456", date(1985, 3, 14), TODAY))
    assert (judgement.verdict.decision, judgement.verdict.status) == ("warn", "unknown")
    assert window.panel.headline.text() == "Поиск по документу невозможен: нет связи с регистром"
    assert "(F2)" in window.panel.subline.text()
    assert _same(panel_colour(window), AMBER)
    assert window.session.patient.identity_check == "not_checked"  # nothing was found: identity is not checked by it


@pytest.mark.expect_log_warnings
def test_429_says_the_seconds_to_wait(qtbot: Any, window: MainWindow, registry: Any) -> None:
    registry.set_faults(Faults(retry_after=42))
    judgement = _search(qtbot, window, make_query("snils", "112-233-445 95", date(1985, 3, 14), TODAY))
    assert judgement.verdict.decision == "warn" and "registry_rate_limited" in judgement.verdict.reasons
    assert window.panel.headline.text() == "Регистр просит подождать: повторите поиск через 42 с"


def test_the_desks_own_burst_limit_refuses_before_sending(qtbot: Any, window: MainWindow, registry: Any) -> None:
    query = make_query("passport_rf", "4510 123456", date(1985, 3, 14), TODAY)
    for _ in range(SEARCH_BURST):
        assert _search(qtbot, window, query).verdict.decision == "accept"
    sent = registry.request_count
    assert _search(qtbot, window, query) is None  # refused: no verdict
    assert registry.request_count == sent
    assert window.panel.headline.text() == "Слишком много поисков по документу подряд"
    assert SEARCH_WINDOW == 60 and f"не больше {SEARCH_BURST} поисков в минуту" in window.panel.subline.text()
    assert "Следующий поиск возможен через" in window.panel.subline.text()
