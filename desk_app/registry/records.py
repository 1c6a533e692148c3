"""One registry record as both endpoints give it, validated once at the boundary."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from desk_app.verify.numbers import enp_is_valid

REGISTRY_STATUSES = ("active", "expired", "suspended")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class RecordError(ValueError):
    """A record from (or for) the registry that does not follow the contract."""


@dataclass(frozen=True, slots=True)
class RegistryRecord:
    enp: str
    status: str  # active | expired | suspended | not_found
    valid_to: str | None = None  # ISO date
    insurer_code: str | None = None
    birth_date: str | None = None  # ISO date
    reason: str | None = None
    updated_at: str | None = None  # ISO datetime with offset, as the registry wrote it
    updated_key: int | None = None  # updated_at as UTC microseconds, for ordering

    def to_json(self) -> dict[str, Any]:
        return {
            "enp": self.enp,
            "status": self.status,
            "valid_to": self.valid_to,
            "insurer_code": self.insurer_code,
            "birth_date": self.birth_date,
            "reason": self.reason,
            "updated_at": self.updated_at,
        }


def timestamp_key(value: str) -> int:
    """Microseconds since the epoch (UTC) of an ISO datetime that carries its offset."""
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise RecordError(f"not an ISO datetime: {value!r}") from None
    if moment.tzinfo is None:
        raise RecordError(f"datetime without a UTC offset: {value!r}")
    delta = moment - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _optional_date(obj: dict[str, Any], key: str) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise RecordError(f"'{key}' must be a date string or null")
    try:
        date.fromisoformat(value)
    except ValueError:
        raise RecordError(f"'{key}' is not an ISO date") from None
    return value


def _optional_text(obj: dict[str, Any], key: str, max_len: int = 1000) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > max_len:
        raise RecordError(f"'{key}' must be a string or null")
    return value


def parse_record(obj: Any, *, expected_enp: str | None = None) -> RegistryRecord:
    """Validate one JSON object of the contract (a 200 answer or a bulk item)."""
    if not isinstance(obj, dict):
        raise RecordError("a record must be a JSON object")
    enp = obj.get("enp")
    if not isinstance(enp, str) or not enp_is_valid(enp):
        raise RecordError("'enp' is missing or not a valid ENP")
    if expected_enp is not None and enp != expected_enp:
        raise RecordError("the answer is for a different ENP")
    status = obj.get("status")
    if status not in REGISTRY_STATUSES:
        raise RecordError(f"'status' must be one of {', '.join(REGISTRY_STATUSES)}")
    updated_at = obj.get("updated_at")
    if not isinstance(updated_at, str):
        raise RecordError("'updated_at' is missing")
    return RegistryRecord(
        enp=enp,
        status=status,
        valid_to=_optional_date(obj, "valid_to"),
        insurer_code=_optional_text(obj, "insurer_code", 64),
        birth_date=_optional_date(obj, "birth_date"),
        reason=_optional_text(obj, "reason"),
        updated_at=updated_at,
        updated_key=timestamp_key(updated_at),
    )


def not_found_record(enp: str) -> RegistryRecord:
    return RegistryRecord(enp=enp, status="not_found")


def parse_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
