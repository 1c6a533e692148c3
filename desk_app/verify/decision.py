"""The decision rules of spec section 6, as one pure function."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from desk_app.verify import verdict as r
from desk_app.verify.chain import CrlCheck
from desk_app.verify.status import StatusAnswer
from desk_app.verify.verdict import PolicyFields, Verdict

CACHE_MAX_AGE = timedelta(hours=24)
CLOCK_TOLERANCE = timedelta(hours=2)
_STATUS_REASON = {"expired": r.STATUS_EXPIRED, "suspended": r.STATUS_SUSPENDED, "not_found": r.STATUS_NOT_FOUND}


def decide(
    *,
    signature: str,
    policy: PolicyFields,
    answer: StatusAnswer,
    crl: CrlCheck | None,
    now: datetime,
    today: date,
    clock_wrong: bool = False,
    typed: str = r.MANUAL_ENTRY,
) -> Verdict:
    """`policy` holds only signed (or, for manual entry, typed) values; `today` is the clinic's date.

    `clock_wrong` says the PC's clock is provably wrong (earlier than a moment it has already
    seen): date-dependent failures then cannot be trusted, so they warn instead of reject.
    `typed` is the reason a `not_applicable` signature is listed with: `manual_entry` (a typed
    number) or `document_search` (found by an identity document or SNILS).
    """
    reasons: list[str] = []
    reject = False

    if signature not in ("ok", "not_applicable"):
        reasons.append(signature)
        reject = reject or not (clock_wrong and signature == "signer_not_valid_at_issue")

    status = answer.status
    if status in _STATUS_REASON:
        reasons.append(_STATUS_REASON[status])
        reject = True

    valid_to = min((d for d in (policy.valid_to, answer.valid_to) if d is not None), default=None)
    if policy.valid_from is not None and today < policy.valid_from:
        reasons.append(r.NOT_YET_VALID)
        reject = reject or not clock_wrong
    if valid_to is not None and today > valid_to:
        reasons.append(r.PAST_VALID_TO)
        reject = reject or not clock_wrong
    if answer.birth_date is not None and policy.birth_date is not None and answer.birth_date != policy.birth_date:
        reasons.append(r.HOLDER_MISMATCH)
        reject = True

    reasons.extend(x for x in answer.reasons if x not in reasons)
    if status == "unknown" and not answer.reasons and signature in ("ok", "not_applicable"):
        reasons.append(r.NO_STATUS)
    cache_fresh = True
    if answer.source == "cache":
        cache_fresh = answer.as_of is not None and now - answer.as_of <= CACHE_MAX_AGE
        if not cache_fresh:
            reasons.append(r.STATUS_CACHE_OLD)
    if clock_wrong or (answer.server_date is not None and abs(now - answer.server_date) > CLOCK_TOLERANCE):
        reasons.append(r.CLOCK_SUSPECT)

    crl_good = True
    if signature == "ok" and crl is not None:
        if crl.stale:
            reasons.append(r.CRL_STALE)
            crl_good = False
        if crl.missing:
            reasons.append(r.CRL_MISSING)
            crl_good = False
    if signature == "not_applicable":
        reasons.insert(0, typed)

    if reject:
        decision = "reject"
    elif (
        status == "active"
        and (signature == "ok" or (signature == "not_applicable" and answer.source == "online"))
        and (answer.source == "online" or (answer.source == "cache" and cache_fresh))
        and crl_good
        and r.CLOCK_SUSPECT not in reasons
    ):
        decision = "accept"
    else:
        decision = "warn"
    return Verdict(
        decision=decision,
        signature=signature,  # type: ignore[arg-type]
        status=status,
        status_source=answer.source,
        status_as_of=answer.as_of,
        reasons=tuple(reasons),
        policy=policy,
    )


def cannot_check(reason: str, *, policy: PolicyFields | None = None) -> Verdict:
    """The desk refuses to judge (e.g. `trust_root_not_configured`): `warn`, signature
    `not_applicable`, no status. `policy` holds only values staff typed (a manual number), never
    unsigned content of a scanned document."""
    reasons = (reason, r.MANUAL_ENTRY) if policy is not None and policy.number else (reason,)
    return Verdict(
        decision="warn",
        signature="not_applicable",
        status="unknown",
        status_source="none",
        status_as_of=None,
        reasons=reasons,
        policy=policy or PolicyFields(),
    )
