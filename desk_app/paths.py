"""Where the app finds its bundled resources and keeps its data, on every platform."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs

from desk_app import APP_NAME

_APP_AUTHOR = "desk-app"


def resources_dir() -> Path:
    """The bundled `resources/` folder, from a source checkout or a PyInstaller bundle."""
    frozen_base = getattr(sys, "_MEIPASS", None)
    if frozen_base:
        return Path(frozen_base) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, _APP_AUTHOR))


def user_config_file() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, _APP_AUTHOR)) / "config.toml"


def machine_config_file() -> Path:
    """IT-managed settings (e.g. /etc/xdg/desk-app/config.toml, C:\\ProgramData\\desk-app\\config.toml)."""
    return Path(platformdirs.site_config_dir(APP_NAME, _APP_AUTHOR)) / "config.toml"


def default_log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME, _APP_AUTHOR))
