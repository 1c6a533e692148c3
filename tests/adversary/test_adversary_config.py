"""Held-out adversary cases for `--config` pointing at a hostile TOML file (and the token file):
every one a clear one-line error and exit 2, never a traceback, an endless read, or a wait
without a bound (a timeout of `inf`, `nan` or 1e308 is no bound)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from desk_app.paths import resource

ACTIVE = resource("demo", "policies", "active.b.txt")

HOSTILE_TOML = {
    "timeout-inf": "[registry]\ntimeout = inf\n",
    "timeout-1e400": "[registry]\ntimeout = 1e400\n",
    "timeout-nan": "[registry]\ntimeout = nan\n",
    "connect-timeout-1e308": "[registry]\nconnect_timeout = 1e308\n",
    "trust-timeout-huge-int": "[trust]\ntimeout = 99999999999999999999999999999\n",
    "refresh-hours-inf": "[trust]\nrefresh_hours = inf\n",
    "sync-minutes-nan": "[registry]\nsync_minutes = nan\n",
    "deeply-nested-array": "[registry]\nx = " + "[" * 5000 + "]" * 5000 + "\n",
    "deeply-nested-table": "x = " + "{a = " * 3000 + "1" + "}" * 3000 + "\n",
}


def desk_app(*args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "desk_app", *args], capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL, env={**os.environ, "PYTHONUTF8": "1"})  # fmt: skip


def _assert_one_line_error(done: subprocess.CompletedProcess[str], path: Path) -> None:
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("desk-app: error: ") and str(path) in lines[0], lines


@pytest.mark.parametrize("name", sorted(HOSTILE_TOML))
def test_verify_refuses_a_hostile_config_with_one_line(name: str, tmp_path: Path) -> None:
    config = tmp_path / "desk.toml"
    config.write_text(HOSTILE_TOML[name], "utf-8")
    done = desk_app("verify", "--json", "--offline", "--config", str(config), "--data-dir", str(tmp_path / "d"),
                    str(ACTIVE))  # fmt: skip
    _assert_one_line_error(done, config)


@pytest.mark.parametrize("name", ["connect-timeout-1e308", "timeout-inf", "deeply-nested-array"])
def test_doctor_refuses_a_hostile_config_without_a_traceback(name: str, tmp_path: Path) -> None:
    config = tmp_path / "desk.toml"
    config.write_text(HOSTILE_TOML[name], "utf-8")
    done = desk_app("doctor", "--config", str(config), "--data-dir", str(tmp_path / "d"))
    assert "Traceback" not in done.stdout + done.stderr
    assert done.returncode == 2
    assert str(config) in done.stdout + done.stderr


def _endless(tmp_path: Path) -> dict[str, Path]:
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)  # no writer: opening it for reading would wait for ever
    zero = tmp_path / "zero.toml"
    zero.symlink_to("/dev/zero")  # reading it never ends
    return {"fifo": fifo, "dev-zero": zero}


@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_a_config_that_is_not_a_regular_file_is_refused_at_once(kind: str, tmp_path: Path) -> None:
    path = _endless(tmp_path)[kind]
    done = desk_app("verify", "--json", "--offline", "--config", str(path), "--data-dir", str(tmp_path / "d"),
                    str(ACTIVE), timeout=20)  # fmt: skip
    _assert_one_line_error(done, path)
    assert "not a regular file" in done.stderr


@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_a_token_file_that_is_not_a_regular_file_is_refused_at_once(kind: str, tmp_path: Path) -> None:
    path = _endless(tmp_path)[kind]
    done = desk_app("verify", "--json", "--offline", "--registry-token-file", str(path), "--data-dir",
                    str(tmp_path / "d"), str(ACTIVE), timeout=20)  # fmt: skip
    _assert_one_line_error(done, path)
    assert "not a regular file" in done.stderr


def test_a_huge_sparse_config_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    config = tmp_path / "desk.toml"
    with config.open("wb") as fh:
        fh.truncate(1024 * 1024 * 1024)  # 1 GiB of nothing on disk
    done = desk_app("verify", "--json", "--offline", "--config", str(config), "--data-dir", str(tmp_path / "d"),
                    str(ACTIVE), timeout=20)  # fmt: skip
    _assert_one_line_error(done, config)
    assert "too large" in done.stderr
