"""Synthetic registry records: many valid, distinct policies for demos, tests and benchmarks."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

from desk_app.registry.records import RegistryRecord, enp_with_check_digit, timestamp_key

_STATUS_WEIGHTS = (("active", 90), ("expired", 7), ("suspended", 3))
_SUSPEND_REASONS = ("Выявлено двойное страхование", "Смена страховой организации", "Запрос ТФОМС")


def synthetic_enp(index: int, region: str = "77") -> str:
    """A valid ENP for `index` (region prefix, zero-padded index, check digit)."""
    first15 = f"{region}{index:013d}"
    if len(first15) != 15 or not first15.isdigit():
        raise ValueError("region must be 2 digits and index below 10**13")
    return enp_with_check_digit(first15)


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
    base_key = timestamp_key(base.isoformat())
    step_micros = step // timedelta(microseconds=1)
    birth_dates = [(date(1940, 1, 1) + timedelta(days=d)).isoformat() for d in range(365 * 80)]
    expiry_dates = [(date(2025, 12, 31) - timedelta(days=d)).isoformat() for d in range(400)]
    for i in range(start, start + count):
        status = statuses[int(rng.random() * 100)]
        updated = base + step * i
        yield RegistryRecord(
            enp=synthetic_enp(i, region),
            status=status,
            valid_to=expiry_dates[int(rng.random() * 400)] if status == "expired" else None,
            insurer_code=f"{region}0{10 + int(rng.random() * 30)}",
            birth_date=birth_dates[int(rng.random() * len(birth_dates))],
            reason=_SUSPEND_REASONS[int(rng.random() * 3)] if status == "suspended" else None,
            updated_at=updated.isoformat(timespec="seconds" if step_micros % 1_000_000 == 0 else "microseconds"),
            updated_key=base_key + step_micros * i,
        )
