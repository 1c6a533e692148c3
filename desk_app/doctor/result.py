"""One check's outcome, in English (logs, CLI) and Russian (the settings window)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Level = Literal["ok", "warning", "error"]
LEVELS: tuple[Level, ...] = ("ok", "warning", "error")

EXIT_OK = 0
EXIT_WARNING = 1
EXIT_ERROR = 2


@dataclass(frozen=True)
class CheckResult:
    """`check` is a stable id (e.g. "registry"); `details` holds facts for --json (never secrets)."""

    check: str
    level: Level
    title: str
    message: str
    title_ru: str
    message_ru: str
    details: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def ok(check: str, title: str, title_ru: str, message: str, message_ru: str, **details: Any) -> CheckResult:
    return CheckResult(check, "ok", title, message, title_ru, message_ru, details)


def warning(check: str, title: str, title_ru: str, message: str, message_ru: str, **details: Any) -> CheckResult:
    return CheckResult(check, "warning", title, message, title_ru, message_ru, details)


def error(check: str, title: str, title_ru: str, message: str, message_ru: str, **details: Any) -> CheckResult:
    return CheckResult(check, "error", title, message, title_ru, message_ru, details)


def worst_level(results: list[CheckResult]) -> Level:
    return max((r.level for r in results), key=LEVELS.index, default="ok")


def exit_status(results: list[CheckResult]) -> int:
    """0 when all is well, 1 when something deserves attention (warnings), 2 on any error."""
    return {"ok": EXIT_OK, "warning": EXIT_WARNING, "error": EXIT_ERROR}[worst_level(results)]
