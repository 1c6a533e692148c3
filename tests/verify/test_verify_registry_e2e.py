"""`desk-app verify` against the reference registry on a real 127.0.0.1 port: the demo policies'
verdicts, then the registry failing in each way while the desk answers from its copy."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from desk_app.cli.main import main
from desk_app.config import demo_trust_root
from desk_app.demo.faults import Faults
from desk_app.demo.registry_server import RegistryServer, load_seed
from desk_app.paths import resource

TOKEN = "clinic-token-e2e"
POLICIES = resource("demo", "policies")
DEMO_ROOT = ["--trust-root", str(demo_trust_root())]  # the demo policies' root, pinned explicitly


@pytest.fixture
def registry(tmp_path: Path):
    server = RegistryServer(tmp_path / "registry.sqlite", token=TOKEN)
    server.put(load_seed(resource("demo", "registry-seed.json")))
    server.start()
    yield server
    server.stop()


def verify(capsys, data_dir: Path, url: str, *names: str, token: str = TOKEN) -> list[dict]:
    args = ["verify", "--json", *DEMO_ROOT, "--data-dir", str(data_dir), "--registry-url", url,
            "--registry-token", token]
    assert main([*args, *(str(POLICIES / f"{n}.b.txt") for n in names)]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_demo_policies_online(registry, tmp_path, capsys) -> None:
    out = verify(
        capsys,
        tmp_path,
        registry.url,
        "active",
        "active-ec",
        "expired",
        "suspended",
        "not-found",
        "holder-mismatch",
        "tampered",
        "revoked",
    )
    got = [(o["decision"], o["signature"], o["status"], o["status_source"], o["reasons"]) for o in out]
    assert got == [
        ("accept", "ok", "active", "online", []),
        ("accept", "ok", "active", "online", []),
        ("reject", "ok", "expired", "online", ["status_expired", "past_valid_to"]),
        ("reject", "ok", "suspended", "online", ["status_suspended"]),
        ("reject", "ok", "not_found", "online", ["status_not_found"]),
        ("reject", "ok", "active", "online", ["holder_mismatch"]),
        ("reject", "bad_signature", "unknown", "none", ["bad_signature"]),
        ("reject", "revoked_signer", "unknown", "none", ["revoked_signer"]),
    ]
    assert all(o["status_as_of"] for o in out[:6])


@pytest.mark.parametrize(
    ("faults", "reason"),
    [
        (Faults(status=503), "registry_error"),
        (Faults(retry_after=30), "registry_rate_limited"),
        (Faults(garbage=True), "registry_bad_response"),
        (Faults(drop=True), "registry_unreachable"),
    ],
)
@pytest.mark.expect_log_warnings
def test_registry_faults_fall_back_to_the_fresh_copy(registry, tmp_path, capsys, faults, reason) -> None:
    first = verify(capsys, tmp_path, registry.url, "active")[0]
    assert first["status_source"] == "online"
    registry.set_faults(faults)
    again = verify(capsys, tmp_path, registry.url, "active")[0]
    assert (again["decision"], again["status"], again["status_source"]) == ("accept", "active", "cache")
    assert again["reasons"] == [reason]
    assert again["status_as_of"] == first["status_as_of"]


@pytest.mark.expect_log_warnings
def test_registry_down_without_a_copy_is_warn(tmp_path, capsys) -> None:
    out = verify(capsys, tmp_path, "http://127.0.0.1:9", "active")[0]
    assert (out["decision"], out["status"], out["status_source"], out["reasons"]) == (
        "warn",
        "unknown",
        "none",
        ["registry_unreachable"],
    )


@pytest.mark.expect_log_warnings
def test_hanging_registry_answers_within_the_limit(registry, tmp_path, capsys) -> None:
    registry.set_faults(Faults(delay=10))
    cfg = tmp_path / "desk.toml"
    cfg.write_text("[registry]\ntimeout = 1.0\nconnect_timeout = 0.5\n")
    start = time.monotonic()
    assert (
        main(
            [
                "verify",
                *DEMO_ROOT,
                "--json",
                "--config",
                str(cfg),
                "--data-dir",
                str(tmp_path),
                "--registry-url",
                registry.url,
                "--registry-token",
                TOKEN,
                str(POLICIES / "active.a.txt"),
            ]
        )
        == 0
    )
    elapsed = time.monotonic() - start
    out = json.loads(capsys.readouterr().out)
    assert (out["decision"], out["reasons"]) == ("warn", ["registry_timeout"])
    assert elapsed < 1.0 + 2.0  # the limit, plus process-level start-up of the judge


@pytest.mark.expect_log_warnings
def test_wrong_token_is_a_configuration_problem(registry, tmp_path, capsys) -> None:
    out = verify(capsys, tmp_path, registry.url, "active", token="wrong")[0]
    assert (out["decision"], out["reasons"]) == ("warn", ["registry_auth_failed"])


def test_registry_clock_far_off_is_clock_suspect(registry, tmp_path, capsys) -> None:
    registry.set_faults(Faults(clock_offset=3 * 3600))
    out = verify(capsys, tmp_path, registry.url, "active")[0]
    assert (out["decision"], out["status_source"], out["reasons"]) == ("warn", "online", ["clock_suspect"])


def test_offline_mode_uses_the_copy_and_asks_nothing(registry, tmp_path, capsys) -> None:
    verify(capsys, tmp_path, registry.url, "active")
    before = registry.request_count
    assert (
        main(
            [
                "verify",
                *DEMO_ROOT,
                "--json",
                "--offline",
                "--data-dir",
                str(tmp_path),
                "--registry-url",
                registry.url,
                "--registry-token",
                TOKEN,
                str(POLICIES / "active.b.txt"),
            ]
        )
        == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert (out["decision"], out["status_source"], out["reasons"]) == ("accept", "cache", ["offline_mode"])
    assert registry.request_count == before
