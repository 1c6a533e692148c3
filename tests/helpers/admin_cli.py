"""`desk-app visits record` driven in-process with the administrator's PIN, as IT scripts it:
a PIN file kept owner-only (0600) and the command's exit code, stdout and stderr."""

from __future__ import annotations

from pathlib import Path

import pytest

from desk_app.cli.main import main
from desk_app.config import Settings


def pin_file(tmp_path: Path, pin: str) -> Path:
    """A new `--pin-file` holding `pin`, owner-only as IT keeps it; its name never shows the PIN."""
    path = tmp_path / f"pin-{len(list(tmp_path.glob('pin-*')))}.txt"
    path.write_text(pin + "\n", "utf-8")
    path.chmod(0o600)
    return path


def record_cli(
    capsys: pytest.CaptureFixture[str], settings: Settings, storage: str, policy: Path, *extra: str
) -> tuple[int, str, str]:
    """`visits record` of `policy` (a warn verdict needs its reason: one is given) into `storage`."""
    code = main(["visits", "record", "--service", "B01.047.001", "--doctor", "Петров П. П.", "--json",
                 "--reason", "нет связи", "--trust-root", settings.trust_root, "--data-dir", settings.data_dir,
                 "--storage", storage, *extra, str(policy)])  # fmt: skip
    out, err = capsys.readouterr()
    return code, out, err
