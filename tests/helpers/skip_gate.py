"""A skip in CI fails the run unless tests/skips_allowed.txt lists it with its reason.

A skipped test looks green in a summary; on a fresh machine a missing tool (xmllint, the
GOST engine, PostgreSQL) used to turn four interop tests into skips that nobody saw. With
`CI` set to a true value (or DESK_FAIL_ON_SKIP=1), every skip whose test id matches no line of
the allowed list is printed under "unlisted skips" and the run's exit status becomes 1.

The list's lines are `<test id glob> | <reason>` (fnmatch against the node id, e.g.
`tests/net/test_net_urls.py::test_plain_http_*`); blank lines and `#` comments are ignored;
a line without a reason is itself an error.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ALLOWED_LIST = Path(__file__).resolve().parents[1] / "skips_allowed.txt"
_TRUE = {"1", "true", "yes", "on"}


def gate_active(env: dict[str, str] | os._Environ[str] = os.environ) -> bool:
    return env.get("CI", "").strip().lower() in _TRUE or env.get("DESK_FAIL_ON_SKIP", "") == "1"


def read_allowed(path: Path) -> list[tuple[str, str]]:
    """The (glob, reason) pairs of an allowed-skips file; ValueError for a line with no reason."""
    entries: list[tuple[str, str]] = []
    for number, raw in enumerate(path.read_text("utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        pattern, _, reason = (part.strip() for part in line.partition("|"))
        if not pattern or not reason:
            raise ValueError(f"{path.name}:{number}: every allowed skip needs '<test id glob> | <reason>'")
        entries.append((pattern, reason))
    return entries


@dataclass(eq=False)  # a plugin must be hashable
class SkipGate:
    """The pytest plugin: collects skips, fails the session on an unlisted one."""

    allowed_path: Path
    active: bool
    skipped: list[tuple[str, str]] = field(default_factory=list)

    def _note(self, report: pytest.CollectReport | pytest.TestReport) -> None:
        if report.skipped and not hasattr(report, "wasxfail"):
            longrepr = report.longrepr
            reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
            self.skipped.append((report.nodeid, reason.removeprefix("Skipped: ")))

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self._note(report)

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        self._note(report)

    def unlisted(self) -> list[tuple[str, str]]:
        allowed = read_allowed(self.allowed_path) if self.allowed_path.exists() else []
        return [(nodeid, reason) for nodeid, reason in self.skipped
                if not any(fnmatch.fnmatchcase(nodeid, pattern) for pattern, _ in allowed)]  # fmt: skip

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self.active and self.unlisted() and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if not self.active:
            return
        unlisted = self.unlisted()
        if unlisted:
            terminalreporter.section("unlisted skips (CI fails on these)", red=True)
            for nodeid, reason in unlisted:
                terminalreporter.line(f"{nodeid}: {reason}")
            terminalreporter.line(f"Install their needs (scripts/setup.sh) or list them in {self.allowed_path.name}.")


def install(config: pytest.Config, allowed_path: Path = ALLOWED_LIST) -> SkipGate:
    gate = SkipGate(allowed_path, gate_active())
    if gate.active and allowed_path.exists():
        read_allowed(allowed_path)  # a malformed list stops the run at once
    config.pluginmanager.register(gate, "desk_skip_gate")
    return gate
