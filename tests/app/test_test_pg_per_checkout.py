"""The test PostgreSQL's port and folder belong to one checkout (scripts/test_pg_env.sh): two
clones on a machine derive different ones, so one run's end never stops another's server,
and DESK_TEST_PG_PORT / DESK_TEST_PG_DIR still override them."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _env_of(checkout: Path, **overrides: str) -> dict[str, str]:
    scripts = checkout / "scripts"
    scripts.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "scripts" / "test_pg_env.sh", scripts)
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESK_TEST_PG_")} | overrides
    out = subprocess.run(["bash", str(scripts / "test_pg_env.sh")], env=env, capture_output=True, text=True,
                         check=True, timeout=30).stdout  # fmt: skip
    return dict(part.split("=", 1) for part in out.split())


def test_two_checkouts_get_their_own_port_and_folder(tmp_path: Path) -> None:
    first, second = _env_of(tmp_path / "one"), _env_of(tmp_path / "two")
    assert first["DESK_TEST_PG_PORT"] != second["DESK_TEST_PG_PORT"]
    assert first["DESK_TEST_PG_DIR"] != second["DESK_TEST_PG_DIR"]
    for env in (first, second):
        assert 55000 <= int(env["DESK_TEST_PG_PORT"]) <= 59999
        assert env["DESK_TEST_PG_DIR"].startswith("/tmp/desk-app-test-pg-")
    assert _env_of(tmp_path / "one") == first  # stable for one checkout


def test_the_overrides_still_win(tmp_path: Path) -> None:
    env = _env_of(tmp_path / "one", DESK_TEST_PG_PORT="54001", DESK_TEST_PG_DIR="/tmp/mine")
    assert env == {"DESK_TEST_PG_PORT": "54001", "DESK_TEST_PG_DIR": "/tmp/mine"}


def test_start_and_stop_use_the_shared_derivation() -> None:
    for script in ("start_test_postgres.sh", "stop_test_postgres.sh"):
        text = (ROOT / "scripts" / script).read_text("utf-8")
        assert 'source "$(dirname "$0")/test_pg_env.sh"' in text
        assert "54329" not in text and "/tmp/desk-app-test-pg}" not in text
