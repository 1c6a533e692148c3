"""A desk with no trust.root outside demo mode judges nothing: the window says so in Russian, in a
red banner and on every verdict, and never falls back to the bundled TEST root."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from desk_app.config import Settings
from desk_app.paths import resource
from desk_app.visits.rules import Refusal
from tests.helpers.ui import make_window, scan_and_wait


@pytest.mark.expect_log_warnings
def test_every_verdict_says_the_trust_root_is_not_configured(qtbot: Any, tmp_path: Path) -> None:
    settings = Settings(data_dir=str(tmp_path / "d"))
    assert settings.trust_root_path is None
    win = make_window(qtbot, settings, tmp_path / "c.toml")
    try:
        assert win.banner.isVisible()
        assert "Корневой сертификат Казначейства не настроен" in win.banner.text()
        qtbot.waitUntil(lambda: win.status.labels["trust"].text() == "Сертификаты: корень не настроен", timeout=5000)
        # a genuine demo policy: with the TEST root it would verify; here nothing is checked
        judgement = scan_and_wait(qtbot, win, resource("demo", "policies", "active.b.txt").read_text("ascii"))
        verdict = judgement.verdict
        assert (verdict.decision, verdict.signature, verdict.reasons) == (
            "warn", "not_applicable", ("trust_root_not_configured",)
        )
        assert win.panel.state == "warn"
        assert win.panel.headline.text() == "Проверка невозможна: не настроен корневой сертификат"
        assert "не настроен корневой сертификат Казначейства" in win.panel.reasons.text()
        assert "введён вручную" not in win.panel.reasons.text().lower()
        assert not win.panel.manual_marker.isVisible()
        assert not win.panel.name.isVisible()  # nothing unsigned is shown
        assert not win.session.may_record and win.session.refusal() is Refusal.NO_POLICY
        # a tampered one is not called invalid either: the desk checked nothing
        tampered = scan_and_wait(qtbot, win, resource("demo", "policies", "tampered.a.txt").read_bytes())
        assert (tampered.verdict.decision, tampered.verdict.signature) == ("warn", "not_applicable")
        # a typed number: the same refusal to judge, the typed values kept
        with qtbot.waitSignal(win.verdict_shown, timeout=15000) as blocker:
            assert win.submit_manual("5000000000000025", date(1971, 8, 2))
        typed = blocker.args[0].verdict
        assert typed.reasons == ("trust_root_not_configured", "manual_entry") and typed.decision == "warn"
        assert win.panel.headline.text() == "Проверка невозможна: не настроен корневой сертификат"
    finally:
        win.shutdown()
    assert not (tmp_path / "d" / "trust").exists()  # the demo trust list was never seeded
