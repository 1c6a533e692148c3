"""One registry record as both endpoints give it, validated once at the boundary."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from desk_app.text_fields import TextFieldError, clean_text

REGISTRY_STATUSES = ("active", "expired", "suspended")
MAX_PAGE = 5000  # registry-api: the largest page the registry serves
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
# Each digit replaced by the digit sum of its double, for the Luhn positions that are doubled.
_DOUBLED = bytes.maketrans(b"0123456789", b"0246813579")
_ASCII_ZERO = ord("0")


def enp_checksum_ok(enp: str) -> bool:
    """16 ASCII digits whose last is the Mod10 (Luhn) check digit.

    Same rule as `desk_app.verify.numbers.enp_is_valid`, written with bytes operations that run
    in C: the bulk sync validates every item of a million-row copy with it.
    """
    if len(enp) != 16 or not enp.isascii() or not enp.isdigit():
        return False
    digits = enp.encode("ascii")
    kept = digits[-1::-2]
    doubled = digits[-2::-2].translate(_DOUBLED)
    return (sum(kept) + sum(doubled) - _ASCII_ZERO * 16) % 10 == 0


def enp_with_check_digit(first15: str) -> str:
    """`first15` followed by its Mod10 check digit."""
    digits = (first15 + "0").encode("ascii")
    total = sum(digits[-1::-2]) + sum(digits[-2::-2].translate(_DOUBLED)) - _ASCII_ZERO * 16
    return first15 + str((10 - total % 10) % 10)


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
    return (moment - _EPOCH) // _MICROSECOND


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
    if not isinstance(enp, str) or not enp_checksum_ok(enp):
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


@dataclass(frozen=True, slots=True)
class Holder:
    """The insured person a search answer names (registry-api.md, search `holder`)."""

    last_name: str
    first_name: str
    middle_name: str | None
    sex: str | None  # "M" | "F"


def parse_holder(obj: Any) -> Holder:
    """The `holder` object of a search answer, validated."""
    if not isinstance(obj, dict):
        raise RecordError("'holder' must be a JSON object")
    names: dict[str, str | None] = {}
    for key in ("last_name", "first_name", "middle_name"):
        value = obj.get(key)
        if value is not None and not isinstance(value, str):
            raise RecordError(f"'holder.{key}' must be a string")
        try:  # the names reach the screen and the ledger: the stored-text rule (no hidden characters)
            names[key] = clean_text(value, f"holder.{key}", max_length=200)
        except TextFieldError as exc:
            raise RecordError(str(exc)) from None
    last, first, middle = names["last_name"], names["first_name"], names["middle_name"]
    if not last or not first:
        raise RecordError("'holder' must name last_name and first_name")
    sex = obj.get("sex")
    if sex not in (None, "M", "F"):
        raise RecordError("'holder.sex' must be M, F or null")
    return Holder(last, first, middle, sex)


def not_found_record(enp: str) -> RegistryRecord:
    return RegistryRecord(enp=enp, status="not_found")


def parse_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
