"""Issue 19 item 4: untrusted text is never markup in the window.

A file named `<font color=#1b7f3b size=7>✔ ПОЛИС ДЕЙСТВИТЕЛЕН — ПРИНЯТЬ</font>….pdf` painted a
large green "valid — accept" on the "no QR code" panel. Every label is made by one helper
(desk_app.ui.plain_text) in Qt.PlainText; these tests walk every label of a window that has
shown crafted content, and every QLabel the window's modules build.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QLabel

import desk_app.ui
from desk_app.config import Settings
from desk_app.core.session import ScanFailure
from desk_app.ui.main_window import MainWindow
from tests.helpers.ui import make_window, scan_and_wait

FAKE_ACCEPT = "<font color=#1b7f3b size=7>✔ ПОЛИС ДЕЙСТВИТЕЛЕН — ПРИНЯТЬ</font>….pdf"  # the name
# A file name cannot hold "/": the same markup without the closing tag (Qt needs none).
FAKE_ACCEPT_ON_DISK = "<font color=#1b7f3b size=7>✔ ПОЛИС ДЕЙСТВИТЕЛЕН — ПРИНЯТЬ….pdf"
MARKUP_GREEN = QColor("#1b7f3b").rgb()
STATIC_MARKUP: frozenset[str] = frozenset()  # objectNames of labels allowed to draw our own markup: none


@pytest.fixture
def window(qtbot: Any, judge_settings: Settings, tmp_path: Path) -> Iterator[MainWindow]:
    win = make_window(qtbot, judge_settings.replace(offline=True), tmp_path / "config.toml")
    yield win
    win.shutdown()


def _green_pixels(label: QLabel) -> int:
    image = label.grab().toImage()
    return sum(
        1 for y in range(0, image.height(), 2) for x in range(0, image.width(), 2) if image.pixel(x, y) & 0xFFFFFF
        == MARKUP_GREEN & 0xFFFFFF
    )


def test_a_file_name_with_markup_is_shown_as_its_characters(qtbot: Any, window: MainWindow, tmp_path: Path) -> None:
    pdf = tmp_path / FAKE_ACCEPT_ON_DISK
    Image.new("L", (300, 300), 255).save(pdf, "PDF")  # a real PDF with no code in it
    with qtbot.waitSignal(window.verdict_shown, timeout=20000) as blocker:
        assert window.submit_file(pdf)
    assert blocker.args[0] is None and window.panel.state == "scan_failed"
    subline = window.panel.subline
    assert FAKE_ACCEPT_ON_DISK in subline.text()  # the name, character for character
    assert subline.textFormat() == Qt.TextFormat.PlainText
    assert _green_pixels(subline) == 0  # nothing painted in the markup's green

    window.session.begin_scan()  # the exact name, closing tag and all
    window.session.scan_failed(ScanFailure.NO_CODE, source=FAKE_ACCEPT)
    qtbot.waitUntil(lambda: FAKE_ACCEPT in window.panel.subline.text(), timeout=5000)
    assert _green_pixels(window.panel.subline) == 0


def test_every_label_of_a_window_that_showed_crafted_content_is_plain_text(
    qtbot: Any, window: MainWindow, policy_xml: Any, tmp_path: Path
) -> None:
    markup = "<b><font color=green size=7>ПРИНЯТЬ</font></b>"
    judgement = scan_and_wait(qtbot, window, _form_b(policy_xml(insurer_name=markup, region=markup)))
    assert judgement.verdict.signature == "ok"  # signed data: the Treasury's text, still never markup
    window.session.begin_scan()
    window.session.scan_failed(ScanFailure.NO_CODE, source=FAKE_ACCEPT)
    window.settings_action.trigger()  # a dialog too (no PIN on this desk: where IT sets one)
    qtbot.wait(50)
    labels = [w for w in QApplication.allWidgets() if isinstance(w, QLabel)]
    assert len(labels) > 20
    shown = " ".join(label.text() for label in labels)
    assert markup in shown and FAKE_ACCEPT in shown  # the crafted text reached labels...
    rich = [f"{type(w).__name__} {w.objectName()!r}: {w.text()[:60]!r}" for w in labels
            if w.textFormat() != Qt.TextFormat.PlainText and w.objectName() not in STATIC_MARKUP]  # fmt: skip
    assert rich == []  # ...and every label shows it as characters


def _form_b(xml: bytes) -> str:
    from desk_app.verify.payload import encode_form_b

    return encode_form_b(xml)


def test_the_window_builds_every_label_through_the_one_helper() -> None:
    """No module of the window calls QLabel(...) itself; a QLabel subclass sets plain text."""
    package = Path(desk_app.ui.__file__).parent
    offenders = []
    for path in sorted(package.glob("*.py")):
        if path.name == "plain_text.py":
            continue
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in (
                "QLabel", "QMessageBox"
            ):  # fmt: skip
                offenders.append(f"{path.name}:{node.lineno}")
            if isinstance(node, ast.ClassDef) and any(getattr(b, "id", "") == "QLabel" for b in node.bases):
                if "make_plain" not in ast.unparse(node):
                    offenders.append(f"{path.name}:{node.lineno} (class {node.name})")
    assert offenders == []
