"""A registry `Date` header that is not an HTTP-date makes the clock check "unknown", never a
silent skip nor a misreading (issue 11 item 10a). Real servers on 127.0.0.1 send the headers."""

from __future__ import annotations

import json
import logging

import pytest

from desk_app.config import Settings
from desk_app.doctor.registry_checks import check_registry
from desk_app.registry.client import parse_http_date
from tests.helpers.hostile_http import answer, hostile_server
from tests.helpers.registry import TOKEN, make_client

PAGE = json.dumps({"items": [], "next_cursor": None}).encode()
POLICY = json.dumps({"enp": "7700000000000016", "status": "active", "valid_to": None, "insurer_code": "77012",
                     "reason": None, "updated_at": "2026-11-24T09:15:00+03:00"}).encode()  # fmt: skip
UNREADABLE = [
    "garbage",
    "Mon, 01 Jan 0001 00:00:00 +2359",  # email.utils reads this as the year 2001
    "Fri, 31 Dec 9999 23:59:59 -1200",
    "Tue, 32 Dec 2026 17:00:00 GMT",
    "Tue, 01 Dec 2026 17:00:00 +0300",  # an HTTP-date is always GMT
]


@pytest.mark.parametrize("date", UNREADABLE)
def test_doctor_says_the_clock_check_is_unknown_for_an_unreadable_date(date: str) -> None:
    with hostile_server(answer(200, PAGE, {"Date": date})) as server:
        results = {r.check: r for r in check_registry(Settings(registry_url=server.url, registry_token=TOKEN))}
    assert results["registry"].level == "ok"
    clock = results["clock_skew"]
    assert clock.level == "warning"
    assert "unknown" in clock.message and "cannot be read" in clock.message


def test_doctor_without_a_date_header_says_unknown_too() -> None:
    with hostile_server(answer(200, PAGE)) as server:
        results = {r.check: r for r in check_registry(Settings(registry_url=server.url, registry_token=TOKEN))}
    assert results["clock_skew"].level == "warning" and "unknown" in results["clock_skew"].message


@pytest.mark.parametrize(
    "date", ["Tue, 01 Dec 2026 17:00:00 GMT", "Tuesday, 01-Dec-26 17:00:00 GMT", "Tue Dec  1 17:00:00 2026"]
)
def test_the_three_http_date_forms_are_read(date: str) -> None:
    moment = parse_http_date(date)
    assert moment is not None and moment.isoformat() == "2026-12-01T17:00:00+00:00"


def test_a_lookup_with_an_unreadable_date_has_no_server_date_and_says_so(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="desk_app.registry.client")
    with hostile_server(answer(200, POLICY, {"Date": "Mon, 01 Jan 0001 00:00:00 +2359"})) as server:
        client = make_client(server.url)
        reply = client.get_policy("7700000000000016")
        client.get_policy("7700000000000016")
        client.close()
    assert reply.server_date is None  # not 2001: the verdict's clock comparison is not fed a wrong time
    warnings = [r for r in caplog.records if "registry_date_unreadable" in r.getMessage()]
    assert len(warnings) == 1  # said once per client, not once per patient
