"""qutebrowser's log-fail (tests/helpers/logfail.py there): a WARNING or worse logged during a
test fails it, unless the test says it expects one.

A test that provokes a warning on purpose (a full lane, a dying thread, a hostile server) marks
itself `@pytest.mark.expect_log_warnings` — or asserts on the records itself through `caplog`,
which also switches this check off. Everything else that warns is a finding: a path the user
may never hear about.

tests/windows/ (run under Wine's Python by scripts/package_windows.sh) is held to it too.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
def _fail_on_unexpected_log_warnings(request: pytest.FixtureRequest) -> Iterator[None]:
    collector = _Collector()
    root = logging.getLogger()
    root.addHandler(collector)
    try:
        yield
    finally:
        root.removeHandler(collector)
    if not collector.records or "caplog" in request.fixturenames:
        return
    if request.node.get_closest_marker("expect_log_warnings") is not None:
        return
    lines = [f"{r.levelname} {r.name}: {r.getMessage()}"[:300] for r in collector.records[:5]]
    pytest.fail(
        "unexpected WARNING or worse logged (mark the test expect_log_warnings if it provokes it):\n"
        + "\n".join(lines),
        pytrace=False,
    )
