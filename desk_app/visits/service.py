"""The visits ledger as the window and the command line use it (Qt-free, thread-friendly).

Rules (issue 4, docs/visits.md; each decided by `desk_app.visits.rules`, which the desk session
asks first, for the message; `record` and `cancel` ask every rule again: the ledger is the last
word, whatever route called it):
- a visit is recorded only for an `accept` verdict, or a `warn` one with a reason typed by
  staff; never for `reject`;
- the same policy, service and calendar day (clinic time zone) is a duplicate, whichever desk
  recorded the first; it is refused naming the first record, unless a `senior` or `admin`
  overrides it with a written reason (the override is a visit of its own, marked as such);
- cancelled visits do not count: after a cancellation the service can be recorded again
  (a cancelled visit is never billed, so the patient's real visit must be recordable);
- visits are cancelled (by `senior` or `admin`), never deleted;
- the clinic's day is one for every desk: the clinic's time zone is kept with the ledger
  (recorded by the first desk to open it), and a desk whose `desk.timezone` differs is
  refused with ClinicTimeZoneError when it opens the ledger.

Each call is one transaction in the store; the store serializes calls from several threads
on its connection, so one ledger may be shared by a GUI's worker threads.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from desk_app.config import Settings
from desk_app.logging_setup import AUDIT_ANCHOR
from desk_app.text_fields import TextFieldError, clean_text, required_text
from desk_app.verify.documents import DOCUMENT_KINDS
from desk_app.verify.numbers import mask_enp
from desk_app.verify.verdict import Verdict
from desk_app.visits.anchors import (
    Anchor,
    anchor_line,
    send_to_system_log,
    verify_store,
)
from desk_app.visits.audit import SEARCH_OUTCOMES, AuditReport, search_content
from desk_app.visits.catalogue import Catalogue, catalogue_path, load_catalogue
from desk_app.visits.model import (
    DEFAULT_ROLE,
    IDENTITY_CHECKS,
    ROLES,
    CancelResult,
    ClinicTimeZoneError,
    FirstRecord,
    LedgerTextError,
    LedgerUsageError,
    RecordResult,
    StorageError,
    Visit,
)
from desk_app.visits.rules import (
    REFUSAL_MESSAGE,
    Refusal,
    cancel_refusal,
    cancel_refusal_message,
    may_override,
    override_refusal,
    visit_refusal,
)
from desk_app.visits.store import VisitStore, open_store

log = logging.getLogger(__name__)


def _utc_now() -> datetime:
    return datetime.now(UTC)


class VisitLedger:
    def __init__(
        self,
        store: VisitStore,
        catalogue: Catalogue | None,
        tz: ZoneInfo,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self.store = store
        self.catalogue = catalogue
        self.tz = tz
        self._clock = clock
        clinic_zone = store.clinic_timezone(tz.key)
        if clinic_zone != tz.key:
            raise ClinicTimeZoneError(
                clinic_zone, tz.key,
                f"this desk's time zone {tz.key} (desk.timezone) is not the clinic's {clinic_zone}, kept with the "
                f"ledger: every desk must count the clinic's day alike; set desk.timezone = \"{clinic_zone}\"",
            )  # fmt: skip

    @classmethod
    def open(
        cls,
        url: str,
        *,
        catalogue: Catalogue | None = None,
        tz: ZoneInfo | str = "Europe/Moscow",
        clock: Callable[[], datetime] = _utc_now,
    ) -> VisitLedger:
        """Open the store at `url` (raises StorageError); the bundled catalogue unless one is given."""
        zone = ZoneInfo(tz) if isinstance(tz, str) else tz
        cat = catalogue if catalogue is not None else load_catalogue(catalogue_path())
        return cls._on(open_store(url), cat, zone, clock)

    @classmethod
    def from_settings(
        cls, settings: Settings, *, catalogue_file: Path | None = None, with_catalogue: bool = True
    ) -> VisitLedger:
        """The ledger the settings name; the catalogue from `catalogue_file`, data_dir, or the bundle.
        Without a catalogue (listing, export, audit) the ledger can read and cancel but not record."""
        catalogue = load_catalogue(catalogue_path(settings.data_path, catalogue_file)) if with_catalogue else None
        return cls._on(open_store(settings.resolved_storage_url), catalogue, settings.tz, _utc_now)

    @classmethod
    def _on(cls, store: VisitStore, catalogue: Catalogue | None, tz: ZoneInfo, clock: Callable[[], datetime]
            ) -> VisitLedger:  # fmt: skip
        """A ledger on an opened store; the store is closed if this desk may not use it (its time zone)."""
        try:
            return cls(store, catalogue, tz, clock)
        except BaseException:
            store.close()
            raise

    # -- recording -----------------------------------------------------------------------
    def record(
        self,
        verdict: Verdict,
        *,
        service_code: str,
        doctor: str,
        desk_id: str,
        warn_reason: str | None = None,
        identity_check: str = "not_checked",
        role: str = DEFAULT_ROLE,
        override_reason: str | None = None,
        now: datetime | None = None,
    ) -> RecordResult:
        """Record one service for the policy `verdict` judged. Refusals are results, not exceptions;
        LedgerUsageError for a request that makes no sense, StorageError when storage fails."""
        if self.catalogue is None:
            raise LedgerUsageError("no services catalogue loaded")
        service = self.catalogue.get(service_code)
        if service is None:
            raise LedgerUsageError(f"unknown service code {service_code!r} (not in {self.catalogue.source})")
        doctor_name = _required_text(doctor, "doctor")
        desk = _required_text(desk_id, "desk id")
        _check_role(role)
        if identity_check not in IDENTITY_CHECKS:
            raise LedgerUsageError(f"identity check must be one of {', '.join(IDENTITY_CHECKS)}")
        number = verdict.policy.number
        reason = _optional_text(warn_reason, "reason")
        override = _optional_text(override_reason, "override reason")
        # Every rule of desk_app.visits.rules, again: the ledger has the last word.
        refusal = visit_refusal(verdict.decision, service.code, doctor_name, reason) or override_refusal(override)
        if refusal is not None:
            return RecordResult(False, None, None, refusal, REFUSAL_MESSAGE[refusal])
        if not number:
            raise LedgerUsageError("the verdict names no policy number")
        not_permitted = override is not None and not may_override(role)
        if not_permitted:
            override = None  # recorded as a plain visit unless the store finds a duplicate
        moment = (now or self._clock()).astimezone(UTC)
        p = verdict.policy
        visit = Visit(
            policy_number=number,
            last_name=p.last_name,
            first_name=p.first_name,
            middle_name=p.middle_name,
            birth_date=p.birth_date,
            service_code=service.code,
            service_name=service.name,
            doctor=doctor_name,
            desk_id=desk,
            recorded_at=moment,
            visit_day=moment.astimezone(self.tz).date(),
            decision=verdict.decision,
            signature=verdict.signature,
            status=verdict.status,
            status_source=verdict.status_source,
            identity_check=identity_check,
            warn_reason=reason,
            role=role,
        )
        outcome = self.store.add_visit(visit, override)
        kind = "override" if outcome.visit_id and outcome.first else verdict.decision
        log.info(
            "visit %s: policy %s service %s desk %s (%s)",
            outcome.visit_id if outcome.visit_id is not None else "refused as duplicate",
            mask_enp(number), service.code, desk, kind,
        )  # fmt: skip
        first = self._first_record(outcome.first) if outcome.first else None
        if outcome.visit_id is None:
            assert first is not None
            where = f"at {first.time:%Y-%m-%d %H:%M} on desk {first.desk} by {first.doctor}"
            extra = f"; role {role!r} may not override (senior or admin may)" if not_permitted else ""
            return RecordResult(
                False, None, first, Refusal.DUPLICATE, f"refused: duplicate of visit recorded {where}{extra}",
                override_not_permitted=not_permitted,
            )
        self._log_anchor()
        if first is not None:
            return RecordResult(
                True, outcome.visit_id, first, None,
                f"recorded visit {outcome.visit_id} as an override of visit {first.visit_id}", overridden=True,
            )
        return RecordResult(True, outcome.visit_id, None, None, f"recorded visit {outcome.visit_id}")

    def _first_record(self, visit: Visit) -> FirstRecord:
        assert visit.id is not None
        return FirstRecord(visit.id, visit.recorded_at.astimezone(self.tz), visit.desk_id, visit.doctor)

    # -- cancelling ----------------------------------------------------------------------
    def cancel(self, visit_id: int, reason: str, role: str, *, now: datetime | None = None) -> CancelResult:
        """Cancel a visit (kept, marked) by the rules of desk_app.visits.rules: a written reason and
        a role that may cancel. Refusals are results; LedgerUsageError for an unknown visit."""
        text = _required_text(reason, "cancel reason")
        _check_role(role)
        refusal = cancel_refusal(text, role)
        if refusal is not None:
            if self.store.get(visit_id) is None:
                raise LedgerUsageError(f"no visit with id {visit_id}")
            return CancelResult(False, visit_id, refusal, cancel_refusal_message(refusal, role))
        done = self.store.cancel(visit_id, text, role, (now or self._clock()).astimezone(UTC))
        if done is None:
            raise LedgerUsageError(f"no visit with id {visit_id}")
        _visit, changed = done
        if not changed:
            already = f"refused: visit {visit_id} was already cancelled"
            return CancelResult(False, visit_id, Refusal.ALREADY_CANCELLED, already)
        log.info("visit %s cancelled by role %s", visit_id, role)
        self._log_anchor()
        return CancelResult(True, visit_id, None, f"cancelled visit {visit_id}")

    # -- searches by document ------------------------------------------------------------
    def note_search(self, *, desk_id: str, document: str, outcome: str, now: datetime | None = None) -> None:
        """Append a search by identity document to the audit chain: desk, time, document type and
        whether a policy was found. The document itself is never given to the ledger."""
        desk = _required_text(desk_id, "desk id")
        if document not in DOCUMENT_KINDS:
            raise LedgerUsageError(f"document type must be one of {', '.join(DOCUMENT_KINDS)}")
        if outcome not in SEARCH_OUTCOMES:
            raise LedgerUsageError(f"search outcome must be one of {', '.join(SEARCH_OUTCOMES)}")
        moment = (now or self._clock()).astimezone(UTC)
        self.store.note_search(
            lambda seq: search_content(seq, at=moment, desk_id=desk, document=document, outcome=outcome)
        )
        log.info("event=search_audited desk=%s document=%s outcome=%s", desk, document, outcome)
        self._log_anchor()  # the chain grew: its new head goes outside the file, as for a visit

    # -- reading -------------------------------------------------------------------------
    def list_day(self, day: date, desk: str | None = None) -> list[Visit]:
        """All visits of a clinic calendar day (cancelled ones included, marked), oldest first."""
        return self.store.visits_on(day, desk)

    def billable_day(self, day: date) -> list[Visit]:
        """The day's register for billing: cancelled visits left out."""
        return [v for v in self.store.visits_on(day) if not v.cancelled]

    def get(self, visit_id: int) -> Visit | None:
        return self.store.get(visit_id)

    def today(self) -> date:
        return self._clock().astimezone(self.tz).date()

    def verify_audit(self, anchors: Sequence[Anchor] = ()) -> AuditReport:
        """The whole chain, then each anchor (desk_app.visits.anchors) against it."""
        return verify_store(self.store, anchors)

    @property
    def location(self) -> str:
        return self.store.location

    def anchor_line(self) -> str | None:
        """The anchor of the chain as it is now (None while it is empty): exports carry it."""
        head = self.store.audit_head()
        return anchor_line(head[0], head[1], self.store.location) if head and head[0] else None

    def _log_anchor(self) -> None:
        """After every write: the new head into the log (anchors outside the ledger)."""
        try:
            line = self.anchor_line()
        except StorageError as exc:  # the write is done; only the anchor is missing
            log.warning("event=audit_anchor_failed error=%s", exc)
            return
        if line:
            log.info("%s", line, extra={AUDIT_ANCHOR: True})  # unmasked: hashes, no personal data
            send_to_system_log(line)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> VisitLedger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise LedgerUsageError(f"unknown role {role!r} (one of {', '.join(ROLES)})")


def _required_text(value: str | None, what: str) -> str:
    try:
        return required_text(value, what)
    except TextFieldError as exc:
        raise LedgerTextError(exc) from None


def _optional_text(value: str | None, what: str) -> str | None:
    try:
        return clean_text(value, what)
    except TextFieldError as exc:
        raise LedgerTextError(exc) from None
