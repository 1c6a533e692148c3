"""Which config files were read, which keys IT locked, and a broken file named with its key."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from desk_app import paths
from desk_app.config import OPTIONS_BY_ATTR, ConfigError, Settings
from desk_app.doctor.result import CheckResult, error, ok, warning

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
    if settings.refused:  # e.g. an administrator PIN hash in the user's own file: not used
        return warning(
            "config", TITLE, TITLE_RU, message + "; " + "; ".join(settings.refused),
            message_ru + ". PIN администратора и демо-режим в файле пользователя не действуют: их задаёт ИТ-служба "
            f"в файле {paths.machine_config_file()} (PIN — командой «desk-app admin set-pin»); уберите их из файла "
            "пользователя.",
            files=files, locked=locked, machine_file=str(paths.machine_config_file()),
        )  # fmt: skip
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


TOKEN_TITLE, TOKEN_TITLE_RU = "Registry token file", "Файл с ключом доступа к регистру"


def check_token_file(settings: Settings) -> CheckResult:
    """The file holding the registry token (a config file or a token file) must not be readable by others."""
    origin = settings.token_origin
    kind, _, where = origin.partition(":")
    if kind not in ("config", "token-file"):
        where_en = {"environment": "the DESK_REGISTRY_TOKEN environment variable", "command line": "the command line"}
        if origin == "command line":
            return warning(
                "token_file", TOKEN_TITLE, TOKEN_TITLE_RU,
                "the registry token was given with --registry-token: other users of this PC can see it in the "
                "process list; use --registry-token-file, DESK_REGISTRY_TOKEN or the config file",
                "Ключ доступа передан в командной строке (--registry-token): его видят другие пользователи "
                "компьютера. Используйте файл с ключом, переменную DESK_REGISTRY_TOKEN или файл настроек.",
            )  # fmt: skip
        shown = where_en.get(origin, "nowhere (no token is set)")
        return ok("token_file", TOKEN_TITLE, TOKEN_TITLE_RU, f"the token comes from {shown}: no file to check",
                  "ключ доступа не хранится в файле: проверять нечего")  # fmt: skip
    path = Path(where)
    if os.name == "nt":
        return ok(
            "token_file", TOKEN_TITLE, TOKEN_TITLE_RU,
            f"{path}: permissions not checked on Windows (NTFS ACLs): make sure only the desk's users and "
            "administrators can read it (Properties > Security)",
            f"{path}: права доступа в Windows не проверяются: убедитесь, что файл могут читать только "
            "пользователи рабочего места и администраторы (Свойства > Безопасность).",
            path=str(path),
        )  # fmt: skip
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return error("token_file", TOKEN_TITLE, TOKEN_TITLE_RU, f"{path}: cannot be read: {exc.strerror or exc}",
                     f"{path}: файл не читается.", path=str(path))  # fmt: skip
    if mode & 0o077:
        return warning(
            "token_file", TOKEN_TITLE, TOKEN_TITLE_RU,
            f"{path} holds the registry token and other users can access it (mode {stat.S_IMODE(mode):o}): "
            f"run `chmod 600 {path}` (or 640 with a group of the desk's users only)",
            f"Файл {path} с ключом доступа к регистру доступен другим пользователям (права "
            f"{stat.S_IMODE(mode):o}): выполните `chmod 600 {path}`.",
            path=str(path), mode=f"{stat.S_IMODE(mode):o}",
        )  # fmt: skip
    return ok("token_file", TOKEN_TITLE, TOKEN_TITLE_RU, f"{path}: readable by its owner only",
              f"{path}: доступен только владельцу", path=str(path))  # fmt: skip
