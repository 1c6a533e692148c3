"""Synthetic registry records: many valid, distinct policies for demos, tests and benchmarks."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

from desk_app.registry.records import RegistryRecord, timestamp_key
from desk_app.verify.numbers import enp_check_digit

_STATUS_WEIGHTS = (("active", 90), ("expired", 7), ("suspended", 3))
_SUSPEND_REASONS = ("Выявлено двойное страхование", "Смена страховой организации", "Запрос ТФОМС")


def synthetic_enp(index: int, region: str = "77") -> str:
    """A valid ENP for `index` (region prefix, zero-padded index, check digit)."""
    first15 = f"{region}{index:013d}"
    if len(first15) != 15:
        raise ValueError("index too large for an ENP")
    return first15 + str(enp_check_digit(first15))


def synthetic_records(
    count: int,
    *,
    start: int = 0,
    region: str = "77",
    first_update: datetime | None = None,
    step: timedelta = timedelta(seconds=1),
    seed: int = 1,
) -> Iterator[RegistryRecord]:
    """`count` records with increasing `updated_at` (one `step` apart), reproducible by `seed`."""
    rng = random.Random(seed)
    statuses = [name for name, weight in _STATUS_WEIGHTS for _ in range(weight)]
    base = first_update or datetime(2026, 1, 1, tzinfo=UTC)
    for i in range(start, start + count):
        status = rng.choice(statuses)
        updated = base + step * i
        updated_at = updated.isoformat(timespec="seconds")
        birth = date(1940, 1, 1) + timedelta(days=rng.randrange(365 * 80))
        yield RegistryRecord(
            enp=synthetic_enp(i, region),
            status=status,
            valid_to=(date(2025, 12, 31) - timedelta(days=rng.randrange(400))).isoformat()
            if status == "expired"
            else None,
            insurer_code=f"{region}0{rng.randrange(10, 40)}",
            birth_date=birth.isoformat(),
            reason=rng.choice(_SUSPEND_REASONS) if status == "suspended" else None,
            updated_at=updated_at,
            updated_key=timestamp_key(updated_at),
        )
