"""The services catalogue (bundled, replaced by IT, validated) and the daily billing register."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from lxml import etree

from desk_app.config import Settings
from desk_app.paths import resource
from desk_app.visits import CatalogueError, VisitLedger, load_catalogue
from desk_app.visits.catalogue import bundled_catalogue_path, catalogue_path, parse_catalogue
from desk_app.visits.export import CSV_COLUMNS, XML_NAMESPACE, to_csv, to_xml
from tests.helpers.visits import BLOOD_TEST, ENP_B, THERAPIST_FIRST, make_verdict, moscow

DAY = date(2026, 3, 2)


def test_bundled_catalogue_has_the_common_services() -> None:
    cat = load_catalogue(bundled_catalogue_path())
    assert len(cat) >= 40
    expected = {
        "B01.047.001": "Прием (осмотр, консультация) врача-терапевта первичный",
        "B01.047.002": "Прием (осмотр, консультация) врача-терапевта повторный",
        "B01.026.001": "Прием (осмотр, консультация) врача общей практики (семейного врача) первичный",
        "B01.015.002": "Прием (осмотр, консультация) врача-кардиолога повторный",
        "B03.016.003": "Общий (клинический) анализ крови развернутый",
        "A05.10.006": "Регистрация электрокардиограммы",
        "A06.09.007": "Рентгенография легких",
    }
    for code, name in expected.items():
        service = cat.get(code)
        assert service is not None and service.name == name
    assert "B99.000.000" not in cat


def test_a_catalogue_in_the_data_dir_replaces_the_bundled_one(tmp_path: Path) -> None:
    assert catalogue_path(tmp_path) == bundled_catalogue_path()
    local = tmp_path / "services.csv"
    local.write_bytes("\ufeffcode,name\nB01.047.001,Приём терапевта\n".encode())  # Excel's BOM is fine
    assert catalogue_path(tmp_path) == local
    cat = load_catalogue(catalogue_path(tmp_path))
    assert [s.code for s in cat] == ["B01.047.001"] and cat.source == str(local)
    explicit = tmp_path / "other.csv"
    explicit.write_text("code,name\nA09.05.023,Глюкоза\n", encoding="utf-8")
    assert catalogue_path(tmp_path, explicit) == explicit


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "header"),
        (b"kod,nazvanie\nB01.047.001,x\n", "line 1: the header"),
        ("code,name\nB01.047.001,Терапевт\nB1.47.1,Плохой код\n".encode(), r"line 3: 'B1.47.1' is not a nomenclature"),
        ("code,name\nB01.047.001,Терапевт\nB01.047.001,Ещё раз\n".encode(), "line 3: B01.047.001 is already listed"),
        (b"code,name\nB01.047.001,\n", "line 2: service B01.047.001 has no name"),
        (b"code,name\nB01.047.001,a,b\n", "line 2: expected 2 columns"),
        (b"code,name\n\n", "lists no services"),
        ("code,name\nB01.047.001,Терапевт\n".encode("cp1251"), "not UTF-8"),
    ],
)
def test_broken_catalogues_are_refused_naming_the_line(content: bytes, message: str) -> None:
    with pytest.raises(CatalogueError, match=message):
        parse_catalogue(content, "services.csv")


def test_unreadable_catalogue_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match="cannot read services catalogue"):
        load_catalogue(tmp_path / "missing.csv")


def test_ledger_from_settings_uses_the_data_dir_catalogue(tmp_path: Path) -> None:
    (tmp_path / "services.csv").write_text("code,name\nA09.05.023,Исследование уровня глюкозы в крови\n", "utf-8")
    settings = Settings(data_dir=str(tmp_path))
    with VisitLedger.from_settings(settings) as ledger:
        assert ledger.catalogue is not None and "A09.05.023" in ledger.catalogue
        assert "B01.047.001" not in ledger.catalogue
        assert (tmp_path / "visits.sqlite").exists()


@pytest.fixture
def day_ledger(ledger_url: str):
    with VisitLedger.open(ledger_url) as ledger:
        common = {"doctor": "Петров П. П.", "desk_id": "desk-1"}
        ledger.record(make_verdict(), service_code=THERAPIST_FIRST, now=moscow(2026, 3, 2, 9, 30), **common)
        cancelled = ledger.record(make_verdict(), service_code=BLOOD_TEST, now=moscow(2026, 3, 2, 9, 40), **common)
        ledger.cancel(cancelled.visit_id, "ошибка", "admin")
        ledger.record(make_verdict(), service_code=THERAPIST_FIRST, role="senior", override_reason="второй прием",
                      now=moscow(2026, 3, 2, 12, 0), **common)  # fmt: skip
        ledger.record(make_verdict("warn", number=ENP_B), service_code=THERAPIST_FIRST, warn_reason="=HYPERLINK(1)",
                      now=moscow(2026, 3, 2, 23, 50), doctor="-Сидорова", desk_id="desk-2")  # fmt: skip
        ledger.record(make_verdict(), service_code=BLOOD_TEST, now=moscow(2026, 3, 3, 0, 10), **common)  # next day
        yield ledger


def test_csv_register_excludes_cancelled_and_other_days(day_ledger: VisitLedger) -> None:
    data = to_csv(day_ledger.billable_day(DAY), day_ledger.tz)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert list(rows[0].keys()) == list(CSV_COLUMNS)
    assert [(r["service_code"], r["recorded_at"]) for r in rows] == [
        (THERAPIST_FIRST, "2026-03-02T09:30:00+03:00"),
        (THERAPIST_FIRST, "2026-03-02T12:00:00+03:00"),
        (THERAPIST_FIRST, "2026-03-02T23:50:00+03:00"),
    ]
    assert rows[0]["last_name"] == "Иванова" and rows[0]["service_name"].startswith("Прием (осмотр")
    assert rows[1]["override_of"] == rows[0]["visit_id"] and rows[1]["override_reason"] == "второй прием"
    # Typed text that Excel would run as a formula is neutralised.
    assert rows[2]["warn_reason"] == "'=HYPERLINK(1)" and rows[2]["doctor"] == "'-Сидорова"
    assert rows[2]["policy_number"] == ENP_B


def test_empty_day_is_a_header_only_csv(day_ledger: VisitLedger) -> None:
    data = to_csv(day_ledger.billable_day(date(2026, 2, 1)), day_ledger.tz)
    assert data.decode("utf-8-sig") == ",".join(CSV_COLUMNS) + "\r\n"


def test_xml_register_is_well_formed_and_follows_the_schema(day_ledger: VisitLedger) -> None:
    visits = day_ledger.billable_day(DAY)
    data = to_xml(visits, DAY, day_ledger.tz)
    doc = etree.fromstring(data)
    schema = etree.XMLSchema(etree.parse(str(resource("visit-register.xsd"))))
    schema.assertValid(doc)
    ns = {"r": XML_NAMESPACE}
    assert doc.get("Date") == "2026-03-02" and doc.get("Count") == "3" and doc.get("TimeZone") == "Europe/Moscow"
    services = doc.findall("r:Visit/r:Service", ns)
    assert [s.get("Code") for s in services] == [THERAPIST_FIRST] * 3
    assert services[0].text == "Прием (осмотр, консультация) врача-терапевта первичный"
    override = doc.find("r:Visit/r:Override", ns)
    assert override is not None and override.text == "второй прием"
    assert doc.find("r:Visit/r:Patient", ns).get("LastName") == "Иванова"  # type: ignore[union-attr]
    empty = etree.fromstring(to_xml([], date(2026, 2, 1), day_ledger.tz))
    schema.assertValid(empty)
    assert empty.get("Count") == "0" and len(empty) == 0


def test_the_cli_offers_exactly_the_registered_export_formats(capsys: pytest.CaptureFixture[str]) -> None:
    """`export --format` takes its choices from export.FORMATS: a new format is one line there."""
    from desk_app.cli.main import main
    from desk_app.visits.export import FORMATS

    with pytest.raises(SystemExit) as caught:
        main(["export", "--date", "2026-03-02", "--format", "pdf"])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'pdf'" in err
    assert f"(choose from {', '.join(repr(name) for name in FORMATS)})" in err
