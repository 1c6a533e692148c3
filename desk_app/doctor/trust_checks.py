"""The pinned Treasury root, the cached trust list (its age) and the CRL (its next update)."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime, timedelta

from desk_app.config import Settings, demo_trust_root
from desk_app.doctor.result import CheckResult, error, ok, warning
from desk_app.doctor.wording import age_en, age_ru, when_ru
from desk_app.verify.certs import Certificate
from desk_app.verify.trust_store import TrustRootError, TrustStore, load_root

ROOT_EXPIRY_NOTICE = timedelta(days=60)
TRUST_UPDATE_COMMAND = "desk-app trust update"
# A root whose subject calls itself a test one ("TEST ONLY - NOT THE FEDERAL TREASURY", "ТЕСТОВЫЙ").
_TEST_SUBJECT = re.compile(r"\b(test|тест)|not the federal treasury", re.IGNORECASE)


def is_test_root(root: Certificate) -> bool:
    """The bundled demo root (by fingerprint, wherever it was copied) or a root named a test one."""
    try:
        if root.fingerprint == load_root(demo_trust_root()).fingerprint:
            return True
    except TrustRootError:
        pass
    return bool(_TEST_SUBJECT.search(root.subject.text))


def check_trust_root(settings: Settings, now: datetime | None = None) -> CheckResult:
    now = now or datetime.now(UTC)
    title, title_ru = "Trust root", "Корневой сертификат Казначейства"
    path = settings.trust_root_path
    if path is None:
        return error(
            "trust_root", title, title_ru,
            "the trust root is not configured: the desk judges no policy (every verdict is 'cannot check'); "
            "set trust.root to the Treasury root certificate (PEM) in the machine-wide config",
            "не настроен: программа не проверяет ни один полис (каждый "
            "результат — «проверка невозможна»). Укажите в trust.root файл корневого сертификата "
            "Казначейства (PEM) в общем файле настроек компьютера.",
            configured=False,
        )
    try:
        root = load_root(path)
    except TrustRootError as exc:
        return error(
            "trust_root", title, title_ru,
            f"{exc}: no signature can be checked (set trust.root to the Treasury root certificate, PEM)",
            f"Корневой сертификат не читается ({path}): подписи полисов проверить невозможно. "
            "Укажите в trust.root файл корневого сертификата Казначейства (PEM).",
            path=str(path),
        )
    expires = root.not_after
    algorithm = root.public_key.description  # e.g. "GOST R 34.10-2012 512 (id-tc26-gost-3410-12-512-paramSetA)"
    details = {
        "path": str(path),
        "subject": root.subject.text,
        "not_after": expires.isoformat(),
        "algorithm": algorithm,
    }
    if settings.uses_demo_root:
        return warning(
            "trust_root", title, title_ru,
            "TEST-ONLY demo root in use: real policies will be rejected and anyone holding the demo key can "
            "make a policy that passes. Never use it at a real desk: set trust.root.",
            "Используется ТЕСТОВЫЙ демонстрационный корень: настоящие полисы будут отклонены, а поддельный "
            "демонстрационный полис пройдёт проверку. Для работы укажите в trust.root сертификат Казначейства.",
            demo=True, **details,
        )
    if is_test_root(root):
        return warning(
            "trust_root", title, title_ru,
            f"{path} is a TEST root ({root.subject.text}), not the Federal Treasury's: real policies will be "
            "rejected and anyone holding its key can make a policy that passes. Set trust.root to the Treasury root",
            f"{path} — ТЕСТОВЫЙ корневой сертификат, а не сертификат Федерального казначейства: настоящие "
            "полисы будут отклонены, а поддельный полис может пройти проверку. Укажите в trust.root "
            "сертификат Казначейства.",
            test_root=True, **details,
        )
    if expires <= now:
        return error(
            "trust_root", title, title_ru,
            f"the root certificate expired on {expires:%Y-%m-%d}: install the Treasury's current root",
            f"Срок действия корневого сертификата истёк {when_ru(expires)}: установите действующий сертификат.",
            **details,
        )
    if expires - now < ROOT_EXPIRY_NOTICE:
        return warning(
            "trust_root", title, title_ru,
            f"the root certificate expires on {expires:%Y-%m-%d}: get the Treasury's next root in time",
            f"Корневой сертификат истекает {when_ru(expires)}: заранее получите новый сертификат Казначейства.",
            **details,
        )
    return ok(
        "trust_root", title, title_ru,
        f"{path}, {algorithm}, valid until {expires:%Y-%m-%d}",
        f"{path}, {algorithm}, действует до {when_ru(expires)}",
        **details,
    )


def check_trust_cache(settings: Settings, store: TrustStore, now: datetime | None = None) -> list[CheckResult]:
    """The trust list's age and the CRL, from the same snapshot the desk verifies with."""
    now = now or datetime.now(UTC)
    snap = store.snapshot
    results = []
    title, title_ru = "Treasury trust list", "Список сертификатов Казначейства"
    signers = [c for c in snap.certs if c is not snap.root]
    fetched = snap.fetched_at
    algorithms = algorithm_summary(signers)
    details = {"cache_dir": str(store.cache_dir), "certificates": len(signers),
               "fetched_at": fetched.isoformat() if fetched else None, "url": settings.trust_url or None,
               "algorithms": dict(Counter(c.public_key.description for c in signers))}
    limit = timedelta(hours=settings.trust_refresh_hours * 2 + 1)
    if not signers:
        results.append(error(
            "trust_cache", title, title_ru,
            "the trust list was never downloaded: every signature check fails (set trust.url, then run "
            f"'{TRUST_UPDATE_COMMAND}' on a connected computer)",
            "Список сертификатов ни разу не загружен: ни одна подпись не пройдёт проверку. Укажите trust.url, "
            f"подключите компьютер к сети и выполните «{TRUST_UPDATE_COMMAND}».",
            **details,
        ))
    elif not settings.trust_url and not settings.uses_demo_root:
        results.append(warning(
            "trust_cache", title, title_ru,
            f"no trust.url: the list downloaded {age_en(fetched, now)} ago is never refreshed",
            f"Не задан trust.url: список (загружен {age_ru(fetched, now)} назад) не обновляется.",
            **details,
        ))
    elif fetched is not None and not settings.uses_demo_root and now - fetched > limit:
        results.append(warning(
            "trust_cache", title, title_ru,
            f"last downloaded {age_en(fetched, now)} ago although it refreshes every "
            f"{settings.trust_refresh_hours:g} h: the Treasury server is unreachable or refuses the files "
            f"('{TRUST_UPDATE_COMMAND}' says why; see the log)",
            f"Список загружен {age_ru(fetched, now)} назад, хотя обновляется каждые "
            f"{settings.trust_refresh_hours:g} ч: сервер Казначейства недоступен. Причину покажет "
            f"«{TRUST_UPDATE_COMMAND}», подробности в журнале.",
            **details,
        ))
    else:
        results.append(ok(
            "trust_cache", title, title_ru,
            f"{len(signers)} certificates ({algorithms}), downloaded {age_en(fetched, now)} ago",
            f"{len(signers)} сертификатов ({algorithms}), загружен {age_ru(fetched, now)} назад",
            **details,
        ))
    results.append(check_crl(store, now))
    return results


def algorithm_summary(certs: list[Certificate]) -> str:
    """E.g. "GOST R 34.10-2012 256 (id-GostR3410-2001-CryptoPro-A-ParamSet) x4, ECDSA secp256r1 x1"."""
    counts = Counter(c.public_key.description for c in certs)
    return ", ".join(f"{name} x{n}" for name, n in counts.most_common())


def check_crl(store: TrustStore, now: datetime) -> CheckResult:
    title, title_ru = "Revocation list (CRL)", "Список отозванных сертификатов"
    snap = store.snapshot
    next_update = snap.crl_next_update
    if not snap.crls or next_update is None:
        return error(
            "crl", title, title_ru,
            f"no CRL in the cache: verdicts cannot be 'accept' (crl_missing); run '{TRUST_UPDATE_COMMAND}'",
            "Список отозванных сертификатов не загружен: полисы не будут приниматься без предупреждения. "
            f"Выполните «{TRUST_UPDATE_COMMAND}».",
        )
    details = {"next_update": next_update.isoformat(), "crls": len(snap.crls)}
    if next_update <= now:
        return error(
            "crl", title, title_ru,
            f"the CRL's next update was due {age_en(next_update, now)} ago: verdicts warn crl_stale until it is "
            f"downloaded again (check trust.url and the network, then run '{TRUST_UPDATE_COMMAND}')",
            f"Список отозванных сертификатов устарел ({age_ru(next_update, now)} назад): решения будут с "
            f"предупреждением, пока список не обновится. Проверьте trust.url и сеть, затем выполните "
            f"«{TRUST_UPDATE_COMMAND}».",
            **details,
        )
    return ok(
        "crl", title, title_ru,
        f"current, next update {next_update:%Y-%m-%d %H:%M} UTC",
        f"действует, следующее обновление {when_ru(next_update)}",
        **details,
    )
