"""The one way the window shows text: as plain text, never as markup.

A QLabel in its default AutoText mode draws anything that looks like HTML as rich text, so a
file named `<font color=#1b7f3b size=7>✔ ПОЛИС ДЕЙСТВИТЕЛЕН — ПРИНЯТЬ….pdf` painted a large green
"valid — accept" on the "no QR code" panel (issue 19). Every label of the window is made here,
in `Qt.PlainText`: file names, policy fields, doctors' names, reasons, errors and our own
messages alike. tests/ui/test_ui_plain_text.py walks every label of a window that has shown
crafted content, and checks that no module builds a QLabel any other way.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget


def plain_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A QLabel that shows `text` (and whatever is set later) literally."""
    label = QLabel(parent)
    make_plain(label)
    label.setText(text)
    return label


def plain_message_box(icon: QMessageBox.Icon, title: str, text: str, parent: QWidget | None = None) -> QMessageBox:
    """A message box whose text is shown literally (it may quote an error or a file name)."""
    box = QMessageBox(parent)
    box.setIcon(icon)
    box.setWindowTitle(title)
    make_plain(box)
    box.setText(text)
    return box


def make_plain(widget: QLabel | QMessageBox) -> None:
    """Switch an existing label (a QLabel subclass) or message box to plain text."""
    widget.setTextFormat(Qt.TextFormat.PlainText)
