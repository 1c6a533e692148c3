"""HTTP client of the registry (spec/registry-api.md) with a hard overall deadline.

Each call runs on a small worker pool and the caller waits at most `timeout` seconds for it,
so neither a hanging server nor one that trickles its answer byte by byte can stretch a
verdict. The worker itself also checks the clock between reads and gives up. Failures are
raised as `RegistryFailure` carrying the verdict's reason code.
"""

from __future__ import annotations

import concurrent.futures
import email.utils
import json
import logging
import re
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import quote

import requests
import urllib3.exceptions
from requests.adapters import HTTPAdapter

from desk_app import __version__
from desk_app.config import Settings
from desk_app.registry.records import RecordError, RegistryRecord, not_found_record, parse_record
from desk_app.verify import verdict as codes
from desk_app.verify.numbers import mask_enp

log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_POLICY_BODY = 64 * 1024
MAX_PAGE_BODY = 32 * 1024 * 1024
DEFAULT_RETRY_AFTER = 30.0
MAX_RETRY_AFTER = 3600.0
PAGE_TIMEOUT = 60.0  # bulk sync pages run in the background; a page may take longer than a scan
_READ_CHUNK = 64 * 1024


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
class ChangesPage:
    items: list[RegistryRecord]
    next_cursor: str | None
    received_at: datetime


class _MaskEnpFilter(logging.Filter):
    """urllib3 logs request lines at DEBUG; keep full policy numbers out of the log."""

    _enp = re.compile(r"\d{16}")

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = self._enp.sub(lambda m: mask_enp(m.group()), message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


logging.getLogger("urllib3.connectionpool").addFilter(_MaskEnpFilter())


class _TruststoreAdapter(HTTPAdapter):
    """Verify TLS against the operating system's store (clinic proxies' CAs live there)."""

    def init_poolmanager(self, connections: int, maxsize: int, block: bool = False, **kwargs: Any) -> None:
        import truststore

        kwargs["ssl_context"] = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        super().init_poolmanager(connections, maxsize, block, **kwargs)


def _truststore_available() -> bool:
    try:
        import truststore  # noqa: F401
    except ImportError:
        return False
    return True


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
        self.base_url = base_url.rstrip("/")
        self.connect_timeout = connect_timeout
        self.timeout = timeout
        self._token = token
        self._clock = clock
        self._session = requests.Session()
        self._session.trust_env = False  # no proxy or .netrc surprises; the URL is what is asked
        self._session.headers.update(
            {"X-Desk-Id": desk_id, "Accept": "application/json", "User-Agent": f"desk-app/{__version__}"}
        )
        if ca_bundle:
            self._session.verify = ca_bundle
            adapter: HTTPAdapter = HTTPAdapter(pool_connections=1, pool_maxsize=workers, max_retries=0)
        elif _truststore_available():
            adapter = _TruststoreAdapter(pool_connections=1, pool_maxsize=workers, max_retries=0)
        else:
            adapter = HTTPAdapter(pool_connections=1, pool_maxsize=workers, max_retries=0)
        self._session.mount("https://", adapter)
        self._session.mount("http://", HTTPAdapter(pool_connections=1, pool_maxsize=workers, max_retries=0))
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=workers, thread_name_prefix="registry-http")
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
        self._pool.shutdown(wait=False, cancel_futures=True)
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

    def get_changes(
        self, updated_since: str | None, cursor: str | None, limit: int, *, timeout: float = PAGE_TIMEOUT
    ) -> ChangesPage:
        """One page of the bulk changes feed."""
        return self._with_deadline(
            timeout, lambda deadline: self._fetch_changes(updated_since, cursor, limit, deadline)
        )

    def _with_deadline(self, timeout: float, call: Callable[[float], T]) -> T:
        self._check_gate()
        if not self._token:
            raise RegistryFailure(codes.REGISTRY_AUTH_FAILED, "no registry token is configured")
        deadline = self._clock() + timeout
        try:
            future = self._pool.submit(call, deadline)
        except RuntimeError:  # the client was closed
            raise RegistryFailure(codes.REGISTRY_UNREACHABLE, "the registry client is closed") from None
        try:
            return future.result(timeout=max(0.0, deadline - self._clock()))
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise RegistryFailure(codes.REGISTRY_TIMEOUT, f"no complete answer within {timeout:g} s") from None

    def _fetch_policy(self, enp: str, deadline: float) -> PolicyReply:
        status, headers, body = self._request(f"/v1/policies/{quote(enp, safe='')}", None, deadline, MAX_POLICY_BODY)
        received = datetime.now(UTC)
        server_date = parse_http_date(headers.get("Date"))
        if status == 404:
            data = _json(body)
            if not isinstance(data, dict) or data.get("status") != "not_found":
                raise RegistryFailure(codes.REGISTRY_BAD_RESPONSE, "404 without a not_found answer (wrong URL?)")
            return PolicyReply(not_found_record(enp), received, server_date)
        if status != 200:
            raise _status_failure(status, enp)
        try:
            record = parse_record(_json(body), expected_enp=enp)
        except RecordError as exc:
            raise RegistryFailure(codes.REGISTRY_BAD_RESPONSE, f"answer does not follow the contract: {exc}") from None
        return PolicyReply(record, received, server_date)

    def _fetch_changes(self, updated_since: str | None, cursor: str | None, limit: int, deadline: float) -> ChangesPage:
        params: dict[str, str] = {"limit": str(limit)}
        if updated_since:
            params["updated_since"] = updated_since
        if cursor:
            params["cursor"] = cursor
        status, _headers, body = self._request("/v1/policies", params, deadline, MAX_PAGE_BODY)
        received = datetime.now(UTC)
        if status != 200:
            raise _status_failure(status, None)
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
        self, path: str, params: dict[str, str] | None, deadline: float, max_body: int
    ) -> tuple[int, requests.structures.CaseInsensitiveDict[str], bytes]:
        """GET with the deadline; retries once only a dropped connection, and only early on."""
        url = self.base_url + path
        headers = {"Authorization": f"Bearer {self._token}"}
        for attempt in (1, 2):
            remaining = deadline - self._clock()
            if remaining <= 0:
                raise RegistryFailure(codes.REGISTRY_TIMEOUT, "out of time before asking")
            try:
                response = self._session.get(
                    url,
                    params=params,
                    headers=headers,
                    timeout=(min(self.connect_timeout, remaining), remaining),
                    stream=True,
                    allow_redirects=False,
                )
            except requests.exceptions.SSLError as exc:
                log.error("registry TLS verification failed for %s: %s", self.base_url, _short(exc))
                raise RegistryFailure(codes.REGISTRY_UNREACHABLE, "TLS verification failed") from None
            except requests.exceptions.Timeout:
                raise RegistryFailure(codes.REGISTRY_TIMEOUT, "the registry did not answer in time") from None
            except requests.exceptions.ConnectionError as exc:
                dropped = bool(exc.args) and isinstance(exc.args[0], urllib3.exceptions.ProtocolError)
                # A dropped keep-alive connection is worth one more try if most of the time is left.
                if dropped and attempt == 1 and deadline - self._clock() > self.timeout / 2:
                    continue
                what = "the connection was dropped" if dropped else "cannot connect"
                raise RegistryFailure(codes.REGISTRY_UNREACHABLE, what) from None
            except requests.exceptions.RequestException as exc:
                raise RegistryFailure(codes.REGISTRY_UNREACHABLE, _short(exc)) from None
            with response:
                body = self._read_body(response, deadline, max_body)
                return response.status_code, response.headers, body
        raise AssertionError("unreachable")

    def _read_body(self, response: requests.Response, deadline: float, max_body: int) -> bytes:
        if response.status_code == 429:
            self._block_for(_retry_after_seconds(response.headers.get("Retry-After")))
        chunks: list[bytes] = []
        size = 0
        try:
            while True:
                if self._clock() > deadline:
                    raise RegistryFailure(codes.REGISTRY_TIMEOUT, "the answer arrived too slowly")
                chunk = response.raw.read1(_READ_CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > max_body:
                    raise RegistryFailure(codes.REGISTRY_BAD_RESPONSE, f"answer larger than {max_body} bytes")
                chunks.append(chunk)
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            if isinstance(exc, urllib3.exceptions.ReadTimeoutError | TimeoutError):
                raise RegistryFailure(codes.REGISTRY_TIMEOUT, "the answer stopped arriving") from None
            raise RegistryFailure(codes.REGISTRY_UNREACHABLE, "the connection broke mid-answer") from None
        return b"".join(chunks)


def _status_failure(status: int, enp: str | None) -> RegistryFailure:
    what = f" for {mask_enp(enp)}" if enp else ""
    if status in (401, 403):
        log.error("registry refused the token (HTTP %d): check registry.token", status)
        return RegistryFailure(
            codes.REGISTRY_AUTH_FAILED, f"HTTP {status}: the registry refused the token", http_status=status
        )
    if status == 429:
        return RegistryFailure(codes.REGISTRY_RATE_LIMITED, "HTTP 429: too many requests", http_status=status)
    if status >= 500:
        return RegistryFailure(codes.REGISTRY_ERROR, f"HTTP {status}: the registry is unavailable", http_status=status)
    log.warning("registry answered HTTP %d%s", status, what)
    return RegistryFailure(codes.REGISTRY_BAD_RESPONSE, f"unexpected HTTP {status}", http_status=status)


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise RegistryFailure(codes.REGISTRY_BAD_RESPONSE, "the answer is not valid JSON") from None


def parse_http_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


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


def _short(exc: BaseException) -> str:
    return str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
