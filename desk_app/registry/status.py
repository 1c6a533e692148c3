"""The verification core's view of the registry: one `StatusAnswer` per ENP, always in time.

`RegistryStatusSource` asks the registry (through the client's hard deadline and the circuit
breaker) and keeps every answer in the offline copy; when the registry cannot give a usable
answer it answers from the copy, with exactly one reason saying why it did not answer online.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable
from typing import TypeVar

from desk_app.config import Settings
from desk_app.registry.breaker import CircuitBreaker, Gate
from desk_app.registry.client import PolicyReply, RegistryClient, RegistryFailure, SearchReply
from desk_app.registry.records import parse_date
from desk_app.registry.status_store import CachedEntry, StatusStore, StoreError
from desk_app.verify import verdict as codes
from desk_app.verify.documents import DocumentQuery
from desk_app.verify.numbers import mask_enp
from desk_app.verify.status import SearchAnswer, StatusAnswer
from desk_app.worker import Worker

log = logging.getLogger(__name__)
_Reply = TypeVar("_Reply")

# Failures that mean "the registry is not there for us": they count towards opening the
# breaker. An auth failure or a 429 is a prompt answer from a live registry, so they do not.
_BREAKER_FAILURES = frozenset(
    {codes.REGISTRY_UNREACHABLE, codes.REGISTRY_TIMEOUT, codes.REGISTRY_ERROR, codes.REGISTRY_BAD_RESPONSE}
)


class RegistryStatusSource:
    """A `StatusSource`: online when possible, else the offline copy; never raises."""

    def __init__(
        self,
        client: RegistryClient | None,
        store: StatusStore | None,
        breaker: CircuitBreaker | None = None,
        *,
        fallback_reason: str | None = None,
    ) -> None:
        """With no client, every answer comes from the copy with `fallback_reason`."""
        if client is None and fallback_reason is None:
            raise ValueError("a cache-only source needs the reason it is cache-only")
        self.client = client
        self.store = store
        self.breaker = breaker or CircuitBreaker()
        self.fallback_reason = fallback_reason
        self._probe_threads: list[threading.Thread] = []

    def lookup(self, enp: str) -> StatusAnswer:
        if self.client is None:
            return self._from_copy(enp, self.fallback_reason or codes.REGISTRY_NOT_CONFIGURED)
        if self.client.rate_limit_remaining() > 0:
            return self._from_copy(enp, codes.REGISTRY_RATE_LIMITED)
        gate = self.breaker.before_request()
        if gate is Gate.REJECT:
            return self._from_copy(enp, codes.REGISTRY_CIRCUIT_OPEN)
        if gate is Gate.PROBE:
            self._start_probe(enp)
            return self._from_copy(enp, codes.REGISTRY_CIRCUIT_OPEN)
        try:
            reply = self._ask(enp)
        except RegistryFailure as failure:
            return self._from_copy(enp, failure.reason)
        return self._online(reply)

    def search(self, query: DocumentQuery) -> SearchAnswer:
        """Search by document: online only (the copy holds no documents). The answer is kept in
        the copy under the ENP found, like a single lookup; the document itself is kept nowhere."""
        if self.client is None:
            return _no_search(self.fallback_reason or codes.REGISTRY_NOT_CONFIGURED)
        remaining = self.client.rate_limit_remaining()
        if remaining > 0:
            return _no_search(codes.REGISTRY_RATE_LIMITED, retry_after=remaining)
        gate = self.breaker.before_request()
        if gate is Gate.REJECT:
            return _no_search(codes.REGISTRY_CIRCUIT_OPEN)
        try:
            reply = self._ask_search(query)
        except RegistryFailure as failure:
            return _no_search(failure.reason, retry_after=failure.retry_after)
        finally:
            if gate is Gate.PROBE:  # half-open: this search was the probe
                self.breaker.release_probe()
        return _found(reply)

    def _ask_search(self, query: DocumentQuery) -> SearchReply:
        client = self.client
        assert client is not None
        reply = self._breaker_call(lambda: client.search_policy(query), f"search by {query.kind}")
        if reply.record is not None:
            self._remember(PolicyReply(reply.record, reply.received_at, reply.server_date))
        self.breaker.record_success()
        return reply

    def sync_worker(
        self,
        interval: float,
        *,
        first_delay: float,
        on_result: Callable[[object], None],
        on_failure: Callable[[BaseException], None],
    ) -> Worker | None:
        """The offline copy's sync (desk_app.registry.sync), sharing this source's client so both
        respect the same 429 back-off; None without a registry or a copy."""
        if self.client is None or self.store is None:
            return None
        from desk_app.registry.sync import SyncScheduler

        return SyncScheduler(self.client, self.store, interval, first_delay=first_delay, on_result=on_result,
                             on_failure=on_failure)  # fmt: skip

    def close(self) -> None:
        for thread in self._probe_threads:
            thread.join(timeout=(self.client.timeout if self.client else 0) + 1)
        if self.client is not None:
            self.client.close()
        if self.store is not None:
            self.store.close()

    # Asking ---------------------------------------------------------------------------
    def _ask(self, enp: str) -> PolicyReply:
        client = self.client
        assert client is not None
        reply = self._breaker_call(lambda: client.get_policy(enp), f"lookup for {mask_enp(enp)}")
        self._remember(reply)  # first: once the breaker reads closed, the answer is in the copy
        self.breaker.record_success()
        return reply

    def _breaker_call(self, call: Callable[[], _Reply], what: str) -> _Reply:
        """One request, its failure counted by the circuit breaker (a refusal that proves the
        registry alive counts as a success); any other error becomes REGISTRY_ERROR. The caller
        records the success once it has kept the answer."""
        try:
            return call()
        except RegistryFailure as failure:
            if failure.reason in _BREAKER_FAILURES:
                self.breaker.record_failure()
            else:
                self.breaker.record_success()
            log.warning("registry %s failed: %s", what, failure.reason)
            raise
        except Exception:
            self.breaker.record_failure()
            log.exception("registry %s failed unexpectedly", what)
            raise RegistryFailure(codes.REGISTRY_ERROR, "unexpected client error") from None

    def _start_probe(self, enp: str) -> None:
        def probe() -> None:
            try:
                self._ask(enp)
                log.info("registry is answering again; circuit closed")
            except RegistryFailure:
                pass
            finally:
                self.breaker.release_probe()

        self._probe_threads = [t for t in self._probe_threads if t.is_alive()]
        thread = threading.Thread(target=probe, name="registry-probe", daemon=True)
        self._probe_threads.append(thread)
        thread.start()

    def _remember(self, reply: PolicyReply) -> None:
        if self.store is None:
            return
        try:
            self.store.put_answer(reply.record, reply.received_at)
        except (sqlite3.Error, StoreError) as exc:
            log.error("could not store the registry answer in the offline copy: %s", exc)

    # Answers --------------------------------------------------------------------------
    @staticmethod
    def _online(reply: PolicyReply) -> StatusAnswer:
        record = reply.record
        return StatusAnswer(
            status=record.status,  # type: ignore[arg-type]
            source="online",
            as_of=reply.received_at,
            birth_date=parse_date(record.birth_date),
            valid_to=parse_date(record.valid_to),
            insurer_code=record.insurer_code,
            reason_text=record.reason,
            server_date=reply.server_date,
            received_at=reply.received_at,
        )

    def _from_copy(self, enp: str, reason: str) -> StatusAnswer:
        entry = self._cached(enp)
        if entry is None:
            return StatusAnswer(status="unknown", source="none", reasons=(reason,))
        return StatusAnswer(
            status=entry.status,  # type: ignore[arg-type]
            source="cache",
            as_of=entry.received_at,
            reasons=(reason,),
            birth_date=parse_date(entry.birth_date),
            valid_to=parse_date(entry.valid_to),
            insurer_code=entry.insurer_code,
            reason_text=entry.reason,
            received_at=entry.received_at,
        )

    def _cached(self, enp: str) -> CachedEntry | None:
        if self.store is None:
            return None
        try:
            return self.store.get(enp)
        except (sqlite3.Error, StoreError, ValueError) as exc:
            log.error("the offline copy could not be read: %s", exc)
            return None


def _no_search(reason: str, *, retry_after: float | None = None) -> SearchAnswer:
    return SearchAnswer(StatusAnswer(status="unknown", source="none", reasons=(reason,)), retry_after=retry_after)


def _found(reply: SearchReply) -> SearchAnswer:
    if reply.record is None:  # 404: nobody has that document with that birth date
        return SearchAnswer(StatusAnswer(status="not_found", source="online", as_of=reply.received_at,
                                         server_date=reply.server_date, received_at=reply.received_at))  # fmt: skip
    holder = reply.holder
    return SearchAnswer(
        RegistryStatusSource._online(PolicyReply(reply.record, reply.received_at, reply.server_date)),
        enp=reply.record.enp,
        last_name=holder.last_name if holder else None,
        first_name=holder.first_name if holder else None,
        middle_name=holder.middle_name if holder else None,
        sex=holder.sex if holder else None,
    )


def open_store(settings: Settings, *, create: bool) -> StatusStore | None:
    """The offline copy of these settings; None if it cannot be opened (or is absent and not wanted)."""
    path = settings.status_db_path
    if not create and not path.exists():
        return None
    try:
        return StatusStore(path)
    except StoreError as exc:
        log.error("%s", exc)
        return None


def build_status_source(settings: Settings) -> RegistryStatusSource:
    """The status source the judge uses for these settings."""
    if settings.offline:
        return RegistryStatusSource(None, open_store(settings, create=False), fallback_reason=codes.OFFLINE_MODE)
    if not settings.registry_url:
        return RegistryStatusSource(
            None, open_store(settings, create=False), fallback_reason=codes.REGISTRY_NOT_CONFIGURED
        )
    return RegistryStatusSource(RegistryClient.from_settings(settings), open_store(settings, create=True))
