"""The real window on a GOST Treasury: a genuine GOST policy is green, and a policy carrying a
certificate nobody can read is red with the spec's reason, never "Внутренняя ошибка проверки"
(issue 11 item 1: before the certificate model, the worker raised and the window showed it)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QColor

from desk_app.config import Settings
from desk_app.ui.main_window import MainWindow
from desk_app.ui.verdict_panel import COLOURS
from tests.helpers.certificates import DEFECTS, crafted_certificates
from tests.helpers.ui import TOKEN, make_window, panel_colour, reference_registry, scan_and_wait, scan_text
from tests.helpers.verify_cli import with_embedded_certificate

GREEN, RED = QColor(COLOURS["accept"][0]), QColor(COLOURS["reject"][0])


@pytest.fixture(scope="module")
def treasury(gost_treasury):
    """Overrides conftest's: the window pins the GOST Treasury."""
    return gost_treasury


@pytest.fixture
def window(qtbot: Any, judge_settings: Settings, tmp_path: Path) -> Iterator[MainWindow]:
    with reference_registry(tmp_path) as registry:
        settings = judge_settings.replace(
            registry_url=registry.url, registry_token=TOKEN, registry_timeout=1.0, registry_connect_timeout=0.5
        )
        win = make_window(qtbot, settings, tmp_path / "config.toml")
        try:
            yield win
        finally:
            win.shutdown()


def test_gost_policies_and_unreadable_certificates_in_the_window(
    qtbot: Any, window: MainWindow, treasury, policy_xml: Any
) -> None:
    genuine = policy_xml()
    judgement = scan_and_wait(qtbot, window, scan_text(genuine))
    assert (judgement.verdict.decision, judgement.verdict.signature) == ("accept", "ok")
    assert window.panel.headline.text() == "Полис действителен"
    assert panel_colour(window).rgb() == GREEN.rgb()

    for defect, der in crafted_certificates(treasury).items():
        judgement = scan_and_wait(qtbot, window, scan_text(with_embedded_certificate(genuine, der)))
        assert judgement is not None, f"{defect}: the window showed an internal error"
        assert (judgement.verdict.decision, judgement.verdict.signature) == ("reject", "malformed"), defect
        assert window.panel.headline.text() == "Это не электронный полис ОМС или QR-код повреждён"
        assert panel_colour(window).rgb() == RED.rgb()
    assert len(DEFECTS) == 5
