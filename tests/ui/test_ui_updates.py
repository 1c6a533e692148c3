"""Unattended updates inside the running window, against real servers on 127.0.0.1: the Treasury's
trust list served over HTTP and the reference registry. With short intervals, the offline copy
is filled and kept current and the trust cache is fetched and re-fetched when due, with no user
action; the status bar shows the real ages; nothing of it runs on the GUI thread."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from desk_app.config import Settings
from desk_app.demo.issuer import TestTreasury
from desk_app.registry.records import parse_record
from desk_app.registry.status_store import StatusStore
from desk_app.ui.main_window import MainWindow
from desk_app.ui.updates import trust_check_interval_ms
from desk_app.verify.trust_store import TrustStore
from tests.helpers.ui import TOKEN, make_window, reference_registry, registry_records, scan_text

NEW_ENP = "7700000000000099"


@pytest.fixture
def registry(tmp_path: Path) -> Iterator[Any]:
    with reference_registry(tmp_path) as server:
        yield server


@pytest.fixture
def updating_settings(
    treasury: TestTreasury, serve_directory: Any, registry: Any, tmp_path: Path
) -> Settings:
    """A fresh desk: empty trust cache, no offline copy; every interval a fraction of a second."""
    return Settings(
        trust_root=str(treasury.root_pem_path),
        trust_url=serve_directory(treasury.base_dir),
        trust_refresh_hours=1.0 / 3600,  # due again one second after each fetch
        registry_url=registry.url,
        registry_token=TOKEN,
        registry_sync_minutes=0.5 / 60,  # a sync run every half second
        registry_timeout=2.0,
        data_dir=str(tmp_path / "desk-data"),
        sounds=False,
    )


def _copy_state(settings: Settings) -> tuple[int, datetime | None, set[str]]:
    store = StatusStore(settings.status_db_path)
    try:
        wanted = {r.enp for r in registry_records()} | {NEW_ENP}
        enps = {enp for enp in wanted if store.get(enp) is not None}
        return store.count(), store.sync_state().last_complete_at, enps
    finally:
        store.close()


def _fetched_at(settings: Settings) -> datetime | None:
    return TrustStore(settings.trust_root_path, settings.trust_cache_dir).snapshot.fetched_at


def test_trust_list_and_registry_copy_update_without_user_action(
    qtbot: Any, updating_settings: Settings, registry: Any, policy_xml: Any
) -> None:
    settings = updating_settings
    assert _fetched_at(settings) is None and not settings.status_db_path.exists()
    gui_thread = threading.current_thread()
    callers: set[str] = set()

    started = datetime.now(UTC)
    window: MainWindow = make_window(qtbot, settings, settings.data_path / "config.toml")
    try:
        # The trust list arrives from the trust URL; nobody asked for it.
        qtbot.waitUntil(lambda: _fetched_at(settings) is not None, timeout=10000)
        first_fetch = _fetched_at(settings)
        assert first_fetch is not None and first_fetch >= started
        # The offline copy fills with every registry record.
        qtbot.waitUntil(lambda: _copy_state(settings)[0] == len(registry_records()), timeout=10000)
        assert _copy_state(settings)[1] is not None  # a complete run
        # The status bar shows the real ages: fetched just now, CRL current, copy just synced.
        window.refresh_status()
        qtbot.waitUntil(lambda: window.status.labels["trust"].text().startswith("Сертификаты: 0 мин назад, СОС до"),
                        timeout=5000)
        qtbot.waitUntil(lambda: window.status.labels["registry"].text() == "Регистр: на связи, копия 0 мин назад",
                        timeout=5000)

        # On schedule, again: a record added at the registry reaches the copy ...
        registry.put([parse_record({"enp": NEW_ENP, "status": "active", "updated_at": datetime.now(UTC).isoformat()})])
        qtbot.waitUntil(lambda: NEW_ENP in _copy_state(settings)[2], timeout=10000)
        # ... and the trust list, due again after a second, is fetched again.
        qtbot.waitUntil(lambda: (_fetched_at(settings) or first_fetch) > first_fetch, timeout=10000)
        assert window.updates.trust_checks >= 2
        assert window.updates.sync_scheduler.runs >= 2

        # Neither job ran on the GUI thread.
        scheduler_thread = window.updates.sync_scheduler._thread
        assert scheduler_thread is not None and scheduler_thread is not gui_thread
        window.tasks.update.submit(lambda: callers.add(threading.current_thread().name))
        qtbot.waitUntil(lambda: bool(callers), timeout=5000)
        assert callers == {"desk-update"}

        # Scans keep working with the fetched trust list.
        with qtbot.waitSignal(window.verdict_shown, timeout=15000) as blocker:
            window.submit_scan(scan_text(policy_xml()), "test")
        assert blocker.args[0].verdict.decision == "accept"
    finally:
        window.shutdown()
    assert window.updates.sync_scheduler is None
    assert not any(t.name in ("registry-sync", "desk-update") and t.is_alive() for t in threading.enumerate())


def test_offline_desk_does_not_fetch_or_sync(qtbot: Any, updating_settings: Settings) -> None:
    settings = updating_settings.replace(offline=True)
    window = make_window(qtbot, settings, settings.data_path / "config.toml")
    try:
        qtbot.wait(1500)
        assert window.updates.sync_scheduler is None
        assert _fetched_at(settings) is None
        assert not settings.status_db_path.exists() or _copy_state(settings)[0] == 0
    finally:
        window.shutdown()


def test_check_interval_follows_the_refresh_period() -> None:
    assert trust_check_interval_ms(6.0) == 10 * 60 * 1000  # at most every ten minutes
    assert trust_check_interval_ms(0.1) == 180_000
    assert trust_check_interval_ms(1.0 / 3600) == 500
