"""Every network wait has a bound covering the whole exchange (issue 11, item 2).

Real servers on 127.0.0.1 that send their status line and headers one byte at a time, or
trickle a body: the registry lookup, a sync page, the trust download and doctor all end in
time, and `desk-app verify` (a real subprocess) prints its verdict and exits.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from desk_app.config import Settings, demo_trust_root
from desk_app.doctor.registry_checks import check_registry
from desk_app.paths import resource
from desk_app.registry.client import RegistryFailure
from desk_app.verify.trust_store import TrustStore, TrustUpdateError
from tests.helpers.hostile_http import hostile_server, slow_head, trickle_body
from tests.helpers.registry import LIMIT, TOKEN, make_client

ACTIVE = resource("demo", "policies", "active.b.txt")
DEMO_ROOT = ["--trust-root", str(demo_trust_root())]  # the demo policies' root, pinned explicitly


def desk_app(*args: str, timeout: float, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`desk-app ARGS` as a real process; fails the test if it does not exit within `timeout`."""
    return subprocess.run(
        [sys.executable, "-m", "desk_app", *args], capture_output=True, text=True, timeout=timeout,
        env={**os.environ, "PYTHONUTF8": "1", **(env or {})},
    )  # fmt: skip


def _http_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("desk-http")]


def test_verify_exits_when_the_registry_sends_its_headers_one_byte_a_second(tmp_path: Path) -> None:
    config = tmp_path / "desk.toml"
    config.write_text("[registry]\ntimeout = 1.0\nconnect_timeout = 0.5\n", "utf-8")
    with hostile_server(slow_head(pause=1.0)) as server:
        start = time.monotonic()
        done = desk_app("verify", "--json", "--config", str(config), "--data-dir", str(tmp_path / "d"), *DEMO_ROOT,
                        "--registry-url", server.url, str(ACTIVE), timeout=30,
                        env={"DESK_REGISTRY_TOKEN": TOKEN})  # fmt: skip
        elapsed = time.monotonic() - start
        assert server.exchanges, "the slow server was never asked"
    assert done.returncode == 0, done.stderr
    verdict = json.loads(done.stdout)
    assert (verdict["decision"], verdict["reasons"]) == ("warn", ["registry_timeout"])
    assert elapsed < 1.0 + 12.0  # the limit plus interpreter and judge start-up on a loaded machine


def test_a_lookup_ends_at_the_limit_and_its_thread_with_it(tmp_path: Path) -> None:
    with hostile_server(slow_head(pause=0.3)) as server:
        client = make_client(server.url)
        start = time.monotonic()
        with pytest.raises(RegistryFailure) as caught:
            client.get_policy("7700000000000016")
        elapsed = time.monotonic() - start
        assert caught.value.reason == "registry_timeout"
        assert elapsed < LIMIT + 0.5
        # The socket was shut down at the deadline: no thread is left reading the headers.
        end = time.monotonic() + 2
        while _http_threads() and time.monotonic() < end:
            time.sleep(0.05)
        assert not _http_threads()
        client.close()


def test_a_sync_page_trickled_byte_by_byte_ends_at_its_limit(tmp_path: Path) -> None:
    body = json.dumps({"items": [], "next_cursor": None}).encode() * 20
    with hostile_server(trickle_body(body, pause=0.05, content_type="application/json")) as server:
        client = make_client(server.url)
        start = time.monotonic()
        with pytest.raises(RegistryFailure) as caught:
            client.get_changes(None, None, 100, timeout=1.0)
        assert caught.value.reason == "registry_timeout"
        assert time.monotonic() - start < 1.5
        client.close()


def test_a_cancelled_page_request_ends_at_once_and_its_thread_with_it() -> None:
    """A stopped sync cancels its page: the request ends long before its own limit and the socket
    is shut down, so no thread is left reading a registry the desk has left."""
    cancel = threading.Event()
    with hostile_server(slow_head(pause=0.3)) as server:
        client = make_client(server.url)
        threading.Timer(0.3, cancel.set).start()
        start = time.monotonic()
        with pytest.raises(RegistryFailure) as caught:
            client.get_changes(None, None, 100, timeout=30.0, cancel=cancel)
        elapsed = time.monotonic() - start
        assert caught.value.reason == "registry_unreachable" and "cancelled" in caught.value.detail
        assert elapsed < 0.3 + 2.0  # not the 30 s limit (a loaded machine may be slow to notice)
        end = time.monotonic() + 2
        while _http_threads() and time.monotonic() < end:
            time.sleep(0.05)
        assert not _http_threads()
        assert len(server.exchanges) == 1  # cancelled, not retried
        client.close()


def test_trust_download_trickling_signers_ends_within_the_overall_limit(treasury, tmp_path: Path) -> None:
    store = TrustStore(treasury.root_pem_path, tmp_path / "cache")
    store.prime_from(treasury.base_dir)
    signers = (treasury.base_dir / "signers.pem").read_bytes()
    with hostile_server(trickle_body(signers, pause=0.01)) as server:  # ~10 KiB at 100 B/s: minutes
        start = time.monotonic()
        with pytest.raises(TrustUpdateError, match="Timeout"):
            store.refresh(server.url, timeout=(0.5, 1.0))
        assert time.monotonic() - start < 1.6
    assert len(store.snapshot.certs) == 6  # the cache is untouched


def test_verify_judges_from_the_cached_trust_list_when_the_trust_server_trickles(tmp_path: Path) -> None:
    demo = resource("demo")
    signers = (demo / "signers.pem").read_bytes()
    data = tmp_path / "d"
    config = tmp_path / "desk.toml"
    config.write_text("[trust]\ntimeout = 1.5\n[desk]\noffline = false\n", "utf-8")
    # A cache primed from the bundled files, last fetched long ago: a refresh is due.
    TrustStore(demo_trust_root(), data / "trust").install(
        {n: (demo / n).read_bytes() for n in ("signers.pem", "root.crl", "intermediate.crl")},
        fetched_at=datetime.now(UTC) - timedelta(days=2),
    )
    with hostile_server(trickle_body(signers, pause=0.5)) as server:
        start = time.monotonic()
        done = desk_app("verify", "--json", "--config", str(config), "--data-dir", str(data), *DEMO_ROOT,
                        "--trust-url", server.url, str(ACTIVE), timeout=60)  # fmt: skip
        elapsed = time.monotonic() - start
        assert server.exchanges
    assert done.returncode == 0, done.stderr
    verdict = json.loads(done.stdout)
    assert verdict["signature"] == "ok"  # judged with the cached trust list
    assert elapsed < 1.5 + 12.0


def test_doctor_registry_check_ends_at_the_limit_against_slow_headers() -> None:
    with hostile_server(slow_head(pause=0.5)) as server:
        settings = Settings(registry_url=server.url, registry_token=TOKEN, registry_timeout=1.0,
                            registry_connect_timeout=0.5)  # fmt: skip
        start = time.monotonic()
        results = check_registry(settings)
        assert time.monotonic() - start < 1.6
    assert results[0].level == "error"
    assert "no answer within 1 s" in results[0].message


def test_the_reference_registry_can_send_its_headers_slowly_and_the_lookup_still_ends(tmp_path: Path) -> None:
    from desk_app.demo.faults import Faults, faults_from_specs
    from tests.helpers.registry import running_server

    assert faults_from_specs(["slow_headers=0.5"]) == Faults(slow_headers=0.5)
    with running_server(tmp_path, faults=Faults(slow_headers=0.3)) as server:
        client = make_client(server.url)
        start = time.monotonic()
        with pytest.raises(RegistryFailure) as caught:
            client.get_policy("7700000000000016")
        assert caught.value.reason == "registry_timeout" and time.monotonic() - start < LIMIT + 0.5
        client.close()


def test_a_tls_handshake_trickled_byte_by_byte_ends_at_the_deadline() -> None:
    """The watchdog holds the raw socket from the start, so even the TLS handshake is cut at the deadline."""
    from desk_app.net.http import HttpFailure, fetch, make_session

    server_hello_start = b"\x16\x03\x03\x00\x7a\x02\x00\x00\x76\x03\x03" + b"\x00" * 200  # a record that never ends

    sent: list[int] = []

    def respond(ex) -> None:  # type: ignore[no-untyped-def]
        for i in range(len(server_hello_start)):
            ex.send(server_hello_start[i : i + 1])
            sent.append(i)
            time.sleep(0.2)

    with hostile_server(respond, read_head=False) as server:
        url = server.url.replace("http://", "https://")
        session = make_session()
        start = time.monotonic()
        with pytest.raises(HttpFailure) as caught:
            fetch(session, url + "/v1/policies", deadline=time.monotonic() + 1.0, max_body=1000, connect_timeout=0.5)
        assert caught.value.kind in ("timeout", "tls", "connect")
        assert time.monotonic() - start < 1.5
        assert len(sent) >= 3  # the server really was trickling the handshake when it was cut
        end = time.monotonic() + 2
        while _http_threads() and time.monotonic() < end:
            time.sleep(0.05)
        assert not _http_threads()  # the handshake thread did not outlive the deadline
