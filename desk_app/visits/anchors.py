"""Anchors: the audit chain's head written where the desk's user cannot rewrite it unseen.

Whoever can write the SQLite file can drop its triggers, change a visit, recompute every hash
of the chain and put the triggers back: the chain alone then says "ok". An anchor is one line,

    desk-app-audit-anchor seq=<N> head=<hash of entry N> ledger=<16 hex: which ledger>

written outside the ledger: into the log after every write (the desk's own log, and on Linux
the system log, `journalctl -t desk-app-audit`, which the desk's user cannot rewrite), into
every daily register export (the copy billing received is out of the desk's reach), and, for a
PostgreSQL ledger, the database itself holds the head on a server the desk's user does not
administer. A chain rewritten after an anchor was written no longer has that hash at entry N,
and `audit verify` and `doctor` say so (docs/security.md, "Evidence").

`ledger` is a fingerprint of where the ledger lives (the SQLite file's absolute path, or the
PostgreSQL server and database), so that a desk's log with anchors of a demo ledger is not
held against the real one. Anchors in a file IT names explicitly are checked whatever their
fingerprint.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from desk_app.visits.audit import GENESIS_HASH, AuditReport, verify_chain

if TYPE_CHECKING:
    from desk_app.visits.store import VisitStore

ANCHOR_TAG = "desk-app-audit-anchor"
_ANCHOR = re.compile(rf"{ANCHOR_TAG} seq=(\d{{1,18}}) head=([0-9a-f]{{64}}) ledger=([0-9a-f]{{16}})")
MAX_ANCHOR_FILE = 64 * 1024 * 1024  # a log or an export read for anchors: at most this much
_LOG_GLOB = "*.log*"


@dataclass(frozen=True)
class Anchor:
    seq: int
    head: str
    ledger: str  # fingerprint (ledger_fingerprint)
    source: str  # where it was found: a file, "the PostgreSQL ledger"


def ledger_fingerprint(location: str) -> str:
    return hashlib.sha256(location.encode("utf-8", "surrogateescape")).hexdigest()[:16]


def anchor_line(seq: int, head: str, location: str) -> str:
    return f"{ANCHOR_TAG} seq={seq} head={head} ledger={ledger_fingerprint(location)}"


def anchors_in_text(text: str, source: str) -> list[Anchor]:
    return [Anchor(int(m[1]), m[2], m[3], source) for m in _ANCHOR.finditer(text)]


def anchors_in_file(path: Path) -> list[Anchor]:
    """Every anchor in a log file or an export (CSV or XML); [] for a file that cannot be read."""
    try:
        with path.open("rb") as f:
            data = f.read(MAX_ANCHOR_FILE)
    except OSError:
        return []
    return anchors_in_text(data.decode("utf-8", "replace"), str(path))


def anchors_in_logs(log_dir: Path, location: str) -> list[Anchor]:
    """The anchors of the ledger at `location` in the desk's log files (rotated ones included)."""
    fingerprint = ledger_fingerprint(location)
    try:
        files = sorted(p for p in log_dir.glob(_LOG_GLOB) if p.is_file())
    except OSError:
        return []
    return [a for path in files for a in anchors_in_file(path) if a.ledger == fingerprint]


@dataclass(frozen=True)
class AnchorCheck:
    ok: bool
    checked: int
    last: Anchor | None  # the anchor with the highest sequence number
    problem: str | None = None
    bad_seq: int | None = None


def check_anchors(anchors: Sequence[Anchor], head_seq: int, hash_at: Callable[[int], str | None]) -> AnchorCheck:
    """Each anchor's entry must still be in the chain with the anchored hash. `hash_at(seq)` is the
    stored hash of entry `seq` (None when there is none)."""
    unique = {(a.seq, a.head): a for a in anchors}
    ordered = sorted(unique.values(), key=lambda a: a.seq)
    last = ordered[-1] if ordered else None
    for anchor in reversed(ordered):  # the newest first: it covers the most
        if anchor.seq > head_seq:
            return AnchorCheck(
                False, len(ordered), last,
                f"{anchor.source} anchored entry {anchor.seq}, but the chain ends at entry {head_seq} "
                "(entries removed, or the chain rebuilt)",
                anchor.seq,
            )  # fmt: skip
        stored = hash_at(anchor.seq)
        if stored != anchor.head:
            return AnchorCheck(
                False, len(ordered), last,
                f"entry {anchor.seq} is not the one anchored in {anchor.source} (hash {str(stored)[:16]}, "
                f"anchored {anchor.head[:16]}): the chain was rewritten after the anchor was written",
                anchor.seq,
            )  # fmt: skip
    return AnchorCheck(True, len(ordered), last)


SYSLOG_ADDRESS = "/dev/log"  # the system log (journald, rsyslog) on Linux; root-owned storage
SYSLOG_TAG = "desk-app-audit"


def send_to_system_log(line: str, address: str | None = None) -> bool:
    """Also hand an anchor to the system log, whose files the desk's user cannot rewrite
    (`journalctl -t desk-app-audit`). POSIX with a local syslog socket only; False when there is
    none (Windows, a container without one): the desk's own log and the exports still carry it."""
    import socket

    target = address or SYSLOG_ADDRESS
    if not hasattr(socket, "AF_UNIX") or not os.path.exists(target):
        return False
    message = f"<{(1 << 3) | 6}>{SYSLOG_TAG}: {line}".encode()  # facility user, severity info
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
            sock.settimeout(0.5)
            sock.sendto(message, target)
    except OSError:
        return False
    return True


def verify_store(store: VisitStore, anchors: Sequence[Anchor] = ()) -> AuditReport:
    """The whole chain of `store`, then each anchor against it (read-only)."""
    report = verify_chain(store.audit_entries(), store.audit_head(), store.all_visits())
    if not report.ok:
        return report
    return _with_anchors(report, check_anchors(anchors, report.entries, store.audit_hash_at))


def check_store_anchors(store: VisitStore, anchors: Sequence[Anchor]) -> AuditReport:
    """Only the anchored entries and the head (quick, for doctor on a large ledger): a chain
    rebuilt after an anchor was written is caught; an edit that broke a link needs verify_store."""
    head = store.audit_head() or (0, GENESIS_HASH)
    return _with_anchors(AuditReport(True, head[0], head[1]), check_anchors(anchors, head[0], store.audit_hash_at))


def _with_anchors(report: AuditReport, check: AnchorCheck) -> AuditReport:
    last = (check.last.seq, check.last.head, check.last.source) if check.last else None
    if not check.ok:
        return dataclasses.replace(report, ok=False, first_bad_seq=check.bad_seq, problem=check.problem,
                                   anchors=check.checked, last_anchor=last)  # fmt: skip
    return dataclasses.replace(report, anchors=check.checked, last_anchor=last)
