"""Russian words for everything a verdict can say: the headline, each reason, each field.

Every string goes through `QCoreApplication.translate` (context "Verdict"), so a translation
catalogue can replace it; the source strings are the Russian text of record.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from desk_app.verify import verdict as v
from desk_app.verify.numbers import group_enp
from desk_app.verify.verdict import Verdict

if TYPE_CHECKING:
    from desk_app.core.judge import SearchFacts

_CTX = "Verdict"


def tr(text: str) -> str:
    return QCoreApplication.translate(_CTX, text)


# Every signature result (spec section 6), as a reason line.
SIGNATURE_TEXT: dict[str, str] = {
    "ok": QT_TRANSLATE_NOOP("Verdict", "Подпись Федерального казначейства верна"),
    "bad_signature": QT_TRANSLATE_NOOP("Verdict", "Подпись недействительна — документ изменён"),
    "untrusted_signer": QT_TRANSLATE_NOOP(
        "Verdict", "Подпись сделана сертификатом, которому нет доверия (не Казначейство)"
    ),
    "revoked_signer": QT_TRANSLATE_NOOP("Verdict", "Сертификат подписи отозван Казначейством"),
    "signer_not_valid_at_issue": QT_TRANSLATE_NOOP(
        "Verdict", "Сертификат подписи не действовал в момент выдачи полиса"
    ),
    "unsupported_algorithm": QT_TRANSLATE_NOOP("Verdict", "Подпись сделана неподдерживаемым алгоритмом"),
    "malformed": QT_TRANSLATE_NOOP("Verdict", "QR-код не является электронным полисом ОМС или повреждён"),
    "not_applicable": QT_TRANSLATE_NOOP("Verdict", "Номер введён вручную — подпись не проверялась"),
}

# Every registry status.
STATUS_TEXT: dict[str, str] = {
    "active": QT_TRANSLATE_NOOP("Verdict", "Полис действует по данным регистра"),
    "expired": QT_TRANSLATE_NOOP("Verdict", "Регистр: срок действия полиса истёк"),
    "suspended": QT_TRANSLATE_NOOP("Verdict", "Регистр: действие полиса приостановлено"),
    "not_found": QT_TRANSLATE_NOOP("Verdict", "Регистр: полис с таким номером не найден"),
    "unknown": QT_TRANSLATE_NOOP("Verdict", "Статус полиса в регистре не известен"),
}

STATUS_SOURCE_TEXT: dict[str, str] = {
    "online": QT_TRANSLATE_NOOP("Verdict", "регистр (на связи)"),
    "cache": QT_TRANSLATE_NOOP("Verdict", "локальная копия регистра"),
    "none": QT_TRANSLATE_NOOP("Verdict", "нет данных регистра"),
}

# Every reason code in desk_app.verify.verdict.
REASON_TEXT: dict[str, str] = {
    v.CRL_STALE: QT_TRANSLATE_NOOP(
        "Verdict", "Список отозванных сертификатов устарел — отзыв подписи мог быть не учтён"
    ),
    v.CRL_MISSING: QT_TRANSLATE_NOOP("Verdict", "Нет списка отозванных сертификатов — отзыв подписи не проверен"),
    v.STATUS_CACHE_OLD: QT_TRANSLATE_NOOP("Verdict", "Локальная копия регистра старше суток"),
    v.REGISTRY_UNREACHABLE: QT_TRANSLATE_NOOP("Verdict", "Нет связи с регистром"),
    v.REGISTRY_TIMEOUT: QT_TRANSLATE_NOOP("Verdict", "Регистр не ответил вовремя"),
    v.REGISTRY_ERROR: QT_TRANSLATE_NOOP("Verdict", "Регистр сообщил о своей ошибке"),
    v.REGISTRY_RATE_LIMITED: QT_TRANSLATE_NOOP("Verdict", "Регистр временно ограничил число запросов"),
    v.REGISTRY_AUTH_FAILED: QT_TRANSLATE_NOOP(
        "Verdict", "Регистр отклонил ключ доступа клиники — сообщите администратору"
    ),
    v.REGISTRY_BAD_RESPONSE: QT_TRANSLATE_NOOP("Verdict", "Регистр прислал непонятный ответ"),
    v.REGISTRY_NOT_CONFIGURED: QT_TRANSLATE_NOOP("Verdict", "Адрес регистра не настроен"),
    v.REGISTRY_CIRCUIT_OPEN: QT_TRANSLATE_NOOP(
        "Verdict", "Регистр недавно не отвечал — запрос пропущен, используется локальная копия"
    ),
    v.OFFLINE_MODE: QT_TRANSLATE_NOOP("Verdict", "Включён автономный режим — регистр не опрашивается"),
    v.NO_STATUS: QT_TRANSLATE_NOOP("Verdict", "Статус полиса проверить не удалось"),
    v.NOT_YET_VALID: QT_TRANSLATE_NOOP("Verdict", "Полис ещё не вступил в действие"),
    v.PAST_VALID_TO: QT_TRANSLATE_NOOP("Verdict", "Срок действия полиса закончился"),
    v.CLOCK_SUSPECT: QT_TRANSLATE_NOOP("Verdict", "Часы компьютера расходятся с часами регистра больше чем на 2 часа"),
    v.HOLDER_MISMATCH: QT_TRANSLATE_NOOP(
        "Verdict", "Дата рождения не совпадает с данными регистра — возможно, чужой полис"
    ),
    v.STATUS_EXPIRED: QT_TRANSLATE_NOOP("Verdict", "Регистр: срок действия полиса истёк"),
    v.STATUS_SUSPENDED: QT_TRANSLATE_NOOP("Verdict", "Регистр: действие полиса приостановлено"),
    v.STATUS_NOT_FOUND: QT_TRANSLATE_NOOP("Verdict", "Регистр: полис с таким номером не найден"),
    v.MANUAL_ENTRY: QT_TRANSLATE_NOOP("Verdict", "Номер введён вручную: проверен только по регистру, без подписи"),
    v.TRUST_ROOT_NOT_CONFIGURED: QT_TRANSLATE_NOOP(
        "Verdict",
        "Проверка невозможна: не настроен корневой сертификат Казначейства — полис не проверялся."
        " Сообщите администратору",
    ),
    v.DOCUMENT_SEARCH: QT_TRANSLATE_NOOP(
        "Verdict", "Полис найден по документу: проверен только по регистру, подпись не проверялась"
    ),
}

# How a policy searched for by document was searched (desk_app.verify.documents kinds).
FOUND_BY_TEXT: dict[str, str] = {
    "passport_rf": QT_TRANSLATE_NOOP("Verdict", "по паспорту"),
    "birth_certificate": QT_TRANSLATE_NOOP("Verdict", "по свидетельству о рождении"),
    "snils": QT_TRANSLATE_NOOP("Verdict", "по СНИЛС"),
}

KIND_TEXT: dict[str, str] = {
    "permanent": QT_TRANSLATE_NOOP("Verdict", "постоянный"),
    "temporary": QT_TRANSLATE_NOOP("Verdict", "временный"),
}

_SIGNATURE_FAILURES_HEADLINE: dict[str, str] = {
    "bad_signature": QT_TRANSLATE_NOOP("Verdict", "Подпись недействительна — документ изменён"),
    "untrusted_signer": QT_TRANSLATE_NOOP("Verdict", "Подпись не Казначейства — полис не принят"),
    "revoked_signer": QT_TRANSLATE_NOOP("Verdict", "Сертификат подписи отозван — полис не принят"),
    "signer_not_valid_at_issue": QT_TRANSLATE_NOOP(
        "Verdict", "Сертификат подписи не действовал при выдаче — полис не принят"
    ),
    "unsupported_algorithm": QT_TRANSLATE_NOOP("Verdict", "Неподдерживаемый алгоритм подписи — полис не принят"),
    "malformed": QT_TRANSLATE_NOOP("Verdict", "Это не электронный полис ОМС или QR-код повреждён"),
}

_REGISTRY_DOWN = {
    v.REGISTRY_UNREACHABLE,
    v.REGISTRY_TIMEOUT,
    v.REGISTRY_ERROR,
    v.REGISTRY_RATE_LIMITED,
    v.REGISTRY_AUTH_FAILED,
    v.REGISTRY_BAD_RESPONSE,
    v.REGISTRY_CIRCUIT_OPEN,
}


def fmt_date(d: date | None) -> str:
    return d.strftime("%d.%m.%Y") if d else "—"


def fmt_datetime(dt: datetime | None, tz: ZoneInfo | None = None) -> str:
    if dt is None:
        return "—"
    if tz is not None and dt.tzinfo is not None:
        dt = dt.astimezone(tz)
    return dt.strftime("%d.%m.%Y %H:%M")


def reason_text(code: str) -> str:
    """Plain Russian for a reason code; an unknown code is still shown, never hidden."""
    if code in REASON_TEXT:
        return tr(REASON_TEXT[code])
    if code in SIGNATURE_TEXT:
        return tr(SIGNATURE_TEXT[code])
    return QCoreApplication.translate("Verdict", "Другая причина: %1").replace("%1", code)


def headline(verdict: Verdict, tz: ZoneInfo | None = None) -> str:
    """The one line a receptionist reads from across the desk."""
    reasons = set(verdict.reasons)
    p = verdict.policy
    if verdict.decision == "reject":
        if verdict.signature in _SIGNATURE_FAILURES_HEADLINE:
            return tr(_SIGNATURE_FAILURES_HEADLINE[verdict.signature])
        if v.HOLDER_MISMATCH in reasons:
            return QCoreApplication.translate("Verdict", "Дата рождения не совпадает с регистром — полис не принят")
        if verdict.status == "expired" or v.PAST_VALID_TO in reasons or v.STATUS_EXPIRED in reasons:
            if p.valid_to:
                return QCoreApplication.translate("Verdict", "Срок действия истёк %1").replace(
                    "%1", fmt_date(p.valid_to)
                )
            return QCoreApplication.translate("Verdict", "Срок действия полиса истёк")
        if v.NOT_YET_VALID in reasons:
            return QCoreApplication.translate("Verdict", "Полис ещё не действует — начало %1").replace(
                "%1", fmt_date(p.valid_from)
            )
        if verdict.status == "suspended":
            return QCoreApplication.translate("Verdict", "Действие полиса приостановлено")
        if verdict.status == "not_found":
            return QCoreApplication.translate("Verdict", "Полис не найден в регистре")
        return QCoreApplication.translate("Verdict", "Полис не принят")
    if verdict.decision == "warn":
        if v.TRUST_ROOT_NOT_CONFIGURED in reasons:
            return QCoreApplication.translate("Verdict", "Проверка невозможна: не настроен корневой сертификат")
        if verdict.status_source == "cache":
            lead = (
                QCoreApplication.translate("Verdict", "Автономный режим")
                if v.OFFLINE_MODE in reasons
                else QCoreApplication.translate("Verdict", "Нет связи с регистром")
            )
            return (
                QCoreApplication.translate("Verdict", "%1 — статус по данным от %2")
                .replace("%1", lead)
                .replace("%2", fmt_datetime(verdict.status_as_of, tz))
            )
        if verdict.status == "unknown" and (reasons & _REGISTRY_DOWN or v.OFFLINE_MODE in reasons):
            return QCoreApplication.translate("Verdict", "Нет связи с регистром — статус не проверен")
        if verdict.status == "unknown":
            return QCoreApplication.translate("Verdict", "Статус полиса не проверен — решите вручную")
        if v.CRL_MISSING in reasons:
            return QCoreApplication.translate("Verdict", "Нет списка отозванных сертификатов — решите вручную")
        if v.CRL_STALE in reasons:
            return QCoreApplication.translate("Verdict", "Список отзыва сертификатов устарел — решите вручную")
        if v.CLOCK_SUSPECT in reasons:
            return QCoreApplication.translate("Verdict", "Часы компьютера неверны — проверьте дату и время")
        return QCoreApplication.translate("Verdict", "Нужно решение сотрудника")
    if verdict.signature == "not_applicable":
        return QCoreApplication.translate("Verdict", "Полис действителен (номер введён вручную)")
    return QCoreApplication.translate("Verdict", "Полис действителен")


def found_by(document: str) -> str:
    """"по паспорту": how a searched policy was looked for."""
    return tr(FOUND_BY_TEXT[document]) if document in FOUND_BY_TEXT else document


def search_headline(verdict: Verdict, search: SearchFacts, tz: ZoneInfo | None = None) -> str:
    """The headline of a search by document: found (and valid or not), not found (never saying
    which field did not match), or no answer (a search needs the registry; F2 is offered)."""
    how = found_by(search.document)
    if search.outcome == "not_found":
        return QCoreApplication.translate("Verdict", "Не найден в регистре %1").replace("%1", how)
    if search.outcome == "no_answer":
        if search.retry_after:
            wait = str(max(1, math.ceil(search.retry_after)))
            return QCoreApplication.translate(
                "Verdict", "Регистр просит подождать: повторите поиск через %1 с"
            ).replace("%1", wait)
        return QCoreApplication.translate("Verdict", "Поиск по документу невозможен: нет связи с регистром")
    if verdict.decision == "accept":
        return QCoreApplication.translate("Verdict", "Полис действителен — найден в регистре %1").replace("%1", how)
    return headline(verdict, tz)


def search_subline(verdict: Verdict, search: SearchFacts) -> str:
    if search.outcome == "not_found":
        return QCoreApplication.translate(
            "Verdict", "Документ и дата рождения не подходят ни к одному застрахованному. Проверьте их и повторите "
            "поиск (F3) или отсканируйте QR-код полиса."
        )  # fmt: skip
    if search.outcome == "no_answer":
        return QCoreApplication.translate(
            "Verdict", "Поиск по документу делается только в регистре. Введите номер полиса вручную (F2) "
            "или отсканируйте QR-код полиса."
        )  # fmt: skip
    return subline(verdict.decision)


def search_marker(search: SearchFacts) -> str:
    """"НАЙДЕН В РЕГИСТРЕ ПО ПАСПОРТУ": where the policy on the panel came from."""
    how = found_by(search.document)
    if search.outcome == "found":
        text = QCoreApplication.translate("Verdict", "Найден в регистре %1 — подпись не проверялась")
    else:
        text = QCoreApplication.translate("Verdict", "Поиск %1 — полиса в руках нет, подпись не проверялась")
    return text.replace("%1", how).upper()


def subline(decision: str) -> str:
    return {
        "accept": QCoreApplication.translate("Verdict", "Можно принимать пациента"),
        "warn": QCoreApplication.translate("Verdict", "Проверить не удалось полностью — решение за сотрудником"),
        "reject": QCoreApplication.translate("Verdict", "Не принимать по этому полису"),
    }.get(decision, "")


def full_name(verdict: Verdict) -> str:
    p = verdict.policy
    parts = [x for x in (p.last_name, p.first_name, p.middle_name) if x]
    return " ".join(parts) if parts else QCoreApplication.translate("Verdict", "ФИО не указано")


def grouped_number(number: str | None) -> str:
    return group_enp(number) if number else "—"


def validity(verdict: Verdict) -> str:
    p = verdict.policy
    if p.valid_from is None and p.valid_to is None:
        return "—"
    if p.valid_to is None:
        return QCoreApplication.translate("Verdict", "с %1, бессрочно").replace("%1", fmt_date(p.valid_from))
    return (
        QCoreApplication.translate("Verdict", "с %1 по %2")
        .replace("%1", fmt_date(p.valid_from))
        .replace("%2", fmt_date(p.valid_to))
    )


def status_line(verdict: Verdict, tz: ZoneInfo | None = None) -> str:
    """ "Полис действует по данным регистра — регистр (на связи), 24.11.2026 09:15"."""
    text = tr(STATUS_TEXT.get(verdict.status, STATUS_TEXT["unknown"]))
    source = tr(STATUS_SOURCE_TEXT.get(verdict.status_source, STATUS_SOURCE_TEXT["none"]))
    line = f"{text} — {source}"
    if verdict.status_as_of is not None:
        line += ", " + fmt_datetime(verdict.status_as_of, tz)
    return line


def reason_lines(verdict: Verdict) -> list[str]:
    """Every reason, in plain Russian, plus the signature result when it is not already one."""
    lines = [reason_text(code) for code in verdict.reasons]
    if v.TRUST_ROOT_NOT_CONFIGURED in verdict.reasons:
        return lines  # nothing was checked: no signature line ("номер введён вручную" would be false)
    sig = tr(SIGNATURE_TEXT.get(verdict.signature, verdict.signature))
    if sig not in lines and v.DOCUMENT_SEARCH not in verdict.reasons:  # a search says it in its own line
        lines.insert(0, sig)
    return lines
