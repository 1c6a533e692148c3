"""Held-out adversary cases for issue 11 items 2 and 3: hostile servers on 127.0.0.1 in ways the
fault tests do not try. Every answer ends in the registry's documented reason, in time, with no
traceback; the desk never invites an answer it does not read (a compressed body)."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from desk_app.config import demo_trust_root
from desk_app.paths import resource
from desk_app.registry.client import RegistryFailure
from desk_app.verify.documents import make_query
from desk_app.verify.trust_store import TrustStore, TrustUpdateError
from tests.helpers.hostile_http import Exchange, answer, hostile_server
from tests.helpers.registry import TOKEN, make_client

ACTIVE = resource("demo", "policies", "active.b.txt")
ENP = "7700000000000016"
RECORD = {"enp": ENP, "status": "active", "valid_to": None, "insurer_code": "77012", "reason": None,
          "updated_at": "2026-11-24T09:15:00+03:00"}  # fmt: skip

# JSON that the parser refuses with something other than JSONDecodeError.
HOSTILE_JSON = {
    "number-of-5000-digits": json.dumps(RECORD)[:-1].encode() + b', "x": ' + b"9" * 5000 + b"}",
    "nested-5000-deep": b"[" * 5000 + b"]" * 5000,
    "negative-number-of-5000-digits": b'{"enp": -' + b"1" * 5000 + b"}",
}


ASKING = {
    "lookup": lambda client: client.get_policy(ENP),
    "sync-page": lambda client: client.get_changes(None, None, 100, timeout=5.0),
    "search": lambda client: client.search_policy(
        make_query("passport_rf", "4510 123456", date(1985, 3, 14), date(2026, 12, 6))
    ),
}


@pytest.mark.parametrize("asking", sorted(ASKING))
@pytest.mark.parametrize("name", sorted(HOSTILE_JSON))
def test_an_answer_the_json_parser_refuses_is_a_bad_response(name: str, asking: str) -> None:
    body = HOSTILE_JSON[name]
    with hostile_server(answer(200, body, {"Content-Type": "application/json"})) as server:
        client = make_client(server.url)
        with pytest.raises(RegistryFailure) as caught:
            ASKING[asking](client)
        client.close()
    assert caught.value.reason == "registry_bad_response"


def test_verify_names_a_huge_json_number_a_bad_response_without_a_traceback(tmp_path: Path) -> None:
    body = HOSTILE_JSON["number-of-5000-digits"]
    with hostile_server(answer(200, body, {"Content-Type": "application/json"})) as server:
        done = subprocess.run(
            [sys.executable, "-m", "desk_app", "verify", "--json", "--data-dir", str(tmp_path / "d"),
             "--trust-root", str(demo_trust_root()), "--registry-url", server.url, str(ACTIVE)],
            capture_output=True, text=True, timeout=60, env={**os.environ, "DESK_REGISTRY_TOKEN": TOKEN},
        )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert json.loads(done.stdout)["reasons"] == ["registry_bad_response"]


def _recording(body: bytes, heads: list[str]):
    def respond(ex: Exchange) -> None:
        heads.append(ex.request_head.decode("latin-1"))
        answer(200, body, {"Content-Type": "application/json"})(ex)

    return respond


def _accept_encoding(head: str) -> str | None:
    for line in head.split("\r\n")[1:]:
        key, _, value = line.partition(":")
        if key.strip().lower() == "accept-encoding":
            return value.strip()
    return None


def test_the_registry_client_asks_for_an_uncompressed_answer() -> None:
    """The body is read raw (never decoded, so no decompression bomb); inviting gzip would turn
    every answer of a server that honours the invitation into a bad response."""
    heads: list[str] = []
    with hostile_server(_recording(json.dumps(RECORD).encode(), heads)) as server:
        client = make_client(server.url)
        assert client.get_policy(ENP).record.status == "active"
        client.close()
    assert _accept_encoding(heads[0]) == "identity"


def test_trust_downloads_ask_for_an_uncompressed_answer(treasury, tmp_path: Path) -> None:
    heads: list[str] = []
    signers = (treasury.base_dir / "signers.pem").read_bytes()
    with hostile_server(_recording(signers, heads)) as server:
        store = TrustStore(treasury.root_pem_path, tmp_path / "cache")
        with pytest.raises(TrustUpdateError):  # every path answers signers.pem: root.crl is no CRL
            store.refresh(server.url, timeout=(0.5, 2.0))
    assert heads and all(_accept_encoding(h) == "identity" for h in heads)


def test_a_gzip_bomb_sent_unasked_is_a_bad_response_read_no_further_than_the_limit() -> None:
    bomb = gzip.compress(b" " * (64 * 1024 * 1024) + json.dumps(RECORD).encode())  # 64 MiB in ~64 KiB
    with hostile_server(answer(200, bomb, {"Content-Type": "application/json", "Content-Encoding": "gzip"})) as server:
        client = make_client(server.url)
        with pytest.raises(RegistryFailure) as caught:
            client.get_policy(ENP)
        client.close()
    assert caught.value.reason == "registry_bad_response"
