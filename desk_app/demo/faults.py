"""Switchable faults of the reference registry server, for tests and demos."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields, replace
from typing import Any


@dataclass(frozen=True)
class Faults:
    """What the server does wrong. All off by default; several may be combined.

    Order of application for a request: drop, delay, status, retry_after (429), then the
    normal answer, whose body is replaced by `garbage` and sent slowly by `trickle`.
    """

    delay: float = 0.0  # seconds to wait before answering (a "hang" is a long delay)
    status: int | None = None  # answer every request with this HTTP status (e.g. 503)
    retry_after: int | None = None  # answer 429 with this Retry-After (seconds)
    drop: bool = False  # close the connection without answering
    garbage: bool = False  # answer 200 with a body that is not JSON
    trickle: float = 0.0  # send the body in small pieces spread over this many seconds
    slow_headers: float = 0.0  # send the status line and headers one byte every this many seconds
    clock_offset: float = 0.0  # seconds added to the Date header (a registry with a wrong clock)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def any(self) -> bool:
        return self != Faults()


NO_FAULTS = Faults()
_FIELDS = {f.name: f for f in fields(Faults)}


def faults_from_mapping(data: Mapping[str, Any], base: Faults = NO_FAULTS) -> Faults:
    """Faults from JSON (the admin endpoint); unknown keys and bad values raise ValueError."""
    changes: dict[str, Any] = {}
    for key, value in data.items():
        if key not in _FIELDS:
            raise ValueError(f"unknown fault '{key}' (known: {', '.join(_FIELDS)})")
        changes[key] = _coerce(key, value)
    return replace(base, **changes)


def faults_from_specs(specs: Iterable[str]) -> Faults:
    """Faults from CLI words: `delay=5`, `status=503`, `retry_after=30`, `drop`, `garbage`, `trickle=10`,
    `slow_headers=1`."""
    data: dict[str, Any] = {}
    for spec in specs:
        key, sep, value = spec.partition("=")
        key = key.strip().replace("-", "_")
        data[key] = value.strip() if sep else True
    return faults_from_mapping(data)


def _coerce(key: str, value: Any) -> Any:
    try:
        if key in ("drop", "garbage"):
            if isinstance(value, bool):
                return value
            if str(value).lower() in ("1", "true", "yes", "on"):
                return True
            if str(value).lower() in ("0", "false", "no", "off"):
                return False
            raise ValueError
        if key in ("status", "retry_after"):
            if value is None:
                return None
            number = int(value)
            if key == "status" and not 400 <= number <= 599:
                raise ValueError
            if key == "retry_after" and number < 0:
                raise ValueError
            return number
        number = float(value)
        if key != "clock_offset" and number < 0:
            raise ValueError
        return number
    except (TypeError, ValueError):
        raise ValueError(f"bad value for fault '{key}': {value!r}") from None
