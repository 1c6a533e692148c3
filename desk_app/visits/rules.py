"""Every rule about what may be recorded at a desk, and why not, as typed reasons.

One place for the window, the command line and the ledger itself: the desk session
(`desk_app.core.session`) asks these before it queues a visit, and `VisitLedger.record` asks
the same functions again as the storage's last line (a script that skips the session meets
the same refusals). The Russian wording of each reason lives in the window
(`desk_app.ui.wording`), the English one in `REFUSAL_MESSAGE` (logs, CLI).

Rules:
- a visit needs a judged policy whose decision is `accept`, or `warn` with a reason typed by
  staff; never `reject` (nor a scan that failed, nor an empty desk);
- it needs a service from the catalogue and a doctor;
- the same policy, service and clinic day is a duplicate (decided by the store, across every
  desk); only `senior` or `admin` may record it again, with a written reason;
- only `senior` or `admin` may cancel a visit, with a written reason;
- a written reason (override, cancel) has at least `MIN_REASON_LENGTH` characters.
"""

from __future__ import annotations

from enum import StrEnum

from desk_app.visits.model import CANCEL_ROLES, OVERRIDE_ROLES

RECORDABLE_DECISIONS = frozenset({"accept", "warn"})
MIN_REASON_LENGTH = 3


class Refusal(StrEnum):
    """Why a visit (or a cancellation) may not be recorded. Values are the CLI's JSON codes."""

    NO_POLICY = "no_policy"  # nothing judged at the desk (empty, checking, or the scan failed)
    VERDICT_REJECT = "verdict_reject"
    NO_SERVICE = "no_service"
    NO_DOCTOR = "no_doctor"
    WARN_NEEDS_REASON = "warn_needs_reason"
    REASON_TOO_SHORT = "reason_too_short"  # an override or cancel reason
    PIN_REFUSED = "pin_refused"  # the senior/administrator PIN did not match
    ROLE_NOT_PERMITTED = "role_not_permitted"
    DUPLICATE = "duplicate"  # the store found the same policy, service and day
    BUSY = "busy"  # a record for this patient is already on its way to the ledger
    ALREADY_RECORDED = "already_recorded"  # just recorded: change the service or doctor to record another


REFUSAL_MESSAGE: dict[Refusal, str] = {
    Refusal.NO_POLICY: "refused: no policy has been judged",
    Refusal.VERDICT_REJECT: "refused: the policy was rejected",
    Refusal.NO_SERVICE: "refused: no service chosen",
    Refusal.NO_DOCTOR: "refused: no doctor given",
    Refusal.WARN_NEEDS_REASON: "refused: a warn verdict needs a reason typed by staff",
    Refusal.REASON_TOO_SHORT: f"refused: a reason needs at least {MIN_REASON_LENGTH} characters",
    Refusal.PIN_REFUSED: "refused: wrong PIN",
    Refusal.ROLE_NOT_PERMITTED: "refused: this role may not do that (senior or admin may)",
    Refusal.DUPLICATE: "refused: duplicate",
    Refusal.BUSY: "refused: a record is already in progress",
    Refusal.ALREADY_RECORDED: "refused: this visit was just recorded (change the service or the doctor first)",
}


def staff_text(value: str | None) -> str | None:
    """Typed text as the rules see it: whitespace collapsed; empty is None."""
    if value is None:
        return None
    text = " ".join(value.split())
    return text or None


def verdict_refusal(decision: str | None, warn_reason: str | None) -> Refusal | None:
    """What the verdict alone allows: accept, or warn with a reason; never reject or nothing."""
    if decision is None:
        return Refusal.NO_POLICY
    if decision not in RECORDABLE_DECISIONS:
        return Refusal.VERDICT_REJECT
    if decision == "warn" and staff_text(warn_reason) is None:
        return Refusal.WARN_NEEDS_REASON
    return None


def visit_refusal(
    decision: str | None, service_code: str | None, doctor: str | None, warn_reason: str | None
) -> Refusal | None:
    """The first reason a visit may not be recorded, in the order staff fix them; None when it may."""
    if decision is None:
        return Refusal.NO_POLICY
    if decision not in RECORDABLE_DECISIONS:
        return Refusal.VERDICT_REJECT
    if not service_code:
        return Refusal.NO_SERVICE
    if staff_text(doctor) is None:
        return Refusal.NO_DOCTOR
    return verdict_refusal(decision, warn_reason)


def reason_refusal(reason: str | None) -> Refusal | None:
    """A written reason for an override or a cancellation."""
    text = staff_text(reason)
    if text is None or len(text) < MIN_REASON_LENGTH:
        return Refusal.REASON_TOO_SHORT
    return None


def may_override(role: str) -> bool:
    return role in OVERRIDE_ROLES


def may_cancel(role: str) -> bool:
    return role in CANCEL_ROLES
