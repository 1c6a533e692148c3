"""Every user-facing Russian string of the window goes through Qt's translation mechanism, and the
shipped catalogue (resources/i18n) holds every one of them."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from PySide6.QtCore import QTranslator

from desk_app import paths
from desk_app.devtools import i18n_catalogue

UI_DIR = i18n_catalogue.UI_DIR
CYRILLIC = re.compile("[\u0400-\u04ff]")
TRANSLATING_CALLS = {"tr", "translate", "QT_TRANSLATE_NOOP", "QT_TR_NOOP"}


def _call_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def untranslated_russian(source: str, filename: str = "<string>") -> list[str]:
    """Cyrillic string constants that are not the literal argument of tr()/translate()/QT_TRANSLATE_NOOP().

    Docstrings are not shown to users and are skipped; an f-string or a concatenation inside
    tr() is reported too (lupdate extracts only plain literals).
    """
    tree = ast.parse(source, filename)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str) and CYRILLIC.search(node.value)):
            continue
        parent = parents.get(node)
        if isinstance(parent, ast.Expr):  # a docstring or a bare string statement
            continue
        if isinstance(parent, ast.Call) and _call_name(parent.func) in TRANSLATING_CALLS and node in parent.args:
            continue
        found.append(f"{filename}:{node.lineno}: {node.value[:60]!r}")
    return found


def test_the_scan_finds_bypassing_literals() -> None:
    """The checker itself: it must catch each way of bypassing translation, and pass the right ones."""
    bad = '''
label = "Имя стойки"
headers = ("Время", "Врач")
text = f"Поле «{name}»"
joined = self.tr("Первая " + "запись")
shown = widget.setText("Готово")
'''
    assert len(untranslated_russian(bad)) == 7
    good = '''
"""Модуль: docstring по-русски не показывается пользователю."""
a = self.tr("Готово")
b = QCoreApplication.translate("Ctx", "Полис действителен")
c = (QT_TRANSLATE_NOOP("Ctx", "Время"), QT_TRANSLATE_NOOP("Ctx", "Врач"))
log.info("english only %s", value)
'''
    assert untranslated_russian(good) == []


@pytest.mark.parametrize("path", sorted(UI_DIR.glob("*.py")), ids=lambda p: p.name)
def test_no_russian_literal_bypasses_translation(path: Path) -> None:
    assert untranslated_russian(path.read_text("utf-8"), path.name) == []


def test_catalogue_holds_every_string_of_the_sources(tmp_path: Path) -> None:
    """lupdate over today's sources finds nothing the shipped .ts lacks (regenerate with
    `python -m desk_app.devtools.i18n_catalogue`), and the shipped .qm translates every message."""
    if i18n_catalogue.qt_tool("pyside6-lupdate") is None:
        pytest.skip("pyside6-lupdate is not installed")
    fresh = tmp_path / "fresh.ts"
    i18n_catalogue.extract(fresh)
    wanted = set(i18n_catalogue.messages(fresh))
    shipped_ts = paths.resource("i18n", "desk_app_ru.ts")
    shipped = i18n_catalogue.messages(shipped_ts)
    assert len(wanted) > 200
    assert sorted(wanted - set(shipped)) == []  # new strings not in the catalogue
    assert sorted(set(shipped) - wanted) == []  # stale strings nobody uses
    assert all(shipped[key] for key in wanted)  # every Russian text filled in

    translator = QTranslator()
    assert translator.load("desk_app_ru", str(paths.resource("i18n")))
    missing = [key for key in sorted(wanted) if translator.translate(key[0], key[1]) != shipped[key]]
    assert missing == []
    # The strings this change brought under translation are among them.
    for key in [
        ("DeskStatus", "Камера: работает"),
        ("DeskStatus", "Регистр: на связи"),
        ("SettingsDialog", "Имя стойки"),
        ("TodayPanel", "Пациент"),
        ("Desk", "Первая запись: %1 в %2, стойка «%3», врач %4."),
    ]:
        assert translator.translate(*key) == key[1]
