"""How each desk state looks: background, text colour, a glyph and a border style.

A decision is never told by colour alone: each state has its own glyph (✓ ! ✕ ↻ …) and its
own border (solid, dashed, double, dotted). Colours: every text at least 4.5:1 against its
background (WCAG AA), and the accept and reject backgrounds stay far apart under a
deuteranopia simulation (checked in tests/ui/test_ui_sight.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget


@dataclass(frozen=True)
class Look:
    background: str
    foreground: str
    glyph: str
    border: str  # a Qt style-sheet border style


INK = "#1a1a1a"
MUTED_TEXT = "#595959"  # placeholders and disabled titles: 7:1 on white, 6.1:1 on #efefef
ACCEPT_GREEN = "#00695c"  # a blue-leaning green: stays apart from red for deuteranopes
REJECT_RED = "#b3121f"
WARN_AMBER = "#f2b01e"

LOOKS: dict[str, Look] = {
    "idle": Look("#e6e8eb", INK, "", "solid"),
    "busy": Look("#cfd8e3", INK, "…", "dotted"),
    "accept": Look(ACCEPT_GREEN, "#ffffff", "✓", "solid"),
    "warn": Look(WARN_AMBER, INK, "!", "dashed"),
    "reject": Look(REJECT_RED, "#ffffff", "✕", "double"),
    "scan_failed": Look("#fbe3c2", INK, "↻", "dotted"),  # a scan that never became a verdict
    "problem": Look(WARN_AMBER, INK, "!", "dashed"),  # the desk cannot judge (no trust root)
    "recorded": Look("#0d47a1", "#ffffff", "✓", "solid"),
    "refused": Look("#6a1b9a", "#ffffff", "✕", "double"),  # the visit was not recorded
}

# Small status texts (record panel, status bar, dialogs), each at least 4.5:1 on white and on
# the window's grey.
LEVEL_TEXT = {"ok": "#00594d", "warn": "#7a4f00", "bad": REJECT_RED, "off": "#4d4d4d"}


def panel_style(name: str, look: Look, width: int = 6) -> str:
    return (
        f"QFrame#{name} {{ background: {look.background}; border: {width}px {look.border} {look.foreground};"
        f" border-radius: 10px; }}"
        f" QFrame#{name} QLabel {{ color: {look.foreground}; background: transparent; border: none; }}"
    )


def readable_palette(base: QPalette) -> QPalette:
    """The palette with placeholders and disabled texts dark enough to read (>= 4.5:1)."""
    palette = QPalette(base)
    muted = QColor(MUTED_TEXT)
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive, QPalette.ColorGroup.Disabled):
        palette.setColor(group, QPalette.ColorRole.PlaceholderText, muted)
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, muted)
    return palette


def apply_readable_palette(widget: QWidget | None = None) -> None:
    """On the application (dialogs too) and, when given, on a window built before it."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        app.setPalette(readable_palette(app.palette()))
    if widget is not None:
        widget.setPalette(readable_palette(widget.palette()))
