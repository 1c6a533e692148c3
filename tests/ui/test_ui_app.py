"""Start-up pieces: the demo world, banners, keyboard-wedge scans, lanes, crash hook, CLI."""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from desk_app.config import Settings
from desk_app.ui.app import READY_ENV, READY_MARKER, install_crash_hook, install_translations
from desk_app.ui.demo import start_demo
from desk_app.ui.main_window import MainWindow
from desk_app.ui.scanning import start_scanners
from desk_app.ui.tasks import TaskRunner
from tests.helpers.ui import make_window, scan_text


@pytest.fixture
def demo_window(qtbot: Any, tmp_path: Path) -> Iterator[MainWindow]:
    env = start_demo(tmp_path / "demo", sounds=False)
    win = make_window(qtbot, env.settings, env.config_path)
    try:
        yield win
    finally:
        win.shutdown()
        env.stop()


def test_demo_scans_bundled_policies_by_hotkey(qtbot: Any, demo_window: MainWindow) -> None:
    assert demo_window.banner.isVisible() and demo_window.banner.text().startswith("ДЕМО")
    qtbot.waitUntil(lambda: len(demo_window.demo_cases) >= 5, timeout=5000)
    names = [path.name.split(".")[0] for path, _title in demo_window.demo_cases]
    assert names[:2] == ["active", "active-ec"]
    with qtbot.waitSignal(demo_window.verdict_shown, timeout=20000) as blocker:
        qtbot.keyClick(demo_window, Qt.Key.Key_F5)  # the first demo case: a valid policy
    assert blocker.args[0].verdict.decision == "accept"
    assert demo_window.panel.headline.text() == "Полис действителен"
    expired = names.index("expired")
    with qtbot.waitSignal(demo_window.verdict_shown, timeout=20000) as blocker:
        demo_window.demo_menu.actions()[expired].trigger()
    assert blocker.args[0].verdict.decision == "reject"
    assert demo_window.panel.headline.text().startswith("Срок действия истёк")
    # the demo set has an amber case too, and the menu speaks Russian without file names
    titles = [action.text() for action in demo_window.demo_menu.actions()]
    assert len(titles) == len(names) and all(re.search("[а-яА-Я]", t) for t in titles)
    assert not any(re.search(r"\.(png|txt)|[a-z]+-[a-z]+", t) for t in titles)
    warn = names.index("crl-missing")
    with qtbot.waitSignal(demo_window.verdict_shown, timeout=20000) as blocker:
        demo_window.demo_menu.actions()[warn].trigger()
    assert blocker.args[0].verdict.decision == "warn" and blocker.args[0].verdict.signature == "ok"
    assert demo_window.panel.state == "warn" and demo_window.panel.glyph.text() == "!"
    assert "Нет списка отозванных сертификатов" in demo_window.panel.reasons.text()
    # one shortcut label everywhere: the menu and the button say Ctrl+Enter
    assert demo_window.record_action.shortcut().toString() == "Ctrl+Enter"
    assert "Ctrl+Enter" in demo_window.record.record_button.text()


def test_demo_root_outside_demo_mode_shows_a_loud_warning(qtbot: Any, tmp_path: Path) -> None:
    from desk_app.config import demo_trust_root

    settings = Settings(data_dir=str(tmp_path / "d"), trust_root=str(demo_trust_root()))  # configured by hand
    assert settings.uses_demo_root and not settings.demo
    win = make_window(qtbot, settings, tmp_path / "c.toml")
    try:
        assert win.banner.isVisible()
        assert "ТЕСТОВЫЙ корневой сертификат" in win.banner.text()
    finally:
        win.shutdown()


def test_a_keyboard_wedge_burst_becomes_a_verdict_without_focus(
    qtbot: Any, judge_settings: Settings, tmp_path: Path, policy_xml: Any
) -> None:
    win = make_window(qtbot, judge_settings, tmp_path / "c.toml")
    try:
        # A scanner's pace (1 ms per key), whatever the machine's load does to the test's timing.
        ticks = itertools.count(start=1_000_000)
        sources = start_scanners(win, wedge_clock=lambda: float(next(ticks)))
        assert len(sources) == 1  # the wedge filter (no serial port or camera configured)
        text = scan_text(policy_xml())
        assert text.isascii()
        win.activateWindow()
        win.panel.setFocus()
        with qtbot.waitSignal(win.verdict_shown, timeout=20000) as blocker:
            qtbot.keyClicks(win.panel, text)  # typed as fast as a scanner
            qtbot.keyClick(win.panel, Qt.Key.Key_Return)
        assert blocker.args[0].verdict.signature == "ok"
        assert win.panel.name.text() == "Иванова Мария Петровна"
    finally:
        win.shutdown()


@pytest.mark.expect_log_warnings
def test_lane_refuses_when_full_and_stop_waits_for_threads() -> None:
    runner = TaskRunner()
    gate = threading.Event()
    lane = runner.judge
    assert lane.submit(gate.wait)
    time.sleep(0.05)
    accepted = [lane.submit(lambda: None) for _ in range(5)]
    assert accepted[:3] == [True, True, True] and accepted[3:] == [False, False]
    assert lane.busy
    gate.set()
    closed: list[str] = []
    assert runner.stop(timeout=5, finals={runner.ledger: lambda: closed.append("ledger")})
    assert closed == ["ledger"]
    assert not any(t.name.startswith("desk-") for t in threading.enumerate())
    assert not lane.submit(lambda: None)


@pytest.mark.expect_log_warnings
def test_results_come_back_on_the_gui_thread(qtbot: Any) -> None:
    runner = TaskRunner()
    seen: list[tuple[Any, bool]] = []
    try:
        runner.probe.submit(lambda x: x * 2, 21, on_success=lambda v: seen.append(
            (v, threading.current_thread() is threading.main_thread())))  # fmt: skip
        runner.probe.submit(lambda: 1 / 0, on_failure=lambda e: seen.append((type(e), True)))
        qtbot.waitUntil(lambda: len(seen) == 2, timeout=5000)
        assert seen == [(42, True), (ZeroDivisionError, True)]
    finally:
        runner.stop()


def test_crash_hook_logs_and_shows_a_russian_dialog(qtbot: Any, caplog: pytest.LogCaptureFixture) -> None:
    old = sys.excepthook
    try:
        hook = install_crash_hook()
        try:
            raise RuntimeError("boom for the test")
        except RuntimeError as exc:
            hook(type(exc), exc, exc.__traceback__)
        box = hook.last_box  # type: ignore[attr-defined]
        assert isinstance(box, QMessageBox) and box.isVisible()
        assert box.windowTitle() == "Ошибка программы"
        assert "boom for the test" in caplog.text
        box.close()
    finally:
        sys.excepthook = old


def test_qt_own_russian_catalogue_is_loaded(qtbot: Any) -> None:
    app = QApplication.instance()
    translators = install_translations(app)
    try:
        assert translators, "qtbase_ru.qm was not found"
        assert QApplication.translate("QPlatformTheme", "Cancel") == "Отмена"
    finally:
        for t in translators:
            app.removeTranslator(t)


def test_demo_command_starts_and_reports_ready(tmp_path: Path) -> None:
    env = {**os.environ, READY_ENV: "1", "QT_QPA_PLATFORM": "offscreen", "XDG_DATA_HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "desk_app", "demo", "--data-dir", str(tmp_path / "demo")],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert READY_MARKER in done.stdout
