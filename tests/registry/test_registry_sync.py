"""Bulk sync of the offline copy against the reference server on a real port: complete, incremental,
resumable after a stop, a fault or SIGKILL (never half a page), idempotent, scheduled, a million rows."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from desk_app.demo.faults import Faults
from desk_app.demo.registry_server import RegistryServer, decode_cursor
from desk_app.demo.synthetic import synthetic_records
from desk_app.registry.records import RegistryRecord
from desk_app.registry.status_store import StatusStore
from desk_app.registry.sync import SyncError, SyncResult, SyncScheduler, run_sync
from tests.helpers.registry import TOKEN, make_client, running_server, wait_until

pytestmark = pytest.mark.timeout(120)


def assert_copy_matches(store: StatusStore, records: list[RegistryRecord]) -> None:
    assert store.count() == len(records)
    for r in records:
        entry = store.get(r.enp)
        assert entry is not None, r.enp
        assert (entry.status, entry.valid_to, entry.insurer_code, entry.reason, entry.updated_at) == (
            r.status, r.valid_to, r.insurer_code, r.reason, r.updated_at)


def assert_whole_pages_only(store: StatusStore, records: list[RegistryRecord], limit: int) -> int:
    """The copy holds exactly the first k pages and the saved cursor points right after them."""
    count = store.count()
    assert count % limit == 0, f"{count} rows is not a whole number of {limit}-item pages"
    assert all(store.get(r.enp) is not None for r in records[:count])
    assert all(store.get(r.enp) is None for r in records[count : count + 2 * limit])
    state = store.sync_state()
    if count:
        assert state.cursor is not None
        assert decode_cursor(state.cursor) == (records[count - 1].updated_key, records[count - 1].enp)
    return count


@pytest.fixture
def server(tmp_path: Path):  # type: ignore[no-untyped-def]
    with running_server(tmp_path, count=0) as srv:
        yield srv


def test_full_sync_then_an_incremental_one(server: RegistryServer, tmp_path: Path) -> None:
    records = list(synthetic_records(1234))
    server.put(records)
    client = make_client(server.url)
    with StatusStore(tmp_path / "copy.sqlite") as store:
        first = run_sync(client, store, limit=100)
        assert (first.pages, first.received, first.changed, first.complete) == (13, 1234, 1234, True)
        assert first.watermark == records[-1].updated_at
        assert_copy_matches(store, records)
        assert store.sync_state().cursor is None

        again = run_sync(client, store, limit=100)  # nothing new: only the watermark item comes back
        assert (again.complete, again.changed, again.received) == (True, 0, 1)

        later = datetime(2027, 1, 1, tzinfo=UTC)
        changed = [
            replace(records[5], status="suspended", reason="Запрос ТФОМС", updated_at=later.isoformat(),
                    updated_key=int(later.timestamp()) * 1_000_000),
            *synthetic_records(3, start=5000, first_update=later - timedelta(seconds=5000) + timedelta(minutes=1)),
        ]
        server.put(changed)
        step = run_sync(client, store, limit=100)
        assert step.complete and step.changed == 4 and step.received <= 5
        entry = store.get(records[5].enp)
        assert entry is not None and (entry.status, entry.reason) == ("suspended", "Запрос ТФОМС")
        assert store.count() == 1237
    client.close()


def test_a_stopped_run_resumes_at_its_cursor(server: RegistryServer, tmp_path: Path) -> None:
    records = list(synthetic_records(1000))
    server.put(records)
    client = make_client(server.url)
    with StatusStore(tmp_path / "copy.sqlite") as store:
        part = run_sync(client, store, limit=100, max_pages=3)
        assert (part.pages, part.complete, part.watermark) == (3, False, None)
        assert assert_whole_pages_only(store, records, 100) == 300
        before = server.request_count
        rest = run_sync(client, store, limit=100)
        assert rest.complete and rest.received == 700 and rest.changed == 700
        assert server.request_count - before == 7  # resumed at page 4, did not start over
        assert_copy_matches(store, records)
    client.close()


def test_pages_applied_twice_change_nothing(server: RegistryServer, tmp_path: Path) -> None:
    records = list(synthetic_records(500))
    server.put(records)
    client = make_client(server.url)
    with StatusStore(tmp_path / "copy.sqlite") as store:
        run_sync(client, store, limit=100, max_pages=3)
        store.abandon_run()  # forget the cursor: the next run fetches pages 1-3 again
        snapshot = {r.enp: store.get(r.enp) for r in records[:300]}
        result = run_sync(client, store, limit=100)
        assert result.received == 500 and result.changed == 200
        assert {r.enp: store.get(r.enp) for r in records[:300]} == snapshot
        assert_copy_matches(store, records)
    client.close()


@pytest.mark.expect_log_warnings
def test_a_cursor_the_registry_refuses_restarts_from_the_watermark(server: RegistryServer, tmp_path: Path) -> None:
    records = list(synthetic_records(250))
    server.put(records)
    client = make_client(server.url)
    with StatusStore(tmp_path / "copy.sqlite") as store:
        store.apply_page(records[:10], datetime.now(UTC), run_since=None, next_cursor="not-a-cursor-we-gave")
        result = run_sync(client, store, limit=100)
        assert result.complete
        assert_copy_matches(store, records)
    client.close()


def test_a_fault_mid_sync_stops_cleanly_and_the_next_run_resumes(server: RegistryServer, tmp_path: Path) -> None:
    records = list(synthetic_records(600))
    server.put(records)
    client = make_client(server.url)
    with StatusStore(tmp_path / "copy.sqlite") as store:

        def break_after_two(pages: int, _received: int) -> None:
            if pages == 2:
                server.set_faults(Faults(status=503))

        with pytest.raises(SyncError) as caught:
            run_sync(client, store, limit=100, on_page=break_after_two)
        assert caught.value.reason == "registry_error"
        # The page fetched ahead before the fault may have been applied too; never half of one.
        done = assert_whole_pages_only(store, records, 100)
        assert done in (200, 300) and caught.value.partial.received == done
        server.set_faults(Faults())
        result = run_sync(client, store, limit=100)
        assert result.complete and result.received == 600 - done
        assert_copy_matches(store, records)
    client.close()


def test_a_garbage_page_is_refused_whole(server: RegistryServer, tmp_path: Path) -> None:
    server.put(synthetic_records(50))
    server.set_faults(Faults(garbage=True))
    client = make_client(server.url)
    with StatusStore(tmp_path / "copy.sqlite") as store:
        with pytest.raises(SyncError) as caught:
            run_sync(client, store, limit=20)
        assert caught.value.reason == "registry_bad_response"
        assert store.count() == 0
    client.close()


KILL_MID_PAGE = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from desk_app.registry.status_store import StatusStore
    from desk_app.registry.client import RegistryClient
    from desk_app.registry.sync import run_sync

    url, token, copy, marker = sys.argv[1:5]

    class StoreThatStallsInPageThree(StatusStore):
        pages = 0

        def apply_page(self, items, *args, **kwargs):
            StoreThatStallsInPageThree.pages += 1
            if StoreThatStallsInPageThree.pages == 3:
                items = list(items)

                def stall_halfway():
                    for i, item in enumerate(items):
                        if i == len(items) // 2:
                            Path(marker).write_text("half of page 3 written, not committed")
                            time.sleep(60)
                        yield item

                return super().apply_page(stall_halfway(), *args, **kwargs)
            return super().apply_page(items, *args, **kwargs)

    client = RegistryClient(url, token, "desk-kill-test")
    run_sync(client, StoreThatStallsInPageThree(copy), limit=100)
    """
)


def test_sigkill_in_the_middle_of_a_page_leaves_no_half_page(server: RegistryServer, tmp_path: Path) -> None:
    records = list(synthetic_records(1000))
    server.put(records)
    script, copy, marker = tmp_path / "kill_mid_page.py", tmp_path / "copy.sqlite", tmp_path / "marker"
    script.write_text(KILL_MID_PAGE)
    child = subprocess.Popen([sys.executable, str(script), server.url, TOKEN, str(copy), str(marker)])
    try:
        assert wait_until(marker.exists, timeout=30), "the child never reached page 3"
        time.sleep(0.1)
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=10) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
    client = make_client(server.url)
    with StatusStore(copy) as store:
        assert assert_whole_pages_only(store, records, 100) == 200  # pages 1-2 whole, nothing of page 3
        result = run_sync(client, store, limit=100)
        assert result.complete and result.received == 800
        assert_copy_matches(store, records)
        assert store.sync_state().watermark == records[-1].updated_at
    client.close()


def test_sigkill_of_desk_app_sync_then_resume(tmp_path: Path) -> None:
    records = list(synthetic_records(3000))
    # A slow registry (0.05 s a page) so the kill lands while the run is under way.
    with running_server(tmp_path, count=0, faults=Faults(delay=0.05)) as server:
        server.put(records)
        data_dir = tmp_path / "desk-data"
        command = [sys.executable, "-m", "desk_app", "sync", "--registry-url", server.url, "--registry-token", TOKEN,
                   "--data-dir", str(data_dir), "--limit", "50"]
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        copy = data_dir / "registry-cache.sqlite"
        child = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            def some_pages_done() -> bool:
                if not copy.exists():
                    return False
                with StatusStore(copy) as peek:
                    return peek.count() >= 500

            assert wait_until(some_pages_done, timeout=60)
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=10)
        finally:
            if child.poll() is None:
                child.kill()
        with StatusStore(copy) as store:
            done = assert_whole_pages_only(store, records, 50)
            assert 500 <= done < 3000
        server.set_faults(Faults())
        finished = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
        assert finished.returncode == 0, finished.stderr
        assert "sync complete" in finished.stdout and f"{3000 - done} items" in finished.stdout
        with StatusStore(copy) as store:
            assert_copy_matches(store, records)


def test_scheduler_syncs_on_its_interval_and_stops_promptly(server: RegistryServer, tmp_path: Path) -> None:
    server.put(synthetic_records(30))
    client = make_client(server.url)
    outcomes: list[object] = []
    with StatusStore(tmp_path / "copy.sqlite") as store:
        scheduler = SyncScheduler(client, store, interval=0.2, first_delay=0, on_result=outcomes.append)
        scheduler.start()
        try:
            assert wait_until(lambda: store.count() == 30)
            server.put(synthetic_records(5, start=100))
            assert wait_until(lambda: store.count() == 35)
            assert all(isinstance(o, SyncResult) for o in outcomes) and len(outcomes) >= 2
            server.set_faults(Faults(delay=30))  # a page that hangs must not hold up stop()
            time.sleep(0.5)
            start = time.perf_counter()
        finally:
            scheduler.stop()
        assert time.perf_counter() - start < 1.0 and not scheduler.running
    client.close()


@pytest.mark.expect_log_warnings
def test_a_429_page_carries_the_registrys_wait_to_the_scheduler(server: RegistryServer, tmp_path: Path) -> None:
    """The first 429 of a run already says how long to wait (Retry-After), as the next ask, refused
    by the client's own gate, does: the scheduler then waits that long, not its interval."""
    server.set_faults(Faults(retry_after=45))
    client = make_client(server.url)
    with StatusStore(tmp_path / "copy.sqlite") as store:
        with pytest.raises(SyncError) as first:
            run_sync(client, store)
        with pytest.raises(SyncError) as gated:
            run_sync(client, store)
    assert server.request_count == 1  # the second run was refused by the gate, nothing was sent
    for refused in (first.value, gated.value):
        assert refused.reason == "registry_rate_limited"
        assert refused.retry_after is not None and 40 < refused.retry_after <= 45, refused.retry_after
    client.close()


def _request_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith(("registry-prefetch", "desk-http"))]


def test_a_stopped_sync_leaves_no_page_request_behind(server: RegistryServer, tmp_path: Path) -> None:
    """stop() ends the page in flight too: no thread keeps asking a registry the desk has left
    (it would retry against whatever answers on that port next, after the store is closed)."""
    before = set(_request_threads())
    server.set_faults(Faults(delay=30))
    client = make_client(server.url)
    with StatusStore(tmp_path / "copy.sqlite") as store:
        scheduler = SyncScheduler(client, store, interval=60, first_delay=0)
        scheduler.start()
        try:
            assert wait_until(lambda: server.request_count > 0)
        finally:
            scheduler.stop()
    assert wait_until(lambda: not set(_request_threads()) - before, timeout=2.0), set(_request_threads()) - before
    assert isinstance(scheduler.last_outcome, SyncResult) and not scheduler.last_outcome.complete
    client.close()


@pytest.mark.expect_log_warnings
def test_scheduler_survives_failures_and_reports_them(server: RegistryServer, tmp_path: Path) -> None:
    server.set_faults(Faults(status=503))
    client = make_client(server.url)
    seen = threading.Event()
    outcomes: list[object] = []

    def record(outcome: object) -> None:
        outcomes.append(outcome)
        if len(outcomes) >= 2:
            seen.set()

    with StatusStore(tmp_path / "copy.sqlite") as store:
        scheduler = SyncScheduler(client, store, interval=0.1, first_delay=0, on_result=record)
        scheduler.start()
        try:
            assert seen.wait(5)
            assert all(isinstance(o, SyncError) and o.reason == "registry_error" for o in outcomes)
            server.set_faults(Faults())
            server.put(synthetic_records(3))
            assert wait_until(lambda: store.count() == 3)
        finally:
            scheduler.stop()
    client.close()


@pytest.mark.slow
def test_a_million_row_copy(tmp_path: Path) -> None:
    """The registry runs as its own process, as in production; timing is measured in the bench."""
    count = 1_000_000
    server = subprocess.Popen(
        [sys.executable, "-m", "desk_app", "registry-server", "--db", str(tmp_path / "big.sqlite"), "--port", "0",
         "--token", TOKEN, "--generate", str(count)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        assert "listening on" in line, line
        client = make_client(line.split()[-1])
        with StatusStore(tmp_path / "copy.sqlite") as store:
            result = run_sync(client, store)
            assert (result.received, result.changed, result.complete, result.pages) == (count, count, True, 200)
            assert store.count() == count
            for record in synthetic_records(5, start=count - 5):
                entry = store.get(record.enp)
                assert entry is not None and entry.status == record.status and entry.updated_at == record.updated_at
        client.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
