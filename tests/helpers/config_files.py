"""Helpers shared by the config tests (no tests here): a desk.toml holding one URL setting."""

from __future__ import annotations

from pathlib import Path

from desk_app.config import Settings, load_settings


def load_url_setting(directory: Path, key: str, url: str) -> Settings:
    """Load a config whose only setting is `key` ("registry.url", "trust.url") = `url`, as IT
    would write it (a backslash escaped for TOML); no machine file."""
    section, name = key.split(".")
    config = directory / "desk.toml"
    config.write_text(f'[{section}]\n{name} = "{url.replace(chr(92), chr(92) * 2)}"\n', "utf-8")
    return load_settings(config, machine_file=directory / "none.toml")
