"""Helpers shared by the registry tests (no tests here): a running reference server."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from desk_app.demo.registry_server import RegistryServer
from desk_app.demo.synthetic import synthetic_records
from desk_app.registry.breaker import CircuitBreaker
from desk_app.registry.client import RegistryClient
from desk_app.registry.status import RegistryStatusSource
from desk_app.registry.status_store import StatusStore

TOKEN = "test-token-5f1c9e"
LIMIT = 1.0  # the whole-answer limit the fault tests use (seconds)
CONNECT_LIMIT = 0.5


@contextmanager
def running_server(directory: Path, count: int = 20, **kwargs: object) -> Iterator[RegistryServer]:
    server = RegistryServer(directory / "registry-server.sqlite", token=TOKEN, **kwargs)  # type: ignore[arg-type]
    if count:
        server.put(synthetic_records(count))
    server.start()
    try:
        yield server
    finally:
        server.stop()


def make_client(url: str, token: str = TOKEN, **kwargs: object) -> RegistryClient:
    options: dict[str, object] = {"connect_timeout": CONNECT_LIMIT, "timeout": LIMIT, **kwargs}
    return RegistryClient(url, token, "desk-test", **options)  # type: ignore[arg-type]


def make_source(
    url: str, store_path: Path, *, token: str = TOKEN, breaker: CircuitBreaker | None = None
) -> RegistryStatusSource:
    return RegistryStatusSource(make_client(url, token), StatusStore(store_path), breaker)


def wait_until(condition, timeout: float = 5.0) -> bool:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.01)
    return condition()
