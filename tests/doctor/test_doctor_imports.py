"""doctor runs its checks in parallel threads: every desk_app module a check imports lazily is
imported once, on the calling thread, before the threads start. Two threads importing one module
graph for the first time deadlocked (`_DeadlockError` in desk_app.visits.model) or saw a partially
initialized desk_app.visits.anchors in the frozen Windows build."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

from desk_app.doctor import runner

DOCTOR = Path(runner.__file__).parent


def lazy_desk_imports() -> dict[str, list[str]]:
    """{module: [where]} for every `from desk_app.X import ...` inside a function of desk_app/doctor."""
    found: dict[str, list[str]] = {}
    for path in sorted(DOCTOR.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for func in ast.walk(tree):
            if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(func):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("desk_app."):
                    found.setdefault(node.module, []).append(f"{path.name}:{node.lineno}")
    return found


def test_every_module_a_check_imports_lazily_is_preloaded() -> None:
    lazy = lazy_desk_imports()
    assert "desk_app.visits.anchors" in lazy  # the walk sees the imports at all
    covered = set(runner.PRELOADED) | set(runner.IMPORTED_BY_ONE_CHECK) | {"desk_app.doctor"}
    missing = {module: where for module, where in lazy.items() if module not in covered}
    assert missing == {}, f"lazily imported by a doctor check but not in runner.PRELOADED: {missing}"


def test_the_modules_left_out_are_imported_by_one_check_each() -> None:
    lazy = lazy_desk_imports()
    for module in runner.IMPORTED_BY_ONE_CHECK:
        assert len(lazy.get(module, [])) <= 1, (module, lazy.get(module))


def test_doctor_in_a_fresh_interpreter_runs_every_check_without_an_import_failure(tmp_path: Path) -> None:
    """A fresh process (nothing imported yet), as at a desk: no check fails on an import."""
    done = subprocess.run(
        [sys.executable, "-m", "desk_app", "doctor", "--json", "--offline", "--demo", "--data-dir", str(tmp_path)],
        capture_output=True, text=True, timeout=120, check=False,
    )
    report = json.loads(done.stdout)
    failed = [c for c in report["checks"] if "the check itself failed" in c.get("message", "")]
    assert failed == [], failed
