"""The typed reasons a visit or a cancellation is refused: one enum for every route.

Kept apart from the rules (`desk_app.visits.rules`) so the ledger's results
(`desk_app.visits.model`) can carry the members without an import cycle. The values are the
CLI's JSON codes; the window words each member (`desk_app.ui.wording.REFUSAL_TEXT`), logs and
the CLI use `REFUSAL_MESSAGE`.
"""

from __future__ import annotations

from enum import StrEnum

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
    ALREADY_CANCELLED = "already_cancelled"  # a cancellation of a visit cancelled before
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
    Refusal.ALREADY_CANCELLED: "refused: the visit was already cancelled",
    Refusal.ALREADY_RECORDED: "refused: this visit was just recorded (change the service or the doctor first)",
}
