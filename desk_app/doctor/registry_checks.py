"""The registry: reachable, token accepted, its clock against ours; and the offline copy's age."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

from desk_app import __version__, clock
from desk_app.config import Settings
from desk_app.doctor.result import CheckResult, error, ok, warning
from desk_app.doctor.wording import age_en, age_ru
from desk_app.net.http import HttpFailure, fetch, make_session
from desk_app.registry.client import MAX_PAGE_BODY, parse_http_date

TITLE, TITLE_RU = "Registry", "Регистр застрахованных"
CLOCK_TITLE, CLOCK_TITLE_RU = "Clock against the registry", "Часы компьютера и регистра"
COPY_TITLE, COPY_TITLE_RU = "Offline copy of the registry", "Локальная копия регистра"


def check_registry(settings: Settings, now_fn: Any = None) -> list[CheckResult]:
    """One authenticated request (a one-item page of the changes feed) within the configured limits.

    The same session rules and overall deadline as the registry client (desk_app.net.http).
    """
    if settings.offline:
        return [warning(
            "registry", TITLE, TITLE_RU,
            "desk.offline is on: the registry is never asked; statuses come from the offline copy only",
            "Включён автономный режим (desk.offline): регистр не опрашивается, статусы берутся из локальной копии.",
        )]
    if not settings.registry_url:
        return [error(
            "registry", TITLE, TITLE_RU,
            "registry.url is not set: no policy can be accepted (every verdict says registry_not_configured)",
            "Не задан адрес регистра (registry.url): ни один полис не будет принят без предупреждения.",
        )]
    if not settings.registry_token:
        return [error(
            "registry", TITLE, TITLE_RU,
            "registry.token is not set: the registry will refuse every question",
            "Не задан ключ доступа к регистру (registry.token): регистр не будет отвечать.",
            url=settings.registry_url,
        )]
    url = settings.registry_url
    details: dict[str, Any] = {"url": url}
    session = make_session(ca_bundle=settings.registry_ca_bundle, pool_maxsize=1)
    started = time.monotonic()
    try:
        reply = fetch(
            session, f"{url}/v1/policies", params={"limit": "1"},
            headers={"X-Desk-Id": settings.desk_id, "Accept": "application/json",
                     "User-Agent": f"desk-app/{__version__} doctor"},
            token=settings.registry_token, connect_timeout=settings.registry_connect_timeout,
            deadline=started + settings.registry_timeout, max_body=MAX_PAGE_BODY,
        )  # fmt: skip
    except HttpFailure as failure:
        return [_transport_result(failure, settings, details)]
    finally:
        session.close()
    now = now_fn() if now_fn else datetime.now(UTC)
    elapsed_ms = int((time.monotonic() - started) * 1000)
    details.update(http_status=reply.status, ms=elapsed_ms)
    results = [_registry_answer(reply.status, url, details)]
    results.append(_clock_result(now, reply.headers.get("Date")))
    return results


def _transport_result(failure: HttpFailure, settings: Settings, details: dict[str, Any]) -> CheckResult:
    url = settings.registry_url
    if failure.kind == "tls":
        return error(
            "registry", TITLE, TITLE_RU,
            f"{url}: TLS certificate not trusted. If the clinic's network inspects TLS, put its CA in the system "
            "store or name a CA file in registry.ca_bundle (verification is never switched off)",
            f"{url}: сертификат сервера не признан доверенным. Если сеть клиники проверяет TLS, установите её "
            "корневой сертификат в систему или укажите файл в registry.ca_bundle.",
            **details,
        )
    if failure.kind == "timeout":
        return error(
            "registry", TITLE, TITLE_RU,
            f"{url}: no answer within {settings.registry_timeout:g} s (connect limit "
            f"{settings.registry_connect_timeout:g} s): the desk will use its offline copy",
            f"{url}: регистр не ответил за {settings.registry_timeout:g} с: будет использоваться локальная копия.",
            **details,
        )
    if failure.kind == "redirect":
        return error(
            "registry", TITLE, TITLE_RU,
            f"{url}: answered with a redirect, {failure.detail}: redirects are never followed (the token would go "
            "with them); set registry.url to the service's real address",
            f"{url}: регистр перенаправляет запрос на другой адрес; перенаправления не выполняются (ключ доступа "
            "ушёл бы вместе с ними). Укажите в registry.url настоящий адрес службы.",
            **details,
        )
    if failure.kind == "refused_url":
        return error("registry", TITLE, TITLE_RU, f"{url}: {failure.detail}",
                     f"{url}: адрес регистра отклонён правилами безопасности (см. registry.url).", **details)
    if failure.kind == "too_large":
        return error("registry", TITLE, TITLE_RU, f"{url}: {failure.detail}: is registry.url right?",
                     f"{url}: слишком большой ответ: проверьте адрес регистра (registry.url).", **details)
    return error(
        "registry", TITLE, TITLE_RU,
        f"{url}: cannot connect ({failure.kind}): check the address, the network and the firewall",
        f"{url}: нет соединения с регистром. Проверьте адрес, сеть и межсетевой экран.",
        **details,
    )


def _registry_answer(status: int, url: str, details: dict[str, Any]) -> CheckResult:
    if status == 200:
        return ok("registry", TITLE, TITLE_RU, f"{url}: answers, token accepted ({details['ms']} ms)",
                  f"{url}: отвечает, ключ доступа принят ({details['ms']} мс)", **details)
    if status in (401, 403):
        return error(
            "registry", TITLE, TITLE_RU,
            f"{url}: HTTP {status}, the registry refused the token: set the clinic's current registry.token",
            f"{url}: регистр отклонил ключ доступа (HTTP {status}): укажите действующий registry.token.",
            **details,
        )
    if status == 429:
        return warning("registry", TITLE, TITLE_RU, f"{url}: HTTP 429, too many requests just now; try again later",
                       f"{url}: регистр просит подождать (HTTP 429); повторите проверку позже.", **details)
    if status >= 500:
        return error("registry", TITLE, TITLE_RU, f"{url}: HTTP {status}, the registry service is down",
                     f"{url}: служба регистра не работает (HTTP {status}).", **details)
    return error(
        "registry", TITLE, TITLE_RU,
        f"{url}: unexpected HTTP {status}: is registry.url the service's base address (…/api)?",
        f"{url}: неожиданный ответ HTTP {status}: проверьте адрес регистра (registry.url).",
        **details,
    )


def _clock_result(now: datetime, date_header: str | None) -> CheckResult:
    if not date_header:
        return warning("clock_skew", CLOCK_TITLE, CLOCK_TITLE_RU,
                       "unknown: the registry sent no Date header to compare with",
                       "Регистр не сообщил своё время: сверить часы не удалось.")  # fmt: skip
    server_date = parse_http_date(date_header)
    if server_date is None:
        shown = "".join(c if c.isprintable() else "?" for c in date_header[:60])
        return warning(
            "clock_skew", CLOCK_TITLE, CLOCK_TITLE_RU,
            f"unknown: the registry's Date header cannot be read ({shown!r}); the clock was not compared",
            "Время регистра не удалось прочитать: сверить часы не удалось.", date_header=shown,
        )  # fmt: skip
    delta = clock.skew(now, server_date)
    details = {"skew_seconds": round(delta.total_seconds()), "server_date": server_date.isoformat()}
    if abs(delta) > clock.SKEW_LIMIT:
        return error(
            "clock_skew", CLOCK_TITLE, CLOCK_TITLE_RU,
            f"this PC's clock is {clock.describe_skew(delta)} the registry's: verdicts carry clock_suspect and never "
            "accept. Set the date, time and time zone (and turn on time sync)",
            f"Часы компьютера {clock.describe_skew_ru(delta)} относительно регистра: решения будут с "
            "предупреждением. Исправьте дату, время и часовой пояс, включите синхронизацию времени.",
            **details,
        )
    if abs(delta) > clock.SKEW_NOTICE:
        return warning(
            "clock_skew", CLOCK_TITLE, CLOCK_TITLE_RU,
            f"this PC's clock is {clock.describe_skew(delta)} the registry's: turn on time sync",
            f"Часы компьютера {clock.describe_skew_ru(delta)} относительно регистра: включите синхронизацию времени.",
            **details,
        )
    return ok("clock_skew", CLOCK_TITLE, CLOCK_TITLE_RU, f"within {abs(delta.total_seconds()):.0f} s of the registry",
              f"расхождение с регистром {abs(delta.total_seconds()):.0f} с", **details)


def check_registry_copy(settings: Settings, now: datetime | None = None) -> CheckResult:
    """The bulk copy used when the registry is unreachable: when it was last brought up to date."""
    from desk_app.registry.status_store import StatusStore, StoreError

    now = now or datetime.now(UTC)
    path = settings.status_db_path
    if not settings.registry_url:
        return ok("registry_copy", COPY_TITLE, COPY_TITLE_RU, "no registry configured, so no copy to keep",
                  "регистр не настроен, копия не ведётся", path=str(path))
    if not path.exists():
        return warning(
            "registry_copy", COPY_TITLE, COPY_TITLE_RU,
            f"the offline copy ({path}) was never synced: when the registry is down, statuses are unknown",
            "Локальная копия регистра ещё не загружалась: при недоступности регистра статус будет неизвестен.",
            path=str(path),
        )
    try:
        with StatusStore(path) as store:
            state = store.sync_state()
            count = store.count()
    except StoreError as exc:
        return error("registry_copy", COPY_TITLE, COPY_TITLE_RU, str(exc),
                     f"Локальная копия регистра не открывается: {path}", path=str(path))
    last = state.last_complete_at
    details = {"path": str(path), "records": count, "last_sync": last.isoformat() if last else None}
    limit = timedelta(minutes=settings.registry_sync_minutes * 2) + timedelta(hours=1)
    if last is None:
        return warning(
            "registry_copy", COPY_TITLE, COPY_TITLE_RU,
            f"{count} answers kept, but a full sync never finished (see the log; `desk-app sync` runs one)",
            f"Сохранено ответов: {count}, но полная загрузка копии ни разу не завершилась (см. журнал).",
            **details,
        )
    if now - last > limit:
        return warning(
            "registry_copy", COPY_TITLE, COPY_TITLE_RU,
            f"last synced {age_en(last, now)} ago although it syncs every {settings.registry_sync_minutes:g} min: "
            "cached statuses get old (verdicts then warn status_cache_old)",
            f"Копия обновлялась {age_ru(last, now)} назад, хотя должна каждые {settings.registry_sync_minutes:g} мин.",
            **details,
        )
    return ok("registry_copy", COPY_TITLE, COPY_TITLE_RU, f"{count} records, synced {age_en(last, now)} ago",
              f"{count} записей, обновлена {age_ru(last, now)} назад", **details)
