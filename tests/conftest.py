"""Shared fixtures. Every test gets its own data directory; no test touches the user's files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TEST_DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point platformdirs' locations (config, data, logs) at a private temporary home."""
    home = tmp_path_factory.mktemp("home")
    for var, sub in (
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_CONFIG_DIRS", "etc-xdg"),
    ):
        monkeypatch.setenv(var, str(home / sub))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    d = tmp_path / "desk-data"
    d.mkdir()
    return d
