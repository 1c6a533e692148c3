"""Helpers shared by the network tests (no tests here): a hostile HTTP server on 127.0.0.1.

It speaks raw sockets so that it can do what a polite server never does: send its status line
and headers one byte at a time, trickle a body, redirect, or just record what it was sent.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

Responder = Callable[["Exchange"], None]


@dataclass
class Exchange:
    """One accepted connection: the request head as received and a way to answer."""

    conn: socket.socket
    request_head: bytes
    stop: threading.Event

    @property
    def request_line(self) -> str:
        return self.request_head.split(b"\r\n", 1)[0].decode("latin-1")

    def header(self, name: str) -> str | None:
        for line in self.request_head.split(b"\r\n")[1:]:
            key, sep, value = line.decode("latin-1").partition(":")
            if sep and key.strip().lower() == name.lower():
                return value.strip()
        return None

    def send(self, data: bytes) -> None:
        self.conn.sendall(data)

    def send_slowly(self, data: bytes, pause: float) -> None:
        """Byte by byte, `pause` seconds apart, until done or the server stops or the peer leaves."""
        for i in range(len(data)):
            if self.stop.is_set():
                return
            self.conn.sendall(data[i : i + 1])
            time.sleep(pause)


@dataclass
class HostileServer:
    port: int
    exchanges: list[Exchange] = field(default_factory=list)
    host: str = "127.0.0.1"

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"


def _read_head(conn: socket.socket) -> bytes:
    conn.settimeout(5)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


@contextmanager
def hostile_server(respond: Responder, *, read_head: bool = True, host: str = "127.0.0.1") -> Iterator[HostileServer]:
    """Serve each connection on its own thread with `respond`; stop everything on exit.

    With `read_head` False the responder starts at once (e.g. for a TLS client, whose hello
    is no HTTP head). `host`: the address to listen on (another of this machine's addresses
    stands in for "another computer")."""
    listener = socket.create_server((host, 0))
    listener.settimeout(0.2)
    stop = threading.Event()
    server = HostileServer(listener.getsockname()[1], host=host)

    def handle(conn: socket.socket) -> None:
        with conn:
            try:
                exchange = Exchange(conn, _read_head(conn) if read_head else b"", stop)
                server.exchanges.append(exchange)
                respond(exchange)
            except OSError:
                pass  # the client gave up: that is what most tests want to see

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _addr = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=handle, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        stop.set()
        thread.join(2)
        listener.close()


def slow_head(pause: float = 1.0, body: bytes = b"{}") -> Responder:
    """Answer 200, sending the status line and headers one byte every `pause` seconds."""

    def respond(ex: Exchange) -> None:
        head = f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        ex.send_slowly(head.encode() + body, pause)

    return respond


def trickle_body(body: bytes, pause: float = 0.5, content_type: str = "application/octet-stream") -> Responder:
    """Headers at once, then the body one byte every `pause` seconds."""

    def respond(ex: Exchange) -> None:
        ex.send(f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n".encode())
        ex.send_slowly(body, pause)

    return respond


def redirect_to(location: str, status: int = 302) -> Responder:
    def respond(ex: Exchange) -> None:
        ex.send(f"HTTP/1.1 {status} Found\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                .encode())

    return respond


def answer(status: int, body: bytes, headers: dict[str, str] | None = None) -> Responder:
    def respond(ex: Exchange) -> None:
        extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
        ex.send(f"HTTP/1.1 {status} X\r\nContent-Length: {len(body)}\r\nConnection: close\r\n{extra}\r\n".encode()
                + body)

    return respond
