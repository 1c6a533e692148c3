"""`desk-app doctor` against real parts: the reference registry on 127.0.0.1 (good token, bad
token, skewed clock, hanging, down, TLS), real trust files, SQLite files, a pty, a video file."""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import os
import socket
import ssl
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from desk_app.cli.main import main
from desk_app.config import Settings
from desk_app.demo.faults import Faults
from desk_app.demo.issuer import TestTreasury
from desk_app.demo.registry_server import RegistryServer
from desk_app.demo.synthetic import synthetic_records
from desk_app.doctor import (
    CheckResult,
    device_checks,
    exit_status,
    registry_checks,
    run_checks,
    storage_checks,
    system_checks,
)
from desk_app.doctor.runner import Check, check_trust
from desk_app.registry.status_store import StatusStore
from desk_app.registry.sync import run_sync
from desk_app.verify.trust_store import TrustStore
from tests.helpers.registry import make_client

TOKEN = "doctor-token-8c41d2e7"


@pytest.fixture
def registry(tmp_path: Path) -> Iterator[RegistryServer]:
    server = RegistryServer(tmp_path / "registry-server.sqlite", token=TOKEN)
    server.put(synthetic_records(5))
    server.start()
    yield server
    server.stop()


def registry_settings(data_dir: Path, url: str, token: str = TOKEN, **extra: object) -> Settings:
    options: dict[str, object] = {"registry_connect_timeout": 0.5, "registry_timeout": 1.0, **extra}
    return Settings(registry_url=url, registry_token=token, data_dir=str(data_dir), **options)  # type: ignore[arg-type]


def by_check(results: list[CheckResult]) -> dict[str, CheckResult]:
    return {r.check: r for r in results}


# --- registry ---------------------------------------------------------------------------------


def test_registry_with_the_good_token_is_ok_and_clocks_agree(registry: RegistryServer, data_dir: Path) -> None:
    results = by_check(registry_checks.check_registry(registry_settings(data_dir, registry.url)))
    assert results["registry"].level == "ok"
    assert "token accepted" in results["registry"].message
    assert results["registry"].details["http_status"] == 200
    assert results["clock_skew"].level == "ok"
    assert abs(results["clock_skew"].details["skew_seconds"]) < 5


@pytest.mark.parametrize("token", ["wrong-token-123", ""])
def test_registry_refusing_the_token_is_an_error(registry: RegistryServer, data_dir: Path, token: str) -> None:
    results = by_check(registry_checks.check_registry(registry_settings(data_dir, registry.url, token=token)))
    assert results["registry"].level == "error"
    assert "token" in results["registry"].message
    assert "ключ доступа" in results["registry"].message_ru
    assert exit_status(list(results.values())) == 2


def test_a_bad_token_is_named_with_its_http_status(registry: RegistryServer, data_dir: Path) -> None:
    results = by_check(registry_checks.check_registry(registry_settings(data_dir, registry.url, token="nope-nope")))
    assert results["registry"].details["http_status"] == 403
    assert "HTTP 403" in results["registry"].message


@pytest.mark.parametrize("offset_hours", [3, -3])
def test_a_registry_clock_more_than_two_hours_off_is_an_error(
    registry: RegistryServer, data_dir: Path, offset_hours: int
) -> None:
    registry.set_faults(Faults(clock_offset=offset_hours * 3600))
    results = by_check(registry_checks.check_registry(registry_settings(data_dir, registry.url)))
    assert results["registry"].level == "ok"
    skew = results["clock_skew"]
    assert skew.level == "error"
    assert abs(skew.details["skew_seconds"] + offset_hours * 3600) < 10  # the PC is behind a server that is ahead
    assert ("behind" if offset_hours > 0 else "ahead of") in skew.message
    assert "clock_suspect" in skew.message


def test_a_registry_clock_minutes_off_is_a_warning(registry: RegistryServer, data_dir: Path) -> None:
    registry.set_faults(Faults(clock_offset=20 * 60))
    results = by_check(registry_checks.check_registry(registry_settings(data_dir, registry.url)))
    assert results["clock_skew"].level == "warning"


def test_a_down_registry_is_an_error_quickly(data_dir: Path) -> None:
    with socket.socket() as sock:  # a port that was free a moment ago: nothing listens there
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    started = time.monotonic()
    results = by_check(registry_checks.check_registry(registry_settings(data_dir, f"http://127.0.0.1:{port}")))
    assert time.monotonic() - started < 3
    assert results["registry"].level == "error"
    assert "cannot connect" in results["registry"].message
    assert "clock_skew" not in results


def test_a_hanging_registry_is_an_error_within_the_configured_limit(registry: RegistryServer, data_dir: Path) -> None:
    registry.set_faults(Faults(delay=5))
    started = time.monotonic()
    results = by_check(registry_checks.check_registry(registry_settings(data_dir, registry.url)))
    assert time.monotonic() - started < 2.5
    assert results["registry"].level == "error"
    assert "no answer within 1 s" in results["registry"].message


def test_a_registry_answering_503_is_an_error(registry: RegistryServer, data_dir: Path) -> None:
    registry.set_faults(Faults(status=503))
    results = by_check(registry_checks.check_registry(registry_settings(data_dir, registry.url)))
    assert results["registry"].level == "error"
    assert "503" in results["registry"].message


def test_offline_and_unconfigured_registries(data_dir: Path) -> None:
    offline_settings = Settings(offline=True, registry_url="https://r.example", data_dir=str(data_dir))
    offline = registry_checks.check_registry(offline_settings)
    assert [r.level for r in offline] == ["warning"]
    missing = registry_checks.check_registry(Settings(data_dir=str(data_dir)))
    assert [r.level for r in missing] == ["error"]
    assert "registry.url" in missing[0].message


def _self_signed(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "doctor test registry")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "tls.pem", directory / "tls.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def test_tls_is_verified_unknown_ca_refused_configured_bundle_accepted(tmp_path: Path, data_dir: Path) -> None:
    cert, key = _self_signed(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    with RegistryServer(tmp_path / "tls.sqlite", token=TOKEN, ssl_context=context) as server:
        refused = by_check(registry_checks.check_registry(registry_settings(data_dir, server.url)))
        assert refused["registry"].level == "error"
        assert "TLS certificate not trusted" in refused["registry"].message
        trusted = registry_checks.check_registry(registry_settings(data_dir, server.url, registry_ca_bundle=str(cert)))
        assert by_check(trusted)["registry"].level == "ok"


def test_the_token_never_appears_in_doctor_output(
    registry: RegistryServer, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["doctor", "--json", "--registry-url", registry.url, "--registry-token", TOKEN,
                   "--data-dir", str(data_dir), "--demo"])
    out = capsys.readouterr()
    report = json.loads(out.out)
    assert report["status"] == status
    assert TOKEN not in out.out + out.err
    assert by_check([CheckResult(**c) for c in report["checks"]])["registry"].level == "ok"


# --- the offline copy ------------------------------------------------------------------------


def test_offline_copy_never_synced_then_synced(registry: RegistryServer, data_dir: Path) -> None:
    settings = registry_settings(data_dir, registry.url)
    assert registry_checks.check_registry_copy(settings).level == "warning"
    client = make_client(registry.url, token=TOKEN)
    with StatusStore(settings.status_db_path) as store:
        try:
            assert run_sync(client, store).complete
        finally:
            client.close()
    fresh = registry_checks.check_registry_copy(settings)
    assert fresh.level == "ok"
    assert fresh.details["records"] == 5
    later = registry_checks.check_registry_copy(settings, now=datetime.now(UTC) + timedelta(hours=5))
    assert later.level == "warning"
    assert "last synced 5 h ago" in later.message


# --- trust root, cache, CRL, clock -----------------------------------------------------------


def test_a_missing_trust_root_is_an_error(data_dir: Path, tmp_path: Path) -> None:
    results = check_trust(Settings(trust_root=str(tmp_path / "nowhere.pem"), data_dir=str(data_dir)))
    assert [r.check for r in results] == ["trust_root"]
    assert results[0].level == "error"
    assert "nowhere.pem" in results[0].message


def test_a_trust_root_that_is_not_a_ca_certificate_is_an_error(data_dir: Path, tmp_path: Path) -> None:
    junk = tmp_path / "root.pem"
    junk.write_text("this is not a certificate\n")
    results = check_trust(Settings(trust_root=str(junk), data_dir=str(data_dir)))
    assert results[0].level == "error"
    assert "not a PEM certificate" in results[0].message


def test_no_trust_root_outside_demo_mode_is_an_error_and_never_the_test_root(data_dir: Path) -> None:
    settings = Settings(data_dir=str(data_dir))
    assert settings.trust_root_path is None and not settings.uses_demo_root
    results = check_trust(settings)
    assert [(r.check, r.level) for r in results] == [("trust_root", "error")]
    assert "not configured" in results[0].message and "cannot check" in results[0].message
    assert "не настроен" in results[0].message_ru
    assert not (data_dir / "trust").exists()  # the demo trust list was not seeded either


def test_the_demo_root_is_a_loud_warning(data_dir: Path) -> None:
    results = by_check(check_trust(Settings(data_dir=str(data_dir), demo=True)))
    assert results["trust_root"].level == "warning"
    assert "TEST-ONLY" in results["trust_root"].message
    assert "ТЕСТОВЫЙ" in results["trust_root"].message_ru
    assert results["trust_cache"].level == "ok"  # the demo cache is seeded from the bundled files
    assert results["crl"].level == "ok"


def test_a_real_root_with_a_fresh_cache_is_ok(stand_in_settings: Settings) -> None:
    settings = stand_in_settings.replace(trust_url="https://treasury.example/trust")
    results = by_check(check_trust(settings))
    assert [r.level for r in results.values()] == ["ok", "ok", "ok"]


def test_a_root_named_a_test_one_is_a_warning(judge_settings: Settings) -> None:
    """Every TestTreasury root says "TEST ONLY - NOT THE FEDERAL TREASURY": doctor must not call it ok."""
    settings = judge_settings.replace(trust_url="https://treasury.example/trust")
    root = by_check(check_trust(settings))["trust_root"]
    assert root.level == "warning" and root.details["test_root"] is True
    assert "TEST root" in root.message and "NOT THE FEDERAL TREASURY" in root.message
    assert "ТЕСТОВЫЙ" in root.message_ru


def test_a_copy_of_the_bundled_demo_root_elsewhere_is_a_warning(tmp_path: Path, data_dir: Path) -> None:
    """Recognised by its fingerprint, not by its path (and without a name that says TEST it would be too)."""
    from desk_app.config import demo_trust_root

    copy = tmp_path / "treasury-root.pem"
    copy.write_bytes(demo_trust_root().read_bytes())
    settings = Settings(trust_root=str(copy), data_dir=str(data_dir))
    assert not settings.uses_demo_root
    root = by_check(check_trust(settings))["trust_root"]
    assert root.level == "warning" and root.details["test_root"] is True


def test_a_cache_never_downloaded_is_an_error(treasury: TestTreasury, data_dir: Path) -> None:
    results = by_check(check_trust(Settings(trust_root=str(treasury.root_pem_path), data_dir=str(data_dir))))
    assert results["trust_cache"].level == "error"
    assert results["crl"].level == "error"
    assert "never downloaded" in results["trust_cache"].message
    # doctor names the command that fetches it now (it used to say "go online once")
    assert "desk-app trust update" in results["trust_cache"].message
    assert "desk-app trust update" in results["trust_cache"].message_ru
    assert "desk-app trust update" in results["crl"].message


def test_an_old_cache_and_a_passed_crl_are_reported(treasury: TestTreasury, tmp_path: Path, data_dir: Path) -> None:
    old = datetime.now(UTC) - timedelta(days=3)
    files = tmp_path / "old-trust"
    treasury.write_trust_files(now=old, crl_days=1, directory=files)
    settings = Settings(trust_root=str(treasury.root_pem_path), trust_url="https://treasury.example/t",
                        data_dir=str(data_dir))
    store = TrustStore(settings.trust_root_path, settings.trust_cache_dir)
    store.install({p.name: p.read_bytes() for p in files.iterdir() if p.suffix in (".pem", ".crl")}, fetched_at=old)
    results = by_check(check_trust(settings))
    assert results["trust_cache"].level == "warning"
    assert "3 days ago" in results["trust_cache"].message
    assert results["crl"].level == "error"
    assert "crl_stale" in results["crl"].message


def test_a_clock_earlier_than_the_trust_download_is_an_error(judge_settings: Settings) -> None:
    assert system_checks.check_clock_floor(judge_settings).level == "ok"
    result = system_checks.check_clock_floor(judge_settings, now=datetime.now(UTC) - timedelta(days=2))
    assert result.level == "error"
    assert "earlier than" in result.message


def test_a_clock_earlier_than_the_release_is_an_error(data_dir: Path) -> None:
    result = system_checks.check_clock_floor(Settings(data_dir=str(data_dir)), now=datetime(2024, 1, 1, tzinfo=UTC))
    assert result.level == "error"
    assert "release date" in result.message


# --- config ----------------------------------------------------------------------------------


def test_a_broken_config_names_the_key_and_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[registry]\ntimeout = "soon"\n', encoding="utf-8")
    assert main(["doctor", "--config", str(config), "--lang", "en"]) == 2
    out = capsys.readouterr().out
    assert "registry.timeout" in out
    assert "[FAIL] Configuration" in out


def test_the_config_check_lists_files_and_locked_keys(tmp_path: Path, data_dir: Path) -> None:
    from desk_app.config import load_settings
    from desk_app.doctor.config_checks import check_config

    user, machine = tmp_path / "user.toml", tmp_path / "machine.toml"
    user.write_text('[desk]\nid = "desk-7"\n', encoding="utf-8")
    machine.write_text('[registry]\nurl = "https://registry.example/api"\n', encoding="utf-8")
    result = check_config(load_settings(user, machine_file=machine))
    assert result.level == "ok"
    assert result.details["files"] == [str(user), str(machine)]
    assert result.details["locked"] == ["registry.url"]
    assert "locked" in result.message


# --- database, devices, disk -----------------------------------------------------------------


def test_storage_new_existing_and_broken(data_dir: Path, tmp_path: Path) -> None:
    from desk_app.visits.store import open_store

    settings = Settings(data_dir=str(data_dir))
    assert "will be created" in storage_checks.check_storage(settings).message
    open_store(settings.resolved_storage_url).close()
    opened = storage_checks.check_storage(settings)
    assert opened.level == "ok"
    assert "schema version" in opened.message
    broken = tmp_path / "broken.sqlite"
    broken.write_bytes(b"this is not a database" * 100)
    result = storage_checks.check_storage(settings.replace(storage_url=str(broken)))
    assert result.level == "error"


def test_postgres_that_does_not_answer_is_an_error_without_the_password(data_dir: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings = Settings(data_dir=str(data_dir), storage_url=f"postgresql://desk:s3cret-pw@127.0.0.1:{port}/desk")
    result = storage_checks.check_storage(settings)
    assert result.level == "error"
    assert "s3cret-pw" not in result.message + result.message_ru + json.dumps(result.details)


@pytest.mark.skipif(sys.platform == "win32", reason="pty")
def test_serial_port_present_and_missing(data_dir: Path) -> None:
    master, slave = os.openpty()
    try:
        present = device_checks.check_serial(Settings(serial_port=os.ttyname(slave), data_dir=str(data_dir)))
        assert present is not None and present.level == "ok"
    finally:
        os.close(master)
        os.close(slave)
    missing = device_checks.check_serial(Settings(serial_port="/dev/ttyDESK-none", data_dir=str(data_dir)))
    assert missing is not None and missing.level == "error"
    assert "does not exist" in missing.message
    assert device_checks.check_serial(Settings(data_dir=str(data_dir))) is None


def _video(path: Path, frames: int = 5) -> Path:
    import cv2
    import numpy as np

    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10, (64, 48))
    for i in range(frames):
        writer.write(np.full((48, 64, 3), i * 20, dtype=np.uint8))
    writer.release()
    return path


def test_camera_giving_frames_and_missing(tmp_path: Path, data_dir: Path) -> None:
    video = _video(tmp_path / "camera.avi")
    good = device_checks.check_camera(Settings(camera=str(video), data_dir=str(data_dir)))
    assert good is not None and good.level == "ok"
    assert good.details["width"] == 64
    missing = device_checks.check_camera(Settings(camera=str(tmp_path / "none.avi"), data_dir=str(data_dir)))
    assert missing is not None and missing.level == "error"
    assert device_checks.check_camera(Settings(data_dir=str(data_dir))) is None


def test_disk_levels(data_dir: Path) -> None:
    settings = Settings(data_dir=str(data_dir))
    assert system_checks.check_disk(settings).details["free_bytes"] > 0

    class Usage:
        def __init__(self, free: int) -> None:
            self.free = free

    assert system_checks.check_disk(settings, usage=lambda _p: Usage(50_000_000)).level == "error"
    assert system_checks.check_disk(settings, usage=lambda _p: Usage(500_000_000)).level == "warning"
    assert system_checks.check_disk(settings, usage=lambda _p: Usage(5_000_000_000)).level == "ok"


# --- the runner and the command --------------------------------------------------------------


@pytest.mark.expect_log_warnings
def test_a_crashing_or_hanging_check_never_stops_doctor(data_dir: Path) -> None:
    def crash(_settings: Settings) -> CheckResult:
        raise RuntimeError("boom")

    def hang(_settings: Settings) -> CheckResult:
        time.sleep(30)
        raise AssertionError("unreachable")

    checks = [
        Check("crash", "Crash", "Сбой", crash, 2),
        Check("hang", "Hang", "Зависание", hang, 0.5),
        Check("disk", "Disk", "Диск", system_checks.check_disk, 5),
    ]
    started = time.monotonic()
    results = by_check(run_checks(Settings(data_dir=str(data_dir)), checks))
    assert time.monotonic() - started < 3
    assert results["crash"].level == "error" and "boom" in results["crash"].message
    assert results["hang"].level == "error" and "did not finish" in results["hang"].message
    assert results["disk"].level in ("ok", "warning", "error")
    assert list(results) == ["crash", "hang", "disk"]


def test_exit_status_levels() -> None:
    def result(level: str) -> CheckResult:
        return CheckResult("x", level, "X", "m", "Х", "с")  # type: ignore[arg-type]

    assert exit_status([result("ok"), result("ok")]) == 0
    assert exit_status([result("ok"), result("warning")]) == 1
    assert exit_status([result("warning"), result("error"), result("ok")]) == 2
    assert exit_status([]) == 0


def test_doctor_all_checks_with_a_working_setup(
    registry: RegistryServer, stand_in_settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    judge_settings = stand_in_settings
    """Every check runs against real parts; a healthy desk (real root, registry, synced copy) is all ok."""
    config = tmp_path / "config.toml"
    config.write_text(
        f'[trust]\nroot = "{judge_settings.trust_root}"\nurl = "https://treasury.example/trust"\n'
        f'[registry]\nurl = "{registry.url}"\ntoken = "{TOKEN}"\n'
        f'[desk]\ndata_dir = "{judge_settings.data_dir}"\n',
        encoding="utf-8",
    )
    client = make_client(registry.url, token=TOKEN)
    with StatusStore(judge_settings.status_db_path) as store:
        run_sync(client, store)
    client.close()
    status = main(["doctor", "--config", str(config), "--lang", "en"])
    out = capsys.readouterr().out
    levels = {line.split("]")[0] for line in out.splitlines() if line.startswith("[")}
    assert status in (0, 1), out  # disk space on the test machine may warn; nothing may fail
    if status == 0:
        assert levels == {"[ok  "}
    assert "[FAIL]" not in out
    for title in ("Configuration", "Trust root", "Treasury trust list", "Revocation list", "PC clock", "Registry",
                  "Clock against the registry", "Offline copy", "Visits database", "Keyboard-wedge", "Log files"):
        assert title in out
