"""The window is no longer the hub: helpers get a typed `DeskContext`, the layout returns a typed
`DeskWidgets`, the session publishes its changes (the view paints them, a new verdict is
announced to health, sounds and the status bar), and no ui module takes a desk object as `Any`."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path
from typing import Any

from desk_app.config import Settings
from desk_app.core.session import DeskSession, ScanKind
from desk_app.ui import desk_layout
from desk_app.ui.desk_context import DeskContext
from desk_app.ui.desk_view import DeskView
from desk_app.ui.identity_panel import IdentityPanel
from desk_app.ui.scan_intake import ScanIntake
from desk_app.ui.verdict_panel import VerdictPanel
from desk_app.ui.visit_actions import VisitActions
from desk_app.ui.visits_panel import RecordPanel, TodayPanel
from tests.helpers.ui import make_window, scan_and_wait, scan_text

UI_DIR = Path(__file__).resolve().parents[2] / "desk_app" / "ui"
# `Any` stays only for values that are not desk objects: a lane job's arguments, result and queue
# items, a settings editor's values, keyword options for a source's opener, the demo's overrides.
GENERIC_ANY = {
    ("tasks.py", "value"), ("tasks.py", "args"), ("tasks.py", "item"), ("tasks.py", "self._queue"),
    ("settings_dialog.py", "value"), ("settings_dialog.py", "value_of()"), ("settings_dialog.py", "changes"),
    ("scanning.py", "options"), ("scanning.py", "source_options"), ("demo.py", "overrides"), ("demo.py", "values"),
}  # fmt: skip


def _names_any(annotation: ast.expr) -> bool:
    """`Any` as the value's type (or a container's item type); a callback's `Callable[..., Any]`
    says nothing of a desk object and is not counted."""
    text = re.sub(r"Callable\[.*\]", "", ast.unparse(annotation))
    return "Any" in re.split(r"[^A-Za-z_]+", text)


def _any_annotations(path: Path) -> list[tuple[str, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.arg | ast.AnnAssign) and node.annotation is not None:
            if _names_any(node.annotation):
                name = node.arg if isinstance(node, ast.arg) else ast.unparse(node.target)
                found.append((path.name, name))
        if isinstance(node, ast.FunctionDef) and node.returns is not None and _names_any(node.returns):
            found.append((path.name, f"{node.name}()"))
    return found


def test_no_ui_module_takes_a_desk_object_as_any() -> None:
    found = {hit for path in sorted(UI_DIR.glob("*.py")) for hit in _any_annotations(path)}
    assert found <= GENERIC_ANY, sorted(found - GENERIC_ANY)


def test_helpers_get_the_typed_desk_not_the_window() -> None:
    for helper in (ScanIntake, VisitActions):
        params = inspect.signature(helper.__init__).parameters
        assert "window" not in params and params["desk"].annotation in ("DeskContext", DeskContext)


def test_the_layout_returns_typed_widgets_that_the_window_declares(qtbot: Any, judge_settings: Settings,
                                                                   tmp_path: Path) -> None:  # fmt: skip
    window = make_window(qtbot, judge_settings, tmp_path / "c.toml")
    widgets = window.widgets
    assert isinstance(widgets, desk_layout.DeskWidgets)
    assert (window.panel, window.record, window.today, window.status) == (
        widgets.panel, widgets.record, widgets.today, widgets.status,
    )  # fmt: skip
    assert window.statusBar() is widgets.status and window.desk.view is window.view
    assert window.desk.settings is window.settings


def test_the_view_says_what_a_scan_waits_for_from_the_session(qtbot: Any, judge_settings: Settings) -> None:
    """No side channel: the scan's kind is the session's, and the view words it."""
    panel, identity, record = VerdictPanel(judge_settings.tz), IdentityPanel(), RecordPanel()
    today = TodayPanel(judge_settings.tz)
    for widget in (panel, identity, record, today):
        qtbot.addWidget(widget)
    session = DeskSession(judge_settings)
    session.subscribe(DeskView(panel, identity, record, today, judge_settings.tz).render)
    for kind, text in ((ScanKind.FILE, "Читаем файл…"), (ScanKind.MANUAL, "Запрашиваем регистр…"),
                       (ScanKind.SEARCH, "Ищем полис в регистре…"), (ScanKind.CODE, "Проверяем полис…")):  # fmt: skip
        session.begin_scan(kind)
        assert panel.headline.text() == text


def test_a_verdict_is_announced_once_through_the_session(qtbot: Any, judge_settings: Settings, tmp_path: Path,
                                                         policy_xml: Any) -> None:  # fmt: skip
    """ScanIntake only hands the result to the session; the announcer (a session listener) tells
    the health, so the status bar knows the registry's state, once per patient."""
    window = make_window(qtbot, judge_settings, tmp_path / "c.toml")
    assert window.health.registry_source is None
    judgement = scan_and_wait(qtbot, window, scan_text(policy_xml()))
    assert window.health.registry_source == judgement.verdict.status_source
    window.session.choose_service(None)  # another change of the same patient: no second announcement
    window.health.registry_source = "sentinel"
    window.session.choose_service(None)
    assert window.health.registry_source == "sentinel"
