"""What the ledger stores and answers: visits, roles, results of record and cancel."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from desk_app.visits.refusal import Refusal

Role = Literal["registrar", "senior", "admin"]
ROLES: tuple[str, ...] = ("registrar", "senior", "admin")
DEFAULT_ROLE: Role = "registrar"
# Who may record a duplicate anyway (with a written reason) and who may cancel a visit.
OVERRIDE_ROLES: frozenset[str] = frozenset({"senior", "admin"})
CANCEL_ROLES: frozenset[str] = frozenset({"senior", "admin"})

IdentityCheck = Literal["match", "mismatch", "not_present", "not_checked", "document_typed"]
IDENTITY_CHECKS: tuple[str, ...] = ("match", "mismatch", "not_present", "not_checked", "document_typed")
# The policy was found by the identity document (or SNILS) staff typed from the document in hand:
# the identity check is done by that, not by the policy's signed passport digest.
DOCUMENT_TYPED = "document_typed"


class LedgerUsageError(ValueError):
    """A request the ledger cannot act on (unknown service, empty doctor, unknown role, ...)."""


class LedgerTextError(LedgerUsageError):
    """A typed text refused by desk_app.text_fields; `.field`, `.problem`, `.char` for the window's wording."""

    def __init__(self, cause: Exception) -> None:
        super().__init__(str(cause))
        self.field: str = getattr(cause, "field", "")
        self.problem: str = getattr(cause, "problem", "")
        self.char: str | None = getattr(cause, "char", None)


class StorageError(RuntimeError):
    """The storage cannot be opened or used; the message is safe to show (no passwords)."""


class ClinicTimeZoneError(StorageError):
    """This desk's time zone is not the clinic's, kept with the ledger: the desk may not use it.

    `ledger_zone` is the clinic's zone (None when an old ledger has none yet and the stored
    visits disagree with `desk_zone`); `desk_zone` is this desk's `desk.timezone`.
    """

    def __init__(self, ledger_zone: str | None, desk_zone: str, message: str) -> None:
        super().__init__(message)
        self.ledger_zone = ledger_zone
        self.desk_zone = desk_zone


def utc_iso(moment: datetime) -> str:
    """One fixed text form for stored and hashed times: UTC, microseconds, 'Z'."""
    if moment.tzinfo is None:
        raise ValueError("visit times must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_utc_iso(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


@dataclass(frozen=True)
class Visit:
    """One recorded service. `id` is None until stored; cancellation fields stay None until then."""

    policy_number: str
    last_name: str | None
    first_name: str | None
    middle_name: str | None
    birth_date: date | None
    service_code: str
    service_name: str
    doctor: str
    desk_id: str
    recorded_at: datetime  # aware, UTC
    visit_day: date  # the calendar day of recorded_at in the clinic's time zone
    decision: str
    signature: str
    status: str
    status_source: str
    identity_check: str = "not_checked"
    warn_reason: str | None = None
    role: str = DEFAULT_ROLE
    override_of: int | None = None
    override_reason: str | None = None
    id: int | None = None
    cancelled_at: datetime | None = None
    cancel_reason: str | None = None
    cancelled_by: str | None = None

    @property
    def cancelled(self) -> bool:
        return self.cancelled_at is not None

    def with_id(self, visit_id: int) -> Visit:
        return replace(self, id=visit_id)

    def snapshot(self) -> dict[str, Any]:
        """The recorded facts, as hashed into the audit log (cancellation is a later entry)."""
        return {
            "id": self.id,
            "policy_number": self.policy_number,
            "last_name": self.last_name,
            "first_name": self.first_name,
            "middle_name": self.middle_name,
            "birth_date": self.birth_date.isoformat() if self.birth_date else None,
            "service_code": self.service_code,
            "service_name": self.service_name,
            "doctor": self.doctor,
            "desk_id": self.desk_id,
            "recorded_at": utc_iso(self.recorded_at),
            "visit_day": self.visit_day.isoformat(),
            "decision": self.decision,
            "signature": self.signature,
            "status": self.status,
            "status_source": self.status_source,
            "identity_check": self.identity_check,
            "warn_reason": self.warn_reason,
            "role": self.role,
            "override_of": self.override_of,
            "override_reason": self.override_reason,
        }

    def to_json(self, tz: ZoneInfo) -> dict[str, Any]:
        """For `visits list --json`: the snapshot plus local time and the cancellation."""
        data = self.snapshot()
        data["recorded_at_local"] = self.recorded_at.astimezone(tz).isoformat(timespec="seconds")
        data["cancelled"] = self.cancelled
        data["cancelled_at"] = utc_iso(self.cancelled_at) if self.cancelled_at else None
        data["cancel_reason"] = self.cancel_reason
        data["cancelled_by"] = self.cancelled_by
        return data


@dataclass(frozen=True)
class FirstRecord:
    """The record a duplicate collides with, as shown to staff."""

    visit_id: int
    time: datetime  # aware, in the clinic's time zone
    desk: str
    doctor: str

    def to_json(self) -> dict[str, str]:
        return {"time": self.time.isoformat(timespec="seconds"), "desk": self.desk, "doctor": self.doctor}


@dataclass(frozen=True)
class RecordResult:
    recorded: bool
    visit_id: int | None
    duplicate_of: FirstRecord | None
    refused_because: Refusal | None  # a member of desk_app.visits.refusal.Refusal (the JSON code is its value)
    message: str  # English, one line, for logs and the CLI
    overridden: bool = False
    override_not_permitted: bool = False  # an override reason was given by a role that may not override

    def to_json(self) -> dict[str, Any]:
        return {
            "recorded": self.recorded,
            "visit_id": self.visit_id,
            "duplicate_of": self.duplicate_of.to_json() if self.duplicate_of else None,
            "refused_because": self.refused_because.value if self.refused_because else None,
        }


@dataclass(frozen=True)
class AddOutcome:
    """What a store did with one visit: its new id (None if refused) and the first record, if any."""

    visit_id: int | None
    first: Visit | None


@dataclass(frozen=True)
class CancelResult:
    cancelled: bool
    visit_id: int
    refused_because: Refusal | None  # REASON_TOO_SHORT, ROLE_NOT_PERMITTED or ALREADY_CANCELLED
    message: str
