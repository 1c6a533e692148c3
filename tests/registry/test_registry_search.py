"""`POST /v1/policies/search` on a real 127.0.0.1 port: found, not found (saying nothing of which
field), every fault a lookup meets, the answer kept under the ENP found and the document nowhere."""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path

import pytest
import requests

from desk_app.demo.faults import Faults
from desk_app.demo.registry_server import Person, RegistryServer
from desk_app.registry.records import RegistryRecord, enp_with_check_digit, parse_record
from desk_app.registry.status import RegistryStatusSource
from desk_app.verify.documents import DocumentQuery, make_query
from tests.helpers.registry import LIMIT, TOKEN, make_source, running_server

TODAY = date(2026, 12, 6)
SLACK = 0.35


def record(body: str, birth_date: str) -> RegistryRecord:
    return parse_record({"enp": enp_with_check_digit(body), "status": "active", "insurer_code": "77012",
                         "birth_date": birth_date, "updated_at": "2026-11-21T18:35:51+00:00"})  # fmt: skip


MARIA = record("770000000000001", "1985-03-14")
CHILD = record("770000000000011", "2019-05-02")
PEOPLE = [
    Person(MARIA.enp, "Иванова", "Мария", "Петровна", "F", passport="4510 123456", snils="112-233-445 95"),
    Person(CHILD.enp, "Иванова", "Дарья", "Андреевна", "F", birth_certificate="IV-МЮ 654321"),
]
PASSPORT = make_query("passport_rf", "4510 123456", date(1985, 3, 14), TODAY)
SNILS = make_query("snils", "112-233-445 95", date(1985, 3, 14), TODAY)
CERTIFICATE = make_query("birth_certificate", "IV-МЮ 654321", date(2019, 5, 2), TODAY)


@pytest.fixture
def server(tmp_path: Path):  # type: ignore[no-untyped-def]
    with running_server(tmp_path, count=0) as srv:
        srv.put([MARIA, CHILD])
        srv.put_people(PEOPLE)
        yield srv


def timed(source: RegistryStatusSource, query: DocumentQuery):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    found = source.search(query)
    return found, time.perf_counter() - start


@pytest.mark.parametrize(
    ("query", "record", "first_name"), [(PASSPORT, MARIA, "Мария"), (SNILS, MARIA, "Мария"),
                                        (CERTIFICATE, CHILD, "Дарья")],
    ids=["passport", "snils", "birth_certificate"],
)  # fmt: skip
def test_found_by_each_document_with_its_holder_and_kept_under_the_enp(
    source: RegistryStatusSource, query: DocumentQuery, record: RegistryRecord, first_name: str
) -> None:
    found = source.search(query)
    assert (found.enp, found.answer.status, found.answer.source, found.answer.reasons) == (
        record.enp, "active", "online", ())
    assert (found.last_name, found.first_name, found.sex) == ("Иванова", first_name, "F")
    assert found.answer.birth_date == query.birth_date and found.answer.insurer_code == "77012"
    assert source.store is not None
    kept = source.store.get(record.enp)  # the answer is kept under the ENP found, like a lookup
    assert kept is not None and kept.status == "active"


def test_the_document_is_kept_nowhere_on_the_desk(source: RegistryStatusSource, tmp_path: Path) -> None:
    for query in (PASSPORT, SNILS, CERTIFICATE):
        assert source.search(query).enp
    source.close()
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("copy.sqlite*"))
    assert MARIA.enp.encode() in stored  # the answer is there...
    for secret in ("123456", "4510", "11223344595", "654321", "IV-МЮ"):
        assert secret.encode() not in stored, secret  # ...the documents are not


@pytest.mark.parametrize(
    "query",
    [make_query("passport_rf", "4510 123456", date(1985, 3, 15), TODAY),  # right passport, wrong birth date
     make_query("passport_rf", "4510 123457", date(1985, 3, 14), TODAY),  # wrong passport, right birth date
     make_query("birth_certificate", "IV-МЮ 654321", date(1985, 3, 14), TODAY)],
    ids=["birth_date", "number", "mother's birth date"],
)  # fmt: skip
def test_not_found_never_says_which_part_did_not_match(
    server: RegistryServer, source: RegistryStatusSource, query: DocumentQuery
) -> None:
    found = source.search(query)
    assert (found.enp, found.answer.status, found.answer.source) == (None, "not_found", "online")
    reply = requests.post(f"{server.url}/v1/policies/search", json=query.request_body(), timeout=5,
                          headers={"Authorization": f"Bearer {TOKEN}"})  # fmt: skip
    assert reply.status_code == 404 and reply.json() == {"status": "not_found"}


@pytest.mark.parametrize(
    ("body", "field"),
    [({"document": {"type": "passport_rf", "series": "451", "number": "123456"}, "birth_date": "1985-03-14"},
      "document.series"),
     ({"document": {"type": "birth_certificate", "series": "IIII-МЮ", "number": "654321"},
       "birth_date": "2019-05-02"}, "document.series"),
     ({"snils": "11223344596", "birth_date": "1985-03-14"}, "snils"),
     ({"snils": "11223344595", "birth_date": "1985-02-30"}, "birth_date"),
     ({"snils": "11223344595", "document": {"type": "passport_rf", "series": "4510", "number": "123456"},
       "birth_date": "1985-03-14"}, "document"),
     ({"birth_date": "1985-03-14"}, "document")],
)  # fmt: skip
def test_server_names_the_malformed_field_with_400(server: RegistryServer, body: dict, field: str) -> None:
    reply = requests.post(f"{server.url}/v1/policies/search", json=body, timeout=5,
                          headers={"Authorization": f"Bearer {TOKEN}"})  # fmt: skip
    assert reply.status_code == 400 and reply.json() == {"error": field}
    assert server.searches == []  # a malformed body is not a search


def test_server_refuses_a_search_without_or_with_a_wrong_token(server: RegistryServer) -> None:
    url = f"{server.url}/v1/policies/search"
    assert requests.post(url, json=PASSPORT.request_body(), timeout=5).status_code == 401
    assert requests.post(url, json=PASSPORT.request_body(), timeout=5,
                         headers={"Authorization": "Bearer nope"}).status_code == 403  # fmt: skip
    assert requests.get(url, timeout=5, headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 405


FAULTS = [
    (Faults(delay=LIMIT + 1.0), "registry_timeout"),
    (Faults(trickle=LIMIT + 1.5), "registry_timeout"),
    (Faults(slow_headers=0.2), "registry_timeout"),
    (Faults(status=503), "registry_error"),
    (Faults(status=500), "registry_error"),
    (Faults(drop=True), "registry_unreachable"),
    (Faults(garbage=True), "registry_bad_response"),
]


@pytest.mark.expect_log_warnings
@pytest.mark.parametrize(("faults", "reason"), FAULTS, ids=[f"{r}-{i}" for i, (_f, r) in enumerate(FAULTS)])
def test_fault_gives_no_answer_within_the_limit_never_the_copy(
    server: RegistryServer, source: RegistryStatusSource, faults: Faults, reason: str
) -> None:
    assert source.search(PASSPORT).enp == MARIA.enp  # the copy now holds Maria's policy...
    server.set_faults(faults)
    found, elapsed = timed(source, PASSPORT)
    assert elapsed < LIMIT + SLACK, f"took {elapsed:.2f}s"
    # ...but a search is online only: the copy holds no documents, so nothing is "found" in it
    assert (found.enp, found.answer.status, found.answer.source, found.answer.reasons) == (
        None, "unknown", "none", (reason,))


@pytest.mark.expect_log_warnings
def test_429_gives_the_seconds_to_wait_and_nothing_is_sent_meanwhile(
    server: RegistryServer, source: RegistryStatusSource
) -> None:
    server.set_faults(Faults(retry_after=40))
    found = source.search(PASSPORT)
    assert found.answer.reasons == ("registry_rate_limited",) and found.answer.status == "unknown"
    assert found.retry_after is not None and 38 <= found.retry_after <= 40
    asked = server.request_count
    again = source.search(SNILS)
    assert again.answer.reasons == ("registry_rate_limited",) and again.retry_after is not None
    assert server.request_count == asked  # the registry's Retry-After is respected


@pytest.mark.expect_log_warnings
@pytest.mark.parametrize(("token", "code"), [("wrong-token", 403), ("", 401)])
def test_refused_token_is_an_auth_failure(server: RegistryServer, tmp_path: Path, token: str, code: int) -> None:
    bad = make_source(server.url, tmp_path / "copy.sqlite", token=token)
    try:
        found = bad.search(PASSPORT)
        assert (found.answer.status, found.answer.reasons) == ("unknown", ("registry_auth_failed",))
        assert bad.breaker.state == "closed"
    finally:
        bad.close()


@pytest.mark.expect_log_warnings
def test_answer_for_another_birth_date_is_a_bad_response(server: RegistryServer, source: RegistryStatusSource) -> None:
    server.put([record("770000000000001", "1990-01-01")])
    server.db.search = lambda kind, key, birth: {**server.db.get(MARIA.enp), "holder": {  # type: ignore[method-assign]
        "last_name": "Иванова", "first_name": "Мария", "middle_name": None, "sex": "F"}}  # fmt: skip
    found = source.search(PASSPORT)
    assert (found.enp, found.answer.reasons) == (None, ("registry_bad_response",))


def test_documents_never_reach_the_log(
    server: RegistryServer, source: RegistryStatusSource, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    for faults in (Faults(), Faults(status=503), Faults(garbage=True), Faults(retry_after=5)):
        server.set_faults(faults)
        for query in (PASSPORT, SNILS, CERTIFICATE):
            source.search(query)
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "passport_rf" in text  # the searches were logged, by document type only
    for secret in ("123456", "11223344595", "112-233-445", "654321", "МЮ", TOKEN):
        assert secret not in text, secret
    assert json.dumps(PASSPORT.request_body()) not in text
    assert "4510" not in repr(PASSPORT) and "123456" not in str(PASSPORT)


HOSTILE_HOLDERS = {
    "no holder": None,
    "holder not an object": ["Иванова"],
    "bidi override in the name": {"last_name": "Иван\u202eова", "first_name": "Мария"},
    "zero-width space": {"last_name": "Иванова", "first_name": "Ма\u200bрия"},
    "empty first name": {"last_name": "Иванова", "first_name": "  "},
    "name not a string": {"last_name": 7, "first_name": "Мария"},
    "sex not M or F": {"last_name": "Иванова", "first_name": "Мария", "sex": "X"},
    "a name of 10,000 letters": {"last_name": "И" * 10_000, "first_name": "Мария"},
}


@pytest.mark.expect_log_warnings
@pytest.mark.parametrize("name", sorted(HOSTILE_HOLDERS))
def test_a_hostile_holder_is_a_bad_response_never_shown(name: str) -> None:
    from tests.helpers.hostile_http import answer, hostile_server
    from tests.helpers.registry import make_client

    body = {**MARIA.to_json(), "holder": HOSTILE_HOLDERS[name]}
    with hostile_server(answer(200, json.dumps(body).encode(), {"Content-Type": "application/json"})) as server:
        source = RegistryStatusSource(make_client(server.url), None)
        found = source.search(PASSPORT)
        source.close()
        assert server.exchanges[0].request_line == "POST /v1/policies/search HTTP/1.1"
    assert (found.enp, found.last_name, found.answer.reasons) == (None, None, ("registry_bad_response",))


@pytest.mark.expect_log_warnings
def test_a_registry_that_keeps_failing_opens_the_breaker_and_a_probe_search_closes_it(
    server: RegistryServer, tmp_path: Path
) -> None:
    from desk_app.registry.breaker import CircuitBreaker

    now = [0.0]
    breaker = CircuitBreaker(failure_threshold=2, cool_down=30.0, clock=lambda: now[0])
    source = make_source(server.url, tmp_path / "copy.sqlite", breaker=breaker)
    try:
        server.set_faults(Faults(status=503))
        assert [source.search(PASSPORT).answer.reasons for _ in range(2)] == [("registry_error",)] * 2
        assert breaker.state == "open"
        asked = server.request_count
        found, elapsed = timed(source, PASSPORT)
        assert found.answer.reasons == ("registry_circuit_open",) and elapsed < 0.05
        assert server.request_count == asked  # an open breaker sends nothing
        server.set_faults(Faults())
        now[0] = 31.0  # cooled down: the next search is the probe, answered online
        assert source.search(PASSPORT).enp == MARIA.enp
        assert breaker.state == "closed"
    finally:
        source.close()
