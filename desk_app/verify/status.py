"""What the verification core needs from the registry: one status answer per policy number.

The registry package implements `StatusSource`; the core only consumes `StatusAnswer`s, so it
can be tested and run with no registry at all (status `unknown`, source `none`).

`StatusSource` is the whole contract of a registry backend: a new backend is one module with
one class that answers `lookup`, offers the background keeper of its offline copy (or None)
through `sync_worker`, and releases its connections in `close`. Nothing outside the backend
reaches into its client or its store.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from desk_app.verify.documents import DocumentQuery
from desk_app.verify.verdict import Status, StatusSourceName
from desk_app.worker import Worker


@dataclass(frozen=True)
class StatusAnswer:
    status: Status
    source: StatusSourceName
    as_of: datetime | None = None  # when the status was true: registry updated_at / receipt time
    reasons: tuple[str, ...] = ()  # e.g. registry_unreachable, status_cache_old, registry_auth_failed
    birth_date: date | None = None  # the registry's birth date for this ENP, when it gave one
    valid_to: date | None = None
    insurer_code: str | None = None
    reason_text: str | None = None  # free text the registry gave for `suspended`
    server_date: datetime | None = None  # the registry's Date header (online answers only)
    received_at: datetime | None = None  # when this desk received the answer (cache answers)


@dataclass(frozen=True)
class SearchAnswer:
    """The registry's answer to a search by document (registry-api.md, search).

    `answer.status` is the policy's status when one was found, `not_found` for the registry's
    404, and `unknown` (with the reason) when the registry gave no answer. A search is made only
    online: it is never answered from the offline copy, which holds no documents.
    """

    answer: StatusAnswer
    enp: str | None = None
    last_name: str | None = None
    first_name: str | None = None
    middle_name: str | None = None
    sex: str | None = None
    retry_after: float | None = None  # seconds to wait, after the registry's 429

    @property
    def asked(self) -> bool:
        """The registry was asked and answered (found or not found)."""
        return self.answer.source == "online"


NO_REGISTRY = StatusAnswer(status="unknown", source="none", reasons=("registry_not_configured",))


class StatusSource(Protocol):
    """A registry backend, whole: what the judge asks (`lookup`, `search`), what keeps its
    offline copy (`sync_worker`) and its end (`close`). A new backend is one class with these."""

    def lookup(self, enp: str) -> StatusAnswer:
        """Answer within the configured time limit; never raise for network or server faults."""
        ...

    def search(self, query: DocumentQuery) -> SearchAnswer:
        """Search by document within the time limit; never raise for network or server faults."""
        ...

    def sync_worker(
        self,
        interval: float,
        *,
        first_delay: float,
        on_result: Callable[[object], None],
        on_failure: Callable[[BaseException], None],
    ) -> Worker | None:
        """The backend's background keeper of its offline copy, not yet started (None: it keeps
        none). `on_result` hears each run's outcome (an Exception when the registry did not
        answer); `on_failure` hears the worker's thread stopping on an error."""
        ...

    def close(self) -> None:
        """Release connections and threads (the judge is being replaced or the desk closes)."""
        ...

