"""Bulk sync of the offline copy through `GET /v1/policies?updated_since=...&cursor=...`.

A run starts from the newest `updated_at` fully applied (the watermark) or, if an earlier run
was interrupted, from its saved cursor. Each page and the new cursor are committed together,
so a killed run resumes at the first page it had not committed; re-applied items change
nothing. `SyncScheduler` repeats runs on a plain thread (Qt-free) for the app.
"""

from __future__ import annotations

import concurrent.futures
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from desk_app.registry.client import PAGE_TIMEOUT, ChangesPage, RegistryClient, RegistryFailure
from desk_app.registry.records import MAX_PAGE
from desk_app.registry.status_store import StatusStore
from desk_app.verify import verdict as codes
from desk_app.worker import Worker

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SyncResult:
    pages: int  # pages applied in this run
    received: int  # items received
    changed: int  # rows of the copy that changed
    complete: bool  # the registry had nothing more (False: stopped or page budget used up)
    watermark: str | None  # newest updated_at fully applied after this run
    seconds: float


class SyncError(Exception):
    """A run that stopped because the registry gave no usable page; `reason` is a reason code."""

    def __init__(self, reason: str, detail: str, partial: SyncResult, retry_after: float | None = None) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail
        self.partial = partial
        self.retry_after = retry_after


def run_sync(
    client: RegistryClient,
    store: StatusStore,
    *,
    limit: int = MAX_PAGE,
    max_pages: int | None = None,
    stop: threading.Event | None = None,
    page_timeout: float = PAGE_TIMEOUT,
    on_page: Callable[[int, int], None] | None = None,
) -> SyncResult:
    """Fetch and apply pages until the registry has no more (or `stop`/`max_pages`)."""
    if not 1 <= limit <= MAX_PAGE:
        raise ValueError(f"limit must be between 1 and {MAX_PAGE}")
    started = time.perf_counter()
    pages = received = changed = 0
    restarted = False
    state = store.sync_state()
    since, cursor = (state.run_since, state.cursor) if state.cursor else (state.watermark, None)
    if cursor:
        log.info("sync resumes an interrupted run")

    def result(complete: bool) -> SyncResult:
        return SyncResult(
            pages, received, changed, complete, store.sync_state().watermark, time.perf_counter() - started
        )

    # While one page is applied, the next is already being fetched (its cursor is known). However
    # the run ends (done, stopped, failed), the page still in flight is cancelled and its thread
    # joined: nothing keeps asking a registry the run has left.
    prefetch = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="registry-prefetch")
    leaving = threading.Event()

    def fetch(since: str | None, cursor: str | None) -> concurrent.futures.Future[ChangesPage]:
        return prefetch.submit(client.get_changes, since, cursor, limit, timeout=page_timeout, cancel=leaving)

    try:
        upcoming = fetch(since, cursor)
        while True:
            if max_pages is not None and pages >= max_pages:
                return result(False)
            while stop is not None and not upcoming.done():  # a stop request need not wait for a slow page
                if stop.wait(0.1):
                    return result(False)
            if stop is not None and stop.is_set():
                return result(False)
            try:
                page = upcoming.result()
            except RegistryFailure as failure:
                if cursor and failure.http_status == 400 and not restarted:
                    # The registry no longer accepts our saved cursor: start over from the watermark.
                    log.warning("registry refused the saved sync cursor; restarting from the watermark")
                    store.abandon_run()
                    since, cursor, restarted = store.sync_state().watermark, None, True
                    upcoming = fetch(since, cursor)
                    continue
                raise SyncError(failure.reason, failure.detail, result(False), failure.retry_after) from None
            if page.next_cursor is not None and (page.next_cursor == cursor or not page.items):
                raise SyncError(codes.REGISTRY_BAD_RESPONSE, "the registry's paging does not advance", result(False))
            last_page = page.next_cursor is None or (max_pages is not None and pages + 1 >= max_pages)
            if not last_page:
                upcoming = fetch(since, page.next_cursor)
            changed += store.apply_page(page.items, page.received_at, run_since=since, next_cursor=page.next_cursor)
            pages += 1
            received += len(page.items)
            if on_page is not None:
                on_page(pages, received)
            if page.next_cursor is None:
                return result(True)
            cursor = page.next_cursor
    finally:
        leaving.set()
        prefetch.shutdown(wait=True, cancel_futures=True)


SyncOutcome = SyncResult | SyncError


class SyncScheduler(Worker):
    """Runs `run_sync` every `interval` seconds on a daemon thread (desk_app.worker.Worker) until
    `stop()`. A failed run is an outcome (`on_result`); should the loop itself die, `on_failure`
    hears it ("stopped: error").

    Share the client with the status source so both respect the same 429 back-off.
    """

    thread_name = "registry-sync"
    stop_timeout = 10.0  # stop() waits for the page in progress (never mid-transaction)

    def __init__(
        self,
        client: RegistryClient,
        store: StatusStore,
        interval: float,
        *,
        first_delay: float = 5.0,
        on_result: Callable[[SyncOutcome], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> None:
        if interval <= 0:
            raise ValueError("interval must be positive")
        super().__init__()
        self.client = client
        self.store = store
        self.interval = interval
        self.first_delay = first_delay
        self.on_result = on_result
        self.on_failure = on_failure
        self.last_outcome: SyncOutcome | None = None
        self.runs = 0

    def start(self) -> None:
        if self._thread is None:  # starting twice is harmless here
            super().start()

    def failed(self, exc: BaseException) -> None:
        if self.on_failure is not None:
            self.on_failure(exc)

    def run(self) -> None:
        wait = self.first_delay
        while not self.sleep(wait):  # True at once when stopped
            outcome = self._run_once()
            wait = self.interval
            if isinstance(outcome, SyncError) and outcome.retry_after:
                wait = max(wait, outcome.retry_after)

    def _run_once(self) -> SyncOutcome:
        outcome: SyncOutcome
        try:
            outcome = run_sync(self.client, self.store, stop=self._stop)  # stops between pages
            log.info("sync: %d items in %d pages, %d changed", outcome.received, outcome.pages, outcome.changed)
        except SyncError as exc:
            log.warning("sync stopped: %s", exc)
            outcome = exc
        except Exception as exc:  # the loop must survive anything (e.g. a locked or full disk)
            log.exception("sync failed unexpectedly")
            outcome = SyncError(codes.REGISTRY_ERROR, str(exc), SyncResult(0, 0, 0, False, None, 0.0))
        self.runs += 1
        self.last_outcome = outcome
        if self.on_result is not None:
            try:
                self.on_result(outcome)
            except Exception:
                log.exception("sync result callback failed")
        return outcome
