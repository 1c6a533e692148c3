"""The desk between patients, on the real window (pytest-qt, offscreen), keyboard first:

scan A, record service X; scan B: the service (and everything typed for A) is empty; scan A,
record X again: the big panel shows the refusal state; a failed scan after A: A's verdict is
gone; Esc: a clean desk. Then the same rules through `desk-app visits record` give the same
refusals, and an image with several codes is judged by the same code in the window and the CLI.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from desk_app.cli.main import main
from desk_app.config import Settings
from desk_app.core.roles import hash_pin
from desk_app.core.session import DeskState, ScanFailure
from desk_app.registry.records import parse_record
from desk_app.ui.main_window import MainWindow
from tests.helpers.ui import ACTIVE_ENP, ADMIN_PIN, TOKEN, make_window, reference_registry, scan_and_wait, scan_text

SERVICE = "B01.047.001"
OTHER_ENP = "5000000000000025"  # patient B: active too


@pytest.fixture
def registry(tmp_path: Path) -> Iterator[Any]:
    with reference_registry(tmp_path) as server:
        now = datetime.now(UTC).isoformat()
        server.put([parse_record({"enp": OTHER_ENP, "status": "active", "birth_date": "1985-03-14",
                                  "updated_at": now})])  # fmt: skip
        yield server


@pytest.fixture
def settings(judge_settings: Settings, registry: Any) -> Settings:
    return judge_settings.replace(
        registry_url=registry.url, registry_token=TOKEN, registry_timeout=2.0, desk_id="desk-3",
        admin_pin_hash=hash_pin(ADMIN_PIN),
    )  # fmt: skip


@pytest.fixture
def window(qtbot: Any, settings: Settings, tmp_path: Path) -> Iterator[MainWindow]:
    win = make_window(qtbot, settings, tmp_path / "config.toml")
    win.activateWindow()
    yield win
    win.shutdown()


def _choose(qtbot: Any, window: MainWindow, code: str = SERVICE, doctor: str = "Petrov P. P.") -> None:
    """As the receptionist does: type the code in the search line, type the doctor."""
    qtbot.keyClicks(window.record.services.filter, code)
    qtbot.keyClicks(window.record.doctor, doctor)


def _ctrl_enter(qtbot: Any, window: MainWindow) -> None:
    qtbot.keyClick(window.record.doctor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def _record_by_keyboard(qtbot: Any, window: MainWindow) -> Any:
    with qtbot.waitSignal(window.visit_outcome, timeout=10000) as blocker:
        _ctrl_enter(qtbot, window)
    return blocker.args[0]


def _desk_is_empty(window: MainWindow) -> None:
    assert window.record.services.selected_code() is None
    assert window.record.services.filter.text() == ""
    assert window.record.doctor.text() == "" and window.record.warn_reason.text() == ""
    assert window.identity.passport.text() == "" and window.identity.result is None
    assert not window.record.duplicate_box.isVisible()


def test_patient_after_patient(qtbot: Any, window: MainWindow, policy_xml: Any, tmp_path: Path) -> None:
    a, b = scan_text(policy_xml()), scan_text(policy_xml(number=OTHER_ENP, last_name="Петров"))

    # A: green, passport checked, X recorded with Ctrl+Enter; the big panel confirms it
    assert scan_and_wait(qtbot, window, a).verdict.decision == "accept"
    assert window.panel.state == "accept" and window.panel.glyph.text() == "✓"
    qtbot.keyClicks(window.identity.passport, "4510123456")
    qtbot.keyClick(window.identity.passport, Qt.Key.Key_Return)
    assert window.identity.result == "match"
    _choose(qtbot, window)
    first = _record_by_keyboard(qtbot, window)
    assert first.recorded
    assert window.panel.state == "recorded" and window.panel.headline.text() == "Приём записан"
    assert SERVICE in window.panel.subline.text() and "Petrov P. P." in window.panel.subline.text()
    assert "Иванова Мария Петровна" in window.panel.subline.text()

    # B: a new patient: nothing typed for A is kept, Ctrl+Enter cannot record A's service for B
    assert scan_and_wait(qtbot, window, b).verdict.policy.number == OTHER_ENP
    assert window.panel.state == "accept" and window.panel.name.text().startswith("Петров")
    _desk_is_empty(window)
    assert window.session.patient.identity_check == "not_checked"
    with qtbot.assertNotEmitted(window.visit_outcome, wait=300):
        _ctrl_enter(qtbot, window)
    assert window.record.message.text() == "! Выберите услугу из списка."

    # A again, X again: refused as a duplicate; the big panel itself says so (not "go")
    scan_and_wait(qtbot, window, a)
    _choose(qtbot, window, doctor="Sidorov S. S.")
    duplicate = _record_by_keyboard(qtbot, window)
    assert not duplicate.recorded and duplicate.refused_because == "duplicate"
    assert window.session.state is DeskState.REFUSED
    assert window.panel.state == "refused" and window.panel.glyph.text() == "✕"
    assert window.panel.background().name() not in ("#00695c", "#1b6e2a")  # not the green of "go"
    assert window.panel.headline.text() == "Услуга уже записана сегодня."
    when = duplicate.duplicate_of.time.strftime("%H:%M")
    named = window.panel.subline.text()
    assert "Petrov P. P" in named and "«desk-3»" in named and when in named  # who, which desk, when
    assert not window.panel.name.isVisible()  # the verdict's green details are gone

    # a failed scan after A: A's verdict and record button are gone, "scan again" is shown
    scan_and_wait(qtbot, window, a)
    _choose(qtbot, window)
    assert window.record.record_button.isEnabled()
    junk = tmp_path / "not-a-code.png"
    junk.write_bytes(b"\x89PNG garbage")
    with qtbot.waitSignal(window.verdict_shown, timeout=15000) as failed:
        window.submit_file(junk)
    assert failed.args[0] is None
    assert window.panel.state == "scan_failed" and "отсканируйте ещё раз" in window.panel.headline.text()
    assert window.session.patient is None and not window.record.record_button.isEnabled()
    assert not window.identity.isEnabled()
    _desk_is_empty(window)
    with qtbot.assertNotEmitted(window.visit_outcome, wait=300):
        window.record_action.trigger()
    # a keyboard scan cut short is a failed scan too
    scan_and_wait(qtbot, window, a)
    window.scan_failed(ScanFailure.GARBLED)
    assert window.panel.state == "scan_failed" and window.session.patient is None

    # Esc: a clean desk
    scan_and_wait(qtbot, window, a)
    _choose(qtbot, window)
    qtbot.keyClicks(window.identity.passport, "4510")
    qtbot.keyClick(window.record.doctor, Qt.Key.Key_Escape)
    assert window.session.state is DeskState.READY
    assert window.panel.state == "idle" and window.panel.headline.text() == "Готово к сканированию"
    assert window.session.patient is None and not window.record.record_button.isEnabled()
    _desk_is_empty(window)

    # today's list shows the one visit recorded
    qtbot.waitUntil(lambda: window.today.table.rowCount() == 1, timeout=5000)


def _cli_record(capsys: Any, settings: Settings, policy: Path, *extra: str) -> tuple[int, dict, str]:
    argv = ["visits", "record", str(policy), "--service", SERVICE, "--doctor", "Petrov P. P.", "--json",
            "--trust-root", settings.trust_root, "--data-dir", settings.data_dir,
            "--registry-url", settings.registry_url, "--registry-token", TOKEN, *extra]  # fmt: skip
    code = main(argv)
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out.strip() else {}), err


def test_the_cli_gives_the_same_refusals(
    qtbot: Any, window: MainWindow, settings: Settings, policy_xml: Any, tmp_path: Path, capsys: Any,
    machine_config: Path,
) -> None:
    a = tmp_path / "a.txt"
    a.write_text(scan_text(policy_xml()), encoding="utf-8")
    # the window records X for A ...
    scan_and_wait(qtbot, window, a.read_text("utf-8"))
    _choose(qtbot, window)
    assert _record_by_keyboard(qtbot, window).recorded
    # ... and the command line, on the same ledger, refuses X for A naming the window's record
    code, out, _ = _cli_record(capsys, settings, a, "--desk", "desk-9")
    assert code == 1 and out["refused_because"] == "duplicate"
    assert out["duplicate_of"]["desk"] == "desk-3" and out["duplicate_of"]["doctor"] == "Petrov P. P."
    # a rejected policy: the same refusal as the window's ("По отклонённому полису ...")
    revoked = tmp_path / "revoked.txt"
    revoked.write_text(scan_text(policy_xml(signer="revoked")), encoding="utf-8")
    code, out, _ = _cli_record(capsys, settings, revoked)
    assert code == 1 and out["refused_because"] == "verdict_reject"
    scan_and_wait(qtbot, window, revoked.read_text("utf-8"))
    assert window.session.refusal() is not None and window.session.refusal().value == "verdict_reject"
    # no doctor, a too-short override reason: usage errors (exit 2), the session's rules
    code, _, err = _cli_record(capsys, settings, a, "--doctor", "  ")
    assert code == 2 and "--doctor must not be empty" in err
    # the senior's override: the same PIN as the window's (desk_app.core.roles), the same reason rule
    machine_config.parent.mkdir(parents=True, exist_ok=True)  # IT's machine-wide file
    machine_config.write_text(f'[ui]\nadmin_pin_hash = "{settings.admin_pin_hash}"\n', encoding="utf-8")
    pin = tmp_path / "pin.txt"
    pin.write_text("0000\n", encoding="utf-8")
    pin.chmod(0o600)
    senior = ("--role", "senior", "--pin-file", str(pin))
    code, _, err = _cli_record(capsys, settings, a, *senior, "--override-reason", "по направлению")
    assert code == 2 and "PIN is wrong" in err
    pin.write_text(ADMIN_PIN + "\n", encoding="utf-8")
    code, _, err = _cli_record(capsys, settings, a, *senior, "--override-reason", "ok")
    assert code == 2 and "at least 3 characters" in err
    code, out, _ = _cli_record(capsys, settings, a, *senior, "--override-reason", "по направлению")
    assert code == 0 and out["recorded"] is True and out["duplicate_of"]["desk"] == "desk-3"


def test_an_image_with_several_codes_is_judged_by_the_same_code_in_the_window_and_the_cli(
    qtbot: Any, window: MainWindow, settings: Settings, policy_xml: Any, tmp_path: Path, capsys: Any
) -> None:
    import qrcode
    from PIL import Image

    def code_image(text: str) -> Image.Image:
        return qrcode.make(text, error_correction=qrcode.constants.ERROR_CORRECT_M).get_image().convert("RGB")

    junk, policy = code_image("https://example.org/not-a-policy"), code_image(scan_text(policy_xml()))
    sheet = Image.new("RGB", (junk.width + policy.width + 40, max(junk.height, policy.height) + 40), "white")
    sheet.paste(junk, (20, 20))
    sheet.paste(policy, (junk.width + 20, 20))
    path = tmp_path / "two-codes.png"
    sheet.save(path)
    with qtbot.waitSignal(window.verdict_shown, timeout=30000) as blocker:
        window.submit_file(path)
    assert blocker.args[0].verdict.decision == "accept"
    code = main(["verify", "--json", str(path), "--trust-root", settings.trust_root, "--data-dir",
                 settings.data_dir, "--registry-url", settings.registry_url, "--registry-token", TOKEN])  # fmt: skip
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["decision"] == "accept" and out["policy"]["number"] == ACTIVE_ENP


@pytest.mark.expect_log_warnings
def test_a_request_the_ledger_refuses_is_told_in_russian_and_nothing_is_lost(
    qtbot: Any, window: MainWindow, policy_xml: Any
) -> None:
    scan_and_wait(qtbot, window, scan_text(policy_xml()))
    qtbot.keyClicks(window.record.services.filter, SERVICE)
    for doctor, told in (
        ("П" * 600, "Врач: слишком длинный текст (не больше 500 знаков)."),  # longer than the ledger keeps
        ("Petrov\x07 P. P.", "Врач: служебный символ U+0007 — наберите обычный текст."),  # the bell
        ("Petrov\u202e P. P.", "Врач: невидимый символ U+202E — наберите обычный текст."),  # right-to-left override
    ):
        window.record.doctor.setText(doctor)
        with qtbot.waitSignal(window.visit_outcome, timeout=10000) as blocker:
            _ctrl_enter(qtbot, window)
        assert type(blocker.args[0]).__name__ == "LedgerTextError"
        message = window.record.message.text()
        assert message == "✕ Ошибка базы приёмов: " + told
        # nothing typed is lost: the desk is back on the verdict, ready for a corrected record
        assert window.session.state is DeskState.VERDICT and window.record.record_button.isEnabled()
        assert window.record.services.selected_code() == SERVICE
    window.record.doctor.setText("Petrov P. P.")
    assert _record_by_keyboard(qtbot, window).recorded


@pytest.mark.expect_log_warnings
def test_a_desk_in_another_time_zone_than_the_clinic_is_told_in_russian(
    qtbot: Any, settings: Settings, tmp_path: Path
) -> None:
    from desk_app.visits import VisitLedger

    VisitLedger.from_settings(settings).close()  # the clinic's zone (Europe/Moscow) is kept with the ledger
    window = MainWindow(settings.replace(timezone="Asia/Yekaterinburg"), config_path=tmp_path / "c.toml")
    qtbot.addWidget(window)
    try:
        window.show()
        qtbot.waitUntil(lambda: "часовой пояс" in window.record.message.text(), timeout=10000)
        message = window.record.message.text()
        assert "Asia/Yekaterinburg" in message and "Europe/Moscow" in message
        assert not re.search(r"\b(the|desk|ledger|zone)\b", message)  # no English sentence
        qtbot.waitUntil(lambda: window.status.labels["database"].text().endswith("ошибка"), timeout=5000)
    finally:
        window.shutdown()


def test_an_override_confirmed_after_the_next_scan_records_nothing(
    qtbot: Any, window: MainWindow, policy_xml: Any
) -> None:
    from desk_app.ui.dialogs import ReasonDialog

    a = scan_text(policy_xml())
    scan_and_wait(qtbot, window, a)
    _choose(qtbot, window)
    assert _record_by_keyboard(qtbot, window).recorded
    scan_and_wait(qtbot, window, a)
    _choose(qtbot, window)
    assert not _record_by_keyboard(qtbot, window).recorded  # duplicate: the override is offered
    qtbot.mouseClick(window.record.override_button, Qt.MouseButton.LeftButton)
    dialog = window.active_dialog
    assert isinstance(dialog, ReasonDialog)
    dialog.reason.setPlainText("повторно по направлению")
    dialog.pin.setText(ADMIN_PIN)
    finished: list[int] = []
    dialog.finished.connect(finished.append)
    # another patient is scanned while the senior types: the dialog closes unconfirmed and the
    # desk says why; nothing is recorded for either patient
    with qtbot.assertNotEmitted(window.visit_outcome, wait=500):
        scan_and_wait(qtbot, window, scan_text(policy_xml(number=OTHER_ENP)))
    assert finished == [0] and window.active_dialog is None
    assert window.statusBar().currentMessage() == (
        "Окно «Повторная запись услуги» закрыто без изменений: отсканирован новый полис."
    )
    assert window.session.state is DeskState.VERDICT and window.session.patient is not None
    assert window.session.patient.results == []


@pytest.mark.expect_log_warnings
def test_a_desk_that_cannot_judge_says_so_in_russian(qtbot: Any, settings: Settings, tmp_path: Path) -> None:
    from desk_app.verify.trust_store import TrustRootError

    def no_root(_settings: Settings) -> Any:
        raise TrustRootError("pinned root /nowhere/root.pem: no such file")

    window = MainWindow(settings, config_path=tmp_path / "c.toml", judge_factory=no_root)
    qtbot.addWidget(window)
    try:
        window.show()
        qtbot.waitUntil(lambda: window.panel.state == "problem", timeout=10000)
        assert window.panel.glyph.text() == "!"
        assert window.panel.headline.text() == "Проверка подписей недоступна"
        assert "nowhere" not in window.panel.subline.text()  # the English detail is in the log only
        qtbot.waitUntil(lambda: window.status.labels["trust"].text() == "Сертификаты: ошибка", timeout=5000)
        qtbot.wait(200)  # a later status refresh does not overwrite it
        assert window.status.labels["trust"].text() == "Сертификаты: ошибка"
        assert not window.record.record_button.isEnabled()
        # a scan now fails visibly too, and nothing can be recorded
        with qtbot.waitSignal(window.verdict_shown, timeout=10000) as scanned:
            window.submit_scan("OMS1:anything", "test")
        assert scanned.args[0] is None and window.panel.state == "scan_failed"
    finally:
        window.shutdown()


@pytest.mark.expect_log_warnings
def test_a_desk_whose_ledger_cannot_open_says_so_and_records_nothing(
    qtbot: Any, settings: Settings, policy_xml: Any, tmp_path: Path
) -> None:
    from desk_app.visits import StorageError

    def no_ledger(_settings: Settings) -> Any:
        raise StorageError("cannot open the visits database /nowhere/visits.sqlite")

    window = MainWindow(settings, config_path=tmp_path / "c.toml", ledger_factory=no_ledger)
    qtbot.addWidget(window)
    ready: list[bool] = []
    window.judge_ready.connect(lambda: ready.append(True))
    try:
        window.show()
        qtbot.waitUntil(lambda: "База приёмов недоступна" in window.record.message.text(), timeout=10000)
        assert "nowhere" not in window.record.message.text()
        qtbot.waitUntil(lambda: window.status.labels["database"].text() == "База: SQLite — ошибка", timeout=5000)
        qtbot.waitUntil(lambda: bool(ready), timeout=15000)
        scan_and_wait(qtbot, window, scan_text(policy_xml()))
        window.record.doctor.setText("Petrov P. P.")
        window.session.choose_service(SERVICE)  # the catalogue never loaded: no list to pick from
        with qtbot.waitSignal(window.visit_outcome, timeout=10000) as blocker:
            _ctrl_enter(qtbot, window)
        assert type(blocker.args[0]).__name__ == "StorageError"
        assert window.record.message.text() == "✕ Ошибка базы приёмов: база недоступна. Сообщите администратору."
        assert window.session.state is DeskState.VERDICT
    finally:
        window.shutdown()


def test_every_failed_scan_clears_the_desk_and_says_what_to_do(
    qtbot: Any, window: MainWindow, policy_xml: Any
) -> None:
    from desk_app.ui.wording import SCAN_FAILURE_TEXT

    assert set(SCAN_FAILURE_TEXT) == set(ScanFailure)  # every failure has its words
    a = scan_text(policy_xml())
    for failure in ScanFailure:
        scan_and_wait(qtbot, window, a)
        _choose(qtbot, window)
        assert window.record.record_button.isEnabled()
        window.scan_failed(failure)  # shown at once, on the GUI thread
        assert window.session.patient is None
        headline, detail = SCAN_FAILURE_TEXT[failure]
        assert window.panel.headline.text() == headline and window.panel.subline.text() == detail
        assert window.panel.state in ("scan_failed", "problem") and window.panel.glyph.text() in ("↻", "!")
        assert not window.record.record_button.isEnabled()
        _desk_is_empty(window)


def test_each_keyboard_wedge_refusal_is_a_failed_scan_of_its_own() -> None:
    from desk_app.scanner.wedge import Refusal as WedgeRefusal
    from desk_app.ui.scanning import _wedge_failure

    expected = {
        "form_a": ScanFailure.FORM_A, "not_a_policy": ScanFailure.NOT_A_POLICY, "cut_short": ScanFailure.GARBLED,
    }  # fmt: skip
    assert {r.value: _wedge_failure(r.value) for r in WedgeRefusal} == expected


def test_the_focus_rule_after_a_scan_the_passport_check_recording_and_esc(
    qtbot: Any, window: MainWindow, policy_xml: Any
) -> None:
    """The session's focus rule (desk_app.core.focus) as the window applies it: the focus goes to
    the first thing still to do, never to nothing; one record per intent; Esc empties every field."""
    from PySide6.QtWidgets import QApplication

    def focus() -> Any:
        return QApplication.focusWidget()

    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    a, b = scan_text(policy_xml()), scan_text(policy_xml(number=OTHER_ENP, last_name="Петров"))
    filter_, passport = window.record.services.filter, window.identity.passport

    # after a verdict: the service search (the first thing the rules need)
    scan_and_wait(qtbot, window, a)
    assert focus() is filter_
    # the passport check: a malformed entry keeps the focus there; a checked one gives it back
    passport.setFocus()
    qtbot.keyClicks(passport, "45")
    qtbot.keyClick(passport, Qt.Key.Key_Return)
    assert window.identity.result is None and focus() is passport
    qtbot.keyClicks(passport, "10123456")
    qtbot.keyClick(passport, Qt.Key.Key_Return)
    assert window.identity.result == "match" and focus() is filter_
    # everything chosen, then the passport checked again: the record button is next
    _choose(qtbot, window)
    passport.setFocus()
    qtbot.keyClick(passport, Qt.Key.Key_Return)
    assert focus() is window.record.record_button

    # after «Приём записан»: the service search; recording is off until the choice changes
    assert _record_by_keyboard(qtbot, window).recorded
    assert focus() is filter_ and not window.record.record_button.isEnabled()
    with qtbot.assertNotEmitted(window.visit_outcome, wait=300):
        _ctrl_enter(qtbot, window)
    assert window.panel.state == "recorded"  # no violet duplicate for the visit just recorded
    assert window.record.message.text().startswith("! Этот приём уже записан")
    window.record.doctor.setFocus()
    qtbot.keyClicks(window.record.doctor, " Jr.")  # another doctor: recording is offered again
    assert window.record.record_button.isEnabled() and focus() is window.record.doctor

    # a scan while the passport entry has the focus: the focus is not lost
    passport.setFocus()
    scan_and_wait(qtbot, window, b)
    assert focus() is filter_

    # Esc: every field empty, today's search too; the focus on the desk
    qtbot.keyClicks(filter_, "B01")
    qtbot.keyClicks(window.today.search, "7700")
    passport.setFocus()
    qtbot.keyClicks(passport, "4510")
    qtbot.keyClick(passport, Qt.Key.Key_Escape)
    assert window.session.state is DeskState.READY
    assert focus() is window.panel
    _desk_is_empty(window)
    assert window.today.search.text() == ""

    # Esc after a failed scan: the stray text in the service search goes too
    scan_and_wait(qtbot, window, a)
    qtbot.keyClicks(filter_, "7")
    window.scan_failed(ScanFailure.GARBLED)
    assert focus() is window.panel
    qtbot.keyClick(window.panel, Qt.Key.Key_Escape)
    _desk_is_empty(window)
    assert focus() is window.panel
