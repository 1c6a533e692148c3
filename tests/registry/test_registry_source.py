"""Circuit breaker, offline and unconfigured modes, and TLS verification of the registry client."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from desk_app.config import Settings
from desk_app.demo.faults import Faults
from desk_app.demo.registry_server import RegistryServer
from desk_app.demo.synthetic import synthetic_records
from desk_app.registry.breaker import CircuitBreaker, Gate
from desk_app.registry.status import build_status_source
from desk_app.registry.status_store import StatusStore
from tests.helpers.registry import LIMIT, TOKEN, make_client, make_source, running_server, wait_until

RECORDS = list(synthetic_records(5))
KNOWN, OTHER = RECORDS[0], RECORDS[1]


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_breaker_opens_after_threshold_and_admits_one_probe_after_cool_down() -> None:
    clock = FakeClock()
    breaker = CircuitBreaker(failure_threshold=3, cool_down=10, clock=clock)
    for _ in range(2):
        assert breaker.before_request() is Gate.CALL
        breaker.record_failure()
    assert breaker.state == "closed"
    breaker.record_failure()
    assert breaker.state == "open" and breaker.before_request() is Gate.REJECT
    clock.now += 10
    assert breaker.before_request() is Gate.PROBE
    assert breaker.before_request() is Gate.REJECT  # only one probe at a time
    breaker.record_failure()  # the probe failed: open for another cool-down
    assert breaker.state == "open" and breaker.before_request() is Gate.REJECT
    clock.now += 10
    assert breaker.before_request() is Gate.PROBE
    breaker.record_success()
    assert breaker.state == "closed" and breaker.before_request() is Gate.CALL


def test_a_success_resets_the_failure_count() -> None:
    breaker = CircuitBreaker(failure_threshold=2, cool_down=10, clock=FakeClock())
    breaker.record_failure()
    breaker.record_success()
    breaker.record_failure()
    assert breaker.state == "closed"


@pytest.mark.expect_log_warnings
def test_breaker_opens_on_a_hanging_registry_answers_fast_and_recovers(tmp_path: Path) -> None:
    with running_server(tmp_path, count=5) as server:
        source = make_source(server.url, tmp_path / "copy.sqlite", breaker=CircuitBreaker(3, cool_down=0.5))
        try:
            assert source.lookup(KNOWN.enp).source == "online"
            server.set_faults(Faults(delay=30))
            for _ in range(3):
                start = time.perf_counter()
                assert source.lookup(KNOWN.enp).reasons == ("registry_timeout",)
                assert time.perf_counter() - start < LIMIT + 0.35
            assert source.breaker.state == "open"
            asked = server.request_count
            for enp, expected in ((KNOWN.enp, ("cache", KNOWN.status)), (OTHER.enp, ("none", "unknown"))):
                start = time.perf_counter()
                answer = source.lookup(enp)
                assert time.perf_counter() - start < 0.05
                assert (answer.source, answer.status) == expected
                assert answer.reasons == ("registry_circuit_open",)
            assert server.request_count == asked  # an open breaker does not wait on the registry

            server.set_faults(Faults())
            time.sleep(0.55)
            start = time.perf_counter()
            answer = source.lookup(OTHER.enp)  # half-open: the probe runs in the background
            assert time.perf_counter() - start < 0.05
            assert answer.reasons == ("registry_circuit_open",)
            assert wait_until(lambda: source.breaker.state == "closed")
            assert source.store is not None and source.store.get(OTHER.enp) is not None  # the probe's answer kept
            answer = source.lookup(KNOWN.enp)
            assert (answer.source, answer.reasons) == ("online", ())
        finally:
            source.close()


@pytest.mark.expect_log_warnings
def test_a_failed_probe_keeps_the_breaker_open(tmp_path: Path) -> None:
    with running_server(tmp_path, count=5, faults=Faults(status=503)) as server:
        source = make_source(server.url, tmp_path / "copy.sqlite", breaker=CircuitBreaker(2, cool_down=0.3))
        try:
            for _ in range(2):
                assert source.lookup(KNOWN.enp).reasons == ("registry_error",)
            time.sleep(0.35)
            assert source.lookup(KNOWN.enp).reasons == ("registry_circuit_open",)
            assert wait_until(lambda: source.breaker.state == "open")
            assert source.lookup(KNOWN.enp).reasons == ("registry_circuit_open",)
        finally:
            source.close()


def settings_for(tmp_path: Path, **changes: object) -> Settings:
    return Settings(data_dir=str(tmp_path / "desk-data"), registry_token=TOKEN, registry_timeout=LIMIT,
                    registry_connect_timeout=0.5, **changes)  # type: ignore[arg-type]


def seed_copy(settings: Settings) -> datetime:
    received = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
    with StatusStore(settings.status_db_path) as store:
        store.put_answer(KNOWN, received)
    return received


def test_offline_mode_answers_from_the_copy_without_asking(tmp_path: Path) -> None:
    with running_server(tmp_path, count=5) as server:
        settings = settings_for(tmp_path, registry_url=server.url, offline=True)
        received = seed_copy(settings)
        source = build_status_source(settings)
        try:
            answer = source.lookup(KNOWN.enp)
            assert (answer.source, answer.status, answer.as_of) == ("cache", KNOWN.status, received)
            assert answer.reasons == ("offline_mode",)
            assert source.lookup(OTHER.enp).reasons == ("offline_mode",)
            assert source.lookup(OTHER.enp).source == "none"
            assert server.request_count == 0
        finally:
            source.close()


def test_offline_mode_without_a_copy_answers_unknown(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, offline=True)
    source = build_status_source(settings)
    answer = source.lookup(KNOWN.enp)
    assert (answer.status, answer.source, answer.as_of, answer.reasons) == ("unknown", "none", None, ("offline_mode",))
    assert not settings.status_db_path.exists()  # nothing created just to say "unknown"
    source.close()


def test_no_registry_url_uses_the_copy_when_it_has_the_policy(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    source = build_status_source(settings)
    answer = source.lookup(KNOWN.enp)
    assert (answer.status, answer.source, answer.reasons) == ("unknown", "none", ("registry_not_configured",))
    source.close()
    received = seed_copy(settings)
    source = build_status_source(settings)
    try:
        answer = source.lookup(KNOWN.enp)
        assert (answer.source, answer.as_of, answer.reasons) == ("cache", received, ("registry_not_configured",))
    finally:
        source.close()


def test_configured_registry_is_asked_and_the_copy_created(tmp_path: Path) -> None:
    with running_server(tmp_path, count=5) as server:
        settings = settings_for(tmp_path, registry_url=server.url)
        source = build_status_source(settings)
        try:
            assert source.lookup(KNOWN.enp).source == "online"
            assert settings.status_db_path.exists()
        finally:
            source.close()


@pytest.mark.expect_log_warnings
def test_missing_token_is_an_auth_failure_without_a_request(tmp_path: Path) -> None:
    with running_server(tmp_path, count=5) as server:
        source = build_status_source(settings_for(tmp_path, registry_url=server.url).replace(registry_token=""))
        try:
            assert source.lookup(KNOWN.enp).reasons == ("registry_auth_failed",)
            assert server.request_count == 0
        finally:
            source.close()


@pytest.mark.expect_log_warnings
def test_a_broken_copy_file_does_not_break_lookups(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, offline=True)
    settings.status_db_path.parent.mkdir(parents=True)
    settings.status_db_path.write_bytes(b"this is not a database" * 100)
    source = build_status_source(settings)
    answer = source.lookup(KNOWN.enp)
    assert (answer.status, answer.source, answer.reasons) == ("unknown", "none", ("offline_mode",))
    source.close()


# TLS ------------------------------------------------------------------------------------
def make_tls_files(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (stands in for the fund's CA) and its key."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "test registry")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "registry.pem", directory / "registry.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


@pytest.fixture
def tls_server(tmp_path: Path):  # type: ignore[no-untyped-def]
    cert, key = make_tls_files(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = RegistryServer(tmp_path / "tls-registry.sqlite", token=TOKEN, ssl_context=context)
    server.put(RECORDS)
    server.start()
    yield server, cert
    server.stop()


def test_tls_with_the_configured_ca_bundle_is_verified_and_works(tls_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    server, cert = tls_server
    assert server.url.startswith("https://127.0.0.1:")
    client = make_client(server.url, ca_bundle=str(cert))
    try:
        assert client.get_policy(KNOWN.enp).record.status == KNOWN.status
    finally:
        client.close()


@pytest.mark.expect_log_warnings
def test_tls_with_an_unknown_certificate_is_refused(tls_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    server, _cert = tls_server
    source = make_source(server.url, tmp_path / "copy.sqlite")  # system store: does not know this CA
    try:
        answer = source.lookup(KNOWN.enp)
        assert (answer.source, answer.reasons) == ("none", ("registry_unreachable",))
    finally:
        source.close()
