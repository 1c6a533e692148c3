"""The trust cache against real HTTP servers on 127.0.0.1: good, forged, broken and slow downloads."""

from __future__ import annotations

import shutil
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from desk_app.config import Settings
from desk_app.core.judge import Judge
from desk_app.demo.issuer import TestTreasury
from desk_app.verify.trust_store import TrustRootError, TrustStore, TrustUpdateError, load_root


def fresh_store(treasury: TestTreasury, tmp_path: Path) -> TrustStore:
    return TrustStore(treasury.root_pem_path, tmp_path / "cache")


def test_refresh_installs_files_checked_against_the_root(treasury, tmp_path, serve_directory) -> None:
    store = fresh_store(treasury, tmp_path)
    assert store.snapshot.certs == [] and store.is_due(6)
    snap = store.refresh(serve_directory(treasury.base_dir))
    assert len(snap.certs) == 6 and len(snap.crls) == 2
    assert not store.is_due(6)
    reloaded = fresh_store(treasury, tmp_path)  # survives a restart
    assert len(reloaded.snapshot.certs) == 6 and reloaded.snapshot.fetched_at == snap.fetched_at


def test_forged_signers_never_replace_a_good_cache(treasury, tmp_path, serve_directory) -> None:
    store = fresh_store(treasury, tmp_path)
    store.refresh(serve_directory(treasury.base_dir))
    good = (store.cache_dir / "signers.pem").read_bytes()
    attacker = TestTreasury.create(tmp_path / "attacker")
    with pytest.raises(TrustUpdateError, match="not issued under the pinned root"):
        store.refresh(serve_directory(attacker.base_dir))
    assert (store.cache_dir / "signers.pem").read_bytes() == good
    assert len(fresh_store(treasury, tmp_path).snapshot.certs) == 6


def test_crl_signed_by_someone_else_is_refused(treasury, tmp_path, serve_directory) -> None:
    mixed = tmp_path / "mixed"
    shutil.copytree(treasury.base_dir, mixed)
    attacker = TestTreasury.create(tmp_path / "attacker")
    shutil.copy(attacker.base_dir / "root.crl", mixed / "root.crl")  # same issuer name, other key
    store = fresh_store(treasury, tmp_path)
    with pytest.raises(TrustUpdateError, match="not signed by the pinned root"):
        store.refresh(serve_directory(mixed))
    assert not (store.cache_dir / "signers.pem").exists()


def test_older_crl_is_refused(treasury, tmp_path, serve_directory) -> None:
    store = fresh_store(treasury, tmp_path)
    store.refresh(serve_directory(treasury.base_dir))
    old = tmp_path / "old"
    treasury.write_trust_files(now=datetime.now(UTC) - timedelta(days=3), directory=old)
    with pytest.raises(TrustUpdateError, match="rollback"):
        store.refresh(serve_directory(old))


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"signers.pem": b"garbage", "root.crl": b"x"}, "not a list of PEM"),
        ({"root.crl": b"x"}, "not found"),
        ({"signers.pem": None, "root.crl": b"\x30\x03\x02\x01\x00"}, "not a DER CRL"),
    ],
)
def test_garbage_and_missing_files_are_refused(treasury, tmp_path, serve_directory, files, message) -> None:
    site = tmp_path / "site"
    site.mkdir()
    for name, data in files.items():
        (site / name).write_bytes(data if data is not None else (treasury.base_dir / name).read_bytes())
    store = fresh_store(treasury, tmp_path)
    with pytest.raises(TrustUpdateError, match=message):
        store.refresh(serve_directory(site))


class _FaultyHandler(BaseHTTPRequestHandler):
    mode = "500"

    def do_GET(self) -> None:
        if self.mode == "slow":
            time.sleep(2)
        self.send_response(500 if self.mode == "500" else 200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.mark.parametrize("mode", ["500", "slow"])
def test_server_errors_and_timeouts_keep_the_cache(treasury, tmp_path, serve_directory, mode) -> None:
    store = fresh_store(treasury, tmp_path)
    store.refresh(serve_directory(treasury.base_dir))
    handler = type("H", (_FaultyHandler,), {"mode": mode})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        start = time.monotonic()
        with pytest.raises(TrustUpdateError):
            store.refresh(f"http://127.0.0.1:{server.server_address[1]}", timeout=(0.5, 0.5))
        assert time.monotonic() - start < 1.5
    finally:
        server.shutdown()
        server.server_close()
    assert len(store.snapshot.certs) == 6


def test_unreachable_server_keeps_the_cache(treasury, tmp_path) -> None:
    store = fresh_store(treasury, tmp_path)
    store.prime_from(treasury.base_dir)
    with pytest.raises(TrustUpdateError, match="ConnectionError"):
        store.refresh("http://127.0.0.1:9", timeout=(0.5, 0.5))
    assert len(store.snapshot.certs) == 6


def test_judge_refreshes_only_when_due_and_online(treasury, tmp_path, serve_directory) -> None:
    url = serve_directory(treasury.base_dir)
    settings = Settings(trust_root=str(treasury.root_pem_path), data_dir=str(tmp_path), trust_url=url)
    judge = Judge(settings, TrustStore(settings.trust_root_path, settings.trust_cache_dir))
    assert judge.refresh_trust() is True
    assert judge.refresh_trust() is False  # not due yet
    offline = Judge(settings.replace(offline=True), judge.trust)
    assert offline.refresh_trust(force=True) is False


@pytest.mark.parametrize("content", [b"", b"not a pem", None])
def test_unusable_root_is_a_clear_error(tmp_path, treasury, content) -> None:
    path = tmp_path / "root.pem"
    if content is None:  # a signer certificate is not a root
        path.write_bytes(
            (treasury.base_dir / "signers.pem").read_bytes().split(b"-----END CERTIFICATE-----")[0]
            + b"-----END CERTIFICATE-----\n"
        )
    else:
        path.write_bytes(content)
    with pytest.raises(TrustRootError):
        load_root(path)
    with pytest.raises(TrustRootError):
        load_root(tmp_path / "missing.pem")
