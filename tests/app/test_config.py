"""Config validation: every kind of bad value is refused naming its key; the machine-wide file
overrides and locks; the example config and the Russian guide document every key."""

from __future__ import annotations

from pathlib import Path

import pytest

from desk_app import paths
from desk_app.config import (
    OPTIONS,
    ConfigError,
    Settings,
    load_settings,
    read_config_file,
    save_settings,
)

ROOT = Path(__file__).resolve().parents[2]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def load_text(tmp_path: Path, text: str) -> Settings:
    return load_settings(write(tmp_path / "config.toml", text), machine_file=tmp_path / "no-machine.toml")


BAD_VALUES = [
    # (TOML, the key the message must name, a phrase of the reason)
    ('[registry]\ntimeout = "3"\n', "registry.timeout", "expected float"),
    ("[registry]\ntimeout = 0\n", "registry.timeout", "greater than zero"),
    ("[registry]\nconnect_timeout = -1.5\n", "registry.connect_timeout", "greater than zero"),
    ("[registry]\nsync_minutes = true\n", "registry.sync_minutes", "expected float"),
    ('[registry]\nurl = "ftp://registry.example"\n', "registry.url", "http:// or https://"),
    ('[registry]\nurl = "http://registry.example/api"\n', "registry.url", "plain http is allowed only to loopback"),
    ('[registry]\nurl = "https://"\n', "registry.url", "http:// or https://"),
    ("[registry]\ntoken = 12345\n", "registry.token", "expected str"),
    ('[trust]\nurl = "treasury.example"\n', "trust.url", "http:// or https://"),
    ("[trust]\nrefresh_hours = -6\n", "trust.refresh_hours", "greater than zero"),
    ("[trust]\nroot = [1, 2]\n", "trust.root", "expected str"),
    ('[desk]\ntimezone = "Mars/Olympus"\n', "desk.timezone", "not a known time zone"),
    ('[desk]\noffline = "yes"\n', "desk.offline", "expected true or false"),
    ("[desk]\noffline = 1\n", "desk.offline", "expected true or false"),
    ('[storage]\nurl = "mysql://desk@db/desk"\n', "storage.url", "SQLite path"),
    ('[scanner]\nwedge_terminator = "space"\n', "scanner.wedge_terminator", "must be one of: enter, tab"),
    ('[scanner]\nserial_terminator = "CR"\n', "scanner.serial_terminator", "must be one of"),
    ("[scanner]\nserial_baud = 9600.5\n", "scanner.serial_baud", "expected int"),
    ("[scanner]\nserial_baud = true\n", "scanner.serial_baud", "expected int"),
    ("[scanner]\nserial_baud = 0\n", "scanner.serial_baud", "greater than zero"),
    ('[logging]\nlevel = "verbose"\n', "logging.level", "must be one of: DEBUG, INFO, WARNING, ERROR"),
    ("[ui]\nsounds = 0\n", "ui.sounds", "expected true or false"),
]


@pytest.mark.parametrize(("text", "key", "reason"), BAD_VALUES, ids=[k for _t, k, _r in BAD_VALUES])
def test_bad_values_are_refused_naming_the_key(tmp_path: Path, text: str, key: str, reason: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_text(tmp_path, text)
    message = str(caught.value)
    assert f"'{key}'" in message
    assert str(tmp_path / "config.toml") in message  # and which file
    assert reason in message


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ('[registry]\nurll = "https://r.example"\n', "unknown config key 'registry.urll'"),
        ('[regsitry]\nurl = "https://r.example"\n', "unknown config key 'regsitry.url'"),
        ('token = "abc"\n', "'token' must be a [section] table"),
        ("[registry.url]\nx = 1\n", "config key 'registry.url': expected str"),
    ],
)
def test_unknown_keys_and_shapes_are_refused(tmp_path: Path, text: str, phrase: str) -> None:
    with pytest.raises(ConfigError, match="config") as caught:
        load_text(tmp_path, text)
    assert phrase in str(caught.value)
    assert str(tmp_path / "config.toml") in str(caught.value)  # which file


def test_invalid_toml_names_the_file_and_the_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_text(tmp_path, '[registry]\nurl = "https://r.example\n')
    assert "is not valid TOML" in str(caught.value)
    assert "line 2" in str(caught.value)


def test_a_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes('[desk]\nid = "регистратура"\n'.encode("cp1251"))
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(path, machine_file=tmp_path / "none.toml")


def test_a_named_config_file_that_does_not_exist_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read config file"):
        load_settings(tmp_path / "missing.toml", machine_file=tmp_path / "none.toml")


def test_a_missing_user_file_means_defaults(tmp_path: Path) -> None:
    settings = load_settings(machine_file=tmp_path / "none.toml")
    assert settings == Settings()
    assert settings.sources == ()


def test_good_values_are_typed(tmp_path: Path) -> None:
    settings = load_text(
        tmp_path,
        '[registry]\nurl = "https://registry.tfoms.example/api/"\ntimeout = 5\n'
        '[desk]\ntimezone = "Asia/Yekaterinburg"\noffline = true\n[scanner]\nserial_baud = 115200\n'
        '[storage]\nurl = "postgresql://desk@db.clinic.local:5432/desk"\n',
    )
    assert settings.registry_url == "https://registry.tfoms.example/api"  # trailing slash trimmed
    assert settings.registry_timeout == 5.0 and isinstance(settings.registry_timeout, float)
    assert settings.timezone == "Asia/Yekaterinburg" and settings.offline is True
    assert settings.serial_baud == 115200
    assert load_text(tmp_path, '[registry]\nurl = "http://127.0.0.1:8080"\n').registry_url == "http://127.0.0.1:8080"


def test_machine_file_overrides_the_user_file_and_locks_its_keys(tmp_path: Path) -> None:
    user = write(tmp_path / "user.toml", '[registry]\nurl = "https://user.example"\ntimeout = 9\n[desk]\nid = "u"\n')
    machine = write(tmp_path / "machine.toml", '[registry]\nurl = "https://it.example/api"\ntoken = "it-token"\n')
    settings = load_settings(user, machine_file=machine)
    assert settings.registry_url == "https://it.example/api"
    assert settings.registry_token == "it-token"
    assert settings.registry_timeout == 9.0  # the user's own key stays
    assert settings.desk_id == "u"
    assert settings.locked == frozenset({"registry_url", "registry_token"})
    assert settings.sources == (str(user), str(machine))


def test_the_default_machine_file_is_read_and_locks_its_keys(tmp_path: Path) -> None:
    machine = paths.machine_config_file()  # tests/conftest.py points it into the test's home
    machine.parent.mkdir(parents=True, exist_ok=True)
    write(machine, '[desk]\noffline = true\n')
    settings = load_settings()
    assert settings.offline is True
    assert settings.locked == frozenset({"offline"})


def test_saving_never_writes_locked_keys_into_the_users_file(tmp_path: Path) -> None:
    user = write(tmp_path / "user.toml", '[desk]\nid = "desk-2"\n')
    machine = write(tmp_path / "machine.toml", '[registry]\ntoken = "it-token"\n')
    settings = load_settings(user, machine_file=machine).replace(sounds=False)
    save_settings(settings, user)
    saved = user.read_text("utf-8")
    assert "it-token" not in saved and "token" not in saved
    assert read_config_file(user) == {"desk_id": "desk-2", "sounds": False}


def test_a_bad_machine_file_is_refused_too(tmp_path: Path) -> None:
    machine = write(tmp_path / "machine.toml", "[registry]\ntimeout = -3\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(machine_file=machine, use_user_file=False)
    assert "'registry.timeout'" in str(caught.value)


def test_command_line_overrides_are_validated(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"'registry\.url'"):
        load_settings(overrides={"registry_url": "http://registry.example"}, machine_file=tmp_path / "n.toml")


def test_the_example_config_holds_every_key_at_its_default() -> None:
    example = ROOT / "resources" / "config.example.toml"
    values = read_config_file(example)
    assert set(values) == {opt.attr for opt in OPTIONS}
    defaults = Settings()
    for attr, value in values.items():
        assert value == getattr(defaults, attr), attr


def test_the_russian_guide_documents_every_key() -> None:
    guide = (ROOT / "docs" / "install-guide.ru.md").read_text("utf-8")
    missing = [opt.key for opt in OPTIONS if f"`{opt.key}`" not in guide]
    assert not missing, missing
    for section in {opt.key.split(".", 1)[0] for opt in OPTIONS}:
        assert f"[{section}]" in guide, section
