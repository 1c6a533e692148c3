"""The reference registry server implements the contract (real HTTP, plain requests), its admin
endpoint and fault switches, and the `desk-app registry-server` / `desk-app sync` commands."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
import requests

from desk_app.cli.main import main
from desk_app.demo.faults import Faults, faults_from_mapping, faults_from_specs
from desk_app.demo.registry_server import RegistryServer, load_seed
from desk_app.demo.synthetic import synthetic_records
from tests.helpers.registry import TOKEN, running_server

AUTH = {"Authorization": f"Bearer {TOKEN}", "X-Desk-Id": "desk-test"}
RECORDS = list(synthetic_records(12))


@pytest.fixture
def server(tmp_path: Path):  # type: ignore[no-untyped-def]
    with running_server(tmp_path, count=12) as srv:
        yield srv


def get(server: RegistryServer, path: str, headers: dict[str, str] | None = None, **params: str) -> requests.Response:
    return requests.get(server.url + path, headers=AUTH if headers is None else headers, params=params, timeout=5)


def test_policy_answer_follows_the_contract(server: RegistryServer) -> None:
    r = RECORDS[0]
    response = get(server, f"/v1/policies/{r.enp}")
    assert response.status_code == 200
    assert response.json() == {"enp": r.enp, "status": r.status, "valid_to": r.valid_to,
                               "insurer_code": r.insurer_code, "birth_date": r.birth_date, "reason": r.reason,
                               "updated_at": r.updated_at}
    served_at = parsedate_to_datetime(response.headers["Date"])
    assert abs((served_at - datetime.now(UTC)).total_seconds()) < 5


def test_unknown_malformed_and_unauthorised(server: RegistryServer) -> None:
    unknown = next(synthetic_records(1, start=500)).enp
    response = get(server, f"/v1/policies/{unknown}")
    assert (response.status_code, response.json()) == (404, {"enp": unknown, "status": "not_found"})
    for bad in ("7700000000000015", "770000000000001", "77000000000000144", "abcdefghijklmnop"):
        assert get(server, f"/v1/policies/{bad}").status_code == 400, bad
    missing = get(server, f"/v1/policies/{RECORDS[0].enp}", headers={})
    assert missing.status_code == 401 and missing.headers["WWW-Authenticate"] == "Bearer"
    assert get(server, f"/v1/policies/{RECORDS[0].enp}", headers={"Authorization": "Bearer x"}).status_code == 403
    assert get(server, "/v1/other").status_code == 404


def test_birth_date_is_absent_when_unknown(server: RegistryServer) -> None:
    from dataclasses import replace

    server.put([replace(RECORDS[0], birth_date=None)])
    assert "birth_date" not in get(server, f"/v1/policies/{RECORDS[0].enp}").json()


def test_changes_are_paged_oldest_first_with_opaque_cursors(server: RegistryServer) -> None:
    seen: list[dict] = []
    cursor = ""
    pages = 0
    while True:
        params = {"limit": "5", **({"cursor": cursor} if cursor else {})}
        body = get(server, "/v1/policies", **params).json()
        pages += 1
        assert set(body) == {"items", "next_cursor"}
        seen.extend(body["items"])
        if body["next_cursor"] is None:
            break
        cursor = body["next_cursor"]
    assert pages == 3
    assert [i["enp"] for i in seen] == [r.enp for r in RECORDS]
    assert set(seen[0]) == {"enp", "status", "valid_to", "insurer_code", "reason", "updated_at"}


def test_updated_since_is_inclusive_and_limit_is_capped(server: RegistryServer) -> None:
    body = get(server, "/v1/policies", updated_since=RECORDS[9].updated_at).json()
    assert [i["enp"] for i in body["items"]] == [r.enp for r in RECORDS[9:]]
    # The same instant in another offset selects the same items.
    moscow = datetime.fromisoformat("2026-01-01T00:00+03:00").tzinfo
    moment = datetime.fromisoformat(RECORDS[9].updated_at).astimezone(moscow)
    assert get(server, "/v1/policies", updated_since=moment.isoformat()).json() == body
    assert len(get(server, "/v1/policies", limit="100000").json()["items"]) == 12


@pytest.mark.parametrize("params", [{"limit": "0"}, {"limit": "ten"}, {"cursor": "garbage!"},
                                    {"updated_since": "yesterday"}, {"updated_since": "2026-01-01T00:00:00"}])
def test_bad_queries_are_400(server: RegistryServer, params: dict[str, str]) -> None:
    assert get(server, "/v1/policies", **params).status_code == 400


def test_admin_endpoint_switches_faults_at_runtime(server: RegistryServer) -> None:
    url = server.url + "/_admin/faults"
    assert requests.post(url, json={"status": 503}, timeout=5).status_code == 401
    response = requests.post(url, json={"status": 503}, headers=AUTH, timeout=5)
    assert response.status_code == 200 and response.json()["status"] == 503
    assert get(server, f"/v1/policies/{RECORDS[0].enp}").status_code == 503
    assert requests.post(url, json={"explode": True}, headers=AUTH, timeout=5).status_code == 400
    requests.post(url, json={}, headers=AUTH, timeout=5)
    assert get(server, f"/v1/policies/{RECORDS[0].enp}").status_code == 200
    assert requests.get(url, headers=AUTH, timeout=5).json() == Faults().to_json()


def test_429_carries_retry_after(server: RegistryServer) -> None:
    server.set_faults(Faults(retry_after=17))
    response = get(server, f"/v1/policies/{RECORDS[0].enp}")
    assert response.status_code == 429 and response.headers["Retry-After"] == "17"


def test_fault_words_parse_and_bad_ones_are_refused() -> None:
    assert faults_from_specs(["delay=2.5", "status=503", "drop", "trickle=4", "retry-after=30"]) == Faults(
        delay=2.5, status=503, drop=True, trickle=4, retry_after=30)
    for bad in (["delay=-1"], ["status=200"], ["bogus"], ["drop=maybe"], ["retry_after=x"]):
        with pytest.raises(ValueError):
            faults_from_specs(bad)
    assert faults_from_mapping({"garbage": "yes"}).garbage is True


def test_seed_file_loads_and_bad_seed_is_named(tmp_path: Path) -> None:
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps([r.to_json() for r in RECORDS[:3]] + [{**RECORDS[3].to_json(), "updated_at": None}]),
                    encoding="utf-8")
    loaded = load_seed(seed)
    assert [r.enp for r in loaded] == [r.enp for r in RECORDS[:4]] and loaded[3].updated_at
    seed.write_text(json.dumps([{"enp": "123", "status": "active"}]), encoding="utf-8")
    with pytest.raises(ValueError, match="record 0"):
        load_seed(seed)


def test_registry_server_command_serves_seed_and_faults(tmp_path: Path) -> None:
    seed = tmp_path / "seed.json"
    seeded = list(synthetic_records(2, start=100))  # --generate 3 adds indexes 0-2
    seed.write_text(json.dumps([r.to_json() for r in seeded]), encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "desk_app", "registry-server", "--db", str(tmp_path / "srv.sqlite"), "--port", "0",
         "--token", TOKEN, "--seed", str(seed), "--generate", "3", "--fault", "clock_offset=3600"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert "5 policies" in line and "listening on http://127.0.0.1:" in line, line
        url = line.split()[-1]
        response = requests.get(f"{url}/v1/policies/{seeded[1].enp}", headers=AUTH, timeout=5)
        assert response.status_code == 200
        skew = (parsedate_to_datetime(response.headers["Date"]) - datetime.now(UTC)).total_seconds()
        assert 3590 < skew < 3610
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.parametrize("args", [["--host", "0.0.0.0"], ["--fault", "nonsense"], ["--port", "70000"]])  # noqa: S104
def test_registry_server_command_refuses_bad_options(tmp_path: Path, args: list[str],
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["registry-server", "--db", str(tmp_path / "srv.sqlite"), *args]) == 2
    assert "desk-app: error:" in capsys.readouterr().err


def test_sync_command_runs_and_reports(
    server: RegistryServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "desk-data"
    common = ["--registry-url", server.url, "--registry-token", TOKEN, "--data-dir", str(data)]
    assert main(["sync", *common, "--limit", "5", "--max-pages", "1"]) == 0
    assert "stopped early" in capsys.readouterr().out
    assert main(["sync", *common, "--limit", "5"]) == 0
    out = capsys.readouterr().out
    assert "sync complete: 7 items in 2 pages" in out and "holds 12 policies" in out
    server.set_faults(Faults(status=503))
    assert main(["sync", *common]) == 1
    err = capsys.readouterr().err
    assert "registry_error" in err and TOKEN not in err


@pytest.mark.parametrize(("args", "message"), [
    (["--offline", "--registry-url", "http://127.0.0.1:9"], "offline"),
    ([], "no registry URL"),
    (["--registry-url", "http://127.0.0.1:9", "--limit", "9000"], "--limit"),
    (["--registry-url", "http://10.0.0.1:80"], "loopback"),
])
def test_sync_command_refuses_unusable_settings(tmp_path: Path, args: list[str], message: str,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sync", "--data-dir", str(tmp_path), *args]) == 2
    assert message in capsys.readouterr().err
