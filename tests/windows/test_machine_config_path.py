"""Issue 19 item 2 on Windows: the machine-wide file is %ProgramData%\\desk-app\\config.toml, found
through the shell's known-folder API, never through the ProgramData variable a user can set."""

from __future__ import annotations

from pathlib import Path

from tests.helpers.machine_cli import REAL_MACHINE_CONFIG_FILE


def test_the_machine_file_comes_from_the_known_folder_not_the_environment(monkeypatch, tmp_path) -> None:
    from desk_app.paths import _windows_program_data

    program_data = _windows_program_data()
    assert program_data.is_absolute() and program_data.name.lower() == "programdata"
    monkeypatch.setenv("ProgramData", str(tmp_path))
    monkeypatch.setenv("ALLUSERSPROFILE", str(tmp_path))
    assert REAL_MACHINE_CONFIG_FILE() == program_data / "desk-app" / "config.toml"
    assert Path(str(tmp_path)) not in REAL_MACHINE_CONFIG_FILE().parents
