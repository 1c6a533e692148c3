"""The import contracts in pyproject.toml ([tool.importlinter]) hold: the Qt-free core never
imports PySide6, ui/ never imports sqlite3/requests/lxml/signxml directly, production code does
not import demo or developer tooling (except the demo entry points), packages are layered (no
cycles), and inside visits the backends never import the store that picks them.
scripts/test.sh runs `lint-imports` too; this test makes `pytest` alone enough."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _lint_imports() -> list[str]:
    found = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    return [found] if found else [sys.executable, "-m", "importlinter.cli"]


def test_import_contracts_are_kept() -> None:
    result = subprocess.run(
        [*_lint_imports(), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=240
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "5 kept, 0 broken" in result.stdout
