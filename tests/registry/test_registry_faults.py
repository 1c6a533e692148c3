"""Every registry fault, on a real 127.0.0.1 port: the answer arrives within the limit, with the
right source and reason, from the offline copy when it holds the policy and without it when not."""

from __future__ import annotations

import socket
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from desk_app.demo.faults import Faults
from desk_app.demo.registry_server import RegistryServer
from desk_app.demo.synthetic import synthetic_records
from desk_app.registry.status import RegistryStatusSource
from desk_app.registry.status_store import StatusStore
from desk_app.verify.status import StatusAnswer
from tests.helpers.registry import LIMIT, TOKEN, make_source, running_server

RECORDS = list(synthetic_records(20))
CACHED = RECORDS[0]  # looked up once while healthy, so the copy holds it
UNCACHED = RECORDS[1]  # never seen by the desk
SLACK = 0.35  # scheduling overhead allowed on a loaded 2-core machine


@pytest.fixture
def server(tmp_path: Path):  # type: ignore[no-untyped-def]
    with running_server(tmp_path, count=20) as srv:
        yield srv


def timed_lookup(source: RegistryStatusSource, enp: str) -> tuple[StatusAnswer, float]:
    start = time.perf_counter()
    answer = source.lookup(enp)
    return answer, time.perf_counter() - start


def test_healthy_registry_answers_online_and_the_answer_is_kept(source: RegistryStatusSource) -> None:
    answer, elapsed = timed_lookup(source, CACHED.enp)
    assert elapsed < LIMIT
    assert answer.source == "online" and answer.status == CACHED.status and answer.reasons == ()
    assert answer.as_of is not None and answer.as_of.tzinfo is not None
    assert abs(answer.as_of - datetime.now(UTC)) < timedelta(seconds=5)
    assert answer.received_at == answer.as_of
    assert answer.server_date is not None and abs(answer.server_date - answer.as_of) < timedelta(seconds=5)
    assert answer.birth_date is not None and answer.birth_date.isoformat() == CACHED.birth_date
    assert answer.insurer_code == CACHED.insurer_code
    assert source.store is not None
    kept = source.store.get(CACHED.enp)
    assert kept is not None and kept.status == CACHED.status and kept.received_at == answer.as_of


def test_unknown_policy_is_not_found_online_and_kept(source: RegistryStatusSource) -> None:
    enp = synthetic_records(1, start=999)
    missing = next(enp).enp
    answer = source.lookup(missing)
    assert (answer.status, answer.source, answer.reasons) == ("not_found", "online", ())
    assert source.store is not None
    kept = source.store.get(missing)
    assert kept is not None and kept.status == "not_found"


def test_suspended_policy_carries_the_registry_reason_text(
    server: RegistryServer, source: RegistryStatusSource
) -> None:
    suspended = replace(RECORDS[2], status="suspended", reason="Выявлено двойное страхование")
    server.put([suspended])
    answer = source.lookup(suspended.enp)
    assert answer.status == "suspended" and answer.reason_text == suspended.reason


FAULTS = [
    pytest.param(Faults(delay=30), "registry_timeout", id="hang"),
    pytest.param(Faults(delay=LIMIT + 0.5), "registry_timeout", id="delay-beyond-limit"),
    pytest.param(Faults(trickle=10), "registry_timeout", id="trickle"),
    pytest.param(Faults(status=503), "registry_error", id="503"),
    pytest.param(Faults(status=500), "registry_error", id="500"),
    pytest.param(Faults(retry_after=60), "registry_rate_limited", id="429"),
    pytest.param(Faults(drop=True), "registry_unreachable", id="dropped-connection"),
    pytest.param(Faults(garbage=True), "registry_bad_response", id="malformed-json"),
]


@pytest.mark.expect_log_warnings
@pytest.mark.parametrize(("faults", "reason"), FAULTS)
def test_fault_answers_from_the_copy_within_the_limit(
    server: RegistryServer, source: RegistryStatusSource, faults: Faults, reason: str
) -> None:
    healthy = source.lookup(CACHED.enp)
    assert healthy.source == "online"
    server.set_faults(faults)

    answer, elapsed = timed_lookup(source, CACHED.enp)
    assert elapsed < LIMIT + SLACK, f"took {elapsed:.2f}s"
    assert answer.source == "cache" and answer.status == CACHED.status
    assert answer.reasons == (reason,)
    assert answer.as_of == healthy.as_of  # the receipt time of the kept answer
    assert answer.server_date is None

    answer, elapsed = timed_lookup(source, UNCACHED.enp)
    assert elapsed < LIMIT + SLACK, f"took {elapsed:.2f}s"
    assert (answer.status, answer.source, answer.as_of, answer.reasons) == ("unknown", "none", None, (reason,))


def test_a_delay_within_the_limit_still_answers_online(server: RegistryServer, source: RegistryStatusSource) -> None:
    server.set_faults(Faults(delay=0.3))
    answer, elapsed = timed_lookup(source, CACHED.enp)
    assert answer.source == "online" and 0.3 <= elapsed < LIMIT


@pytest.mark.expect_log_warnings
@pytest.mark.parametrize(("token", "code"), [("wrong-token", 403), ("", 401)])
def test_refused_token_is_a_configuration_problem_not_offline(
    server: RegistryServer, tmp_path: Path, token: str, code: int
) -> None:
    store_path = tmp_path / "copy.sqlite"
    good = make_source(server.url, store_path)
    good.lookup(CACHED.enp)
    good.close()
    bad = make_source(server.url, store_path, token=token)
    try:
        answer = bad.lookup(CACHED.enp)
        assert (answer.source, answer.reasons) == ("cache", ("registry_auth_failed",))
        answer = bad.lookup(UNCACHED.enp)
        assert (answer.source, answer.status, answer.reasons) == ("none", "unknown", ("registry_auth_failed",))
        # A live registry that refuses us does not open the breaker.
        assert bad.breaker.state == "closed"
    finally:
        bad.close()


def test_server_refuses_missing_and_wrong_tokens_with_401_and_403(server: RegistryServer) -> None:
    import requests

    url = f"{server.url}/v1/policies/{CACHED.enp}"
    assert requests.get(url, timeout=5).status_code == 401
    assert requests.get(url, headers={"Authorization": "Bearer nope"}, timeout=5).status_code == 403


@pytest.mark.expect_log_warnings
def test_connection_refused_answers_at_once(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again before use: nothing listens there
    store_path = tmp_path / "copy.sqlite"
    with StatusStore(store_path) as store:
        store.put_answer(CACHED, datetime.now(UTC))
    source = make_source(f"http://127.0.0.1:{port}", store_path)
    try:
        answer, elapsed = timed_lookup(source, CACHED.enp)
        assert elapsed < 0.5
        assert (answer.source, answer.reasons) == ("cache", ("registry_unreachable",))
    finally:
        source.close()


@pytest.mark.expect_log_warnings
def test_429_is_respected_without_asking_again_and_without_a_storm(
    server: RegistryServer, source: RegistryStatusSource
) -> None:
    source.lookup(CACHED.enp)
    server.set_faults(Faults(retry_after=1))
    assert source.lookup(CACHED.enp).reasons == ("registry_rate_limited",)
    asked = server.request_count
    for _ in range(20):
        answer, elapsed = timed_lookup(source, CACHED.enp)
        assert answer.reasons == ("registry_rate_limited",) and answer.source == "cache"
        assert elapsed < 0.05
    assert server.request_count == asked  # nothing sent while Retry-After runs
    server.set_faults(Faults())
    time.sleep(1.05)
    answers = [source.lookup(CACHED.enp) for _ in range(5)]
    assert all(a.source == "online" for a in answers)
    assert server.request_count == asked + 5  # one request per lookup, no burst of retries


@pytest.mark.expect_log_warnings
def test_wrong_shape_is_a_bad_response(server: RegistryServer, source: RegistryStatusSource) -> None:
    server.db.put([replace(CACHED, status="frozen")])
    answer = source.lookup(CACHED.enp)
    assert (answer.source, answer.reasons) == ("none", ("registry_bad_response",))


@pytest.mark.expect_log_warnings
def test_malformed_enp_is_refused_by_the_server_as_a_bad_response(source: RegistryStatusSource) -> None:
    answer = source.lookup("7700000000000015")  # wrong check digit
    assert (answer.status, answer.reasons) == ("unknown", ("registry_bad_response",))


def test_registry_clock_is_reported_as_server_date(server: RegistryServer, source: RegistryStatusSource) -> None:
    server.set_faults(Faults(clock_offset=-7200))
    answer = source.lookup(CACHED.enp)
    assert answer.source == "online" and answer.server_date is not None and answer.as_of is not None
    assert timedelta(seconds=7190) < answer.as_of - answer.server_date < timedelta(seconds=7210)


def test_token_and_full_policy_numbers_never_reach_the_log(
    server: RegistryServer, source: RegistryStatusSource, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    source.lookup(CACHED.enp)
    for faults in (Faults(status=503), Faults(garbage=True), Faults(drop=True)):
        server.set_faults(faults)
        source.lookup(CACHED.enp)
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "7700" in text  # the lookups were logged (masked)...
    assert CACHED.enp not in text  # ...but never in full
    assert TOKEN not in text
    assert TOKEN not in repr(source.client)
