"""Fixtures and helpers shared by the visits ledger tests (no tests of its own).

PostgreSQL tests use DESK_TEST_PG_URL (scripts/start_test_postgres.sh); each test gets its own
freshly created database, dropped afterwards. Without the variable they skip, unless
DESK_REQUIRE_PG=1 (CI), where they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from desk_app.verify.verdict import PolicyFields, Verdict
from desk_app.visits import VisitLedger

ENP_A = "7700000000000016"
ENP_B = "5000000000000021"
THERAPIST_FIRST = "B01.047.001"
THERAPIST_REPEAT = "B01.047.002"
BLOOD_TEST = "B03.016.003"


def pg_admin_url() -> str:
    url = os.environ.get("DESK_TEST_PG_URL", "")
    if not url:
        if os.environ.get("DESK_REQUIRE_PG") == "1":
            pytest.fail("DESK_REQUIRE_PG=1 but DESK_TEST_PG_URL is not set (run scripts/start_test_postgres.sh)")
        pytest.skip("PostgreSQL not available: set DESK_TEST_PG_URL (scripts/start_test_postgres.sh)")
    return url


def with_database(url: str, dbname: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + dbname))


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A brand-new PostgreSQL database for this test only."""
    import psycopg
    from psycopg import sql

    admin = pg_admin_url()
    name = f"desk_visits_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield with_database(admin, name)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'ledger' / 'visits.sqlite'}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def ledger_url(request: pytest.FixtureRequest) -> str:
    """The same test on both backends."""
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")


@pytest.fixture
def ledger(ledger_url: str) -> Iterator[VisitLedger]:
    with VisitLedger.open(ledger_url, tz="Europe/Moscow") as opened:
        yield opened


def make_verdict(
    decision: str = "accept",
    number: str | None = ENP_A,
    *,
    signature: str = "ok",
    status: str = "active",
    source: str = "online",
    last_name: str | None = "Иванова",
    first_name: str | None = "Мария",
    middle_name: str | None = "Петровна",
    birth_date: date | None = date(1985, 3, 14),
) -> Verdict:
    return Verdict(
        decision=decision,  # type: ignore[arg-type]
        signature=signature,  # type: ignore[arg-type]
        status=status,  # type: ignore[arg-type]
        status_source=source,  # type: ignore[arg-type]
        status_as_of=datetime(2026, 3, 2, 8, 0, tzinfo=UTC) if source != "none" else None,
        reasons=() if decision == "accept" else ("registry_unreachable",),
        policy=PolicyFields(
            number=number,
            last_name=last_name,
            first_name=first_name,
            middle_name=middle_name,
            birth_date=birth_date,
            sex="F",
            insurer_code="77012",
            valid_from=date(2020, 1, 1),
        ),
    )


def moscow(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    from zoneinfo import ZoneInfo

    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo("Europe/Moscow"))
