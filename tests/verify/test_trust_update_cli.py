"""`desk-app trust update`: the Treasury's trust list fetched now from a real HTTP server on
127.0.0.1, through the download the window's timer and `verify` use; exit 0 updated or already
current, 1 failed (one English line, the cache kept), 2 bad usage or config."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from desk_app.demo.issuer import PolicyData, TestTreasury
from desk_app.verify.trust_store import TrustStore
from tests.helpers.hostile_http import answer, hostile_server


def desk_app(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "desk_app", *args], capture_output=True, text=True,
                          encoding="utf-8", timeout=120, env={**os.environ, "PYTHONUTF8": "1"})  # fmt: skip


def update(treasury: TestTreasury, data: Path, url: str, *extra: str) -> subprocess.CompletedProcess[str]:
    return desk_app("trust", "update", "--trust-root", str(treasury.root_pem_path), "--data-dir", str(data),
                    "--trust-url", url, *extra)  # fmt: skip


def failed_in_one_line(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.startswith("desk-app: trust update failed:")]
    assert len(lines) == 1, done.stderr
    return lines[0]


def test_update_then_already_current_and_verify_uses_it(
    treasury: TestTreasury, serve_directory: Callable[[Path], str], tmp_path: Path
) -> None:
    url = serve_directory(treasury.base_dir)
    data = tmp_path / "d"
    first = update(treasury, data, url, "--json")
    assert first.returncode == 0, first.stderr
    report = json.loads(first.stdout)
    expected = (treasury.base_dir / "signers.pem").read_bytes().count(b"-----BEGIN CERTIFICATE-----")
    assert (report["result"], report["certificates"], report["crls"]) == ("updated", expected, 2)
    assert report["url"] == url and report["crl_next_update"] and report["fetched_at"]
    assert len(TrustStore(treasury.root_pem_path, data / "trust").snapshot.certs) == expected
    again = update(treasury, data, url)
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith(f"trust list already current: {expected} certificates, 2 CRLs from {url}")
    # `verify` judges from the very cache the command filled (no trust.url: nothing else fetched)
    policy = tmp_path / "policy.xml"
    policy.write_bytes(treasury.sign_policy(PolicyData(), None))
    done = desk_app("verify", "--json", "--offline", "--trust-root", str(treasury.root_pem_path),
                    "--data-dir", str(data), str(policy))  # fmt: skip
    assert json.loads(done.stdout)["signature"] == "ok", done.stderr


def test_a_forged_trust_list_is_refused_and_the_cache_kept(
    treasury: TestTreasury, serve_directory: Callable[[Path], str], tmp_path: Path
) -> None:
    data = tmp_path / "d"
    store = TrustStore(treasury.root_pem_path, data / "trust")
    store.prime_from(treasury.base_dir)
    before = (data / "trust" / "signers.pem").read_bytes()
    other = TestTreasury.create(tmp_path / "other", algorithm="ec")  # not under the pinned root
    line = failed_in_one_line(update(treasury, data, serve_directory(other.base_dir)))
    assert "not issued under the pinned root" in line and "the cached trust list is kept" in line
    assert (data / "trust" / "signers.pem").read_bytes() == before


@pytest.mark.parametrize(
    ("responder", "words"),
    [(answer(500, b"oops"), "signers.pem: HTTP 500"), (answer(404, b""), "signers.pem: not found")],
)
def test_a_server_that_fails_is_exit_1_with_the_reason(
    treasury: TestTreasury, tmp_path: Path, responder: object, words: str
) -> None:
    with hostile_server(responder) as server:  # type: ignore[arg-type]
        line = failed_in_one_line(update(treasury, tmp_path / "d", server.url, "--json"))
        assert server.exchanges
    assert words in line


def test_a_server_that_is_down_is_exit_1_and_json_says_why(treasury: TestTreasury, tmp_path: Path) -> None:
    with socket.socket() as sock:  # a port that was free a moment ago: nobody listens there
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    done = update(treasury, tmp_path / "d", f"http://127.0.0.1:{port}", "--json")
    failed_in_one_line(done)
    report = json.loads(done.stdout)
    assert report["result"] == "failed" and "ConnectionError" in report["reason"]


def test_usage_and_config_errors_are_exit_2(treasury: TestTreasury, tmp_path: Path) -> None:
    data = str(tmp_path / "d")
    cases = {
        "trust root is not configured": ["--trust-url", "http://127.0.0.1:9/t", "--data-dir", data],
        "trust.url is not configured": ["--trust-root", str(treasury.root_pem_path), "--data-dir", data],
        "offline mode": ["--trust-root", str(treasury.root_pem_path), "--trust-url", "http://127.0.0.1:9/t",
                         "--offline", "--data-dir", data],
        "cannot read trust root": ["--trust-root", str(tmp_path / "nowhere.pem"), "--trust-url",
                                   "http://127.0.0.1:9/t", "--data-dir", data],
    }  # fmt: skip
    for words, args in cases.items():
        done = desk_app("trust", "update", *args)
        assert done.returncode == 2, (words, done.stderr)
        assert words in done.stderr and "Traceback" not in done.stderr
    assert desk_app("trust").returncode == 2  # no action named


def test_a_reason_is_one_printable_line() -> None:
    from desk_app.cli.trust_cmd import one_line

    assert one_line("signers.pem holds CN=Evil\x1b[2J\nroot\u202e") == "signers.pem holds CN=Evil\\x1b[2J root\\u202e"
