"""Secrets and roles (issue 11 item 9): the token off the command line, token files doctor
checks, and the administrator PIN for senior and admin on every route (one Qt-free check)."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desk_app.cli.main import main
from desk_app.config import Settings, demo_trust_root, load_settings
from desk_app.core import roles
from desk_app.doctor.config_checks import check_token_file
from desk_app.paths import resource
from tests.helpers.admin_cli import pin_file, record_cli
from tests.helpers.machine_cli import machine_cli_command, write_admin_pin
from tests.helpers.registry import TOKEN, running_server

PIN = "2468"


@pytest.fixture
def pin_config(machine_config: Path) -> Path:
    """IT's machine-wide file with the administrator PIN (the only place its hash is read from)."""
    write_admin_pin(machine_config, PIN)
    return machine_config





def _visit_count(capsys, settings: Settings, storage: str) -> int:
    assert main(["visits", "list", "--json", "--data-dir", settings.data_dir, "--storage", storage]) == 0
    return len(json.loads(capsys.readouterr().out))


def test_override_and_cancel_need_the_administrator_pin(judge_settings, policy_file, pin_config, tmp_path, capsys
                                                        ) -> None:  # fmt: skip
    storage = f"sqlite:///{tmp_path / 'ledger.sqlite'}"
    code, out, _ = record_cli(capsys, judge_settings, storage, policy_file)
    assert code == 0
    first = json.loads(out)["visit_id"]
    override = ["--role", "senior", "--override-reason", "второй приём"]
    # No PIN (stdin is not a terminal under pytest): exit 2, one clear line, nothing recorded.
    code, out, err = record_cli(capsys, judge_settings, storage, policy_file, *override)
    assert (code, out) == (2, "")
    assert "needs the administrator PIN" in err and "--pin-file" in err and len(err.strip().splitlines()) == 1
    code, out, err = record_cli(capsys, judge_settings, storage, policy_file, *override,
                             "--pin-file", str(pin_file(tmp_path, "1111")))  # fmt: skip
    assert (code, out) == (2, "") and "PIN is wrong" in err
    assert _visit_count(capsys, judge_settings, storage) == 1
    code, out, _ = record_cli(capsys, judge_settings, storage, policy_file, *override,
                           "--pin-file", str(pin_file(tmp_path, PIN)))  # fmt: skip
    assert code == 0 and json.loads(out)["recorded"] is True
    assert _visit_count(capsys, judge_settings, storage) == 2

    cancel = ["visits", "cancel", str(first), "--reason", "ошибка", "--role", "admin",
              "--data-dir", judge_settings.data_dir, "--storage", storage]  # fmt: skip
    assert main(cancel) == 2
    assert "needs the administrator PIN" in capsys.readouterr().err
    assert main([*cancel, "--pin-file", str(pin_file(tmp_path, PIN))]) == 0
    assert f"cancelled visit {first}" in capsys.readouterr().out


def test_a_desk_without_a_pin_refuses_senior_actions(judge_settings, policy_file, tmp_path, capsys) -> None:
    storage = f"sqlite:///{tmp_path / 'ledger.sqlite'}"
    code, _, err = record_cli(capsys, judge_settings, storage, policy_file, "--role", "admin", "--override-reason",
                           "x" * 5, "--pin-file", str(pin_file(tmp_path, roles.DEMO_PIN)))  # fmt: skip
    assert code == 2 and "none is set on this desk" in err


def test_the_pin_is_asked_on_a_terminal(judge_settings, policy_file, pin_config, tmp_path, capsys) -> None:
    storage = f"sqlite:///{tmp_path / 'ledger.sqlite'}"
    code, out, _ = record_cli(capsys, judge_settings, storage, policy_file)
    assert code == 0
    visit_id = json.loads(out)["visit_id"]
    argv = machine_cli_command(pin_config, "visits", "cancel", str(visit_id), "--reason", "ошибка", "--role",
                               "senior", "--data-dir", judge_settings.data_dir, "--storage", storage)
    pid, master = pty.fork()
    if pid == 0:  # the child: a real terminal on stdin, stdout and stderr
        os.chdir(Path(__file__).parents[2])  # where `tests.helpers` imports from
        os.execv(sys.executable, argv)  # noqa: S606 (our own interpreter, fixed arguments)
    seen = b""
    deadline = time.monotonic() + 60
    while b"Administrator PIN:" not in seen and time.monotonic() < deadline:
        if select.select([master], [], [], 0.5)[0]:
            seen += os.read(master, 1024)
    assert b"Administrator PIN:" in seen
    os.write(master, PIN.encode() + b"\n")
    while time.monotonic() < deadline:
        if select.select([master], [], [], 0.5)[0]:
            try:
                chunk = os.read(master, 1024)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    _, status = os.waitpid(pid, 0)
    os.close(master)
    assert os.waitstatus_to_exitcode(status) == 0, seen
    assert f"cancelled visit {visit_id}".encode() in seen and PIN.encode() not in seen.split(b"PIN:", 1)[1]


def test_window_and_cli_use_one_pin_check() -> None:
    from desk_app.core import session
    from desk_app.ui import settings_dialog

    # the desk session (the window's dialogs and `visits record`) and the settings window use roles
    assert session.check_admin_pin is roles.check_admin_pin
    assert not hasattr(settings_dialog, "hash_pin")  # the window never sets a PIN (issue 19)
    stored = roles.hash_pin(PIN)
    settings = Settings(admin_pin_hash=stored)
    assert roles.authorize("registrar", None, settings) is None
    for role in ("senior", "admin"):
        with pytest.raises(roles.PinRefused) as caught:
            roles.authorize(role, None, settings)
        assert caught.value.problem == "missing"
        assert roles.authorize(role, PIN, settings) is None
    with pytest.raises(roles.PinRefused, match="none is set"):
        roles.authorize("admin", roles.DEMO_PIN, Settings())
    assert roles.authorize("admin", roles.DEMO_PIN, Settings(demo=True)) is None


# --- the registry token ----------------------------------------------------------------------


def test_token_sources_and_their_precedence(tmp_path: Path) -> None:
    config = tmp_path / "desk.toml"
    config.write_text('[registry]\ntoken = "from-config"\n', "utf-8")
    none = tmp_path / "none.toml"
    settings = load_settings(config, machine_file=none, environ={})
    assert (settings.registry_token, settings.token_origin) == ("from-config", f"config:{config}")
    settings = load_settings(config, machine_file=none, environ={"DESK_REGISTRY_TOKEN": "from-env"})
    assert (settings.registry_token, settings.token_origin) == ("from-env", "environment")
    token_file = tmp_path / "token"
    token_file.write_text("from-file\n", "utf-8")
    token_file.chmod(0o600)  # as IT keeps it: a token readable by others is warned about
    by_file = tmp_path / "by-file.toml"
    by_file.write_text(f'[registry]\ntoken_file = "{token_file}"\n', "utf-8")
    settings = load_settings(by_file, machine_file=none, environ={})
    assert (settings.registry_token, settings.token_origin) == ("from-file", f"token-file:{token_file}")
    both = tmp_path / "both.toml"
    both.write_text(f'[registry]\ntoken = "x"\ntoken_file = "{token_file}"\n', "utf-8")
    with pytest.raises(Exception, match="not both"):
        load_settings(both, machine_file=none, environ={})


def test_verify_takes_the_token_from_env_or_file_and_warns_about_the_command_line(tmp_path: Path) -> None:
    policy = resource("demo", "policies", "active.b.txt")
    token_file = tmp_path / "token"
    token_file.write_text(TOKEN + "\n", "utf-8")
    token_file.chmod(0o600)  # a world-readable one gets a warning (tests/core/test_admin_settings.py)
    with running_server(tmp_path, count=0) as server:
        base = [sys.executable, "-m", "desk_app", "verify", "--json", "--data-dir", str(tmp_path / "d"),
                "--trust-root", str(demo_trust_root()), "--registry-url", server.url]  # fmt: skip
        runs = {
            "env": subprocess.run([*base, str(policy)], capture_output=True, text=True, timeout=60,
                                  env={**os.environ, "DESK_REGISTRY_TOKEN": TOKEN}),
            "file": subprocess.run([*base, "--registry-token-file", str(token_file), str(policy)],
                                   capture_output=True, text=True, timeout=60),
            "argv": subprocess.run([*base, "--registry-token", TOKEN, str(policy)],
                                   capture_output=True, text=True, timeout=60),
        }  # fmt: skip
    for name, done in runs.items():
        assert done.returncode == 0, (name, done.stderr)
        verdict = json.loads(done.stdout)
        assert "registry_auth_failed" not in verdict["reasons"], name  # the registry accepted the token
        assert verdict["status_source"] == "online" or verdict["reasons"], name
    assert runs["env"].stderr == "" and runs["file"].stderr == ""
    assert "--registry-token is visible to other users" in runs["argv"].stderr
    assert TOKEN not in runs["argv"].stderr
    assert json.loads(runs["argv"].stdout).keys() == json.loads(runs["file"].stdout).keys()


@pytest.mark.skipif(os.name == "nt", reason="POSIX mode bits; Windows is reported as not checked")
def test_doctor_warns_when_others_can_read_the_token_file(tmp_path: Path) -> None:
    config = tmp_path / "desk.toml"
    config.write_text('[registry]\ntoken = "secret-token"\n', "utf-8")
    config.chmod(0o644)
    settings = load_settings(config, machine_file=tmp_path / "none.toml", environ={})
    result = check_token_file(settings)
    assert result.level == "warning" and "chmod 600" in result.message and "secret-token" not in result.message
    config.chmod(0o600)
    assert check_token_file(settings).level == "ok"
    token_file = tmp_path / "token"
    token_file.write_text("secret-token", "utf-8")
    token_file.chmod(0o604)
    settings = load_settings(overrides={"registry_token": "secret-token", "token_origin": f"token-file:{token_file}"},
                             machine_file=tmp_path / "none.toml", use_user_file=False, environ={})  # fmt: skip
    assert check_token_file(settings).level == "warning"
    argv_settings = load_settings(overrides={"registry_token": "t"}, machine_file=tmp_path / "none.toml",
                                  use_user_file=False, environ={})  # fmt: skip
    assert check_token_file(argv_settings).level == "warning"
    assert "process list" in check_token_file(argv_settings).message
