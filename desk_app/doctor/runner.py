"""Run every check concurrently, each bounded in time; a failing check never stops the others."""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from desk_app.config import Settings
from desk_app.doctor import audit_checks, config_checks, device_checks, registry_checks, storage_checks, system_checks
from desk_app.doctor.result import CheckResult, error

log = logging.getLogger(__name__)

Outcome = CheckResult | list[CheckResult] | None


@dataclass(frozen=True)
class Check:
    name: str
    title: str
    title_ru: str
    run: Callable[[Settings], Outcome]
    timeout: float


def check_trust(settings: Settings) -> list[CheckResult]:
    from desk_app.core.judge import open_trust_store
    from desk_app.doctor import trust_checks
    from desk_app.verify.trust_store import TrustRootError

    root = trust_checks.check_trust_root(settings)
    if root.level == "error":
        return [root]
    try:
        store = open_trust_store(settings)
    except TrustRootError as exc:
        return [root, error("trust_cache", "Treasury trust list", "Список сертификатов Казначейства", str(exc),
                            "Кэш сертификатов не открывается.")]
    return [root, *trust_checks.check_trust_cache(settings, store)]


def default_checks(settings: Settings) -> list[Check]:
    registry_budget = settings.registry_connect_timeout + settings.registry_timeout + 2
    return [
        Check("config", "Configuration", "Настройки", config_checks.check_config, 2),
        Check("token_file", "Registry token file", "Файл с ключом", config_checks.check_token_file, 2),
        Check("trust", "Trust root", "Корневой сертификат", check_trust, 10),
        Check("clock", "PC clock", "Часы компьютера", system_checks.check_clock_floor, 10),
        Check("registry", "Registry", "Регистр", registry_checks.check_registry, registry_budget),
        Check("registry_copy", "Offline copy", "Локальная копия", registry_checks.check_registry_copy, 10),
        Check("storage", "Visits database", "База посещений", storage_checks.check_storage, 15),
        Check("audit", "Audit chain", "Журнал аудита", audit_checks.check_audit, 20),
        Check("scanner_wedge", "Keyboard-wedge scanner", "Сканер-клавиатура", device_checks.check_wedge, 2),
        Check("scanner_serial", "Serial scanner", "Сканер на COM-порту", device_checks.check_serial, 5),
        Check("camera", "Camera", "Камера", device_checks.check_camera, device_checks.CAMERA_FRAME_SECONDS + 6),
        Check("disk", "Free disk space", "Свободное место", system_checks.check_disk, 5),
        Check("logs", "Log files", "Журнал работы", system_checks.check_logs, 2),
    ]


# The desk_app modules the checks import lazily, imported here on the calling thread before any
# check starts: two check threads importing one module graph for the first time can deadlock
# (`_DeadlockError`) or see a partially initialized module (seen in the frozen Windows build).
# Only the camera and serial checks' modules are left out: each is imported by one check alone,
# and the camera's pulls in OpenCV, which doctor should not pay for without a camera.
PRELOADED = (
    "desk_app.logging_setup",
    "desk_app.core.judge",
    "desk_app.verify.trust_store",
    "desk_app.registry.status_store",
    "desk_app.visits.model",
    "desk_app.visits.store",
    "desk_app.visits.anchors",
)
IMPORTED_BY_ONE_CHECK = ("desk_app.scanner.camera", "desk_app.scanner.serial_source")


def run_checks(settings: Settings, checks: list[Check] | None = None) -> list[CheckResult]:
    """All checks at once (so the slowest bounds the total); results in the checks' order."""
    for module in PRELOADED:
        importlib.import_module(module)
    checks = default_checks(settings) if checks is None else checks
    outcomes: dict[str, Outcome] = {}
    threads: list[tuple[Check, threading.Thread]] = []
    started = datetime.now(UTC)
    for check in checks:
        thread = threading.Thread(target=_run_one, args=(check, settings, outcomes), name=f"doctor-{check.name}",
                                  daemon=True)  # a hung check is abandoned, never waited for at exit
        thread.start()
        threads.append((check, thread))
    results: list[CheckResult] = []
    for check, thread in threads:
        remaining = check.timeout - (datetime.now(UTC) - started).total_seconds()
        thread.join(max(0.0, remaining))
        if thread.is_alive():
            log.warning("event=doctor_check_timeout check=%s seconds=%g", check.name, check.timeout)
            results.append(error(
                check.name, check.title, check.title_ru,
                f"the check did not finish within {check.timeout:g} s (something hangs: see the log)",
                f"Проверка не завершилась за {check.timeout:g} с (что-то зависло, подробности в журнале).",
            ))
            continue
        outcome = outcomes.get(check.name)
        if outcome is None:
            continue
        results.extend(outcome if isinstance(outcome, list) else [outcome])
    for result in results:
        log.info("event=doctor check=%s level=%s message=%s", result.check, result.level, result.message)
    return results


def _run_one(check: Check, settings: Settings, outcomes: dict[str, Outcome]) -> None:
    try:
        outcomes[check.name] = check.run(settings)
    except Exception as exc:  # a broken check is a finding, never a crash of doctor
        log.exception("event=doctor_check_failed check=%s", check.name)
        outcomes[check.name] = error(
            check.name, check.title, check.title_ru,
            f"the check itself failed: {type(exc).__name__}: {exc}",
            f"Проверка завершилась ошибкой: {type(exc).__name__}. Подробности в журнале.",
        )
