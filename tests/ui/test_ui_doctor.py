"""`doctor` from the settings window: runs off the GUI thread and reports in Russian."""

from __future__ import annotations

from typing import Any

from desk_app.ui.settings_dialog import SettingsDialog
from desk_app.ui.tasks import TaskRunner


def test_doctor_runs_from_the_settings_window(qtbot: Any, judge_settings, tmp_path) -> None:
    runner = TaskRunner()
    try:
        dialog = SettingsDialog(judge_settings, tmp_path / "config.toml", runner)
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.doctor_button.click()
        assert not dialog.doctor_button.isEnabled()  # running in the background, window still alive
        qtbot.waitUntil(lambda: dialog.doctor_button.isEnabled(), timeout=30000)
        report = dialog.doctor_report.toPlainText()
        lines = report.splitlines()
        assert len(lines) >= 5 and all(line[0] in "✔⚠✖" for line in lines), report
        assert any("Корневой сертификат" in line or "корнев" in line.lower() for line in lines), report
    finally:
        runner.stop()


def test_doctor_refuses_a_bad_form_value_before_running(qtbot: Any, judge_settings, tmp_path) -> None:
    runner = TaskRunner()
    try:
        dialog = SettingsDialog(judge_settings, tmp_path / "config.toml", runner)
        qtbot.addWidget(dialog)
        dialog.editors["registry_url"].setText("ftp://example")
        dialog.doctor_button.click()
        assert dialog.error.text() and not dialog.doctor_report.isVisible()
    finally:
        runner.stop()
