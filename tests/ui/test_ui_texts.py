"""Every reason code, signature result and status has Russian words; headlines by case."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from desk_app.ui import texts
from desk_app.verify import verdict as v
from desk_app.verify.verdict import SIGNATURE_RESULTS, STATUSES, PolicyFields, Verdict

REASON_CODES = sorted(
    value for name, value in vars(v).items() if name.isupper() and isinstance(value, str) and name != "Decision"
)


def _is_russian(text: str) -> bool:
    return any("а" <= ch.lower() <= "я" for ch in text)


def test_reason_codes_are_found() -> None:
    assert {"crl_stale", "holder_mismatch", "manual_entry", "registry_circuit_open"} <= set(REASON_CODES)


@pytest.mark.parametrize("code", REASON_CODES)
def test_every_reason_code_has_russian_text(code: str) -> None:
    assert code in texts.REASON_TEXT
    assert _is_russian(texts.reason_text(code))


@pytest.mark.parametrize("code", SIGNATURE_RESULTS)
def test_every_signature_result_has_russian_text(code: str) -> None:
    assert _is_russian(texts.SIGNATURE_TEXT[code])


@pytest.mark.parametrize("status", STATUSES)
def test_every_status_has_russian_text(status: str) -> None:
    assert _is_russian(texts.STATUS_TEXT[status])


def test_unknown_code_is_shown_not_hidden() -> None:
    assert "new_code" in texts.reason_text("new_code")


def _verdict(decision: str, signature: str = "ok", status: str = "active", **kw: object) -> Verdict:
    return Verdict(decision, signature, status, kw.pop("source", "online"), kw.pop("as_of", None),  # type: ignore[arg-type]
                   tuple(kw.pop("reasons", ())), PolicyFields(**kw))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("verdict", "expected"),
    [
        (_verdict("accept"), "Полис действителен"),
        (_verdict("accept", "not_applicable"), "Полис действителен (номер введён вручную)"),
        (_verdict("reject", "bad_signature", "unknown"), "Подпись недействительна — документ изменён"),
        (_verdict("reject", "malformed", "unknown"), "Это не электронный полис ОМС или QR-код повреждён"),
        (_verdict("reject", status="expired", valid_to=date(2025, 12, 31)), "Срок действия истёк 31.12.2025"),
        (_verdict("reject", reasons=[v.NOT_YET_VALID], valid_from=date(2030, 1, 1)),
         "Полис ещё не действует — начало 01.01.2030"),
        (_verdict("reject", status="not_found"), "Полис не найден в регистре"),
        (_verdict("warn", status="active", source="cache", reasons=[v.REGISTRY_TIMEOUT, v.STATUS_CACHE_OLD],
                  as_of=datetime(2026, 11, 24, 6, 15, tzinfo=UTC)),
         "Нет связи с регистром — статус по данным от 24.11.2026 09:15"),
        (_verdict("warn", status="active", source="cache", reasons=[v.OFFLINE_MODE, v.STATUS_CACHE_OLD],
                  as_of=datetime(2026, 11, 24, 6, 15, tzinfo=UTC)),
         "Автономный режим — статус по данным от 24.11.2026 09:15"),
        (_verdict("warn", status="unknown", source="none", reasons=[v.REGISTRY_UNREACHABLE]),
         "Нет связи с регистром — статус не проверен"),
        (_verdict("warn", reasons=[v.CRL_STALE]), "Список отзыва сертификатов устарел — решите вручную"),
        (_verdict("warn", reasons=[v.CRL_MISSING]), "Нет списка отозванных сертификатов — решите вручную"),
        (_verdict("warn", reasons=[v.CLOCK_SUSPECT]), "Часы компьютера неверны — проверьте дату и время"),
    ],
)
def test_headlines(verdict: Verdict, expected: str) -> None:
    from zoneinfo import ZoneInfo

    assert texts.headline(verdict, ZoneInfo("Europe/Moscow")) == expected
