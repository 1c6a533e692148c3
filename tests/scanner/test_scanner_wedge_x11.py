"""The keyboard wedge with real X11 key events, in CI: a private Xvfb (`-displayfd`, layouts
us,ru), and tests/scanner/x11_wedge_scenarios.py run against it in a pytest subprocess with
QT_QPA_PLATFORM=xcb (this process's QApplication is offscreen, and Qt cannot switch platforms).
Each scenario of that file is reported here as its own test, with its failure text.

Needs Xvfb, setxkbmap and libXtst (scripts/setup.sh installs them); without them these tests
fail, they are not skipped.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from desk_app.devtools.x11_keys import missing_tools, private_xvfb

SCENARIOS = Path(__file__).with_name("x11_wedge_scenarios.py")
ROOT = Path(__file__).resolve().parents[2]
RUN_TIMEOUT_S = 900  # the whole scenario run, startup included, on a loaded 2-core machine


def scenario_names() -> list[str]:
    tree = ast.parse(SCENARIOS.read_text("utf-8"))
    return [n.name for n in tree.body if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")]


@pytest.fixture(scope="module")
def x11_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, list[tuple[str, str | None]]], str]:
    """Run every scenario once; {function: [(case, failure text or None)]} and the run's output."""
    assert not missing_tools(), f"install {missing_tools()} (scripts/setup.sh) to run the X11 wedge tests"
    junit = tmp_path_factory.mktemp("x11") / "scenarios.xml"
    with private_xvfb("us,ru") as server:
        env = server.env() | {"DESK_X11_SCENARIOS": "1", "PYTHONPATH": os.pathsep.join(
            p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)}
        proc = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=", "--timeout=180",
             f"--junitxml={junit}", str(SCENARIOS)],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT_S,
        )
    output = (proc.stdout + proc.stderr)[-6000:]
    results: dict[str, list[tuple[str, str | None]]] = {}
    if junit.exists():
        for case in ET.parse(junit).getroot().iter("testcase"):
            name = case.get("name", "")
            problem = next((c for c in case if c.tag in ("failure", "error", "skipped")), None)
            text = None if problem is None else f"{problem.tag}: {problem.get('message', '')}\n{problem.text or ''}"
            results.setdefault(name.split("[")[0], []).append((name, text))
    return results, output


@pytest.mark.timeout(RUN_TIMEOUT_S + 60)  # the first one waits for the whole scenario run
@pytest.mark.parametrize("scenario", scenario_names())
def test_wedge_with_real_x11_keys(scenario: str, x11_run: tuple[dict[str, list[tuple[str, str | None]]], str]) -> None:
    results, output = x11_run
    cases = results.get(scenario)
    assert cases, f"{scenario} did not run:\n{output}"
    failed = [f"{name}: {text[-3000:]}" for name, text in cases if text is not None]
    assert not failed, "\n\n".join(failed)
