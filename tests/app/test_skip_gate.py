"""tests/helpers/skip_gate.py: in CI an unlisted skip fails the run, a listed one does not, and
outside CI a skip is only reported. Each case is a real pytest run in a subprocess."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.skip_gate import read_allowed

ROOT = Path(__file__).resolve().parents[2]

SUITE = """
import pytest

def test_runs():
    assert 1 + 1 == 2

def test_needs_a_tool():
    pytest.skip("the tool is not installed")
"""


def _run(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, allowed: str, ci: str) -> pytest.RunResult:
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    monkeypatch.setenv("CI", ci)
    monkeypatch.delenv("DESK_FAIL_ON_SKIP", raising=False)
    (pytester.path / "allowed.txt").write_text(allowed, "utf-8")
    pytester.makeconftest(
        "from pathlib import Path\n"
        "from tests.helpers import skip_gate\n"
        "def pytest_configure(config):\n"
        "    skip_gate.install(config, Path(__file__).parent / 'allowed.txt')\n"
    )
    pytester.makepyfile(test_suite=SUITE)
    return pytester.runpytest_subprocess("-p", "no:cacheprovider")


def test_an_unlisted_skip_fails_the_ci_run(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    result = _run(pytester, monkeypatch, "# nothing allowed\n", ci="true")
    result.assert_outcomes(passed=1, skipped=1)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*unlisted skips*", "test_suite.py::test_needs_a_tool: the tool is not installed"])


def test_a_listed_skip_passes_the_ci_run(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    result = _run(pytester, monkeypatch, "test_suite.py::test_needs_* | the tool is absent on purpose\n", ci="true")
    result.assert_outcomes(passed=1, skipped=1)
    assert result.ret == pytest.ExitCode.OK
    assert "unlisted skips" not in result.stdout.str()


def test_outside_ci_a_skip_is_only_reported(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    result = _run(pytester, monkeypatch, "", ci="")
    result.assert_outcomes(passed=1, skipped=1)
    assert result.ret == pytest.ExitCode.OK


def test_an_allowed_skip_without_a_reason_is_refused(tmp_path: Path) -> None:
    listed = tmp_path / "allowed.txt"
    listed.write_text("tests/x.py::test_y\n", "utf-8")
    with pytest.raises(ValueError, match="needs '<test id glob> \\| <reason>'"):
        read_allowed(listed)


def test_the_project_list_is_short_and_every_entry_names_a_real_test() -> None:
    entries = read_allowed(ROOT / "tests" / "skips_allowed.txt")
    assert 0 < len(entries) <= 5
    for pattern, reason in entries:
        module = ROOT / pattern.split("::")[0]
        assert module.is_file(), pattern
        assert pattern.split("::")[1].rstrip("*") in module.read_text("utf-8"), pattern
        assert len(reason) > 20
