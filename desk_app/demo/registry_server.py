"""Reference registry server: the whole contract of spec/registry-api.md on a real HTTP port.

For development, demos and tests only (stdlib `ThreadingHTTPServer`, its own SQLite file).
Faults (delay, 5xx, 429, dropped connections, malformed JSON, slow bodies, a wrong clock) can
be set at construction, with CLI flags, by `set_faults()` and through the loopback-only
`/_admin/faults` endpoint (GET shows, POST replaces; bearer token required).
"""

from __future__ import annotations

import base64
import binascii
import email.utils
import hmac
import json
import logging
import re
import socket
import sqlite3
import ssl
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from desk_app.demo.faults import NO_FAULTS, Faults, faults_from_mapping
from desk_app.registry.records import MAX_PAGE, RecordError, RegistryRecord, parse_record, timestamp_key
from desk_app.verify.documents import body_problem
from desk_app.verify.numbers import enp_is_valid, mask_enp

log = logging.getLogger(__name__)

DEFAULT_PAGE = 1000
_ENP_PATH = re.compile(r"/v1/policies/([^/]*)")
_SEARCH_PATH = "/v1/policies/search"
MAX_SEARCH_BODY = 4096
_DIGITS16 = re.compile(r"\d{16}")
_LOOPBACK = ("127.0.0.1", "::1", "localhost")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS policies (
  enp TEXT PRIMARY KEY, status TEXT NOT NULL, valid_to TEXT, insurer_code TEXT,
  birth_date TEXT, reason TEXT, updated_at TEXT NOT NULL, updated_key INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS policies_by_update ON policies (updated_key, enp);
CREATE TABLE IF NOT EXISTS holders (
  enp TEXT PRIMARY KEY, last_name TEXT NOT NULL, first_name TEXT NOT NULL, middle_name TEXT, sex TEXT
);
CREATE TABLE IF NOT EXISTS documents (kind TEXT NOT NULL, key TEXT NOT NULL, enp TEXT NOT NULL,
  PRIMARY KEY (kind, key));
"""
_COLUMNS = "enp, status, valid_to, insurer_code, birth_date, reason, updated_at, updated_key"


class RegistryDatabase:
    """The server's own SQLite file (one connection per handler thread)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._conns: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        conn = self._conn()
        conn.executescript(_SCHEMA)

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
            with self._lock:
                self._conns.append(conn)
        return conn

    def close(self) -> None:
        with self._lock:
            conns, self._conns = self._conns, []
        for conn in conns:
            conn.close()

    def put(self, records: Iterable[RegistryRecord]) -> int:
        """Insert or replace records in one transaction; returns how many were written."""
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            before = conn.total_changes
            conn.executemany(
                f"INSERT OR REPLACE INTO policies ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",  # noqa: S608
                (
                    (r.enp, r.status, r.valid_to, r.insurer_code, r.birth_date, r.reason, r.updated_at,
                     r.updated_key)
                    for r in records
                ),
            )
            written = conn.total_changes - before
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return written

    def get(self, enp: str) -> dict[str, Any] | None:
        row = self._conn().execute(
            "SELECT enp, status, valid_to, insurer_code, birth_date, reason, updated_at FROM policies "
            "WHERE enp = ?",
            (enp,),
        ).fetchone()
        if row is None:
            return None
        answer = dict(zip(("enp", "status", "valid_to", "insurer_code", "birth_date", "reason", "updated_at"),
                          row, strict=True))
        if answer["birth_date"] is None:
            del answer["birth_date"]  # the contract: "the birth date, or absent"
        return answer

    def put_people(self, people: Iterable[Person]) -> int:
        """Holders and their documents (passport, birth certificate, SNILS), in one transaction."""
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            count = 0
            for person in people:
                conn.execute(
                    "INSERT OR REPLACE INTO holders (enp, last_name, first_name, middle_name, sex) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (person.enp, person.last_name, person.first_name, person.middle_name, person.sex),
                )
                conn.execute("DELETE FROM documents WHERE enp = ?", (person.enp,))
                conn.executemany(
                    "INSERT OR REPLACE INTO documents (kind, key, enp) VALUES (?, ?, ?)",
                    [(kind, key, person.enp) for kind, key in person.document_keys()],
                )
                count += 1
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return count

    def search(self, kind: str, key: str, birth_date: str) -> dict[str, Any] | None:
        """The policy and holder of the person with this document and this birth date, else None."""
        row = self._conn().execute(
            "SELECT d.enp, h.last_name, h.first_name, h.middle_name, h.sex FROM documents d "
            "JOIN holders h ON h.enp = d.enp WHERE d.kind = ? AND d.key = ?",
            (kind, key),
        ).fetchone()
        if row is None:
            return None
        record = self.get(row[0])
        if record is None or record.get("birth_date") != birth_date:
            return None  # never says which part did not match
        record["holder"] = {"last_name": row[1], "first_name": row[2], "middle_name": row[3], "sex": row[4]}
        return record

    def changes(self, since_key: int | None, after: tuple[int, str] | None, limit: int) -> list[tuple]:
        sql = "SELECT enp, status, valid_to, insurer_code, reason, updated_at, updated_key FROM policies"
        where: list[str] = []
        params: list[Any] = []
        if since_key is not None:
            where.append("updated_key >= ?")
            params.append(since_key)
        if after is not None:
            where.append("(updated_key, enp) > (?, ?)")
            params.extend(after)
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY updated_key, enp LIMIT ?"
        params.append(limit)
        return self._conn().execute(sql, params).fetchall()

    def count(self) -> int:
        return self._conn().execute("SELECT count(*) FROM policies").fetchone()[0]


@dataclass(frozen=True)
class Person:
    """A registry person of the demo data: the holder of `enp` and the documents they may show."""

    enp: str
    last_name: str
    first_name: str
    middle_name: str | None = None
    sex: str | None = None
    passport: str | None = None  # "4510 123456"
    birth_certificate: str | None = None  # "IV-МЮ 654321"
    snils: str | None = None  # "112-233-445 95"

    def document_keys(self) -> list[tuple[str, str]]:
        keys = []
        if self.passport:
            keys.append(("passport_rf", self.passport.replace(" ", "")))
        if self.birth_certificate:
            keys.append(("birth_certificate", self.birth_certificate.replace(" ", "")))
        if self.snils:
            keys.append(("snils", "".join(c for c in self.snils if c.isdigit())))
        return keys


def search_key(body: dict[str, Any]) -> tuple[str, str]:
    """(kind, key) of a search body that follows the contract (`body_problem` is None)."""
    if "snils" in body:
        return "snils", body["snils"]
    doc = body["document"]
    return doc["type"], doc["series"] + doc["number"]


def _read_seed(path: Path) -> Any:
    """The seed file's JSON (ValueError naming the file when it cannot be read)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"cannot read seed file {path}: {exc}") from None


def load_seed_people(path: Path) -> list[Person]:
    """The seed entries that name a `holder` (and the `documents` they may show)."""
    data = _read_seed(path)
    people = []
    for i, item in enumerate(data if isinstance(data, list) else []):
        holder = item.get("holder") if isinstance(item, dict) else None
        if holder is None:
            continue
        try:
            docs = item.get("documents") or {}
            people.append(Person(
                enp=item["enp"], last_name=holder["last_name"], first_name=holder["first_name"],
                middle_name=holder.get("middle_name"), sex=holder.get("sex"), passport=docs.get("passport"),
                birth_certificate=docs.get("birth_certificate"), snils=docs.get("snils"),
            ))  # fmt: skip
        except (KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"seed file {path}, record {i}: a holder needs enp, last_name and first_name ({exc})"
                             ) from None  # fmt: skip
    return people


def load_seed(path: Path) -> list[RegistryRecord]:
    """Records from a JSON list ({enp, status, valid_to, insurer_code, birth_date, reason, updated_at})."""
    data = _read_seed(path)
    if not isinstance(data, list):
        raise ValueError(f"seed file {path}: expected a JSON list of records")
    now = datetime.now(UTC).isoformat(timespec="seconds")
    records = []
    for i, item in enumerate(data):
        if isinstance(item, dict) and not item.get("updated_at"):
            item = {**item, "updated_at": now}
        try:
            records.append(parse_record(item))
        except RecordError as exc:
            raise ValueError(f"seed file {path}, record {i}: {exc}") from None
    return records


def encode_cursor(updated_key: int, enp: str) -> str:
    raw = json.dumps([updated_key, enp], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[int, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key, enp = json.loads(raw)
    except (binascii.Error, ValueError, TypeError):
        raise ValueError("bad cursor") from None
    if not isinstance(key, int) or not isinstance(enp, str) or not _DIGITS16.fullmatch(enp):
        raise ValueError("bad cursor")
    return key, enp


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out as separate writes: no 40 ms delayed-ACK stall
    server: _HTTPServer
    server_version = "desk-app-reference-registry/1"

    # Plumbing -------------------------------------------------------------------------
    def log_message(self, format: str, *args: Any) -> None:
        message = format % args
        log.debug("registry-server: %s", re.sub(r"\d{16}", lambda m: mask_enp(m.group()), message))

    def date_time_string(self, timestamp: float | None = None) -> str:
        moment = (time.time() if timestamp is None else timestamp) + self.server.owner.faults.clock_offset
        return email.utils.formatdate(moment, usegmt=True)

    def flush_headers(self) -> None:
        pause = self.server.owner.faults.slow_headers
        buffered = b"".join(getattr(self, "_headers_buffer", []))
        if pause <= 0 or not buffered or self.path.startswith("/_admin/"):  # faults stay switchable
            super().flush_headers()
            return
        self._headers_buffer = []
        for i in range(len(buffered)):  # the status line and headers, one byte at a time
            self.wfile.write(buffered[i : i + 1])
            self.wfile.flush()
            if self.server.owner.stopping.wait(pause):
                return

    def _send(self, status: int, body: bytes, faults: Faults, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if faults.trickle > 0 and body:
            pieces = max(1, min(len(body), 20))
            size = -(-len(body) // pieces)
            pause = faults.trickle / pieces
            for start in range(0, len(body), size):
                self.wfile.write(body[start : start + size])
                self.wfile.flush()
                if self.server.owner.stopping.wait(pause):
                    return
        else:
            self.wfile.write(body)

    def _json(self, status: int, obj: Any, faults: Faults = NO_FAULTS, headers: dict[str, str] | None = None) -> None:
        body = b'{"enp": "77000000' if faults.garbage and status == 200 else json.dumps(
            obj, ensure_ascii=False, separators=(",", ":")
        ).encode("utf-8")
        self._send(status, body, faults, headers)

    def _drop(self) -> None:
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _authorized(self) -> bool:
        header = self.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            self._json(401, {"error": "missing bearer token"}, headers={"WWW-Authenticate": "Bearer"})
            return False
        if not hmac.compare_digest(token.strip().encode(), self.server.owner.token.encode()):
            self._json(403, {"error": "token refused"})
            return False
        return True

    # Requests -------------------------------------------------------------------------
    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def _dispatch(self, method: str) -> None:
        owner = self.server.owner
        url = urlsplit(self.path)
        try:
            if url.path == "/_admin/faults":
                self._admin(method)
                return
            owner.count_request()
            body = self._read_body() if method == "POST" else b""  # before any fault: keep-alive stays in step
            faults = owner.faults
            if faults.drop:
                self._drop()
                return
            if faults.delay > 0 and owner.stopping.wait(faults.delay):
                self._drop()
                return
            if faults.status is not None:
                self._json(faults.status, {"error": "service unavailable"}, faults)
                return
            if faults.retry_after is not None:
                self._json(429, {"error": "too many requests"}, faults, {"Retry-After": str(faults.retry_after)})
                return
            if url.path == _SEARCH_PATH:
                if method != "POST":
                    self._json(405, {"error": "method not allowed"}, headers={"Allow": "POST"})
                    return
                if self._authorized():
                    self._search(body, faults)
                return
            if method != "GET":
                self._json(405, {"error": "method not allowed"}, headers={"Allow": "GET"})
                return
            if not self._authorized():
                return
            if url.path == "/v1/policies":
                self._changes(url.query, faults)
                return
            match = _ENP_PATH.fullmatch(url.path)
            if match:
                self._policy(match.group(1), faults)
                return
            self._json(404, {"error": "no such endpoint"})
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _policy(self, enp: str, faults: Faults) -> None:
        if not enp_is_valid(enp):
            self._json(400, {"error": "malformed ENP"})
            return
        record = self.server.owner.db.get(enp)
        if record is None:
            self._json(404, {"enp": enp, "status": "not_found"}, faults)
            return
        self._json(200, record, faults)

    def _read_body(self) -> bytes | None:
        """The request body, or None when it is missing or too large (the connection then closes)."""
        length_text = self.headers.get("Content-Length") or ""
        if not length_text.isdigit() or int(length_text) > MAX_SEARCH_BODY:
            self.close_connection = True
            return None
        return self.rfile.read(int(length_text))

    def _search(self, raw: bytes | None, faults: Faults) -> None:
        try:
            body = json.loads(raw) if raw is not None else None
        except (ValueError, RecursionError):
            body = None
        problem = body_problem(body)
        if problem is not None:
            self._json(400, {"error": problem})
            return
        owner = self.server.owner
        kind, key = search_key(body)
        owner.count_search(kind)
        answer = owner.db.search(kind, key, body["birth_date"])
        if answer is None:
            self._json(404, {"status": "not_found"}, faults)
            return
        self._json(200, answer, faults)

    def _changes(self, query: str, faults: Faults) -> None:
        params = parse_qs(query, keep_blank_values=True)
        try:
            since = params.get("updated_since", [""])[-1]
            since_key = timestamp_key(since) if since else None
            cursor = params.get("cursor", [""])[-1]
            after = decode_cursor(cursor) if cursor else None
            limit_text = params.get("limit", [str(DEFAULT_PAGE)])[-1]
            limit = int(limit_text)
            if limit < 1:
                raise ValueError("limit must be positive")
        except (ValueError, RecordError) as exc:
            self._json(400, {"error": f"bad query: {exc}"})
            return
        limit = min(limit, MAX_PAGE)
        rows = self.server.owner.db.changes(since_key, after, limit + 1)  # one extra: is there more?
        more = len(rows) > limit
        rows = rows[:limit]
        items = [
            {"enp": r[0], "status": r[1], "valid_to": r[2], "insurer_code": r[3], "reason": r[4], "updated_at": r[5]}
            for r in rows
        ]
        next_cursor = encode_cursor(rows[-1][6], rows[-1][0]) if more else None
        self._json(200, {"items": items, "next_cursor": next_cursor}, faults)

    def _admin(self, method: str) -> None:
        if self.client_address[0] not in _LOOPBACK:
            self._json(403, {"error": "admin endpoint is loopback-only"})
            return
        if not self._authorized():
            return
        owner = self.server.owner
        if method == "POST":
            length = int(self.headers.get("Content-Length") or 0)
            try:
                data = json.loads(self.rfile.read(min(length, 10_000)) or b"{}")
                if not isinstance(data, dict):
                    raise ValueError("expected a JSON object")
                owner.set_faults(faults_from_mapping(data))
            except ValueError as exc:
                self._json(400, {"error": str(exc)})
                return
        self._json(200, owner.faults.to_json())


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    owner: RegistryServer


class RegistryServer:
    """Run in-process: `url = RegistryServer(db, token=...).start()`, then `stop()`."""

    def __init__(
        self,
        db_path: Path | str,
        *,
        token: str,
        host: str = "127.0.0.1",
        port: int = 0,
        faults: Faults = NO_FAULTS,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        if not token:
            raise ValueError("the reference registry needs a token")
        self.db = RegistryDatabase(db_path)
        self.token = token
        self.host = host
        self.port = port
        self._faults = faults
        self._ssl_context = ssl_context
        self.stopping = threading.Event()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._count_lock = threading.Lock()
        self.request_count = 0
        self.searches: list[str] = []  # the document type of each well-formed search, in order

    @property
    def faults(self) -> Faults:
        return self._faults

    def set_faults(self, faults: Faults = NO_FAULTS) -> None:
        self._faults = faults
        log.info("registry-server: faults now %s", faults.to_json() if faults.any else "off")

    def count_request(self) -> None:
        with self._count_lock:
            self.request_count += 1

    def count_search(self, kind: str) -> None:
        with self._count_lock:
            self.searches.append(kind)

    def put(self, records: Iterable[RegistryRecord]) -> int:
        return self.db.put(records)

    def put_people(self, people: Iterable[Person]) -> int:
        return self.db.put_people(people)

    @property
    def url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("the server is not running")
        scheme = "https" if self._ssl_context else "http"
        host = self.host if ":" not in self.host else f"[{self.host}]"
        return f"{scheme}://{host}:{self._httpd.server_address[1]}"

    def bind(self) -> str:
        """Open the listening socket (port 0 picks a free one) without serving yet."""
        self.stopping.clear()
        server_class = _HTTPServer
        if ":" in self.host:
            server_class = type("_HTTPServer6", (_HTTPServer,), {"address_family": socket.AF_INET6})
        httpd = server_class((self.host, self.port), _Handler)
        httpd.owner = self
        if self._ssl_context is not None:
            httpd.socket = self._ssl_context.wrap_socket(httpd.socket, server_side=True)
        self._httpd = httpd
        return self.url

    def start(self) -> str:
        """Serve in a background thread; returns the base URL."""
        url = self.bind()
        self._thread = threading.Thread(target=self.serve_forever, name="registry-server", daemon=True)
        self._thread.start()
        return url

    def serve_forever(self) -> None:
        if self._httpd is None:
            self.bind()
        assert self._httpd is not None
        self._httpd.serve_forever(poll_interval=0.1)

    def stop(self) -> None:
        self.stopping.set()
        if self._httpd is not None:
            if self._thread is not None:
                self._httpd.shutdown()
                self._thread.join(timeout=5)
            self._httpd.server_close()
            self._httpd = None
        self._thread = None
        self.db.close()

    def __enter__(self) -> RegistryServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
