"""IANA time zones on Windows, which has no zoneinfo database: the tzdata package provides them."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime
from pathlib import Path

import pytest

from desk_app.config import ConfigError, load_settings


def test_europe_moscow_comes_from_tzdata() -> None:
    zoneinfo.ZoneInfo.clear_cache()
    moscow = zoneinfo.ZoneInfo("Europe/Moscow")
    assert moscow.utcoffset(datetime(2026, 1, 15, tzinfo=UTC)) is not None
    assert datetime(2026, 1, 15, 21, 30, tzinfo=UTC).astimezone(moscow).hour == 0  # UTC+3: the next clinic day
    assert datetime(2011, 1, 15, 12, tzinfo=UTC).astimezone(moscow).hour == 15  # history kept (then UTC+3 too)
    assert not any(Path(p).is_dir() for p in zoneinfo.TZPATH), "Windows has no system zoneinfo: tzdata answered"


def test_the_clinic_time_zone_setting_is_accepted_and_a_wrong_one_refused(tmp_path: Path) -> None:
    good = tmp_path / "good.toml"
    good.write_text('[desk]\ntimezone = "Asia/Yekaterinburg"\n', encoding="utf-8")
    settings = load_settings(good, machine_file=tmp_path / "machine.toml")
    assert settings.tz.utcoffset(datetime(2026, 6, 1)).total_seconds() == 5 * 3600
    bad = tmp_path / "bad.toml"
    bad.write_text('[desk]\ntimezone = "Europe/Moskva"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="timezone"):
        load_settings(bad, machine_file=tmp_path / "machine.toml")
