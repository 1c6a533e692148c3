"""Russian texts for the window: why a visit was not recorded or cancelled (logs stay English)."""

from __future__ import annotations

from desk_app.visits.model import CancelResult, RecordResult

_ROLE_RU = {"registrar": "регистратор", "senior": "старший регистратор", "admin": "администратор"}


def record_text_ru(result: RecordResult) -> str:
    if result.recorded:
        if result.overridden and result.duplicate_of is not None:
            return f"Визит записан (повтор разрешён, первая запись — визит {result.duplicate_of.visit_id})."
        return "Визит записан."
    if result.refused_because == "verdict_reject":
        return "Визит не записан: полис отклонён."
    if result.refused_because == "warn_needs_reason":
        return "Визит не записан: при предупреждении укажите причину."
    first = result.duplicate_of
    if first is None:
        return "Визит не записан."
    text = (
        f"Визит не записан: эта услуга уже оказана пациенту сегодня — "
        f"{first.time:%H:%M}, стойка {first.desk}, врач {first.doctor}."
    )
    if result.override_not_permitted:
        text += " Разрешить повтор может старший регистратор или администратор."
    return text


def cancel_text_ru(result: CancelResult) -> str:
    if result.cancelled:
        return f"Визит {result.visit_id} отменён."
    if result.refused_because == "already_cancelled":
        return f"Визит {result.visit_id} уже отменён."
    return "Отменить визит может только старший регистратор или администратор."


def role_ru(role: str) -> str:
    return _ROLE_RU.get(role, role)
