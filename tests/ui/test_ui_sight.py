"""Keyboard and sight on the real window: a Tab order with no traps, a glyph and a border with
each decision (not colour alone), contrast of at least 4.5:1 for every text (computed from the
colours the window really uses), a green and a red that stay apart for deuteranopes (Machado
et al. 2009 simulation), and no clipped text at 1280×800 with a verdict full of reasons."""

from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QWidget

from desk_app.config import Settings
from desk_app.ui import identity_panel, status_bar, theme
from desk_app.ui.main_window import MainWindow
from desk_app.verify import verdict as v
from tests.helpers.ui import make_window, scan_and_wait, scan_text

# Machado, Oliveira & Fernandes (2009), deuteranopia at severity 1.0, on linear RGB.
DEUTERANOPIA = ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881))


def _linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _srgb(c: float) -> float:
    c = min(1.0, max(0.0, c))
    return 12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055


def _rgb(colour: str | QColor) -> tuple[float, float, float]:
    q = QColor(colour)
    return q.redF(), q.greenF(), q.blueF()


def luminance(colour: str | QColor) -> float:
    r, g, b = (_linear(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str | QColor, b: str | QColor) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def simulate_deuteranopia(colour: str) -> tuple[float, float, float]:
    lin = [_linear(c) for c in _rgb(colour)]
    out = [sum(m * c for m, c in zip(row, lin, strict=True)) for row in DEUTERANOPIA]
    return tuple(_srgb(c) for c in out)  # type: ignore[return-value]


def _lab(rgb: tuple[float, float, float]) -> tuple[float, float, float]:
    r, g, b = (_linear(c) for c in rgb)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def delta_e(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    return sum((p - q) ** 2 for p, q in zip(_lab(a), _lab(b), strict=True)) ** 0.5


@pytest.fixture
def window(qtbot: Any, judge_settings: Settings, tmp_path: Path) -> Iterator[MainWindow]:
    win = make_window(qtbot, judge_settings, tmp_path / "config.toml")
    yield win
    win.shutdown()


def test_the_contrast_helper_is_right() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_each_decision_has_its_own_glyph_and_border_not_only_a_colour() -> None:
    looks = {k: theme.LOOKS[k] for k in ("accept", "warn", "reject", "recorded", "refused", "scan_failed")}
    decisions = [looks[k] for k in ("accept", "warn", "reject")]
    assert len({look.glyph for look in decisions}) == 3 and all(look.glyph for look in decisions)
    assert len({look.border for look in decisions}) == 3
    # a refusal never looks like "go": another glyph and border than accept
    assert looks["refused"].glyph != looks["accept"].glyph and looks["refused"].border != looks["accept"].border
    assert looks["scan_failed"].glyph not in {look.glyph for look in decisions}


def test_every_state_text_has_contrast_of_at_least_4_5() -> None:
    for name, look in theme.LOOKS.items():
        assert contrast(look.foreground, look.background) >= 4.5, name
    for kind, (background, foreground, _mark) in identity_panel.RESULT_STYLE.items():
        if background != "transparent":
            assert contrast(foreground, background) >= 4.5, kind


def test_green_and_red_stay_apart_for_deuteranopes() -> None:
    green, red = (simulate_deuteranopia(theme.LOOKS[k].background) for k in ("accept", "reject"))
    # the issue measured #665d30 vs #726516 (ΔE ≈ 17) for the old pair; now far apart
    assert delta_e(green, red) > 40
    assert delta_e(simulate_deuteranopia("#1b6e2a"), simulate_deuteranopia("#b3121f")) < 20  # the old pair


def test_small_texts_placeholders_and_disabled_titles_are_readable(window: MainWindow) -> None:
    palette = window.palette()
    window_bg = palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.Window)
    base = palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.Base)
    for level, style in status_bar.LEVEL_STYLE.items():
        colour = re.search(r"#[0-9a-fA-F]{6}", style)
        assert colour is not None
        assert contrast(colour.group(0), window_bg) >= 4.5, level
        assert contrast(colour.group(0), "#ffffff") >= 4.5, level
    edits = window.findChildren(QLineEdit)
    assert len(edits) >= 4
    for edit in edits:
        placeholder = edit.palette().color(QPalette.ColorGroup.Active, QPalette.ColorRole.PlaceholderText)
        assert contrast(placeholder, edit.palette().color(QPalette.ColorRole.Base)) >= 4.5, edit.objectName()
    # the identity panel is disabled until a policy is scanned: its title is still readable
    assert not window.identity.isEnabled()
    disabled = window.identity.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText)
    assert contrast(disabled, window_bg) >= 4.5
    assert contrast(disabled, base) >= 4.5


def test_tab_never_traps_the_focus(qtbot: Any, window: MainWindow, policy_xml: Any) -> None:
    scan_and_wait(qtbot, window, scan_text(policy_xml()))  # everything enabled
    window.activateWindow()
    window.today.table.setFocus(Qt.FocusReason.TabFocusReason)
    assert QApplication.focusWidget() is window.today.table
    qtbot.keyClick(window.today.table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not window.today.table  # Tab leaves the table
    window.today.table.setFocus(Qt.FocusReason.BacktabFocusReason)
    qtbot.keyClick(window.today.table, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is window.today.cancel_button
    # a full round from the passport field comes back to it, visiting every stop once
    window.identity.passport.setFocus(Qt.FocusReason.TabFocusReason)
    seen: list[QWidget] = []
    for _ in range(40):
        focus = QApplication.focusWidget()
        assert focus is not None
        if seen and focus is window.identity.passport:
            break
        seen.append(focus)
        qtbot.keyClick(focus, Qt.Key.Key_Tab)
    else:
        pytest.fail(f"Tab never came back to the passport field: {[w.objectName() for w in seen]}")
    assert len(seen) == len(set(seen))
    for stop in (window.record.services.filter, window.record.doctor, window.record.record_button,
                 window.today.search, window.today.cancel_button, window.today.table):  # fmt: skip
        assert stop in seen


def test_no_clipping_at_1280x800_with_three_reasons(qtbot: Any, window: MainWindow, policy_xml: Any) -> None:
    judgement = scan_and_wait(qtbot, window, scan_text(policy_xml()))  # no registry here: warn
    verdict = dataclasses.replace(
        judgement.verdict, reasons=(v.REGISTRY_ERROR, v.STATUS_CACHE_OLD, v.CRL_STALE), status_source="cache"
    )
    window.resize(1280, 800)
    window.panel.show_verdict(verdict, judgement.details)
    qtbot.waitUntil(lambda: window.size().height() == 800, timeout=2000)
    QApplication.processEvents()
    assert len(window.panel.reasons.text().splitlines()) >= 3
    labels = [label for label in window.panel.findChildren(QLabel) if label.isVisibleTo(window.panel)]
    assert len(labels) >= 12
    for label in labels:
        top_left = label.mapTo(window.panel, label.rect().topLeft())
        bottom = top_left.y() + label.height()
        assert bottom <= window.panel.height(), f"{label.text()[:40]!r} runs off the panel"
        if label.wordWrap():
            needed = label.heightForWidth(label.width())
            assert needed <= label.height(), f"{label.text()[:40]!r} needs {needed} px, has {label.height()}"
        else:
            hint = label.sizeHint()
            assert hint.width() <= label.width() and hint.height() <= label.height(), label.text()[:40]


# Machado, Oliveira & Fernandes (2009), protanopia at severity 1.0, on linear RGB.
PROTANOPIA = ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998))


def _simulated_image(widget: QWidget, matrix: tuple[tuple[float, ...], ...]) -> Any:
    """The widget as painted, seen through a colour-vision simulation: an H x W x 3 sRGB array."""
    import numpy as np

    image = widget.grab().toImage().convertToFormat(widget.grab().toImage().Format.Format_RGB888)
    width, height = image.width(), image.height()
    rows = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(height, image.bytesPerLine())
    srgb = rows[:, : width * 3].reshape(height, width, 3).astype(np.float64) / 255.0
    lin = np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)
    seen = np.clip(lin @ np.array(matrix).T, 0.0, 1.0)
    return np.where(seen <= 0.0031308, 12.92 * seen, 1.055 * seen ** (1 / 2.4) - 0.055)


def _border_lines(seen: Any) -> int:
    """How many separate lines the panel's left border draws, read across it at mid-height on the
    simulated image (by lightness: the border is drawn in the text colour)."""
    row = seen[seen.shape[0] // 2, :24].mean(axis=1)
    inside = row[20]  # the background, past the border
    light = [abs(value - inside) > 0.25 for value in row[:20]]
    return sum(1 for i, on in enumerate(light) if on and (i == 0 or not light[i - 1]))


@pytest.mark.parametrize("matrix", [DEUTERANOPIA, PROTANOPIA], ids=["deuteranopia", "protanopia"])
def test_recorded_and_refused_differ_without_colour(qtbot: Any, window: MainWindow, matrix: Any) -> None:
    """«Приём записан» (blue) and a refused record (violet) become nearly the same blue for
    deuteranopes and protanopes: the glyph and the border tell them apart (one solid line against
    a double one), checked on the painted panel seen through the simulation."""
    window.resize(1280, 800)
    seen: dict[str, Any] = {}
    for state in ("recorded", "refused"):
        window.panel.show_message(state, "Приём записан" if state == "recorded" else "Услуга уже записана сегодня.", "")
        QApplication.processEvents()
        seen[state] = _simulated_image(window.panel, matrix)
        seen[state + "_glyph"] = window.panel.glyph.text()
    backgrounds = [tuple(seen[s][seen[s].shape[0] // 2, 40]) for s in ("recorded", "refused")]
    assert delta_e(backgrounds[0], backgrounds[1]) < 25  # by colour alone they are hard to tell apart
    assert seen["recorded_glyph"] == "✓" and seen["refused_glyph"] == "✕"
    assert _border_lines(seen["recorded"]) == 1 and _border_lines(seen["refused"]) == 2


def test_service_names_are_whole_at_1280x800(qtbot: Any, window: MainWindow) -> None:
    """Every service in the list shows its code and its whole name, «первичный» / «повторный» at
    its end included: nothing is cut off or elided."""
    window.resize(1280, 800)
    qtbot.waitUntil(lambda: window.size().height() == 800, timeout=2000)
    services = window.record.services.list
    QApplication.processEvents()
    assert services.count() > 10
    width = services.viewport().width()
    kinds = 0
    for row in range(services.count()):
        item = services.item(row)
        text = item.text()
        kinds += "первичный" in text or "повторный" in text
        rect = services.visualItemRect(item)
        needed = services.fontMetrics().boundingRect(0, 0, rect.width() - 4, 10000, Qt.TextFlag.TextWordWrap, text)
        assert rect.width() <= width and needed.height() <= rect.height(), f"{text!r} is cut off"
    assert kinds > 10


def test_five_of_todays_visits_show_at_1280x800(qtbot: Any, window: MainWindow) -> None:
    from datetime import UTC, date, datetime

    from desk_app.visits.model import Visit

    visits = [
        Visit(policy_number=f"77000000000000{n:02d}", last_name=f"Иванова{n}", first_name="Мария",
              middle_name="Петровна", birth_date=date(1985, 3, 14), service_code="B01.001.001",
              service_name="Прием (осмотр, консультация) врача-акушера-гинеколога первичный", doctor="Петров П. П.",
              desk_id="desk-1", recorded_at=datetime(2026, 12, 6, 9, n, tzinfo=UTC), visit_day=date(2026, 12, 6),
              decision="accept", signature="ok", status="active", status_source="online", id=n)
        for n in range(1, 8)
    ]  # fmt: skip
    window.resize(1280, 800)
    qtbot.waitUntil(lambda: window.size().height() == 800, timeout=2000)
    window.today.set_visits(visits)
    table = window.today.table

    def fully_shown() -> list[int]:
        return [r for r in range(table.rowCount())
                if 0 <= table.rowViewportPosition(r)
                and table.rowViewportPosition(r) + table.rowHeight(r) <= table.viewport().height()]

    # The layout settles over a few posted events (a loaded machine may need more than one round).
    deadline = time.monotonic() + 3.0
    while len(fully_shown()) < 5 and time.monotonic() < deadline:
        qtbot.wait(20)
    assert len(fully_shown()) >= 5, f"{len(fully_shown())} rows of today's visits show"
