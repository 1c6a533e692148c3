"""No third-party logger writes policy content, at any level (issue 11 item 4).

A real `desk-app verify` at `logging.level = "DEBUG"` of a real demo policy, with the real
libraries (signxml, lxml, urllib3 against a real registry on 127.0.0.1); then the log file is
read: no name, birth date, full policy number, SNILS, IdentityDigest or its salt is in it.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desk_app.config import Settings, demo_trust_root
from desk_app.logging_setup import setup_logging
from desk_app.paths import resource
from tests.helpers.registry import TOKEN, running_server

POLICY = resource("demo", "policies", "active.b.txt")
SECRETS = [
    "Иванова", "Мария", "Петровна", "1985-03-14", "14.03.1985", "7700000000000016", "112-233-445 95", "11223344595",
    "EREREREREREREREREREREQ==", "/QAMQA/f7hgiIZdy3LMCVAonuMbmj0ZHLkxTnv7eeYE=",
]  # fmt: skip


def test_debug_log_of_a_real_verify_holds_no_policy_content(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    config = tmp_path / "desk.toml"
    config.write_text(f'[logging]\nlevel = "DEBUG"\ndir = "{logs}"\n', "utf-8")
    with running_server(tmp_path, count=0) as server:
        done = subprocess.run(
            [sys.executable, "-m", "desk_app", "verify", "--json", "--config", str(config), "--data-dir",
             str(tmp_path / "d"), "--trust-root", str(demo_trust_root()), "--registry-url", server.url, str(POLICY)],
            capture_output=True, text=True, timeout=60, env={**os.environ, "DESK_REGISTRY_TOKEN": TOKEN},
        )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["signature"] == "ok"  # the whole signature path ran
    text = (logs / "desk-app.log").read_text("utf-8")
    assert "event=judged" in text  # the log was written (before the fix signxml added the whole policy at DEBUG)
    leaked = [s for s in SECRETS if s in text]
    assert not leaked, leaked
    assert TOKEN not in text


@pytest.mark.expect_log_warnings
def test_third_party_debug_and_info_records_are_dropped_whatever_the_app_level(tmp_path: Path) -> None:
    log_file = setup_logging(Settings(log_dir=str(tmp_path), log_level="DEBUG"), console=False)
    assert log_file is not None
    for name in ("signxml", "lxml", "urllib3.connectionpool", "requests", "psycopg", "PySide6", "some.library"):
        logging.getLogger(name).debug("canonical <Policy><LastName>Иванова</LastName> %s", name)
        logging.getLogger(name).info("<BirthDate>1985-03-14</BirthDate> from %s", name)
    logging.getLogger("signxml").warning("could not verify <Policy><Snils>112-233-445 95</Snils></Policy>")
    logging.getLogger("desk_app.x").debug("event=ours ok")
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = log_file.read_text("utf-8")
    assert "event=ours ok" in text
    assert "Иванова" not in text and "1985-03-14" not in text and "112-233-445 95" not in text
    assert "signxml" in text and "<Policy>" not in text  # a warning is kept, its XML content is not
