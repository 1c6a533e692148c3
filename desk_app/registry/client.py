"""HTTP client of the registry (spec/registry-api.md) with a hard overall deadline.

Each call goes through desk_app.net.http.fetch: the whole exchange (connect, status line,
headers, body) ends by the deadline, on a daemon thread whose socket is shut down when the
deadline passes, so neither a hanging server nor one that trickles its headers or body byte by
byte can stretch a verdict or keep the process from exiting. Redirects are never followed and
the token goes only over https or to loopback. Failures are raised as `RegistryFailure`
carrying the verdict's reason code.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import quote

import requests

from desk_app.config import Settings
from desk_app.net.http import HttpFailure, fetch, make_session
from desk_app.net.urls import UnsafeUrl, check_url
from desk_app.registry.records import (
    Holder,
    RecordError,
    RegistryRecord,
    not_found_record,
    parse_holder,
    parse_record,
)
from desk_app.verify import verdict as codes
from desk_app.verify.documents import DocumentQuery
from desk_app.verify.numbers import mask_enp

log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_POLICY_BODY = 64 * 1024
MAX_PAGE_BODY = 32 * 1024 * 1024
DEFAULT_RETRY_AFTER = 30.0
MAX_RETRY_AFTER = 3600.0
PAGE_TIMEOUT = 60.0  # bulk sync pages run in the background; a page may take longer than a scan


class RegistryFailure(Exception):
    """The registry gave no usable answer; `reason` is the verdict's reason code."""

    def __init__(
        self, reason: str, detail: str, *, retry_after: float | None = None, http_status: int | None = None
    ) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail
        self.retry_after = retry_after
        self.http_status = http_status


@dataclass(frozen=True)
class PolicyReply:
    record: RegistryRecord  # status "not_found" for a 404
    received_at: datetime
    server_date: datetime | None


@dataclass(frozen=True)
class SearchReply:
    """The answer to a search by document: the policy and its holder, or None for a 404."""

    record: RegistryRecord | None
    holder: Holder | None
    received_at: datetime
    server_date: datetime | None


@dataclass(frozen=True)
class ChangesPage:
    items: list[RegistryRecord]
    next_cursor: str | None
    received_at: datetime


class RegistryClient:
    def __init__(
        self,
        base_url: str,
        token: str,
        desk_id: str,
        *,
        ca_bundle: str = "",
        connect_timeout: float = 1.5,
        timeout: float = 3.0,
        workers: int = 4,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        try:
            self.base_url = check_url(base_url).url
        except UnsafeUrl as exc:
            raise ValueError(f"registry URL {base_url!r} {exc}") from None
        self.connect_timeout = connect_timeout
        self.timeout = timeout
        self._token = token
        self._clock = clock
        self._session = make_session(
            ca_bundle=ca_bundle, pool_maxsize=workers, headers={"X-Desk-Id": desk_id, "Accept": "application/json"}
        )
        self._closed = False
        self._date_warned = False
        self._gate_lock = threading.Lock()
        self._blocked_until = 0.0

    @classmethod
    def from_settings(cls, settings: Settings) -> RegistryClient:
        return cls(
            settings.registry_url,
            settings.registry_token,
            settings.desk_id,
            ca_bundle=settings.registry_ca_bundle,
            connect_timeout=settings.registry_connect_timeout,
            timeout=settings.registry_timeout,
        )

    def __repr__(self) -> str:  # never show the token
        return f"RegistryClient({self.base_url!r})"

    def close(self) -> None:
        self._closed = True
        self._session.close()

    # 429 gate -------------------------------------------------------------------------
    def rate_limit_remaining(self) -> float:
        """Seconds until the registry may be asked again after a 429 (0 when it may)."""
        with self._gate_lock:
            return max(0.0, self._blocked_until - self._clock())

    def _block_for(self, seconds: float) -> None:
        with self._gate_lock:
            self._blocked_until = max(self._blocked_until, self._clock() + seconds)

    def _check_gate(self) -> None:
        remaining = self.rate_limit_remaining()
        if remaining > 0:
            raise RegistryFailure(
                codes.REGISTRY_RATE_LIMITED, f"asked to wait {remaining:.0f} s more", retry_after=remaining
            )

    # Endpoints ------------------------------------------------------------------------
    def get_policy(self, enp: str) -> PolicyReply:
        """One policy's status; raises RegistryFailure; returns or raises within `timeout`."""
        return self._with_deadline(self.timeout, lambda deadline: self._fetch_policy(enp, deadline))

    def search_policy(self, query: DocumentQuery) -> SearchReply:
        """`POST /v1/policies/search`; raises RegistryFailure; returns or raises within `timeout`.
        The document is sent only in the request body, never in a URL or a log line."""
        return self._with_deadline(self.timeout, lambda deadline: self._fetch_search(query, deadline))

    def get_changes(
        self, updated_since: str | None, cursor: str | None, limit: int, *, timeout: float = PAGE_TIMEOUT,
        cancel: threading.Event | None = None,
    ) -> ChangesPage:
        """One page of the bulk changes feed; setting `cancel` ends the request at once (a stopped sync)."""
        return self._with_deadline(
            timeout, lambda deadline: self._fetch_changes(updated_since, cursor, limit, deadline, cancel)
        )

    def _with_deadline(self, timeout: float, call: Callable[[float], T]) -> T:
        self._check_gate()
        if not self._token:
            raise RegistryFailure(codes.REGISTRY_AUTH_FAILED, "no registry token is configured")
        if self._closed:
            raise RegistryFailure(codes.REGISTRY_UNREACHABLE, "the registry client is closed")
        return call(self._clock() + timeout)

    def _fetch_policy(self, enp: str, deadline: float) -> PolicyReply:
        status, headers, body = self._request(f"/v1/policies/{quote(enp, safe='')}", None, deadline, MAX_POLICY_BODY)
        received = datetime.now(UTC)
        server_date = parse_http_date(headers.get("Date"))
        if http_date_unreadable(headers.get("Date")) and not self._date_warned:
            self._date_warned = True
            log.warning("event=registry_date_unreadable: the registry's Date header is not an HTTP-date; "
                        "its clock cannot be compared with this PC's")  # fmt: skip
        if status == 404:
            data = _json(body)
            if not isinstance(data, dict) or data.get("status") != "not_found":
                raise RegistryFailure(codes.REGISTRY_BAD_RESPONSE, "404 without a not_found answer (wrong URL?)")
            return PolicyReply(not_found_record(enp), received, server_date)
        if status != 200:
            raise _status_failure(status, enp, self.rate_limit_remaining())
        try:
            record = parse_record(_json(body), expected_enp=enp)
        except RecordError as exc:
            raise RegistryFailure(codes.REGISTRY_BAD_RESPONSE, f"answer does not follow the contract: {exc}") from None
        return PolicyReply(record, received, server_date)

    def _fetch_search(self, query: DocumentQuery, deadline: float) -> SearchReply:
        body = json.dumps(query.request_body(), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        status, headers, answer = self._request(
            "/v1/policies/search", None, deadline, MAX_POLICY_BODY, method="POST", json_body=body
        )
        received = datetime.now(UTC)
        server_date = parse_http_date(headers.get("Date"))
        if status == 404:
            data = _json(answer)
            if not isinstance(data, dict) or data.get("status") != "not_found":
                raise RegistryFailure(codes.REGISTRY_BAD_RESPONSE, "404 without a not_found answer (wrong URL?)")
            return SearchReply(None, None, received, server_date)
        if status == 400:
            data = _json(answer)
            field = data.get("error") if isinstance(data, dict) and isinstance(data.get("error"), str) else "?"
            log.error("registry refused a %s search as malformed (field %.40s)", query.kind, field)
            raise RegistryFailure(codes.REGISTRY_BAD_RESPONSE, f"HTTP 400: the registry names field {field[:40]!r}",
                                  http_status=400)  # fmt: skip
        if status != 200:
            raise _status_failure(status, None, self.rate_limit_remaining())
        data = _json(answer)
        try:
            record = parse_record(data)
            holder = parse_holder(data.get("holder") if isinstance(data, dict) else None)
        except RecordError as exc:
            raise RegistryFailure(codes.REGISTRY_BAD_RESPONSE, f"answer does not follow the contract: {exc}") from None
        if record.birth_date is not None and record.birth_date != query.birth_date.isoformat():
            # the registry answers only when document and birth date belong together
            raise RegistryFailure(codes.REGISTRY_BAD_RESPONSE, "the answer is for another birth date")
        return SearchReply(record, holder, received, server_date)

    def _fetch_changes(
        self, updated_since: str | None, cursor: str | None, limit: int, deadline: float,
        cancel: threading.Event | None,
    ) -> ChangesPage:  # fmt: skip
        params: dict[str, str] = {"limit": str(limit)}
        if updated_since:
            params["updated_since"] = updated_since
        if cursor:
            params["cursor"] = cursor
        status, _headers, body = self._request("/v1/policies", params, deadline, MAX_PAGE_BODY, cancel=cancel)
        received = datetime.now(UTC)
        if status != 200:
            raise _status_failure(status, None, self.rate_limit_remaining())
        data = _json(body)
        if not isinstance(data, dict) or not isinstance(data.get("items"), list):
            raise RegistryFailure(codes.REGISTRY_BAD_RESPONSE, "a changes page without an 'items' list")
        next_cursor = data.get("next_cursor")
        if next_cursor is not None and (not isinstance(next_cursor, str) or not next_cursor):
            raise RegistryFailure(codes.REGISTRY_BAD_RESPONSE, "'next_cursor' must be a string or null")
        try:
            items = [parse_record(item) for item in data["items"]]
        except RecordError as exc:
            raise RegistryFailure(codes.REGISTRY_BAD_RESPONSE, f"a changes item breaks the contract: {exc}") from None
        return ChangesPage(items, next_cursor, received)

    # Transport ------------------------------------------------------------------------
    def _request(
        self, path: str, params: dict[str, str] | None, deadline: float, max_body: int, *, method: str = "GET",
        json_body: bytes | None = None, cancel: threading.Event | None = None,
    ) -> tuple[int, requests.structures.CaseInsensitiveDict[str], bytes]:
        """GET (or POST) with the overall deadline (headers and body); retries once only a dropped
        connection, early."""
        url = self.base_url + path
        for attempt in (1, 2):
            try:
                reply = fetch(
                    self._session, url, deadline=deadline, max_body=max_body, connect_timeout=self.connect_timeout,
                    params=params, token=self._token, clock=self._clock, on_headers=self._note_rate_limit,
                    method=method, json_body=json_body, cancel=cancel,
                )  # fmt: skip
            except HttpFailure as failure:
                # A dropped keep-alive connection is worth one more try if most of the time is left.
                if failure.kind == "dropped" and attempt == 1 and deadline - self._clock() > self.timeout / 2:
                    continue
                raise _transport_failure(failure, self.base_url) from None
            return reply.status, reply.headers, reply.body
        raise AssertionError("unreachable")

    def _note_rate_limit(self, response: requests.Response) -> None:
        if response.status_code == 429:
            self._block_for(_retry_after_seconds(response.headers.get("Retry-After")))


def _transport_failure(failure: HttpFailure, base_url: str) -> RegistryFailure:
    if failure.kind == "timeout":
        return RegistryFailure(codes.REGISTRY_TIMEOUT, f"the registry did not answer in time ({failure.detail})")
    if failure.kind == "tls":
        log.error("registry TLS verification failed for %s: %s", base_url, failure.detail)
        return RegistryFailure(codes.REGISTRY_UNREACHABLE, "TLS verification failed")
    if failure.kind == "redirect":
        log.error("registry at %s answered with a redirect, %s: set registry.url to the final address",
                  base_url, failure.detail)  # fmt: skip
        return RegistryFailure(codes.REGISTRY_BAD_RESPONSE, f"redirect refused: {failure.detail}")
    if failure.kind == "too_large":
        return RegistryFailure(codes.REGISTRY_BAD_RESPONSE, failure.detail)
    if failure.kind == "cancelled":
        return RegistryFailure(codes.REGISTRY_UNREACHABLE, "the request was cancelled")
    if failure.kind == "refused_url":
        log.error("registry request refused: %s", failure.detail)
        return RegistryFailure(codes.REGISTRY_UNREACHABLE, failure.detail)
    what = {"dropped": "the connection was dropped", "connect": "cannot connect"}.get(
        failure.kind, "the connection broke mid-answer"
    )
    return RegistryFailure(codes.REGISTRY_UNREACHABLE, what)


def _status_failure(status: int, enp: str | None, wait: float) -> RegistryFailure:
    """The failure for a non-200 answer; a 429 carries `wait`, what its Retry-After set on the gate."""
    what = f" for {mask_enp(enp)}" if enp else ""
    if status in (401, 403):
        log.error("registry refused the token (HTTP %d): check registry.token", status)
        return RegistryFailure(
            codes.REGISTRY_AUTH_FAILED, f"HTTP {status}: the registry refused the token", http_status=status
        )
    if status == 429:
        return RegistryFailure(
            codes.REGISTRY_RATE_LIMITED, "HTTP 429: too many requests", retry_after=wait, http_status=status
        )
    if status >= 500:
        return RegistryFailure(codes.REGISTRY_ERROR, f"HTTP {status}: the registry is unavailable", http_status=status)
    log.warning("registry answered HTTP %d%s", status, what)
    return RegistryFailure(codes.REGISTRY_BAD_RESPONSE, f"unexpected HTTP {status}", http_status=status)


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (ValueError, RecursionError):  # JSONDecodeError, bad UTF-8, a number past Python's
        # 4300-digit int limit, nesting deeper than the recursion limit: all a server's fault
        raise RegistryFailure(codes.REGISTRY_BAD_RESPONSE, "the answer is not valid JSON") from None


_MONTHS = {m: i for i, m in enumerate(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
                                        "Nov", "Dec"), start=1)}  # fmt: skip
_DAY = r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
_LONG_DAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MON = r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
_TIME = r"(\d\d):(\d\d):(\d\d)"
_HTTP_DATES = (  # (pattern, order of day, month, year in its groups)
    (re.compile(rf"{_DAY}, (\d\d) {_MON} (\d{{4}}) {_TIME} GMT"), "dmy"),  # IMF-fixdate
    (re.compile(rf"{_LONG_DAY}, (\d\d)-{_MON}-(\d\d) {_TIME} GMT"), "dmy"),  # RFC 850 (obsolete)
    (re.compile(rf"{_DAY} {_MON} +(\d{{1,2}}) {_TIME} (\d{{4}})"), "mdy"),  # asctime (obsolete)
)


def parse_http_date(value: str | None) -> datetime | None:
    """An HTTP-date (RFC 9110 section 5.6.7) as an aware UTC datetime; None when absent or not one.

    Strict and locale-free: email.utils would read "01 Jan 0001" as 2001 and accept any offset.
    A header that is not an HTTP-date is "unreadable", and callers say so (doctor: clock unknown).
    """
    if not value or len(value) > 64:
        return None
    text = value.strip()
    for pattern, order in _HTTP_DATES:
        m = pattern.fullmatch(text)
        if m is None:
            continue
        g = m.groups()
        if order == "dmy":
            day, month, year, hh, mm, ss = int(g[0]), _MONTHS[g[1]], int(g[2]), g[3], g[4], g[5]
            if len(g[2]) == 2:
                year += 2000 if year < 70 else 1900
        else:
            month, day, hh, mm, ss, year = _MONTHS[g[0]], int(g[1]), g[2], g[3], g[4], int(g[5])
        try:
            moment = datetime(year, month, day, int(hh), int(mm), int(ss), tzinfo=UTC)
        except ValueError:
            return None
        return moment if 1970 <= year <= 9998 else None
    return None


def http_date_unreadable(value: str | None) -> bool:
    """A Date header was sent but is not an HTTP-date (so the registry's clock is unknown)."""
    return bool(value) and parse_http_date(value) is None


def _retry_after_seconds(value: str | None) -> float:
    """Retry-After as seconds or an HTTP date; missing or nonsense => a default; capped."""
    seconds = DEFAULT_RETRY_AFTER
    if value:
        value = value.strip()
        if value.isdigit():
            seconds = float(value)
        else:
            moment = parse_http_date(value)
            if moment is not None:
                seconds = (moment - datetime.now(UTC)).total_seconds()
    return min(max(seconds, 1.0), MAX_RETRY_AFTER)
