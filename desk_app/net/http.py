"""The one HTTP session factory (registry, trust downloads, doctor) and the overall deadline.

    session = make_session(ca_bundle=settings.registry_ca_bundle)
    reply = fetch(session, url, deadline=time.monotonic() + 3, max_body=64 * 1024, token=token)

What every session made here does:
- TLS is verified against the configured CA bundle, else the operating system's store
  (truststore), else certifi's bundle. Verification is never switched off.
- No proxy variables or .netrc are read (`trust_env = False`): the URL is what is asked.
- Redirects are never followed (`get_redirect_target` returns None whatever a caller asks), so
  credentials never travel to another host or over plain http; `fetch` turns a 3xx into
  `HttpFailure("redirect", ...)` naming the Location, so the configuration can be corrected.
- Before each request is sent, its URL is checked again (desk_app.net.urls), and a request
  carrying `Authorization` is refused unless it goes over https or to loopback.
- A plain-http connection must reach loopback *as connected*, not only as named: `localhost`
  that a hosts file or resolver points elsewhere is closed before anything is sent.
- No retries inside urllib3 (`max_retries=0`): callers decide.

The overall deadline (`fetch`): the whole exchange (DNS, connect, TLS, request, status line,
headers and body) runs on a daemon thread, and the caller waits for it no longer than the
deadline. At the deadline a watchdog shuts the exchange's socket down, so a server that sends
its headers or body one byte a second cannot keep the thread (and so the process) alive: a
per-read timeout alone restarts with every byte. Daemon threads never hold the process at exit.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import socket
import ssl
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import requests
import urllib3.exceptions
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from desk_app import __version__
from desk_app.net.urls import UnsafeUrl, check_url

log = logging.getLogger(__name__)
T = TypeVar("T")

READ_CHUNK = 64 * 1024
CANCEL_POLL = 0.05  # how soon a cancelled exchange is noticed
USER_AGENT = f"desk-app/{__version__}"


class HttpFailure(Exception):
    """No usable answer. `kind`: timeout, tls, connect, dropped, redirect, too_large, refused_url, broken,
    cancelled."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail


@dataclass(frozen=True)
class Reply:
    status: int
    headers: requests.structures.CaseInsensitiveDict[str]
    body: bytes


class _MaskEnpFilter(logging.Filter):
    """urllib3 logs request lines at DEBUG; keep full policy numbers out of any log, however set up."""

    _enp = re.compile(r"\d{16}")

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = self._enp.sub(lambda m: m.group()[:4] + "*" * 10 + m.group()[-2:], message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


logging.getLogger("urllib3.connectionpool").addFilter(_MaskEnpFilter())


# --- the watchdog ----------------------------------------------------------------------------

_current = threading.local()


class _Watch:
    """Sockets of the exchange running on this thread; all shut down when the deadline passes."""

    def __init__(self, seconds: float) -> None:
        self._lock = threading.Lock()
        self._socks: list[socket.socket] = []
        self.expired = False
        self._timer = threading.Timer(max(0.0, seconds), self.expire)
        self._timer.daemon = True

    def __enter__(self) -> _Watch:
        _current.watch = self
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()
        _current.watch = None
        with self._lock:
            socks, self._socks = self._socks, []
        for sock in socks:
            sock.close()

    def add(self, sock: socket.socket) -> None:
        """Keep a duplicate of `sock`'s descriptor: it stays valid when TLS wraps (detaches) the original."""
        try:
            dup = socket.fromfd(sock.fileno(), sock.family, sock.type)
        except OSError:
            return
        with self._lock:
            self._socks.append(dup)
            late = self.expired
        if late:
            _shutdown(dup)

    def expire(self) -> None:
        """Shut every socket of the exchange down now (the deadline passed, or the caller cancelled)."""
        with self._lock:
            self.expired = True
            socks = list(self._socks)
        for sock in socks:
            _shutdown(sock)


def _shutdown(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)  # wakes a blocked recv/handshake on this socket at once
    except OSError:
        pass


def _watch_socket(sock: socket.socket | None) -> None:
    watch: _Watch | None = getattr(_current, "watch", None)
    if watch is not None and sock is not None:
        watch.add(sock)


def peer_is_loopback(sock: socket.socket) -> bool:
    """The connected peer is this computer (127.0.0.0/8, ::1, or IPv4-mapped 127.x).

    Raises HttpFailure("dropped") when the socket has no peer any more: a connection reset as it
    opened (a server shutting down) is a dropped connection, not one that reached another computer.
    """
    try:
        peer = sock.getpeername()
    except OSError as exc:
        raise HttpFailure("dropped", f"the connection closed as it opened ({exc.strerror or exc})") from None
    try:
        address = ipaddress.ip_address(peer[0])
    except (ValueError, IndexError, TypeError):
        return False  # not an IP peer at all: not this computer as far as plain http is concerned
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback


class _WatchedHTTPConnection(HTTPConnection):
    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        try:
            here = peer_is_loopback(sock)
        except HttpFailure:
            sock.close()
            raise
        # Plain http is allowed only to loopback (urls.py), but a name such as `localhost` is
        # resolved by the clinic PC's hosts file or DNS: whatever it resolved to, a plain
        # connection that reached another computer is closed before a byte (or a token) is sent.
        if not here:
            sock.close()
            raise HttpFailure("refused_url", f"plain http to {self.host} reached another computer, not this one")
        _watch_socket(sock)
        return sock

    def request(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        _watch_socket(self.sock)  # a reused keep-alive connection
        super().request(*args, **kwargs)


class _WatchedHTTPSConnection(HTTPSConnection):
    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        _watch_socket(sock)
        return sock

    def request(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        _watch_socket(self.sock)
        super().request(*args, **kwargs)


class _WatchedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


# --- the session -----------------------------------------------------------------------------


class _Adapter(HTTPAdapter):
    def __init__(self, ssl_context: ssl.SSLContext | None, pool_maxsize: int) -> None:
        self._ssl_context = ssl_context
        super().__init__(pool_connections=1, pool_maxsize=pool_maxsize, max_retries=0)

    def init_poolmanager(self, connections: int, maxsize: int, block: bool = False, **kwargs: Any) -> None:
        if self._ssl_context is not None:
            kwargs["ssl_context"] = self._ssl_context
        super().init_poolmanager(connections, maxsize, block, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _WatchedHTTPPool, "https": _WatchedHTTPSPool}


class GuardedHttpSession(requests.Session):
    """A requests session that follows no redirect and sends a token only where it may go."""

    def get_redirect_target(self, resp: requests.Response) -> None:  # type: ignore[override]
        return None  # never follow: a redirect could carry the Authorization header elsewhere

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        url = request.url or ""
        try:
            checked = check_url(url.split("?", 1)[0])
        except UnsafeUrl as exc:
            raise HttpFailure("refused_url", f"refused to ask {_safe(url)}: {exc}") from None
        if "Authorization" in request.headers and not checked.may_carry_credentials:
            raise HttpFailure("refused_url", "a token is never sent over plain http off this computer")
        kwargs["allow_redirects"] = False
        return super().send(request, **kwargs)


def _system_context() -> ssl.SSLContext | None:
    try:
        import truststore
    except ImportError:
        return None  # requests then verifies against certifi's bundle
    return truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


def make_session(*, ca_bundle: str = "", pool_maxsize: int = 4, headers: Mapping[str, str] | None = None
                 ) -> GuardedHttpSession:  # fmt: skip
    """A session verifying TLS against `ca_bundle` if given, else the system store."""
    session = GuardedHttpSession()
    session.trust_env = False
    session.max_redirects = 0
    # Bodies are read raw and never decoded (so no decompression bomb): never invite gzip/deflate.
    session.headers.update({"User-Agent": USER_AGENT, "Accept-Encoding": "identity", **(headers or {})})
    if ca_bundle:
        session.verify = ca_bundle
        https = _Adapter(None, pool_maxsize)
    else:
        https = _Adapter(_system_context(), pool_maxsize)
    session.mount("https://", https)
    session.mount("http://", _Adapter(None, pool_maxsize))
    return session


# --- one exchange under a deadline -----------------------------------------------------------


def run_before(deadline: float, call: Callable[[], T], *, clock: Callable[[], float] = time.monotonic,
               name: str = "desk-http", cancel: threading.Event | None = None,
               on_cancel: Callable[[], None] | None = None) -> T:  # fmt: skip
    """Run `call` on a daemon thread; its result, its exception, or HttpFailure("timeout") at `deadline`.

    When `cancel` is set before that, `on_cancel()` runs (to cut the exchange short) and
    HttpFailure("cancelled") is raised within CANCEL_POLL seconds.
    """
    done = threading.Event()
    box: dict[str, Any] = {}

    def work() -> None:
        try:
            box["value"] = call()
        except BaseException as exc:  # handed to the caller
            box["error"] = exc
        finally:
            done.set()

    threading.Thread(target=work, name=name, daemon=True).start()
    if not _wait_done(done, max(0.0, deadline - clock()), cancel):
        if cancel is not None and cancel.is_set():
            if on_cancel is not None:
                on_cancel()
            raise HttpFailure("cancelled", "the request was cancelled")
        raise HttpFailure("timeout", "no complete answer in time")
    if "error" in box:
        raise box["error"]
    return box["value"]


def _wait_done(done: threading.Event, seconds: float, cancel: threading.Event | None) -> bool:
    """Wait up to `seconds` for `done`; False at the limit or, polled, once `cancel` is set."""
    if cancel is None:
        return done.wait(seconds)
    end = time.monotonic() + seconds
    while not cancel.is_set():
        left = end - time.monotonic()
        if left <= 0:
            return done.is_set()
        if done.wait(min(CANCEL_POLL, left)):
            return True
    return done.is_set()


def fetch(
    session: requests.Session,
    url: str,
    *,
    deadline: float,
    max_body: int,
    connect_timeout: float = 3.0,
    params: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
    token: str = "",
    clock: Callable[[], float] = time.monotonic,
    on_headers: Callable[[requests.Response], None] | None = None,
    method: str = "GET",
    json_body: bytes | None = None,
    cancel: threading.Event | None = None,
) -> Reply:
    """GET `url` (or POST `json_body` as JSON); the whole exchange (headers and body) ends by
    `deadline` (a `clock()` value).

    Raises HttpFailure. A 3xx is a failure ("redirect"); other statuses are returned.
    `on_headers` sees the response before its body is read (e.g. to note a 429's Retry-After).
    `cancel`: once set, the exchange's socket is shut down and HttpFailure("cancelled") raised.
    """
    sent_headers = dict(headers or {})
    if token:
        sent_headers["Authorization"] = f"Bearer {token}"
    if json_body is not None:
        sent_headers["Content-Type"] = "application/json; charset=utf-8"

    watches: list[_Watch] = []

    def exchange() -> Reply:
        remaining = deadline - clock()
        if remaining <= 0:
            raise HttpFailure("timeout", "out of time before asking")
        with _Watch(remaining) as watch:
            watches.append(watch)
            if cancel is not None and cancel.is_set():
                raise HttpFailure("cancelled", "the request was cancelled")
            try:
                response = session.request(
                    method, url, params=params, data=json_body, headers=sent_headers, stream=True,
                    allow_redirects=False,
                    timeout=(min(connect_timeout, remaining), remaining),
                )  # fmt: skip
            except requests.exceptions.SSLError as exc:
                raise HttpFailure("tls", _first_line(exc)) from None
            except requests.exceptions.Timeout:
                raise HttpFailure("timeout", "no answer in time") from None
            except requests.exceptions.ConnectionError as exc:
                if watch.expired:
                    raise HttpFailure("timeout", "the answer's headers arrived too slowly") from None
                dropped = bool(exc.args) and isinstance(exc.args[0], urllib3.exceptions.ProtocolError)
                raise HttpFailure("dropped" if dropped else "connect", _first_line(exc)) from None
            except requests.exceptions.RequestException as exc:
                raise HttpFailure("broken", _first_line(exc)) from None
            with response:
                if 300 <= response.status_code < 400:
                    where = response.headers.get("Location", "")
                    raise HttpFailure("redirect", f"HTTP {response.status_code} to {_safe(where)} (not followed)")
                if on_headers is not None:
                    on_headers(response)
                body = _read_body(response, deadline, max_body, clock, watch)
                return Reply(response.status_code, response.headers, body)

    def cut_short() -> None:
        for watch in list(watches):
            watch.expire()

    return run_before(deadline, exchange, clock=clock, cancel=cancel, on_cancel=cut_short)


def _read_body(response: requests.Response, deadline: float, max_body: int, clock: Callable[[], float],
               watch: _Watch) -> bytes:  # fmt: skip
    chunks: list[bytes] = []
    size = 0
    try:
        while True:
            if clock() > deadline or watch.expired:
                raise HttpFailure("timeout", "the answer arrived too slowly")
            chunk = response.raw.read1(READ_CHUNK)
            if not chunk:
                break
            size += len(chunk)
            if size > max_body:
                raise HttpFailure("too_large", f"answer larger than {max_body} bytes")
            chunks.append(chunk)
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        if watch.expired or isinstance(exc, urllib3.exceptions.ReadTimeoutError | TimeoutError):
            raise HttpFailure("timeout", "the answer stopped arriving") from None
        raise HttpFailure("broken", "the connection broke mid-answer") from None
    if watch.expired:  # the watchdog cut the body short: what we have is not the whole answer
        raise HttpFailure("timeout", "the answer arrived too slowly")
    return b"".join(chunks)


def _first_line(exc: BaseException) -> str:
    text = str(exc)
    return text.splitlines()[0][:200] if text else type(exc).__name__


def _safe(url: str) -> str:
    """A URL for a message: no userinfo, no query, printable, short."""
    head = url.split("?", 1)[0].split("#", 1)[0]
    if "@" in head:
        scheme, _, rest = head.partition("://")
        head = f"{scheme}://***@{rest.rsplit('@', 1)[-1]}"
    return "".join(c if c.isprintable() else "?" for c in head)[:200]
