"""The desk session: the patient at the desk, in one Qt-free place the window and the CLI share.

A `DeskSession` owns the verdict on the desk, the passport check, the chosen service and
doctor, the reason typed for a warn verdict, and the visits recorded for this patient. It asks
`desk_app.visits.rules` whether a visit may be recorded (typed `Refusal`s), checks the senior /
administrator PIN (`desk_app.core.roles`, the one role/PIN check), and moves through
these states:

    READY ─first keys─▶ READING ─scan─▶ CHECKING ──verdict──▶ VERDICT ──record──▶ RECORDING ──▶ RECORDED / REFUSED
      │                   │               │                     ▲                     │
      └──────scan─────────┼──────────────▶┘                     │                     └──ledger error──▶ VERDICT
                          └─no code─▶ SCAN_FAILED ◀──fails──────┘ ("scan again")
      Esc (clear) from any state leads to READY; a new scan (or its first keys) from any state starts over.
      RECORDED ──another service or doctor──▶ VERDICT (recording is off until then: one record per intent)

- A new scan starts a new patient: `begin_scan` drops the previous verdict, passport check,
  service, doctor, reasons and results at once, before the scan is judged. A keyboard-wedge
  scanner takes 3-8 s to type a 1.3-2.3 KB code: `reading` applies the same rule at its
  first keys (READING, with the characters read so far in `read_chars`), and the scan itself
  then moves the desk to CHECKING. A result that arrives for an older scan than the latest is
  ignored (`show_judgement` returns False).
- A search by identity document (F3, `desk-app lookup`) is a scan like any other: it starts a
  new patient; a policy it finds carries `identity_check = document_typed` (the document in hand
  was typed), which the passport check then leaves as it is.
- Any scan that starts and fails (no code in the file, an internal error, a scan dropped
  because the judge is busy, a garbled keyboard scan) leaves SCAN_FAILED: nothing of the
  previous patient survives, and nothing can be recorded.
- `clear` (Esc) gives a clean desk: READY.

What a desk keeps across patients: only the desk itself — its id, the services catalogue,
today's list of visits at this desk and the device/registry state. Nothing typed for a patient
is kept: not the service (never), not the doctor, not the passport entry, not a reason. (A
doctor fixed per desk would be a setting of the desk, not of the patient; there is none today.)

The multi-code rule (`judge_first_policy`): an image holding several codes is judged by its
first code that is a policy (not malformed), in the decoder's order; when none is, by the
first code (a malformed verdict). The window and `desk-app verify`/`visits record` both use it.

Not thread-safe: the window calls it on the GUI thread only; lanes get `RecordRequest`s,
plain values captured before the job is queued.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

from desk_app.config import Settings
from desk_app.core.roles import PinThrottle, authorize, check_admin_pin, pin_problem
from desk_app.verify.identity import PassportFormatError
from desk_app.visits.model import DOCUMENT_TYPED, IDENTITY_CHECKS
from desk_app.visits.rules import (
    Refusal,
    cancel_refusal,
    decision_recordable,
    override_refusal,
    reason_refusal,
    staff_text,
    visit_refusal,
)

if TYPE_CHECKING:
    from desk_app.core.judge import PolicyDetails, SearchFacts
    from desk_app.verify.verdict import Verdict

log = logging.getLogger(__name__)


class DeskState(StrEnum):
    READY = "ready"
    READING = "reading"  # a keyboard-wedge scanner is typing a code
    CHECKING = "checking"
    VERDICT = "verdict"
    SCAN_FAILED = "scan_failed"
    RECORDING = "recording"
    RECORDED = "recorded"
    REFUSED = "refused"


class ScanFailure(StrEnum):
    """Why a scan that started never became a verdict."""

    NO_CODE = "no_code"  # a file without a readable QR code (or not readable at all)
    FILE_TOO_SLOW = "file_too_slow"  # a file (a long PDF) searched for a code past its time budget
    INTERNAL = "internal"  # the judge raised
    DROPPED = "dropped"  # the judge's queue was full: the scan was not judged
    GARBLED = "garbled"  # a keyboard-wedge scan cut short
    FORM_A = "form_a"  # a form A code (raw XML, Cyrillic) that a keyboard-wedge scanner cannot type
    NOT_A_POLICY = "not_a_policy"  # a code that is not a policy QR code (a keyboard-wedge scan)
    NO_JUDGE = "no_judge"  # the judge could not be built (trust root)
    SEARCH_LIMITED = "search_limited"  # a search by document past the desk's own burst limit: nothing sent


class ScanKind(StrEnum):
    """What a scan in progress is waiting for (the view says it while CHECKING)."""

    CODE = "code"  # a QR code from a scanner: the judge checks the policy
    FILE = "file"  # a file: it is read and decoded first
    MANUAL = "manual"  # a number typed by hand: the registry is asked
    SEARCH = "search"  # an identity document typed by hand (F3): the registry is searched


class Judged(Protocol):
    """What the session and its view need of a `desk_app.core.judge.Judgement`."""

    verdict: Verdict
    details: PolicyDetails | None  # the policy's details for the panel
    search: SearchFacts | None  # set when the policy was searched for by document
    identity_check: str | None  # set when the judging itself checked identity (a typed document)

    def check_passport(self, series_and_number: str) -> str: ...


@dataclass(frozen=True)
class RecordRequest:
    """Everything one visit record needs, captured on the GUI thread before the job is queued."""

    verdict: Any
    service_code: str
    doctor: str
    desk_id: str
    identity_check: str
    warn_reason: str | None
    role: str
    override_reason: str | None

    def record_in(self, ledger: Any) -> Any:
        """Ask `ledger` (a VisitLedger) to record this visit; its RecordResult."""
        return ledger.record(
            self.verdict,
            service_code=self.service_code,
            doctor=self.doctor,
            desk_id=self.desk_id,
            identity_check=self.identity_check,
            warn_reason=self.warn_reason,
            override_reason=self.override_reason,
            role=self.role,
        )


@dataclass(frozen=True)
class CancelRequest:
    visit_id: int
    reason: str
    role: str

    def cancel_in(self, ledger: Any) -> Any:
        return ledger.cancel(self.visit_id, self.reason, self.role)


@dataclass
class Patient:
    """The patient at the desk: the judged policy and what staff chose for this visit."""

    judgement: Any
    identity_check: str = "not_checked"
    service_code: str | None = None
    doctor: str = ""
    warn_reason: str = ""
    results: list[Any] = field(default_factory=list)  # RecordResults for this patient, oldest first

    @property
    def decision(self) -> str:
        return str(self.judgement.verdict.decision)


def _names_a_policy(patient: Patient) -> bool:
    """A visit is recorded against a policy number; a verdict without one (nothing checked) has none."""
    return bool(getattr(patient.judgement.verdict.policy, "number", None))


def judge_first_policy(judge: Any, payloads: Iterable[str | bytes]) -> Any:
    """The multi-code rule: the first code that is a policy, else the first code's verdict."""
    first = None
    for payload in payloads:
        judgement = judge.judge_qr(payload)
        if judgement.verdict.signature != "malformed":
            return judgement
        first = first or judgement
    if first is None:
        raise ValueError("no code to judge")
    return first


SessionListener = Callable[["DeskSession"], None]


class DeskSession:
    """The desk's state; every change is published to its listeners (`subscribe`): the window's
    view, the status bar's health, the sounds. Listeners run in order on the caller's thread."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings  # the desk's id, its PIN hash, demo or not
        self._listeners: list[SessionListener] = []
        self.state = DeskState.READY
        self.scan_kind = ScanKind.CODE  # what the scan in progress (CHECKING) waits for
        self.patient: Patient | None = None
        self.failure: ScanFailure | None = None
        self.failure_source: str | None = None  # the file a failed scan came from, to name it
        self.last_result: Any = None  # the ledger's last RecordResult for this patient
        self.read_chars = 0  # READING: the characters a keyboard-wedge scanner has typed so far
        self._scan_ticket = 0
        self.pin_throttle = PinThrottle()  # wrong PINs make the next try wait (kept across dialogs)

    @property
    def desk_id(self) -> str:
        return self._settings.desk_id

    def configure(self, settings: Settings) -> None:
        """New desk settings (the settings window saved): the desk is cleared."""
        self._settings = settings
        self.clear()

    # Scans ---------------------------------------------------------------------------------
    def begin_scan(self, kind: ScanKind = ScanKind.CODE) -> int:
        """A scan started: a new patient. Returns the ticket its result must bring back."""
        self._scan_ticket += 1
        self.scan_kind = kind
        self._new_patient(None, DeskState.CHECKING)
        return self._scan_ticket

    def reading(self, chars: int) -> None:
        """A scanner is typing a code, `chars` characters so far: at its first keys a new patient
        (seconds before the scan is whole), then the count as it grows."""
        self.read_chars = chars
        if self.state is DeskState.READING:
            self._changed()
            return
        self._scan_ticket += 1
        self._new_patient(None, DeskState.READING)

    def show_judgement(self, judgement: Judged, ticket: int | None = None) -> bool:
        """The verdict for the scan `ticket`; False (ignored) when a newer scan has started."""
        if ticket is not None and ticket != self._scan_ticket:
            return False
        # A policy found by the document typed from the one in hand: identity is checked by that.
        checked = judgement.identity_check or "not_checked"
        self._new_patient(Patient(judgement, identity_check=checked), DeskState.VERDICT)
        return True

    def scan_failed(self, failure: ScanFailure, ticket: int | None = None, source: str | None = None) -> bool:
        """A scan that started did not become a verdict: nothing of the previous patient stays.
        `source` names the file it came from, if any (for SEARCH_LIMITED: the seconds to wait)."""
        if ticket is not None and ticket != self._scan_ticket:
            return False
        self.failure_source = source
        self._new_patient(None, DeskState.SCAN_FAILED, failure)
        return True

    def clear(self) -> None:
        """Esc: a clean desk. A scan still being judged is forgotten too."""
        self._scan_ticket += 1
        self._new_patient(None, DeskState.READY)

    def _new_patient(self, patient: Patient | None, state: DeskState, failure: ScanFailure | None = None) -> None:
        if failure is None:
            self.failure_source = None
        self.patient = patient
        self.state = state
        self.failure = failure
        self.last_result = None
        self._changed()

    def subscribe(self, listener: SessionListener) -> None:
        """`listener(session)` after every change, after the listeners subscribed before it."""
        self._listeners.append(listener)

    def _changed(self) -> None:
        for listener in list(self._listeners):
            listener(self)

    # What staff choose -----------------------------------------------------------------------
    def check_passport(self, series_and_number: str) -> str | None:
        """The passport in hand against the policy's signed digest: match / mismatch / not_present,
        "malformed" when the typed text is not 4 + 6 digits (nothing changes), None when nothing
        is judged. The format rule is the verification core's (`verify.identity`)."""
        if self.patient is None:
            return None
        if self.patient.identity_check == DOCUMENT_TYPED:
            return DOCUMENT_TYPED  # found by the typed document: nothing signed to compare, nothing to change
        try:
            result = str(self.patient.judgement.check_passport(series_and_number))
        except PassportFormatError:
            return "malformed"
        self.patient.identity_check = result if result in IDENTITY_CHECKS else "not_checked"
        return result

    def choose_service(self, code: str | None) -> None:
        if self.patient is not None and self.patient.service_code != (code or None):
            self.patient.service_code = code or None
            self._choice_changed()

    def set_doctor(self, name: str) -> None:
        if self.patient is not None and self.patient.doctor != name:
            self.patient.doctor = name
            self._choice_changed()

    def _choice_changed(self) -> None:
        """One action per intent: after «Приём записан» recording is off until the service or the
        doctor changes (or the patient: a new scan); then the desk is back at the verdict."""
        if self.state is DeskState.RECORDED:
            self.state = DeskState.VERDICT
            self._changed()

    def set_warn_reason(self, text: str) -> None:
        if self.patient is not None:
            self.patient.warn_reason = text

    # Rules -----------------------------------------------------------------------------------
    @property
    def decision(self) -> str | None:
        return self.patient.decision if self.patient is not None else None

    @property
    def may_record(self) -> bool:
        """Whether the record button is offered: a recordable verdict and nothing in flight."""
        return (
            self.patient is not None
            and self.state in (DeskState.VERDICT, DeskState.REFUSED)
            and _names_a_policy(self.patient)
            and decision_recordable(self.decision)
        )

    def refusal(self) -> Refusal | None:
        """Why the patient's visit may not be recorded now; None when it may."""
        p = self.patient
        if p is None or self.state in (DeskState.READING, DeskState.CHECKING, DeskState.SCAN_FAILED, DeskState.READY):
            return Refusal.NO_POLICY
        if p.decision != "reject" and not _names_a_policy(p):  # nothing checked (no trust root): no policy named
            return Refusal.NO_POLICY
        if self.state is DeskState.RECORDING:
            return Refusal.BUSY
        if self.state is DeskState.RECORDED:
            return Refusal.ALREADY_RECORDED
        return visit_refusal(p.decision, p.service_code, p.doctor, p.warn_reason)

    def admin_pin_ok(self, pin: str) -> bool:
        """The senior/administrator PIN (the demo's documented PIN when none is set in a demo).
        While `pin_wait_seconds()` is above zero every PIN is refused unchecked."""
        if self.pin_throttle.wait_seconds() > 0:
            return False
        ok = check_admin_pin(pin, self._settings.admin_pin_hash, demo=self._settings.demo)
        self.pin_throttle.record(ok)
        if not ok:
            log.warning("event=admin_pin_wrong desk=%s failures=%d wait_s=%.0f", self.desk_id,
                        self.pin_throttle.failures, self.pin_throttle.wait_seconds())  # fmt: skip
        return ok

    def pin_wait_seconds(self) -> float:
        """Seconds before the next PIN is checked (after several wrong ones); 0 when it may be now."""
        return self.pin_throttle.wait_seconds()

    def pin_problem(self) -> str | None:
        """"not_set" (and not the demo), "outdated" (IT must set a new PIN), or None (roles.pin_problem)."""
        return pin_problem(self._settings)

    def authorize(self, role: str, pin: str | None) -> None:
        """Raise `roles.PinRefused` unless `role` may act at this desk with `pin` (the CLI's --role)."""
        authorize(role, pin, self._settings)

    def senior_unlock(self, reason: str, pin: str) -> str | Refusal:
        """An override or a cancellation at the desk: a written reason, then a PIN; the role that
        PIN unlocks (the one the visit is recorded or cancelled with), or why not."""
        refusal = reason_refusal(reason)
        if refusal is not None:
            return refusal
        # One PIN per desk today (the administrator's): it unlocks `admin`, through the wrong-PIN wait.
        return "admin" if self.admin_pin_ok(pin) else Refusal.PIN_REFUSED

    def prepare_record(
        self, *, role: str = "registrar", override_reason: str | None = None
    ) -> RecordRequest | Refusal:
        """The record to queue, or why not. On success the desk is RECORDING until the result."""
        refusal = self.refusal()
        if refusal is None:
            # Whether `role` may override is the ledger's to say, and only if there is a duplicate.
            refusal = override_refusal(override_reason)
        if refusal is not None:
            return refusal
        p = self.patient
        assert p is not None and p.service_code is not None
        request = RecordRequest(
            verdict=p.judgement.verdict,
            service_code=p.service_code,
            doctor=staff_text(p.doctor) or "",
            desk_id=self.desk_id,
            identity_check=p.identity_check,
            warn_reason=staff_text(p.warn_reason) if p.decision == "warn" else None,
            role=role,
            override_reason=staff_text(override_reason),
        )
        self.state = DeskState.RECORDING
        self._changed()
        return request

    def record_finished(self, result: Any, request: RecordRequest | None = None) -> bool:
        """The ledger's RecordResult. False (ignored) when the desk has moved to another patient."""
        p = self.patient
        if p is None or self.state is not DeskState.RECORDING or (
            request is not None and request.verdict is not p.judgement.verdict
        ):
            return False
        p.results.append(result)
        self.last_result = result
        self.state = DeskState.RECORDED if result.recorded else DeskState.REFUSED
        self._changed()
        return True

    def record_failed(self) -> None:
        """The ledger raised (storage down, bad request): back to the verdict, nothing recorded."""
        if self.state is DeskState.RECORDING:
            self.state = DeskState.VERDICT
            self._changed()

    @property
    def refused_duplicate(self) -> Any:
        """The first record a refused duplicate collides with (a FirstRecord), or None."""
        result = self.last_result
        if self.state is DeskState.REFUSED and result is not None:
            return result.duplicate_of
        return None

    def prepare_cancel(self, visit_id: int, reason: str, role: str) -> CancelRequest | Refusal:
        """The cancellation to queue, or why not (the ledger asks the same rule again)."""
        refusal = cancel_refusal(reason, role)
        if refusal is not None:
            return refusal
        return CancelRequest(visit_id, staff_text(reason) or "", role)
