"""Regenerate the Russian catalogue from the window's sources: `python -m desk_app.devtools.i18n_catalogue`.

pyside6-lupdate extracts every `tr()`, `QCoreApplication.translate()` and `QT_TRANSLATE_NOOP()`
string of desk_app/ui into resources/i18n/desk_app_ru.ts; the source texts are the Russian of
record, so each Russian translation is its source; pyside6-lrelease then builds the .qm that
the app loads. Another language starts from a copy of the .ts with real translations.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from desk_app import paths

UI_DIR = Path(__file__).resolve().parent.parent / "ui"
CATALOGUE = "desk_app_ru"


def qt_tool(name: str) -> str | None:
    """pyside6-lupdate / pyside6-lrelease: next to this Python (a venv) or on PATH."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else shutil.which(name)


def extract(ts_path: Path) -> None:
    """Run lupdate over desk_app/ui into `ts_path` (kept messages keep their translations)."""
    tool = qt_tool("pyside6-lupdate")
    if tool is None:
        raise FileNotFoundError("pyside6-lupdate not found")
    sources = sorted(str(p) for p in UI_DIR.glob("*.py"))
    subprocess.run([tool, *sources, "-no-obsolete", "-ts", str(ts_path)],
                   check=True, capture_output=True)


def messages(ts_path: Path) -> dict[tuple[str, str], str]:
    """{(context, source): translation} of a .ts file."""
    found: dict[tuple[str, str], str] = {}
    for context in ET.parse(ts_path).getroot().iter("context"):  # noqa: S314 - our own catalogue
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            found[(name, message.findtext("source") or "")] = message.findtext("translation") or ""
    return found


def fill_russian(ts_path: Path) -> int:
    """The source language is Russian: every unfinished translation becomes its source. Returns how many."""
    tree = ET.parse(ts_path)  # noqa: S314 - our own catalogue, written by lupdate
    filled = 0
    for message in tree.getroot().iter("message"):
        translation = message.find("translation")
        if translation is None:
            translation = ET.SubElement(message, "translation")
        if translation.get("type") == "unfinished" or not (translation.text or ""):
            translation.text = message.findtext("source") or ""
            translation.attrib.pop("type", None)
            filled += 1
    body = ET.tostring(tree.getroot(), encoding="unicode")
    ts_path.write_text(f"<?xml version='1.0' encoding='utf-8'?>\n<!DOCTYPE TS>\n{body}\n", encoding="utf-8")
    return filled


def release(ts_path: Path, qm_path: Path) -> None:
    tool = qt_tool("pyside6-lrelease")
    if tool is None:
        raise FileNotFoundError("pyside6-lrelease not found")
    subprocess.run([tool, str(ts_path), "-qm", str(qm_path)], check=True, capture_output=True)


def update(folder: Path | None = None) -> tuple[int, int]:
    """Regenerate the .ts and .qm in resources/i18n; returns (messages, newly filled)."""
    folder = folder or paths.resource("i18n")
    ts_path, qm_path = folder / f"{CATALOGUE}.ts", folder / f"{CATALOGUE}.qm"
    extract(ts_path)
    filled = fill_russian(ts_path)
    release(ts_path, qm_path)
    return len(messages(ts_path)), filled


if __name__ == "__main__":
    total, filled = update()
    print(f"{CATALOGUE}: {total} messages, {filled} new")
