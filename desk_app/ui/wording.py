"""Russian words for the desk session's typed reasons: refusals, failed scans, record outcomes.

The rules themselves live in `desk_app.visits.rules` and `desk_app.core.session`; only their
wording is here (context "Desk", through Qt's translation).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from desk_app.core.session import ScanFailure
from desk_app.visits.model import (
    ClinicTimeZoneError,
    FirstRecord,
    LedgerTextError,
    LedgerUsageError,
    RecordResult,
    StorageError,
)
from desk_app.visits.rules import Refusal

_CTX = "Desk"

REFUSAL_TEXT: dict[Refusal, str] = {
    Refusal.NO_POLICY: QT_TRANSLATE_NOOP("Desk", "Сначала отсканируйте действительный полис."),
    Refusal.VERDICT_REJECT: QT_TRANSLATE_NOOP("Desk", "По отклонённому полису приём не записывается."),
    Refusal.NO_SERVICE: QT_TRANSLATE_NOOP("Desk", "Выберите услугу из списка."),
    Refusal.NO_DOCTOR: QT_TRANSLATE_NOOP("Desk", "Укажите врача."),
    Refusal.WARN_NEEDS_REASON: QT_TRANSLATE_NOOP("Desk", "Проверка неполная: напишите, почему пациент принимается."),
    Refusal.REASON_TOO_SHORT: QT_TRANSLATE_NOOP("Desk", "Укажите причину (не короче 3 знаков)."),
    Refusal.PIN_REFUSED: QT_TRANSLATE_NOOP(
        "Desk", "Неверный PIN: действие доступно только старшему или администратору."
    ),
    Refusal.ROLE_NOT_PERMITTED: QT_TRANSLATE_NOOP("Desk", "Недостаточно прав: нужен старший или администратор."),
    Refusal.DUPLICATE: QT_TRANSLATE_NOOP("Desk", "Услуга уже записана сегодня."),
    Refusal.BUSY: QT_TRANSLATE_NOOP("Desk", "Запись уже идёт — подождите."),
    Refusal.ALREADY_RECORDED: QT_TRANSLATE_NOOP(
        "Desk", "Этот приём уже записан. Чтобы записать ещё один, выберите другую услугу или врача."
    ),
    Refusal.ALREADY_CANCELLED: QT_TRANSLATE_NOOP("Desk", "Приём уже отменён."),
}

SCAN_FAILURE_TEXT: dict[ScanFailure, tuple[str, str]] = {
    ScanFailure.NO_CODE: (
        QT_TRANSLATE_NOOP("Desk", "QR-код не найден — отсканируйте ещё раз"),
        QT_TRANSLATE_NOOP("Desk", "В файле не найден QR-код полиса, или файл не читается."),
    ),
    ScanFailure.FILE_TOO_SLOW: (
        QT_TRANSLATE_NOOP("Desk", "QR-код не найден — отсканируйте ещё раз"),
        QT_TRANSLATE_NOOP(
            "Desk",
            "Файл читается слишком долго: за отведённое время QR-код не найден. "
            "Откройте отдельно страницу или снимок с QR-кодом полиса.",
        ),
    ),
    ScanFailure.INTERNAL: (
        QT_TRANSLATE_NOOP("Desk", "Не удалось проверить полис — отсканируйте ещё раз"),
        QT_TRANSLATE_NOOP("Desk", "Внутренняя ошибка проверки. Если повторится — сообщите администратору."),
    ),
    ScanFailure.DROPPED: (
        QT_TRANSLATE_NOOP("Desk", "Скан пропущен — отсканируйте ещё раз"),
        QT_TRANSLATE_NOOP("Desk", "Слишком много сканов подряд: этот скан не проверялся."),
    ),
    ScanFailure.GARBLED: (
        QT_TRANSLATE_NOOP("Desk", "Код считан не полностью — отсканируйте ещё раз"),
        QT_TRANSLATE_NOOP("Desk", "Сканер передал код не целиком. Поднесите полис ещё раз."),
    ),
    ScanFailure.FORM_A: (
        QT_TRANSLATE_NOOP("Desk", "Этот QR-код не читается клавиатурным сканером"),
        QT_TRANSLATE_NOOP(
            "Desk",
            "В коде полный текст полиса с русскими буквами — сканер в режиме клавиатуры не может его"
            " передать. Покажите код камере или откройте файл с кодом: «Открыть файл с QR-кодом…» (Ctrl+O).",
        ),
    ),
    ScanFailure.NOT_A_POLICY: (
        QT_TRANSLATE_NOOP("Desk", "Это не QR-код полиса — отсканируйте полис"),
        QT_TRANSLATE_NOOP("Desk", "Отсканирован код, который не является QR-кодом электронного полиса ОМС."),
    ),
    ScanFailure.NO_JUDGE: (
        QT_TRANSLATE_NOOP("Desk", "Проверка подписей недоступна"),
        QT_TRANSLATE_NOOP(
            "Desk", "Не удалось загрузить корневой сертификат Казначейства. Обратитесь к администратору."
        ),
    ),
    ScanFailure.SEARCH_LIMITED: (
        QT_TRANSLATE_NOOP("Desk", "Слишком много поисков по документу подряд"),
        QT_TRANSLATE_NOOP(
            "Desk",
            "Каждый поиск — запрос персональных данных, поэтому с одного рабочего места не больше 5 поисков "
            "в минуту. Номер полиса можно ввести вручную (F2).",  # 5 a minute: core.search_limit.SEARCH_BURST
        ),
    ),
}


def t(text: str) -> str:
    return QCoreApplication.translate(_CTX, text)


def refusal_text(refusal: Refusal) -> str:
    return t(REFUSAL_TEXT[refusal])


def scan_failure_text(failure: ScanFailure, source: str | None = None) -> tuple[str, str]:
    """The headline and the detail; with `source`, the detail names the file first."""
    headline, detail = SCAN_FAILURE_TEXT[failure]
    if failure is ScanFailure.SEARCH_LIMITED:  # `source`: the seconds until the next search may go
        wait = QCoreApplication.translate("Desk", "Следующий поиск возможен через %1 с.").replace("%1", source or "")
        return t(headline), f"{t(detail)} {wait}" if source else t(detail)
    if source:
        named = QCoreApplication.translate("Desk", "Файл «%1».").replace("%1", source)
        return t(headline), f"{named} {t(detail)}"
    return t(headline), t(detail)


def first_record_text(first: FirstRecord, tz: ZoneInfo) -> str:
    """ "Первая запись: 25.11.2026 в 10:15, стойка «desk-1», врач Иванов И. И." """
    when = first.time.astimezone(tz) if first.time.tzinfo else first.time
    return (
        QCoreApplication.translate("Desk", "Первая запись: %1 в %2, стойка «%3», врач %4.")
        .replace("%1", when.strftime("%d.%m.%Y"))
        .replace("%2", when.strftime("%H:%M"))
        .replace("%3", str(first.desk))
        .replace("%4", first.doctor.rstrip("."))
    )


def recorded_text(result: RecordResult, service: str, doctor: str) -> tuple[str, str]:
    headline = (
        QCoreApplication.translate("Desk", "Повторный приём записан с причиной")
        if result.overridden
        else QCoreApplication.translate("Desk", "Приём записан")
    )
    detail = (
        QCoreApplication.translate("Desk", "Услуга %1, врач %2.")
        .replace("%1", service)
        .replace("%2", doctor.rstrip("."))
    )
    return headline, detail


def ledger_refusal_text(result: RecordResult) -> str:
    """A refusal the ledger itself gave (the session's rules let it through): its typed member."""
    assert result.refused_because is not None, "only a refused result has a refusal to word"
    return refusal_text(result.refused_because)


# The ledger's names of its text fields (desk_app.visits.service), in Russian.
TEXT_FIELD_NAME: dict[str, str] = {
    "doctor": QT_TRANSLATE_NOOP("Desk", "Врач"),
    "desk id": QT_TRANSLATE_NOOP("Desk", "Имя стойки"),
    "reason": QT_TRANSLATE_NOOP("Desk", "Причина"),
    "override reason": QT_TRANSLATE_NOOP("Desk", "Причина повторной записи"),
    "cancel reason": QT_TRANSLATE_NOOP("Desk", "Причина отмены"),
}
TEXT_PROBLEM: dict[str, str] = {
    "control_character": QT_TRANSLATE_NOOP("Desk", "%1: служебный символ %2 — наберите обычный текст."),
    "invisible_character": QT_TRANSLATE_NOOP("Desk", "%1: невидимый символ %2 — наберите обычный текст."),
    "too_long": QT_TRANSLATE_NOOP("Desk", "%1: слишком длинный текст (не больше 500 знаков)."),
    "empty": QT_TRANSLATE_NOOP("Desk", "%1: не заполнено."),
}


def text_field_text(exc: LedgerTextError) -> str:
    """A LedgerTextError (desk_app.text_fields' rule) in Russian: which field, what is wrong."""
    field = t(TEXT_FIELD_NAME.get(exc.field, QT_TRANSLATE_NOOP("Desk", "Текст")))
    problem = TEXT_PROBLEM.get(exc.problem, QT_TRANSLATE_NOOP("Desk", "%1: недопустимый текст."))
    char = exc.char
    return t(problem).replace("%1", field).replace("%2", f"U+{ord(char):04X}" if char else "")


def ledger_error_text(exc: BaseException) -> str:
    """Russian only, by the error's type (subclasses included): the English detail is in the log."""
    if isinstance(exc, LedgerTextError):
        return text_field_text(exc)
    if isinstance(exc, ClinicTimeZoneError):
        return (
            QCoreApplication.translate(
                "Desk", "часовой пояс этой стойки (%1) не совпадает с часовым поясом клиники (%2) в базе приёмов:"
                " приёмы не записываются. Сообщите администратору."
            )
            .replace("%1", exc.desk_zone)
            .replace("%2", exc.ledger_zone or "—")
        )
    if isinstance(exc, LedgerUsageError):
        return QCoreApplication.translate("Desk", "запрос не принят: проверьте врача и причину.")
    if isinstance(exc, StorageError):
        return QCoreApplication.translate("Desk", "база недоступна. Сообщите администратору.")
    return QCoreApplication.translate("Desk", "внутренняя ошибка. Сообщите администратору.")
