"""The core of a search by document: the desk's own burst limit, the judgement with no registry,
and the desk session keeping `document_typed` as the identity check."""

from __future__ import annotations

from datetime import date

import pytest

from desk_app.config import Settings
from desk_app.core.judge import Judge, open_trust_store
from desk_app.core.search_limit import SearchLimited, SearchLimiter
from desk_app.core.session import DeskSession, RecordRequest
from desk_app.registry.status import build_status_source
from desk_app.verify.documents import make_query

QUERY = make_query("passport_rf", "4510 123456", date(1985, 3, 14), date(2026, 12, 6))


def test_burst_limit_is_a_sliding_window_with_the_seconds_to_wait() -> None:
    now = [100.0]
    limiter = SearchLimiter(burst=3, window=60.0, clock=lambda: now[0])
    for step in (0.0, 10.0, 10.0):
        now[0] += step
        limiter.acquire()
    with pytest.raises(SearchLimited) as caught:
        limiter.acquire()
    assert caught.value.wait == pytest.approx(40.0)  # the first search leaves the window at 160
    now[0] = 160.0
    limiter.acquire()  # one slot free again
    with pytest.raises(SearchLimited) as caught:
        limiter.acquire()
    assert caught.value.wait == pytest.approx(10.0)


def test_offline_search_is_a_warn_needing_the_registry_and_never_sent(judge_settings: Settings) -> None:
    settings = judge_settings.replace(offline=True, registry_url="http://127.0.0.1:9", registry_token="t")
    judge = Judge(settings, open_trust_store(settings), build_status_source(settings))
    judgement = judge.judge_search(QUERY)
    v = judgement.verdict
    assert (v.decision, v.signature, v.status, v.status_source) == ("warn", "not_applicable", "unknown", "none")
    assert v.reasons == ("document_search", "offline_mode")
    assert v.policy.number is None and v.policy.birth_date == QUERY.birth_date
    assert judgement.search is not None and judgement.search.outcome == "no_answer"
    assert judgement.identity_check is None  # nothing found: identity is not checked by it


def test_a_found_policy_keeps_document_typed_through_a_passport_check(judge_settings: Settings) -> None:
    from desk_app.core.judge import Judgement, SearchFacts
    from desk_app.verify.verdict import PolicyFields, Verdict

    verdict = Verdict("accept", "not_applicable", "active", "online", None, ("document_search",),
                      PolicyFields(number="7700000000000016", birth_date=QUERY.birth_date))  # fmt: skip
    session = DeskSession(judge_settings)
    session.show_judgement(Judgement(verdict, search=SearchFacts("passport_rf", "found"),
                                     identity_check="document_typed"))  # fmt: skip
    assert session.patient is not None and session.patient.identity_check == "document_typed"
    assert session.check_passport("4510 999999") == "document_typed"  # nothing signed to compare with
    session.choose_service("B01.047.001")
    session.set_doctor("Петров П. П.")
    request = session.prepare_record()
    assert isinstance(request, RecordRequest) and request.identity_check == "document_typed"
