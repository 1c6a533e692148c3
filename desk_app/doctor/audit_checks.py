"""The visits ledger's audit chain, checked against its last anchors (issue 19 item 3).

The anchors come from the desk's log (desk_app.visits.anchors); the whole chain is verified too
when it is small enough for doctor's time budget (`FULL_CHECK_ENTRIES`), otherwise only the
anchored entries (which catch a chain rebuilt after an anchor) and `desk-app audit verify` is
named for the rest.
"""

from __future__ import annotations

from desk_app.config import Settings
from desk_app.doctor.result import CheckResult, error, ok, warning
from desk_app.doctor.storage_checks import sqlite_path

TITLE, TITLE_RU = "Audit chain", "Журнал аудита"
FULL_CHECK_ENTRIES = 50_000


def check_audit(settings: Settings) -> CheckResult:
    from desk_app.logging_setup import log_dir_for, mask_text
    from desk_app.visits.anchors import anchors_in_logs, check_store_anchors, verify_store
    from desk_app.visits.model import StorageError
    from desk_app.visits.store import open_store

    path = sqlite_path(settings.resolved_storage_url)
    if path is not None and not path.exists():
        return ok("audit", TITLE, TITLE_RU, "no ledger yet: nothing to check",
                  "базы посещений ещё нет: проверять нечего")  # fmt: skip
    try:
        store = open_store(settings.resolved_storage_url)  # read only (no VisitLedger: it may record the zone)
    except StorageError as exc:
        return warning("audit", TITLE, TITLE_RU, f"not checked: {mask_text(str(exc))}",
                       "Не проверен: база посещений не открывается (см. проверку «База посещений»).")  # fmt: skip
    try:
        anchors = anchors_in_logs(log_dir_for(settings), store.location)
        head = store.audit_head()
        full = head is None or head[0] <= FULL_CHECK_ENTRIES
        report = verify_store(store, anchors) if full else check_store_anchors(store, anchors)
    except StorageError as exc:
        return error("audit", TITLE, TITLE_RU, f"cannot be read: {mask_text(str(exc))}",
                     "Журнал аудита не читается: база посещений изменена вне программы.")  # fmt: skip
    finally:
        store.close()
    details = {"entries": report.entries, "anchors": report.anchors, "full_check": full}
    if not report.ok:
        return error(
            "audit", TITLE, TITLE_RU,
            f"{report.message}. Someone changed the ledger outside the app: keep a copy of the file and the logs, "
            "and compare with the register exports (docs/security.md)",
            "Журнал аудита не сходится: база посещений изменена вне программы. Сохраните копию базы и журналов "
            f"и сообщите ИТ-службе. ({report.message})",
            **details,
        )  # fmt: skip
    scope = "" if full else "; only the anchored entries checked here, run `desk-app audit verify` for all"
    if report.entries and not report.anchors:
        return warning(
            "audit", TITLE, TITLE_RU,
            f"{report.message}: the log holds no anchor of this ledger (logs deleted, or written before anchors "
            f"existed); keep the daily register exports, they carry anchors{scope}",
            "Цепочка журнала аудита цела, но в журнале работы нет её контрольных отметок: подмену всей цепочки "
            "исключить нельзя. Сохраняйте ежедневные реестры — в них есть отметки.",
            **details,
        )  # fmt: skip
    return ok("audit", TITLE, TITLE_RU, report.message + scope,
              f"цепочка цела: записей {report.entries}, сверена с контрольными отметками: {report.anchors}",
              **details)  # fmt: skip
