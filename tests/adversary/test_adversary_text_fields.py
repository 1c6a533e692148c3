"""Held-out adversary cases for issue 11 item 6: other characters that hide what a reader of the
register sees. Besides the control and format characters the ledger already refuses, Unicode
has blank-looking letters and marks (Hangul fillers, the braille blank, variation selectors, the
combining grapheme joiner, Mongolian free variation selectors, Khmer inherent vowels, the
object replacement character): a doctor "named" U+3164 is an invisible name in the register.
The policy profile refuses the same set in scanned documents (docs/verification.md,
"Characters"); the ledger's input rule now does too, with the same message and exit code."""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path

import pytest

from desk_app.cli.main import main
from desk_app.text_fields import printable
from desk_app.visits import LedgerTextError, VisitLedger
from tests.helpers.visits import THERAPIST_FIRST, make_verdict

BLANK_LOOKING = {
    "hangul-filler": "\u3164",
    "halfwidth-hangul-filler": "Пет\uffa0ров",
    "hangul-choseong-filler": "Петров\u115f",
    "braille-blank": "\u2800",
    "variation-selector": "Петров\ufe0f",
    "grapheme-joiner": "Пет\u034fров",
    "mongolian-fvs": "Пет\u180bров",
    "khmer-inherent-vowel": "Пет\u17b4ров",
    "object-replacement": "Петров\ufffc",
    "variation-selector-supplement": "Петров\U000e0100",
}


@pytest.mark.parametrize("text", BLANK_LOOKING.values(), ids=BLANK_LOOKING.keys())
@pytest.mark.parametrize("field", ["doctor", "desk_id", "warn_reason"])
def test_the_ledger_refuses_blank_looking_characters(ledger: VisitLedger, field: str, text: str) -> None:
    fields = {"doctor": "Петров П. П.", "desk_id": "desk-1", "warn_reason": None}
    fields[field] = text
    with pytest.raises(LedgerTextError) as caught:
        ledger.record(make_verdict(), service_code=THERAPIST_FIRST, **fields)  # type: ignore[arg-type]
    assert caught.value.problem == "invisible_character"
    assert "U+" in str(caught.value) and caught.value.char
    assert ledger.list_day(ledger.today()) == []


def test_the_cli_refuses_an_invisible_doctor_name_with_one_line_and_exit_2(
    judge_settings, policy_xml, tmp_path: Path, capsys
) -> None:
    from desk_app.verify.payload import encode_form_a

    policy = tmp_path / "p.txt"
    policy.write_text(encode_form_a(policy_xml()), "utf-8")
    argv = ["visits", "record", "--service", THERAPIST_FIRST, "--reason", "нет связи", "--trust-root",
            judge_settings.trust_root, "--data-dir", judge_settings.data_dir, "--storage",
            f"sqlite:///{tmp_path / 'l.sqlite'}", "--doctor", "\u3164", str(policy)]  # fmt: skip
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "doctor contains an invisible" in err and "U+3164" in err
    assert len(err.strip().splitlines()) == 1


def test_export_shows_stored_blank_looking_characters_as_escapes(sqlite_url: str, tmp_path: Path, capsys) -> None:
    """Rows written around the app: the register shows that something odd was stored."""
    with VisitLedger.open(sqlite_url, tz="Europe/Moscow") as ledger:
        done = ledger.record(make_verdict(), service_code=THERAPIST_FIRST, doctor="Петров", desk_id="desk-1")
        day = ledger.today()
    path = sqlite_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        triggers = [
            r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name='visits'")
        ]
        for name in triggers:
            db.execute(f"DROP TRIGGER {name}")
        db.execute("UPDATE visits SET doctor = ? WHERE id = ?", ("\u3164", done.visit_id))
    out = tmp_path / "day.csv"
    assert (
        main(["export", "--date", day.isoformat(), "--format", "csv", "--output", str(out), "--storage", sqlite_url])
        == 0
    )
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8-sig"))))
    assert rows[0]["doctor"] == "\\u3164"
    assert printable("Пет\u034fров") == "Пет\\u034Fров"


# list and export select rows by visit_day (a garbled one is simply not that day's); audit reads all.
UNREADABLE_CASES = [
    (command, column)
    for command in ("list", "export", "audit")
    for column in ("recorded_at", "visit_day", "birth_date", "cancelled_at")
    if column != "visit_day" or command == "audit"
]


@pytest.mark.parametrize(("command", "column"), UNREADABLE_CASES)
def test_a_stored_unreadable_time_is_named_by_column_without_echoing_the_stored_value(
    sqlite_url: str, column: str, command: str, capsys
) -> None:
    """A hostile row's value is not written to the terminal (escape sequences) or the log (it may
    be personal data); the message names the visit and the column instead."""
    with VisitLedger.open(sqlite_url, tz="Europe/Moscow") as ledger:
        done = ledger.record(make_verdict(), service_code=THERAPIST_FIRST, doctor="Петров", desk_id="desk-1")
        day = ledger.today()
    hostile = "\x1b]0;PWNED\x07\x1b[2J1985-03-14 Иванова " + "9" * 300
    with sqlite3.connect(sqlite_url.removeprefix("sqlite:///")) as db:
        for (trigger,) in db.execute("SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name='visits'"):
            db.execute(f"DROP TRIGGER {trigger}")
        db.execute(f"UPDATE visits SET {column} = ? WHERE id = ?", (hostile, done.visit_id))  # noqa: S608
    argv = {
        "list": ["visits", "list", "--date", day.isoformat()],
        "export": ["export", "--date", day.isoformat(), "--format", "xml"],
        "audit": ["audit", "verify"],
    }[command]
    assert main([*argv, "--storage", sqlite_url]) == 2
    err = capsys.readouterr().err
    assert f"visit {done.visit_id} holds a time or date that cannot be read (column {column})" in err
    assert "\x1b" not in err and "Иванова" not in err and "999" not in err
    assert len(err.strip().splitlines()) == 1
