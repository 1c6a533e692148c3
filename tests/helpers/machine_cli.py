"""The machine-wide config file in tests, in-process and in a subprocess.

Production code has no way to move `desk_app.paths.machine_config_file()` (no environment
variable, no option: docs/security.md). Tests replace the function itself: in-process with
pytest's monkeypatch (tests/conftest.py), and in a subprocess by running the CLI through this
module, which is a test file (never installed with the app):

    python -m tests.helpers.machine_cli MACHINE_FILE -- desk-app arguments...

`machine_cli_command(machine_file, *args)` builds that command line.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desk_app import paths as _paths

REAL_MACHINE_CONFIG_FILE = _paths.machine_config_file  # kept before any test replaces it
TEST_LOG2_N = 10  # the PIN's scrypt in tests: 2^10 (milliseconds); production: desk_app.core.roles


def point_machine_config(target: Path, setattr_: Callable[[Any, str, Any], None]) -> None:
    """Make `desk_app.paths.machine_config_file()` return `target` (setattr_: monkeypatch.setattr,
    or plain setattr in a subprocess)."""
    from desk_app import paths

    setattr_(paths, "machine_config_file", lambda: target)


def cheapen_pin_kdf(setattr_: Callable[[Any, str, Any], None]) -> None:
    from desk_app.core import roles

    if not hasattr(roles, "MIN_COST"):
        return  # an older roles module (running a new test against the old code)
    setattr_(roles, "LOG2_N", TEST_LOG2_N)
    setattr_(roles, "MIN_COST", (1 << TEST_LOG2_N) * roles.BLOCK_SIZE * roles.PARALLELISM)


def write_admin_pin(machine_file: Path, pin: str) -> str:
    """IT's machine-wide file holding the hash of `pin` (at the current cost); returns the hash."""
    from desk_app.core.roles import hash_pin

    stored = hash_pin(pin)
    machine_file.parent.mkdir(parents=True, exist_ok=True)
    machine_file.write_text(f'[ui]\nadmin_pin_hash = "{stored}"\n', encoding="utf-8")
    return stored


def machine_cli_command(machine_file: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "tests.helpers.machine_cli", str(machine_file), "--", *args]


def _run(argv: list[str]) -> int:
    machine_file, separator, *rest = argv
    if separator != "--":
        raise SystemExit("usage: python -m tests.helpers.machine_cli MACHINE_FILE -- ARGS...")
    point_machine_config(Path(machine_file), setattr)
    cheapen_pin_kdf(setattr)
    from desk_app.cli.main import main

    return main(rest)


if __name__ == "__main__":
    sys.exit(_run(sys.argv[1:]))
