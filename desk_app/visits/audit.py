"""The hash-chained audit log: how entries are built and how the chain is checked.

Entry n stores the canonical JSON of its content (which includes its own sequence number) and
`hash_n = SHA-256(hash_{n-1} || "\\n" || canonical_json_n)`, with 64 zeros before the first
entry. The head (last sequence number and hash) is kept in its own row, updated in the same
transaction, so that cutting entries off the end is detected too. Verification also checks
that every visit row still says what its audit entries say (record, then any cancellation),
so editing the visits table behind the ledger's back is caught as well.

The chain alone cannot show a rewrite by someone who recomputes every hash: anchors
(desk_app.visits.anchors) written outside the ledger can, and `AuditReport` says how many were
checked and which was the last.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from desk_app.visits.model import Visit, utc_iso

GENESIS_HASH = "0" * 64
ACTION_RECORD = "record"
ACTION_OVERRIDE = "override"
ACTION_CANCEL = "cancel"
ACTION_SEARCH = "search"  # a search by identity document: no visit (filed under visit id 0)
ACTIONS = (ACTION_RECORD, ACTION_OVERRIDE, ACTION_CANCEL, ACTION_SEARCH)
NO_VISIT = 0
SEARCH_OUTCOMES = ("found", "not_found", "no_answer")


def canonical_json(content: dict[str, Any]) -> str:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def chain_hash(prev_hash: str, canonical: str) -> str:
    return hashlib.sha256(f"{prev_hash}\n{canonical}".encode()).hexdigest()


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    action: str
    visit_id: int
    entry: str  # canonical JSON
    prev_hash: str
    hash: str


def record_content(seq: int, visit: Visit) -> dict[str, Any]:
    action = ACTION_OVERRIDE if visit.override_of is not None else ACTION_RECORD
    return {"seq": seq, "action": action, "at": utc_iso(visit.recorded_at), "visit": visit.snapshot()}


def cancel_content(seq: int, visit: Visit) -> dict[str, Any]:
    assert visit.cancelled_at is not None and visit.id is not None
    return {
        "seq": seq,
        "action": ACTION_CANCEL,
        "at": utc_iso(visit.cancelled_at),
        "visit_id": visit.id,
        "reason": visit.cancel_reason,
        "role": visit.cancelled_by,
    }


def search_content(seq: int, *, at: datetime, desk_id: str, document: str, outcome: str) -> dict[str, Any]:
    """A search by document: who asked and when, by what kind of document, and whether a policy was
    found. Never the document, the SNILS or the policy found: only that a look-up was made."""
    return {"seq": seq, "action": ACTION_SEARCH, "at": utc_iso(at), "desk_id": desk_id, "document": document,
            "outcome": outcome}  # fmt: skip


def next_entry(prev_seq: int, prev_hash: str, content_for_seq: Any) -> AuditEntry:
    """Build entry prev_seq+1 from a function of its sequence number (record_content, cancel_content)."""
    seq = prev_seq + 1
    content = content_for_seq(seq)
    canonical = canonical_json(content)
    visit_id = _visit_id_of(content)
    if not isinstance(visit_id, int):
        raise ValueError(f"audit content for entry {seq} names no visit")
    return AuditEntry(seq, content["action"], visit_id, canonical, prev_hash, chain_hash(prev_hash, canonical))


def _visit_id_of(content: dict[str, Any]) -> object:
    """The visit an entry's content is filed under (NO_VISIT for a search); read defensively, as a
    stored entry may have been edited: what is not a visit id comes back as it is, or None."""
    if content.get("action") == ACTION_SEARCH:
        return NO_VISIT
    if content.get("action") == ACTION_CANCEL:
        return content.get("visit_id")
    visit = content.get("visit")
    return visit.get("id") if isinstance(visit, dict) else None


@dataclass(frozen=True)
class AuditReport:
    ok: bool
    entries: int
    head_hash: str
    first_bad_seq: int | None = None
    problem: str | None = None
    anchors: int = 0  # anchors checked (desk_app.visits.anchors)
    last_anchor: tuple[int, str, str] | None = None  # (seq, head, where found) of the newest anchor

    @property
    def message(self) -> str:
        if self.ok:
            text = f"audit chain ok: {self.entries} entries, head {self.head_hash[:16]}"
            if self.last_anchor is None:
                return text + "; no anchor found, so a rewrite of the whole chain cannot be ruled out"
            seq, _head, where = self.last_anchor
            return text + f"; matches {self.anchors} anchor(s), the last at entry {seq} ({where})"
        where = f"entry {self.first_bad_seq}" if self.first_bad_seq is not None else "the log"
        return f"audit chain broken at {where}: {self.problem}"


def verify_chain(
    entries: Iterable[AuditEntry], head: tuple[int, str] | None, visits: Iterable[Visit]
) -> AuditReport:
    """Check the chain entry by entry, then the head, then every visit against its entries."""
    prev_hash = GENESIS_HASH
    expected_seq = 1
    recorded: dict[int, dict[str, Any]] = {}
    cancels: dict[int, dict[str, Any]] = {}
    count = 0
    for e in entries:
        count += 1
        bad = _check_entry(e, expected_seq, prev_hash)
        if bad is not None:
            return AuditReport(False, count, prev_hash, bad[0], bad[1])
        content = json.loads(e.entry)
        if content["action"] == ACTION_SEARCH:
            pass  # names no visit
        elif content["action"] == ACTION_CANCEL:
            if content["visit_id"] not in recorded:
                return AuditReport(False, count, prev_hash, e.seq, "cancels a visit that was never recorded")
            cancels[content["visit_id"]] = content
        else:
            recorded[content["visit"]["id"]] = content
        prev_hash = e.hash
        expected_seq += 1
    last = (expected_seq - 1, prev_hash)
    if head is None and count:
        return AuditReport(False, count, prev_hash, None, "the chain head record is missing")
    if head is not None and head != last:
        return AuditReport(
            False, count, prev_hash, min(head[0], last[0]) + 1,
            f"the head says entry {head[0]} but the log ends at entry {last[0]} (entries deleted?)",
        )
    seen: set[int] = set()
    for visit in visits:
        problem = _check_visit(visit, recorded, cancels)
        if problem is not None:
            return AuditReport(False, count, prev_hash, None, problem)
        seen.add(visit.id)  # type: ignore[arg-type]
    missing = sorted(set(recorded) - seen)
    if missing:
        seq = recorded[missing[0]]["seq"]
        return AuditReport(False, count, prev_hash, seq, f"visit {missing[0]} was recorded but is gone (deleted)")
    return AuditReport(True, count, prev_hash)


def _check_entry(e: AuditEntry, expected_seq: int, prev_hash: str) -> tuple[int, str] | None:
    if e.seq != expected_seq:
        return (expected_seq, f"expected entry {expected_seq}, found entry {e.seq} (deleted or reordered)")
    if e.prev_hash != prev_hash:
        return (e.seq, "its link to the previous entry does not match (an entry before it changed or moved)")
    if chain_hash(prev_hash, e.entry) != e.hash:
        return (e.seq, "its content does not match its hash (edited)")
    try:
        content = json.loads(e.entry)
    except ValueError:
        return (e.seq, "its content is not JSON")
    if not isinstance(content, dict) or content.get("seq") != e.seq or content.get("action") not in ACTIONS:
        return (e.seq, "its content names another position or an unknown action (moved)")
    target = _visit_id_of(content)
    if not isinstance(target, int) or target != e.visit_id:
        return (e.seq, "its content does not name the visit it is filed under")
    return None


def _check_visit(visit: Visit, recorded: dict[int, dict[str, Any]], cancels: dict[int, dict[str, Any]]) -> str | None:
    assert visit.id is not None
    content = recorded.get(visit.id)
    if content is None:
        return f"visit {visit.id} has no audit entry"
    if content["visit"] != visit.snapshot():
        return f"visit {visit.id} differs from its audit entry {content['seq']} (edited)"
    cancel = cancels.get(visit.id)
    if visit.cancelled != (cancel is not None):
        return f"visit {visit.id} cancellation does not match the audit log"
    if cancel is not None and (
        cancel["at"] != utc_iso(visit.cancelled_at)  # type: ignore[arg-type]
        or cancel["reason"] != visit.cancel_reason
        or cancel["role"] != visit.cancelled_by
    ):
        return f"visit {visit.id} cancellation differs from audit entry {cancel['seq']} (edited)"
    return None
