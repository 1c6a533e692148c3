"""The verdict: the desk's answer for one policy (spec section 6), and its JSON form."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any, Literal

Decision = Literal["accept", "warn", "reject"]
SignatureResult = Literal[
    "ok",
    "bad_signature",
    "untrusted_signer",
    "revoked_signer",
    "signer_not_valid_at_issue",
    "unsupported_algorithm",
    "malformed",
    "not_applicable",
]
Status = Literal["active", "expired", "suspended", "not_found", "unknown"]
StatusSourceName = Literal["online", "cache", "none"]

SIGNATURE_RESULTS: tuple[str, ...] = SignatureResult.__args__  # type: ignore[attr-defined]
STATUSES: tuple[str, ...] = Status.__args__  # type: ignore[attr-defined]

# Reason codes (machine codes in `reasons`). The UI translates each to Russian.
CRL_STALE = "crl_stale"
CRL_MISSING = "crl_missing"
STATUS_CACHE_OLD = "status_cache_old"
REGISTRY_UNREACHABLE = "registry_unreachable"
REGISTRY_TIMEOUT = "registry_timeout"
REGISTRY_ERROR = "registry_error"
REGISTRY_RATE_LIMITED = "registry_rate_limited"
REGISTRY_AUTH_FAILED = "registry_auth_failed"
REGISTRY_BAD_RESPONSE = "registry_bad_response"
REGISTRY_NOT_CONFIGURED = "registry_not_configured"
REGISTRY_CIRCUIT_OPEN = "registry_circuit_open"
OFFLINE_MODE = "offline_mode"
NO_STATUS = "no_status"
NOT_YET_VALID = "not_yet_valid"
PAST_VALID_TO = "past_valid_to"
CLOCK_SUSPECT = "clock_suspect"
HOLDER_MISMATCH = "holder_mismatch"
STATUS_EXPIRED = "status_expired"
STATUS_SUSPENDED = "status_suspended"
STATUS_NOT_FOUND = "status_not_found"
MANUAL_ENTRY = "manual_entry"
# The desk cannot judge at all: no `trust.root` is configured outside demo mode. The signature is
# `not_applicable` (nothing was checked: the spec has no "could not be checked" value, and every
# other signature value calls the document invalid), the decision `warn` ("cannot check" is never
# shown as "invalid"), nothing of the document is shown and the registry is not asked.
TRUST_ROOT_NOT_CONFIGURED = "trust_root_not_configured"
DOCUMENT_SEARCH = "document_search"  # found by an identity document or SNILS: registry only, no signature
# Signature problems are also listed as reasons, with the signature code itself
# (bad_signature, untrusted_signer, ...), so `reasons` explains every downgrade.


@dataclass(frozen=True)
class PolicyFields:
    """The policy fields covered by the signature (or typed, for manual entry)."""

    number: str | None = None
    last_name: str | None = None
    first_name: str | None = None
    middle_name: str | None = None
    birth_date: date | None = None
    sex: str | None = None
    insurer_code: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    issued_at: datetime | None = None

    def to_json(self) -> dict[str, Any]:
        return {k: _json_value(v) for k, v in asdict(self).items()}


@dataclass(frozen=True)
class Verdict:
    decision: Decision
    signature: SignatureResult
    status: Status
    status_source: StatusSourceName
    status_as_of: datetime | None
    reasons: tuple[str, ...] = ()
    policy: PolicyFields = field(default_factory=PolicyFields)

    def to_json(self) -> dict[str, Any]:
        """Exactly the keys of spec section 6, in its order."""
        return {
            "decision": self.decision,
            "signature": self.signature,
            "status": self.status,
            "status_source": self.status_source,
            "status_as_of": _json_value(self.status_as_of),
            "reasons": list(self.reasons),
            "policy": self.policy.to_json(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Verdict:
        p = data.get("policy") or {}
        policy = PolicyFields(
            number=p.get("number"),
            last_name=p.get("last_name"),
            first_name=p.get("first_name"),
            middle_name=p.get("middle_name"),
            birth_date=_parse_date(p.get("birth_date")),
            sex=p.get("sex"),
            insurer_code=p.get("insurer_code"),
            valid_from=_parse_date(p.get("valid_from")),
            valid_to=_parse_date(p.get("valid_to")),
            issued_at=_parse_dt(p.get("issued_at")),
        )
        return cls(
            decision=data["decision"],
            signature=data["signature"],
            status=data["status"],
            status_source=data["status_source"],
            status_as_of=_parse_dt(data.get("status_as_of")),
            reasons=tuple(data.get("reasons") or ()),
            policy=policy,
        )


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _parse_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _parse_dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
