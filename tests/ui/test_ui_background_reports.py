"""Background work never fails into the log alone (Anki's rule): a lane job with no failure
handler, a job refused by a full lane, a cancel refused because the ledger's lane is full, and a
sync thread that died are each said to the user, in Russian, in the real window's status bar."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from desk_app.config import Settings
from tests.helpers.ui import make_window


@pytest.fixture
def window(qtbot: Any, judge_settings: Settings, tmp_path: Path) -> Any:
    window = make_window(qtbot, judge_settings, tmp_path / "c.toml")
    yield window
    window.shutdown()


def _broken_job() -> None:
    raise OSError("the disk went away")


def _fill(lane: Any, release: threading.Event) -> int:
    """Hold the lane's thread on a job of ours, then queue until the lane refuses; how many queued."""
    holding = threading.Event()
    assert lane.submit(lambda: (holding.set(), release.wait(10)))
    assert holding.wait(10)  # from now on nothing on this lane finishes until `release`
    queued = 0
    while lane.submit(release.wait, 10):
        queued += 1
    return queued


@pytest.mark.expect_log_warnings  # the lane logs the job's traceback
def test_a_job_with_no_failure_handler_is_said_in_the_status_bar(qtbot: Any, window: Any) -> None:
    assert window.tasks.probe.submit(_broken_job)  # no on_failure: the lane's default reporter
    qtbot.waitUntil(lambda: "Фоновая операция не удалась" in window.statusBar().currentMessage(), timeout=5000)


@pytest.mark.expect_log_warnings  # "lane update is full; job ... refused"
def test_a_job_refused_by_a_full_lane_is_said_in_the_status_bar(qtbot: Any, window: Any) -> None:
    release = threading.Event()
    try:
        assert _fill(window.tasks.update, release) == 2  # max_pending=2
        assert "Программа занята" in window.statusBar().currentMessage()
    finally:
        release.set()


@pytest.mark.expect_log_warnings
def test_a_cancel_refused_by_a_full_ledger_lane_is_said(qtbot: Any, window: Any) -> None:
    release = threading.Event()
    try:
        _fill(window.tasks.ledger, release)
        window.visits._cancel_confirmed(1, "ошибочная запись", "admin")
        assert "Приём не отменён: Запись уже идёт" in window.statusBar().currentMessage()
    finally:
        release.set()


def test_a_sync_thread_that_died_shows_in_the_registry_item(qtbot: Any, window: Any) -> None:
    window.updates.sync_stopped.emit(RuntimeError("sync loop bug"))
    text = "Регистр: обновление копии остановлено из-за ошибки"
    qtbot.waitUntil(lambda: window.status.labels["registry"].text() == text, timeout=5000)


@pytest.mark.expect_log_warnings  # filling the lane refuses our own filler jobs
def test_a_status_refresh_dropped_by_a_full_probe_lane_is_no_news(qtbot: Any, window: Any) -> None:
    """The status bar's refresh is replaced by the next one: a full probe lane skips it quietly."""
    release = threading.Event()
    try:
        _fill(window.tasks.probe, release)
        window.statusBar().clearMessage()
        window.refresh_status()
        assert window.statusBar().currentMessage() == ""
    finally:
        release.set()
