"""scripts/start_test_postgres.sh and stop_test_postgres.sh, as scripts/test.sh uses them: the
first start says it started the server (test.sh then stops it on exit, whatever the outcome), a
second start reuses the running server and says so, and stop really stops it. Runs a private
server on its own port and data folder, never the shared one."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reason="no PostgreSQL binaries")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run(script: str, env: dict[str, str]) -> str:
    return subprocess.run(["bash", str(ROOT / "scripts" / script)], env=env, capture_output=True, text=True,
                          check=True, timeout=120).stdout  # fmt: skip


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def test_the_server_started_is_reported_reused_and_stopped() -> None:
    data = tempfile.mkdtemp(prefix="desk-pg-script-", dir="/tmp")  # /tmp: reachable by the postgres user
    port = _free_port()
    env = {**os.environ, "DESK_TEST_PG_PORT": str(port), "DESK_TEST_PG_DIR": data}
    try:
        first = _run("start_test_postgres.sh", env)
        assert f"127.0.0.1:{port}/postgres" in first and "DESK_TEST_PG_STARTED=1" in first
        assert _accepts(port)
        again = _run("start_test_postgres.sh", env)
        assert "DESK_TEST_PG_STARTED=0" in again  # reused: test.sh leaves it running
        _run("stop_test_postgres.sh", env)
        assert not _accepts(port)
        _run("stop_test_postgres.sh", env)  # stopping a stopped server is fine
    finally:
        _run("stop_test_postgres.sh", env)
        shutil.rmtree(data, ignore_errors=True)


def test_the_test_command_stops_only_a_server_it_started() -> None:
    text = (ROOT / "scripts" / "test.sh").read_text("utf-8")
    start = text.index("start_test_postgres.sh")
    trap = text.index("trap 'bash scripts/stop_test_postgres.sh' EXIT")
    assert start < trap and 'if [ "${DESK_TEST_PG_STARTED:-0}" = 1 ]' in text[start:trap]
    assert text.index("lint-imports") > text.index("ruff check")
