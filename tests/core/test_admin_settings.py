"""Issue 19 item 2: administrator settings only IT can write.

The PIN's hash is read only from the machine-wide file (fixed per system, moved by no
environment variable), PINs have at least 6 digits and a costly key derivation, wrong PINs make
the next try wait, the settings file is owner-only, and `--pin-file` is read like the token file.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desk_app import paths
from desk_app.cli.main import main
from desk_app.config import Settings, load_settings, save_settings
from desk_app.core import roles
from desk_app.core.session import DeskSession
from tests.helpers.admin_cli import pin_file, record_cli
from tests.helpers.machine_cli import REAL_MACHINE_CONFIG_FILE, machine_cli_command, write_admin_pin

PIN = "246813"
ATTACKER_PIN = "111111"





def test_the_machine_file_is_fixed_and_no_environment_variable_moves_it(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(tmp_path / "mine"))
    monkeypatch.setenv("ProgramData", str(tmp_path / "mine"))
    monkeypatch.setattr(sys, "platform", "linux")
    assert REAL_MACHINE_CONFIG_FILE() == Path("/etc/desk-app/config.toml")
    monkeypatch.setattr(sys, "platform", "win32")  # no shell32 here: the fixed fallback, not the variable
    windows = str(REAL_MACHINE_CONFIG_FILE())
    assert windows.startswith("C:\\ProgramData") and "mine" not in windows and windows.endswith("config.toml")


@pytest.mark.expect_log_warnings
def test_a_pin_hash_in_the_users_files_is_not_used(judge_settings, policy_file, tmp_path, capsys) -> None:
    """The receptionist's attack: their own PIN's hash in --config (or their own config file)
    plus --pin-file. Refused, naming the machine-wide file; nothing is recorded."""
    storage = f"sqlite:///{tmp_path / 'ledger.sqlite'}"
    assert record_cli(capsys, judge_settings, storage, policy_file)[0] == 0
    own = tmp_path / "own.toml"
    own.write_text(f'[ui]\nadmin_pin_hash = "{roles.hash_pin(ATTACKER_PIN)}"\n', "utf-8")
    user_file = paths.user_config_file()
    user_file.parent.mkdir(parents=True)
    user_file.write_text(own.read_text("utf-8"), "utf-8")
    override = ["--role", "senior", "--override-reason", "второй приём", "--pin-file",
                str(pin_file(tmp_path, ATTACKER_PIN))]  # fmt: skip
    for extra in (["--config", str(own)], []):
        code, out, err = record_cli(capsys, judge_settings, storage, policy_file, *override, *extra)
        assert (code, out) == (2, ""), err
        assert "none is set on this desk" in err and str(paths.machine_config_file()) in err
        assert "is not used: it is read only from the machine-wide file" in err
    settings = load_settings(config_file=own)
    assert settings.admin_pin_hash == "" and "machine-wide file" in settings.refused[0]
    # nor does turning on the demo, whose documented PIN works when no PIN is set
    own.write_text("[ui]\ndemo = true\n", "utf-8")
    demo = [*override[:-1], str(pin_file(tmp_path, roles.DEMO_PIN)), "--config", str(own)]
    code, out, err = record_cli(capsys, judge_settings, storage, policy_file, *demo)
    assert (code, out) == (2, "") and "'ui.demo' in" in err and "none is set on this desk" in err
    assert load_settings(overrides={"admin_pin_hash": roles.hash_pin(ATTACKER_PIN)}).admin_pin_hash == ""


def test_the_pin_hash_is_read_from_the_machine_file(judge_settings, policy_file, machine_config, tmp_path, capsys
                                                   ) -> None:  # fmt: skip
    write_admin_pin(machine_config, PIN)
    storage = f"sqlite:///{tmp_path / 'ledger.sqlite'}"
    assert record_cli(capsys, judge_settings, storage, policy_file)[0] == 0
    override = ["--role", "senior", "--override-reason", "второй приём"]
    code, _, err = record_cli(capsys, judge_settings, storage, policy_file, *override,
                           "--pin-file", str(pin_file(tmp_path, ATTACKER_PIN)))  # fmt: skip
    assert code == 2 and "PIN is wrong" in err
    code, out, _ = record_cli(capsys, judge_settings, storage, policy_file, *override,
                           "--pin-file", str(pin_file(tmp_path, PIN)))  # fmt: skip
    assert code == 0 and json.loads(out)["recorded"] is True


def test_a_pin_has_at_least_six_digits() -> None:
    assert not roles.pin_is_acceptable("1234") and not roles.pin_is_acceptable("12345")
    assert roles.pin_is_acceptable("123456") and not roles.pin_is_acceptable("12345a")


@pytest.mark.real_pin_cost
def test_the_pin_hash_is_scrypt_at_a_stored_cost_and_old_hashes_are_refused() -> None:
    stored = roles.hash_pin(PIN)
    algorithm, log2n, r, p, _salt, _digest = stored.split("$")
    assert algorithm == "scrypt" and (1 << int(log2n)) * int(r) * int(p) >= 1 << 20  # 128 MiB: >= 0.25 s a guess
    assert roles.verify_pin(PIN, stored) and not roles.verify_pin(ATTACKER_PIN, stored)
    cheap = roles.hash_pin(PIN, log2n=12)  # a hash someone made cheap on purpose
    old = "pbkdf2_sha256$200000$c2FsdHNhbHRzYWx0c2FsdA==$" + "A" * 43 + "="  # the earlier versions' kind
    for weak in (cheap, old):
        assert roles.pin_hash_problem(weak) == "outdated" and not roles.verify_pin(PIN, weak)
        with pytest.raises(roles.PinRefused) as caught:
            roles.authorize("senior", PIN, Settings(admin_pin_hash=weak))
        assert caught.value.problem == "outdated" and "desk-app admin set-pin" in caught.value.message


@pytest.mark.expect_log_warnings
def test_wrong_pins_make_the_next_try_wait() -> None:
    now = [1000.0]
    session = DeskSession(Settings(admin_pin_hash=roles.hash_pin(PIN)))
    session.pin_throttle = roles.PinThrottle(clock=lambda: now[0])
    assert not session.admin_pin_ok(ATTACKER_PIN) and not session.admin_pin_ok(ATTACKER_PIN)
    assert session.pin_wait_seconds() == 0  # two free tries
    waits = []
    for _ in range(4):
        assert not session.admin_pin_ok(ATTACKER_PIN)
        waits.append(session.pin_wait_seconds())
        now[0] += waits[-1]
    assert waits == [2.0, 4.0, 8.0, 16.0]  # growing
    assert not session.admin_pin_ok(ATTACKER_PIN) and session.pin_wait_seconds() == 32.0
    assert not session.admin_pin_ok(PIN)  # even the right PIN is not checked while waiting
    now[0] += 32
    assert session.admin_pin_ok(PIN) and session.pin_wait_seconds() == 0 and session.pin_throttle.failures == 0
    for _ in range(40):
        session.pin_throttle.record(False)
    assert session.pin_wait_seconds() == roles.PinThrottle.MAX_WAIT


def test_the_settings_file_is_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "config" / "config.toml"
    old_umask = os.umask(0o022)
    try:
        save_settings(Settings(registry_url="https://registry.example", registry_token="s3cret"), path)
        path.chmod(0o644)  # an older version's file: rewritten owner-only
        save_settings(Settings(registry_url="https://registry.example", registry_token="s3cret"), path)
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_settings(config_file=path).registry_token == "s3cret"
    assert not list(path.parent.glob("*.tmp"))


@pytest.mark.expect_log_warnings
def test_the_pin_file_is_read_like_the_token_file(judge_settings, policy_file, machine_config, tmp_path, capsys
                                                 ) -> None:  # fmt: skip
    write_admin_pin(machine_config, PIN)
    storage = f"sqlite:///{tmp_path / 'ledger.sqlite'}"
    override = ["--role", "senior", "--override-reason", "второй приём"]
    big = tmp_path / "big.txt"
    big.write_bytes(b"1" * (1024 * 1024))
    for bad, expected in (("/dev/zero", "is not a regular file"), (str(tmp_path), "is not a regular file"),
                          (str(big), "too large")):  # fmt: skip
        started = time.monotonic()
        code, out, err = record_cli(capsys, judge_settings, storage, policy_file, *override, "--pin-file", bad)
        assert (code, out) == (2, "") and f"PIN file {bad}" in err and expected in err, err
        assert time.monotonic() - started < 10
    readable = pin_file(tmp_path, PIN)
    readable.chmod(0o644)
    code, _, err = record_cli(capsys, judge_settings, storage, policy_file, *override, "--pin-file", str(readable))
    assert code == 0 and f"PIN file {readable} can be read by other users" in err and PIN not in err
    token = tmp_path / "token"
    token.write_text("abc\n", "utf-8")
    token.chmod(0o644)
    code, _, err = record_cli(capsys, judge_settings, storage, policy_file, "--registry-token-file", str(token))
    assert f"token file {token} can be read by other users" in err


def test_a_fifo_as_the_pin_file_is_refused_at_once(machine_config, judge_settings, tmp_path) -> None:
    """A FIFO never written to: refused before opening blocks (a subprocess, so the old code's
    hang is a failure, not a stuck suite)."""
    write_admin_pin(machine_config, PIN)
    fifo = tmp_path / "pin.fifo"
    os.mkfifo(fifo)
    storage = f"sqlite:///{tmp_path / 'ledger.sqlite'}"
    command = machine_cli_command(machine_config, "visits", "cancel", "1", "--reason", "ошибка", "--role", "admin",
                                  "--pin-file", str(fifo), "--data-dir", judge_settings.data_dir, "--storage", storage)
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, cwd=Path(__file__).parents[2])
    assert done.returncode == 2 and "is not a regular file" in done.stderr, done.stderr


def test_it_sets_the_pin_with_admin_set_pin(machine_config, tmp_path, capsys) -> None:
    machine_config.parent.mkdir(parents=True)
    machine_config.write_text("# Set by IT\n[desk]\nid = \"desk-4\"  # the front desk\n", "utf-8")
    assert main(["admin", "set-pin", "--pin-file", str(pin_file(tmp_path, "1234"))]) == 2
    assert "6 to 12 digits" in capsys.readouterr().err
    assert main(["admin", "set-pin", "--pin-file", str(pin_file(tmp_path, PIN))]) == 0
    text = machine_config.read_text("utf-8")
    assert text.startswith("# Set by IT\n[desk]\nid = \"desk-4\"  # the front desk\n") and "[ui]" in text
    settings = load_settings(use_user_file=False)
    assert settings.desk_id == "desk-4" and "admin_pin_hash" in settings.locked
    assert roles.check_admin_pin(PIN, settings.admin_pin_hash, demo=False)
    assert main(["admin", "set-pin", "--pin-file", str(pin_file(tmp_path, "975318"))]) == 0  # replaced in place
    settings = load_settings(use_user_file=False)
    assert roles.check_admin_pin("975318", settings.admin_pin_hash, demo=False)
    assert machine_config.read_text("utf-8").count("admin_pin_hash") == 1
    capsys.readouterr()
    assert main(["admin", "set-pin", "--print-hash", "--pin-file", str(pin_file(tmp_path, PIN))]) == 0
    assert capsys.readouterr().out.startswith('[ui]\nadmin_pin_hash = "scrypt$')



@pytest.mark.skipif(os.name == "nt", reason="POSIX modes")
def test_set_pin_keeps_the_files_mode_and_never_writes_an_invalid_config(machine_config, tmp_path, capsys) -> None:
    machine_config.parent.mkdir(parents=True)
    machine_config.write_text('[desk]\nid = "desk-4"\n', "utf-8")
    machine_config.chmod(0o640)  # readable by a group of the desk's users, as IT may set it
    assert main(["admin", "set-pin", "--pin-file", str(pin_file(tmp_path, PIN))]) == 0
    assert stat.S_IMODE(machine_config.stat().st_mode) == 0o640
    broken = '[desk]\nid = "desk-4"\n[ui]\nsounds = "loud"\n'  # a value the desk would refuse to start with
    machine_config.write_text(broken, "utf-8")
    capsys.readouterr()
    assert main(["admin", "set-pin", "--pin-file", str(pin_file(tmp_path, "975318"))]) == 2
    assert "would not be a valid config file" in capsys.readouterr().err
    assert machine_config.read_text("utf-8") == broken  # left for IT to fix, not half-rewritten
    assert sorted(p.name for p in machine_config.parent.iterdir()) == [machine_config.name]  # no stray temp file


def test_xdg_config_dirs_pointed_at_the_users_folder_changes_nothing(judge_settings, policy_file, tmp_path) -> None:
    """The issue's second route, end to end in a real process: XDG_CONFIG_DIRS naming a folder of
    the user's with a desk-app/config.toml holding their own PIN's hash."""
    if Path("/etc/desk-app/config.toml").exists():
        pytest.skip("this machine has a real machine-wide file")  # the assertion below assumes none
    own = tmp_path / "xdg" / "desk-app" / "config.toml"
    own.parent.mkdir(parents=True)
    own.write_text(f'[ui]\nadmin_pin_hash = "{roles.hash_pin(ATTACKER_PIN, log2n=17)}"\n', "utf-8")
    storage = f"sqlite:///{tmp_path / 'ledger.sqlite'}"
    env = {**os.environ, "XDG_CONFIG_DIRS": str(tmp_path / "xdg"), "XDG_CONFIG_HOME": str(tmp_path / "home"),
           "XDG_STATE_HOME": str(tmp_path / "state")}  # fmt: skip
    command = [sys.executable, "-m", "desk_app", "visits", "cancel", "1", "--reason", "ошибка", "--role", "admin",
               "--pin-file", str(pin_file(tmp_path, ATTACKER_PIN)), "--data-dir", judge_settings.data_dir,
               "--storage", storage]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 2 and "none is set on this desk" in done.stderr, done.stderr
    assert "/etc/desk-app/config.toml" in done.stderr
