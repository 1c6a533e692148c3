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


MACHINE_CONFIG_POSIX = Path("/etc/desk-app/config.toml")


def machine_config_file() -> Path:
    """The IT-managed settings file, fixed per system: `/etc/desk-app/config.toml` on Linux (and
    every other POSIX system), `%ProgramData%\\desk-app\\config.toml` on Windows.

    Nothing the desk's user controls moves it: no environment variable (not XDG_CONFIG_DIRS, not
    %ProgramData%: Windows' known-folder API is asked, never the environment), no option. The
    administrator PIN's hash is read only from here (docs/security.md). Tests point it elsewhere
    by replacing this function in-process (tests/helpers/machine_config.py).
    """
    if sys.platform == "win32":
        return _windows_program_data() / APP_NAME / "config.toml"
    return MACHINE_CONFIG_POSIX


def _windows_program_data() -> Path:
    """FOLDERID_ProgramData from the shell's known-folder API (a user can set %ProgramData% in
    their own environment, so the variable is never read); C:\\ProgramData if the API fails."""
    import ctypes
    import uuid
    from ctypes import wintypes

    class _Guid(ctypes.Structure):
        _fields_ = [("data", ctypes.c_ubyte * 16)]

    folder_id = _Guid()
    ctypes.memmove(folder_id.data, uuid.UUID("62AB5D82-FDC1-4DC3-A9DD-070D1D495D97").bytes_le, 16)
    found = ctypes.c_wchar_p()
    try:
        shell32 = ctypes.windll.shell32  # type: ignore[attr-defined]
        ole32 = ctypes.windll.ole32  # type: ignore[attr-defined]
        shell32.SHGetKnownFolderPath.argtypes = [
            ctypes.POINTER(_Guid), wintypes.DWORD, wintypes.HANDLE, ctypes.POINTER(ctypes.c_wchar_p)
        ]
        if shell32.SHGetKnownFolderPath(ctypes.byref(folder_id), 0, None, ctypes.byref(found)) == 0 and found.value:
            try:
                return Path(found.value)
            finally:
                ole32.CoTaskMemFree(found)
    except (AttributeError, OSError):
        pass
    return Path("C:\\ProgramData")


def default_log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME, _APP_AUTHOR))
