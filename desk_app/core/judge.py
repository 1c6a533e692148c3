"""From a scanned QR text (or a typed number) to a verdict: the one path every route takes."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from desk_app.clock import clock_before_floor
from desk_app.config import Settings
from desk_app.core.search_limit import SearchLimiter
from desk_app.paths import resource
from desk_app.verify.decision import cannot_check, decide
from desk_app.verify.documents import DocumentQuery
from desk_app.verify.identity import PassportCheck, check_passport
from desk_app.verify.numbers import enp_is_valid, mask_enp
from desk_app.verify.payload import PayloadError, decode_payload
from desk_app.verify.signature import verify_policy_xml
from desk_app.verify.status import NO_REGISTRY, SearchAnswer, StatusAnswer, StatusSource
from desk_app.verify.trust_store import TrustSnapshot, TrustStore, TrustUpdateError
from desk_app.verify.verdict import DOCUMENT_SEARCH, TRUST_ROOT_NOT_CONFIGURED, PolicyFields, Verdict
from desk_app.visits.model import DOCUMENT_TYPED

log = logging.getLogger(__name__)

# The desk's own environment failing: these are "cannot check", never a verdict on the content.
ENVIRONMENT_ERRORS: tuple[type[BaseException], ...] = (OSError, MemoryError, ImportError)
UNEXPECTED_PREFIX = "reader defect:"  # Judgement.detail of content that hit a reader defect
NOT_CONFIGURED_DETAIL = "cannot check: the trust root is not configured"  # Judgement.detail with no trust root


@dataclass(frozen=True)
class PolicyDetails:
    """Signed values shown on screen that are not part of the verdict's JSON."""

    insurer_name: str
    region: str
    kind: str
    snils: str | None


@dataclass(frozen=True)
class SearchFacts:
    """How a policy found by document was found (never the document itself)."""

    document: str  # passport_rf | birth_certificate | snils
    outcome: str  # found | not_found | no_answer (the registry gave none: offline, down, 429 ...)
    retry_after: float | None = None  # seconds to wait, after the registry's 429


@dataclass(frozen=True)
class Judgement:
    verdict: Verdict
    details: PolicyDetails | None = None
    identity_digest: bytes | None = None
    identity_salt: bytes | None = None
    detail: str = ""  # English, for logs and `--verbose`: why the signature failed
    search: SearchFacts | None = None  # set when the policy was searched for by document
    identity_check: str | None = None  # set when the judging itself checked identity (a typed document)

    @property
    def manual(self) -> bool:
        return self.verdict.signature == "not_applicable"

    def check_passport(self, series_and_number: str) -> PassportCheck:
        """match / mismatch / not_present; raises PassportFormatError for a malformed entry."""
        return check_passport(series_and_number, self.identity_digest, self.identity_salt)


class _NoRegistry:
    """The StatusSource of a judge built without one: no registry, no copy to keep."""

    def lookup(self, enp: str) -> StatusAnswer:
        return NO_REGISTRY

    def search(self, query: DocumentQuery) -> SearchAnswer:
        return SearchAnswer(NO_REGISTRY)

    def sync_worker(self, interval: float, **_callbacks: Any) -> None:
        return None

    def close(self) -> None:
        pass


def _utc_now() -> datetime:
    return datetime.now(UTC)


class TrustRootNotConfigured(TrustUpdateError):
    """No `trust.root` outside demo mode: nothing can be fetched or checked against it."""


class Judge:
    """Qt-free and safe to call from worker threads.

    With `trust` None (no `trust.root` configured outside demo mode) the judge refuses to judge:
    every verdict is `decision.cannot_check(trust_root_not_configured)`, the registry is not asked.
    """

    def __init__(
        self,
        settings: Settings,
        trust: TrustStore | None,
        status_source: StatusSource | None = None,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self.settings = settings
        self.trust = trust
        self.status_source: StatusSource = status_source or _NoRegistry()
        self.clock = clock
        self._refresh_lock = threading.Lock()
        self.search_limiter = SearchLimiter()

    def close(self) -> None:
        """Release the registry's connections, threads and offline copy (the command is done, the
        judge is being replaced or the desk closes)."""
        self.status_source.close()

    def _today(self, now: datetime) -> date:
        return now.astimezone(self.settings.tz).date()

    def _clock_wrong(self, now: datetime) -> bool:
        """The clock is earlier than a moment this desk has already seen (build, trust download, CRL)."""
        broken = clock_before_floor(now, self.trust.snapshot if self.trust is not None else None)
        if broken is not None:
            log.warning("event=clock_before_floor floor=%s", broken)
        return broken is not None

    def judge_qr(self, payload: str | bytes) -> Judgement:
        """Never raises for content: whatever the bytes, the answer is a verdict.

        An exception other than the desk's own environment failing (files, memory, libraries)
        while reading content is a defect in a reader; the content still gets `malformed`, and
        the log names the defect's type and place (never the content) so it can be fixed.
        """
        if self.trust is None:
            log.info("event=judged signature=not_applicable reason=%s", TRUST_ROOT_NOT_CONFIGURED)
            return Judgement(cannot_check(TRUST_ROOT_NOT_CONFIGURED), detail=NOT_CONFIGURED_DETAIL)
        now = self.clock()
        today = self._today(now)
        try:
            xml = decode_payload(payload)
            outcome = verify_policy_xml(xml, self.trust.snapshot, now=now, today=today)
        except PayloadError as exc:
            return self._malformed(str(exc), now, today)
        except ENVIRONMENT_ERRORS:
            raise
        except Exception as exc:
            where = _innermost_frame(exc)
            log.warning("event=content_reader_defect type=%s where=%s", type(exc).__name__, where)
            return self._malformed(f"{UNEXPECTED_PREFIX} {type(exc).__name__} at {where}", now, today)
        clock_wrong = self._clock_wrong(now)
        if outcome.code != "ok" or outcome.document is None:
            refused = decide(
                signature=outcome.code,
                policy=PolicyFields(),
                answer=_not_asked(),
                crl=None,
                now=now,
                today=today,
                clock_wrong=clock_wrong,
            )
            log.info("event=judged decision=%s signature=%s detail=%s", refused.decision, outcome.code, outcome.detail)
            return Judgement(refused, detail=outcome.detail)
        doc = outcome.document
        answer = self.status_source.lookup(doc.number)
        verdict = decide(
            signature="ok",
            policy=doc.fields(),
            answer=answer,
            crl=outcome.crl,
            now=now,
            today=today,
            clock_wrong=clock_wrong,
        )
        log.info(
            "event=judged enp=%s decision=%s signature=ok status=%s source=%s reasons=%s",
            mask_enp(doc.number),
            verdict.decision,
            verdict.status,
            verdict.status_source,
            ",".join(verdict.reasons),
        )
        return Judgement(
            verdict,
            details=PolicyDetails(doc.insurer_name, doc.region, doc.kind, doc.snils),
            identity_digest=doc.identity_digest,
            identity_salt=doc.identity_salt,
        )

    def judge_manual(self, enp: str, birth_date: date) -> Judgement:
        """A typed number: judged by the registry only (signature `not_applicable`)."""
        if not enp_is_valid(enp):
            raise ValueError("policy number must be 16 digits with a valid check digit")
        if self.trust is None:
            log.info("event=judged_manual enp=%s reason=%s", mask_enp(enp), TRUST_ROOT_NOT_CONFIGURED)
            typed = PolicyFields(number=enp, birth_date=birth_date)
            return Judgement(cannot_check(TRUST_ROOT_NOT_CONFIGURED, policy=typed))
        now = self.clock()
        answer = self.status_source.lookup(enp)
        policy = PolicyFields(
            number=enp, birth_date=birth_date, insurer_code=answer.insurer_code, valid_to=answer.valid_to
        )
        verdict = decide(
            signature="not_applicable",
            policy=policy,
            answer=answer,
            crl=None,
            now=now,
            today=self._today(now),
            clock_wrong=self._clock_wrong(now),
        )
        log.info(
            "event=judged_manual enp=%s decision=%s status=%s source=%s",
            mask_enp(enp),
            verdict.decision,
            verdict.status,
            verdict.status_source,
        )
        return Judgement(verdict)

    def judge_search(self, query: DocumentQuery) -> Judgement:
        """A policy searched for by identity document or SNILS: judged by the registry's answer
        only (signature `not_applicable`, reason `document_search`). Raises SearchLimited, before
        anything is sent, when this desk has searched too often just now."""
        if self.trust is None:  # a desk that judges nothing searches for nothing: nothing is sent
            log.info("event=judged_search document=%s reason=%s", query.kind, TRUST_ROOT_NOT_CONFIGURED)
            return Judgement(cannot_check(TRUST_ROOT_NOT_CONFIGURED))
        self.search_limiter.acquire()
        now = self.clock()
        found = self.status_source.search(query)
        answer = found.answer
        policy = PolicyFields(
            number=found.enp, last_name=found.last_name, first_name=found.first_name, middle_name=found.middle_name,
            birth_date=query.birth_date, sex=found.sex, insurer_code=answer.insurer_code, valid_to=answer.valid_to,
        )  # fmt: skip
        verdict = decide(
            signature="not_applicable", policy=policy, answer=answer, crl=None, now=now, today=self._today(now),
            clock_wrong=self._clock_wrong(now), typed=DOCUMENT_SEARCH,
        )  # fmt: skip
        outcome = "found" if found.enp else ("not_found" if answer.status == "not_found" else "no_answer")
        log.info(
            "event=judged_search document=%s outcome=%s enp=%s decision=%s status=%s reasons=%s",
            query.kind, outcome, mask_enp(found.enp) if found.enp else "-", verdict.decision, verdict.status,
            ",".join(verdict.reasons),
        )  # fmt: skip
        return Judgement(
            verdict,
            search=SearchFacts(query.kind, outcome, found.retry_after),
            identity_check=DOCUMENT_TYPED if found.enp else None,
        )

    def _malformed(self, detail: str, now: datetime, today: date) -> Judgement:
        verdict = decide(
            signature="malformed", policy=PolicyFields(), answer=_not_asked(), crl=None, now=now, today=today
        )
        log.info("event=judged decision=%s signature=malformed detail=%s", verdict.decision, detail)
        return Judgement(verdict, detail=detail)

    # Trust list ------------------------------------------------------------------------
    def refresh_trust(self, *, force: bool = False) -> bool:
        """Fetch the Treasury's files when due; a failure keeps the cache. True if updated.

        The window's timer and `verify` call this; `desk-app trust update` calls `fetch_trust`,
        the same download, and hears why it failed."""
        if not self.settings.trust_url or self.settings.offline or self.trust is None:
            return False
        try:
            return self.fetch_trust(force=force) is not None
        except TrustUpdateError as exc:
            log.warning("event=trust_refresh_failed why=%s", exc)
            return False

    def fetch_trust(self, *, force: bool = True) -> TrustSnapshot | None:
        """Download the Treasury's files from `trust.url` and install them (`TrustStore.refresh`,
        which checks them against the pinned root); the new snapshot, or None when not `force`d
        and not yet due. Raises TrustUpdateError (the cache is kept), TrustRootNotConfigured."""
        if self.trust is None:
            raise TrustRootNotConfigured("the trust root is not configured (set trust.root)")
        url = self.settings.trust_url
        if not url:
            raise TrustUpdateError("trust.url is not configured")
        with self._refresh_lock:
            if not force and not self.trust.is_due(self.settings.trust_refresh_hours, self.clock()):
                return None
            return self.trust.refresh(
                url,
                timeout=(self.settings.registry_connect_timeout, self.settings.trust_timeout),
                ca_bundle=self.settings.registry_ca_bundle,
            )


def _innermost_frame(exc: BaseException) -> str:
    """`file.py:line` of the frame that raised (no values: they may be personal data)."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is None:
        return "?"
    return f"{Path(tb.tb_frame.f_code.co_filename).name}:{tb.tb_lineno}"


def _not_asked() -> StatusAnswer:
    """No registry question is asked for a document whose signature failed."""
    return StatusAnswer(status="unknown", source="none")


def open_trust_store(settings: Settings) -> TrustStore | None:
    """The pinned root and its cache; with the bundled TEST root, seed the cache from the demo files.
    None when no root is configured (outside demo mode the bundled TEST root is never used)."""
    root = settings.trust_root_path
    if root is None:
        log.warning("event=trust_root_not_configured: every verdict is 'cannot check'")
        return None
    store = TrustStore(root, settings.trust_cache_dir)
    if settings.uses_demo_root:
        try:
            store.prime_from(resource("demo"))
        except (OSError, TrustUpdateError) as exc:
            log.warning("event=demo_trust_seed_failed why=%s", exc)
    return store


def build_status_source(settings: Settings) -> StatusSource:
    from desk_app.registry.status import build_status_source as build

    return build(settings)


def build_judge(settings: Settings, *, refresh: bool = True) -> Judge:
    """Raises TrustRootError when the pinned root cannot be used; with none configured, a judge
    that refuses to judge (see Judge)."""
    judge = Judge(settings, open_trust_store(settings), build_status_source(settings))
    if refresh:
        judge.refresh_trust()
    return judge
