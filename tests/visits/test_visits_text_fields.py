"""Typed text fields and hostile stored rows (issue 11 item 6).

The rule (desk_app.text_fields) refuses control and invisible formatting characters at input,
for the ledger (both backends), the CLI and the config; and `export` never fails on what is
stored: rows written straight into SQLite and PostgreSQL, around the app, export as CSV and XML.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path

import pytest
from lxml import etree

from desk_app.cli.main import main
from desk_app.paths import resource
from desk_app.text_fields import clean_text
from desk_app.visits import LedgerTextError, VisitLedger
from desk_app.visits.export import XML_NAMESPACE
from desk_app.visits.model import LedgerUsageError
from tests.helpers.visits import THERAPIST_FIRST, make_verdict, moscow

HOSTILE = {
    "control": "Пе\x01тров",
    "escape": "Петров\x1b[31m",
    "rlo": "Петров\u202eвортеП",
    "isolate": "Петров\u2066x\u2069",
    "zero-width": "Пет\u200bров",
    "bom": "\ufeffПетров",
    "del": "Петров\x7f",
    "c1": "Петров\x85x\x9b",
}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
@pytest.mark.parametrize("field", ["doctor", "desk_id", "warn_reason", "override_reason"])
def test_the_ledger_refuses_control_and_invisible_characters(ledger: VisitLedger, field: str, text: str) -> None:
    fields = {"doctor": "Петров П. П.", "desk_id": "desk-1", "warn_reason": None, "override_reason": None}
    fields[field] = text
    if field == "override_reason":
        ledger.record(make_verdict(), service_code=THERAPIST_FIRST, doctor="Петров", desk_id="desk-1")
    with pytest.raises(LedgerTextError) as caught:
        ledger.record(make_verdict(), service_code=THERAPIST_FIRST, role="senior", **fields)  # type: ignore[arg-type]
    assert caught.value.problem in ("control_character", "invisible_character")
    assert "U+" in str(caught.value) and caught.value.char
    assert isinstance(caught.value, LedgerUsageError)  # existing handlers (CLI exit 2) catch it
    assert len(ledger.list_day(ledger.today())) == (1 if field == "override_reason" else 0)


def test_cancel_reason_follows_the_same_rule(ledger: VisitLedger) -> None:
    done = ledger.record(make_verdict(), service_code=THERAPIST_FIRST, doctor="Петров", desk_id="desk-1")
    with pytest.raises(LedgerTextError):
        ledger.cancel(done.visit_id, "ошибка\u202e", "admin")  # type: ignore[arg-type]
    assert not ledger.get(done.visit_id).cancelled  # type: ignore[arg-type,union-attr]


def test_line_breaks_and_spaces_in_a_reason_are_folded_to_one_line(ledger: VisitLedger) -> None:
    done = ledger.record(make_verdict("warn"), service_code=THERAPIST_FIRST, doctor=" Петров\tП. П. ",
                         desk_id="desk-1", warn_reason="нет связи\r\nс реестром\u2028и\u00a0всё")  # fmt: skip
    stored = ledger.get(done.visit_id)  # type: ignore[arg-type]
    assert stored is not None
    assert stored.warn_reason == "нет связи с реестром и всё" and stored.doctor == "Петров П. П."
    assert clean_text("  \n\t ", "reason") is None


def test_the_cli_refuses_hostile_text_with_one_clear_line(judge_settings, policy_xml, tmp_path, capsys) -> None:
    from desk_app.verify.payload import encode_form_a

    policy = tmp_path / "p.txt"
    policy.write_text(encode_form_a(policy_xml()), "utf-8")
    common = ["visits", "record", "--service", THERAPIST_FIRST, "--reason", "нет связи", "--trust-root",
              judge_settings.trust_root, "--data-dir", judge_settings.data_dir, "--storage",
              f"sqlite:///{tmp_path / 'l.sqlite'}"]  # fmt: skip
    assert main([*common, "--doctor", "Пе\x01тров", str(policy)]) == 2
    err = capsys.readouterr().err
    assert "doctor contains a control character (U+0001)" in err and len(err.strip().splitlines()) == 1
    assert main([*common, "--doctor", "Петров", "--desk", "desk\u202e1", str(policy)]) == 2
    err = capsys.readouterr().err
    assert "'desk.id'" in err and "U+202E" in err


# --- hostile rows written straight into the store ------------------------------------------

STORED = {
    "doctor": "=HYPERLINK(\"http://x\";\"click\")\x01",
    "warn_reason": "+1\u202eгп\x0b",
    "desk_id": "@SUM(A1)\x1f",
    "service_name": "-2+3\x08",
    "last_name": "Ива\x00нова\ufffe",
}


def _write_hostile_rows(url: str) -> None:
    sets = ", ".join(f"{column} = ?" for column in STORED)
    values = list(STORED.values())
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
            conn.execute(f"UPDATE visits SET {sets} WHERE id = 1", values)  # noqa: S608 (constant columns)
            # Bad UTF-8 and a blob where text belongs, as a tool other than the app could write them.
            conn.execute("UPDATE visits SET first_name = CAST(x'ff41fe' AS TEXT), middle_name = x'00ff' WHERE id = 1")
        conn.close()
        return
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        pg_values = [v.replace("\x00", "\\0") for v in values]  # PostgreSQL text cannot hold NUL
        conn.execute(f"UPDATE visits SET {sets.replace('?', '%s')} WHERE id = 1", pg_values)  # noqa: S608


def test_export_never_fails_on_hostile_stored_rows(ledger_url: str, tmp_path: Path, capsys) -> None:
    with VisitLedger.open(ledger_url) as ledger:
        ledger.record(make_verdict("warn"), service_code=THERAPIST_FIRST, doctor="Петров", desk_id="desk-1",
                      warn_reason="ok", now=moscow(2026, 3, 2, 10, 0))  # fmt: skip
    _write_hostile_rows(ledger_url)
    args = ["--storage", ledger_url, "--data-dir", str(tmp_path)]

    assert main(["export", "--date", "2026-03-02", "--format", "xml", "--output", str(tmp_path / "r.xml"), *args]) == 0
    doc = etree.parse(str(tmp_path / "r.xml")).getroot()
    etree.XMLSchema(etree.parse(str(resource("visit-register.xsd")))).assertValid(doc)
    ns = {"r": XML_NAMESPACE}
    assert doc.findtext("r:Visit/r:Doctor", namespaces=ns) == '=HYPERLINK("http://x";"click")\\u0001'
    assert doc.findtext("r:Visit/r:StaffReason", namespaces=ns) == "+1\\u202Eгп\\u000B"
    assert "\\u" in doc.find("r:Visit/r:Patient", ns).get("LastName")  # type: ignore[union-attr,operator]

    assert main(["export", "--date", "2026-03-02", "--format", "csv", "--output", str(tmp_path / "r.csv"), *args]) == 0
    rows = list(csv.DictReader(io.StringIO((tmp_path / "r.csv").read_bytes().decode("utf-8-sig"), newline="")))
    row = rows[0]
    # Nothing Excel would run as a formula, nothing invisible; the stored text is all there, escaped.
    assert row["doctor"] == "'=HYPERLINK(\"http://x\";\"click\")\\u0001"
    assert row["warn_reason"] == "'+1\\u202Eгп\\u000B"
    assert row["desk_id"] == "'@SUM(A1)\\u001F" and row["service_name"] == "'-2+3\\u0008"
    for cell in row.values():
        assert all(ch.isprintable() for ch in cell), cell

    assert main(["visits", "list", "--json", "--date", "2026-03-02", *args]) == 0  # listing survives too
    assert "HYPERLINK" in capsys.readouterr().out


def test_a_stored_time_that_cannot_be_read_is_named_not_a_traceback(sqlite_url: str, tmp_path: Path, capsys) -> None:
    with VisitLedger.open(sqlite_url) as ledger:
        done = ledger.record(make_verdict(), service_code=THERAPIST_FIRST, doctor="Петров", desk_id="desk-1",
                             now=moscow(2026, 3, 2, 10, 0))  # fmt: skip
    with sqlite3.connect(sqlite_url.removeprefix("sqlite:///")) as conn:
        conn.execute("UPDATE visits SET recorded_at = 'yesterday-ish' WHERE id = ?", (done.visit_id,))
    conn.close()
    code = main(["export", "--date", "2026-03-02", "--storage", sqlite_url, "--data-dir", str(tmp_path)])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert f"visit {done.visit_id} holds a time or date that cannot be read" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
