"""Every rule about what may be recorded at a desk, and why not, as typed reasons.

One place for the window, the command line and the ledger itself: the desk session
(`desk_app.core.session`) asks these before it queues a visit, and `VisitLedger.record` asks
the same functions again as the storage's last line (a script that skips the session meets
the same refusals), and `VisitLedger.cancel` asks `cancel_refusal` as the session does. The
typed reasons are `Refusal` (desk_app.visits.refusal); the Russian wording of each member lives
in the window (`desk_app.ui.wording`), the English one in `REFUSAL_MESSAGE` (logs, CLI).

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

from desk_app.visits.model import CANCEL_ROLES, OVERRIDE_ROLES
from desk_app.visits.refusal import MIN_REASON_LENGTH, REFUSAL_MESSAGE, Refusal

__all__ = [
    "MIN_REASON_LENGTH", "RECORDABLE_DECISIONS", "REFUSAL_MESSAGE", "Refusal", "cancel_refusal",
    "cancel_refusal_message", "decision_recordable", "may_cancel", "may_override", "override_refusal",
    "reason_refusal", "staff_text", "verdict_refusal", "visit_refusal",
]  # fmt: skip

RECORDABLE_DECISIONS = frozenset({"accept", "warn"})


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
    if not decision_recordable(decision):
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
    if not decision_recordable(decision):
        return Refusal.VERDICT_REJECT
    if not service_code:
        return Refusal.NO_SERVICE
    if staff_text(doctor) is None:
        return Refusal.NO_DOCTOR
    return verdict_refusal(decision, warn_reason)


def decision_recordable(decision: str | None) -> bool:
    """Whether a verdict's decision can ever lead to a visit (accept, or warn with a reason)."""
    return decision in RECORDABLE_DECISIONS


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


def override_refusal(override_reason: str | None) -> Refusal | None:
    """An override's written reason, when one is given (whether the role may override is decided
    only if the store finds a duplicate: `may_override`)."""
    return None if override_reason is None else reason_refusal(override_reason)


def cancel_refusal(reason: str | None, role: str) -> Refusal | None:
    """A cancellation: a written reason, then a role that may cancel."""
    return reason_refusal(reason) or (None if may_cancel(role) else Refusal.ROLE_NOT_PERMITTED)


def cancel_refusal_message(refusal: Refusal, role: str) -> str:
    """The English line for a refused cancellation (the ledger's CancelResult, the CLI)."""
    if refusal is Refusal.ROLE_NOT_PERMITTED:
        return f"refused: role {role!r} may not cancel (senior or admin may)"
    return REFUSAL_MESSAGE[refusal]
