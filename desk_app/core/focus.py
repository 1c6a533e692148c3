"""Where the keyboard focus goes at the desk: one written rule, Qt-free; the window applies it.

The hands follow the work: after each event the focus goes to the first thing staff still have
to do for the patient at the desk, never to nothing (a key typed then would vanish) and never
where the previous patient left it.

| moment                               | focus                                                   |
|--------------------------------------|---------------------------------------------------------|
| Esc (READY), a scan being read or    | the desk (the big panel): nothing to type; a scanner is |
| checked, a scan that failed          | read whatever has the focus                             |
| a verdict: reject                    | the desk: nothing may be recorded                       |
| a verdict: accept or warn            | the first field the recording rules still need: the     |
|                                      | service search, then the doctor, then (warn) the        |
|                                      | reason; all there: the record button                    |
| the passport check                   | its entry, when it was not 4 + 6 digits (fix it); else  |
|                                      | as after the verdict                                    |
| recording (the ledger is writing)    | the desk (the record button is off meanwhile)           |
| «Приём записан» or a refused record  | the service search: another service for this patient is |
|                                      | the only thing left to type (recording stays off until  |
|                                      | the service, the doctor or the patient changes)         |
| back from «Приём записан» to the     | stays: staff are typing the new service or doctor       |
| verdict (another service or doctor)  |                                                         |

The passport entry is never chosen after a verdict: the check is the doctor's, on request.
"""

from __future__ import annotations

from enum import StrEnum

from desk_app.core.session import DeskSession, DeskState
from desk_app.visits.rules import Refusal


class Spot(StrEnum):
    """A place the focus can go; the window maps each to a widget."""

    DESK = "desk"  # the big panel: focusable, types nothing
    PASSPORT = "passport"
    SERVICE = "service"  # the service search line
    DOCTOR = "doctor"
    WARN_REASON = "warn_reason"
    RECORD = "record"  # the record button


_NEEDED: dict[Refusal | None, Spot] = {
    Refusal.NO_SERVICE: Spot.SERVICE,
    Refusal.NO_DOCTOR: Spot.DOCTOR,
    Refusal.WARN_NEEDS_REASON: Spot.WARN_REASON,
    None: Spot.RECORD,
}


def focus_after_change(session: DeskSession, previous: DeskState | None = None) -> Spot | None:
    """Where the focus goes when the desk's state has just changed from `previous` (a scan
    started or failed, a verdict, Esc, a record's result); None: it stays where staff are typing
    (RECORDED back to VERDICT happens as they choose another service or doctor)."""
    state = session.state
    if previous is DeskState.RECORDED and state is DeskState.VERDICT:
        return None
    if state in (DeskState.RECORDED, DeskState.REFUSED):
        return Spot.SERVICE
    if state is not DeskState.VERDICT:
        return Spot.DESK
    return _NEEDED.get(session.refusal(), Spot.DESK)


def focus_after_passport_check(session: DeskSession, result: str | None) -> Spot:
    """Where the focus goes after «Сверить» (or Enter in the passport entry)."""
    if result == "malformed":
        return Spot.PASSPORT
    return focus_after_change(session) or Spot.DESK
