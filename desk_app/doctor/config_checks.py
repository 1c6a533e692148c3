"""Which config files were read, which keys IT locked, and a broken file named with its key."""

from __future__ import annotations

from desk_app import paths
from desk_app.config import OPTIONS_BY_ATTR, ConfigError, Settings
from desk_app.doctor.result import CheckResult, error, ok

TITLE, TITLE_RU = "Configuration", "Настройки"


def check_config(settings: Settings) -> CheckResult:
    locked = sorted(OPTIONS_BY_ATTR[a].key for a in settings.locked if a in OPTIONS_BY_ATTR)
    files = list(settings.sources)
    if files:
        message = "read " + ", ".join(files)
        message_ru = "прочитаны файлы: " + ", ".join(files)
    else:
        user_file = paths.user_config_file()
        message = f"no config file, built-in defaults (the user's file would be {user_file})"
        message_ru = f"файла настроек нет, действуют значения по умолчанию (файл пользователя: {user_file})"
    if locked:
        message += "; set by IT (locked): " + ", ".join(locked)
        message_ru += "; заданы администратором (заблокированы): " + ", ".join(locked)
    return ok(
        "config", TITLE, TITLE_RU, message, message_ru,
        files=files, locked=locked, machine_file=str(paths.machine_config_file()),
    )


def config_error_result(exc: ConfigError) -> CheckResult:
    """A config that cannot be read: nothing else can be checked until it is fixed."""
    return error(
        "config", TITLE, TITLE_RU,
        f"{exc}. Fix the file and run doctor again; no other check was run.",
        f"Ошибка в файле настроек: {exc}. Исправьте файл и запустите проверку снова; другие проверки не выполнялись.",
    )
