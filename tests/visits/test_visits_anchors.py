"""Issue 19 item 3: the audit chain anchored outside the desk's file.

The attack: someone who can write the SQLite file drops the triggers and the unique index,
turns visit 2 into a second billing of patient 1's service, recomputes every hash and restores
the triggers. The chain alone then says "ok"; the anchors in the log and in the daily register
export (the copy billing received) do not match, and `audit verify` and `doctor` say so.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from desk_app import paths
from desk_app.cli.main import main
from desk_app.config import Settings
from desk_app.verify.payload import encode_form_b
from desk_app.visits import VisitLedger
from desk_app.visits.audit import GENESIS_HASH, canonical_json, chain_hash
from desk_app.visits.export import read_csv_register
from tests.helpers.visits import BLOOD_TEST, THERAPIST_FIRST


def _cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _two_visits(capsys, settings: Settings, policy_xml, tmp_path: Path) -> tuple[list[str], Path]:
    policy = tmp_path / "policy.txt"
    policy.write_text(encode_form_b(policy_xml()), "utf-8")
    ledger_file = tmp_path / "ledger.sqlite"
    common = ["--trust-root", settings.trust_root, "--data-dir", settings.data_dir, "--storage", str(ledger_file)]
    for service in (THERAPIST_FIRST, BLOOD_TEST):
        code, _, err = _cli(capsys, "visits", "record", "--service", service, "--doctor", "Петров П. П.",
                            "--reason", "нет связи", *common, str(policy))  # fmt: skip
        assert code == 0, err
    return common, ledger_file


def rewrite_visit_2_as_a_second_billing(ledger_file: Path) -> None:
    """The attack of issue 19, step by step, as someone with write access to the file could."""
    conn = sqlite3.connect(ledger_file, isolation_level=None)
    try:
        triggers = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
        index_sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'visits_once_per_day'").fetchone()[0]
        for name, _sql in triggers:
            conn.execute(f"DROP TRIGGER {name}")
        conn.execute("DROP INDEX visits_once_per_day")
        first = conn.execute("SELECT service_code, service_name FROM visits WHERE id = 1").fetchone()
        conn.execute("UPDATE visits SET service_code = ?, service_name = ? WHERE id = 2", first)
        rows = conn.execute("SELECT seq, entry FROM audit_log ORDER BY seq").fetchall()
        prev = GENESIS_HASH
        for seq, entry in rows:
            content = json.loads(entry)
            if content.get("visit", {}).get("id") == 2:
                content["visit"]["service_code"], content["visit"]["service_name"] = first
            canonical = canonical_json(content)
            digest = chain_hash(prev, canonical)
            conn.execute("UPDATE audit_log SET entry = ?, prev_hash = ?, hash = ? WHERE seq = ?",
                         (canonical, prev, digest, seq))  # fmt: skip
            prev = digest
        conn.execute("UPDATE audit_head SET seq = ?, hash = ?", (len(rows), prev))
        for _name, sql in triggers:
            conn.execute(sql)
    finally:
        conn.close()
    assert index_sql  # (the unique index cannot come back: the day now holds the duplicate)


def test_a_rewritten_and_recomputed_chain_is_caught_by_its_anchors(
    judge_settings, policy_xml, tmp_path: Path, capsys
) -> None:
    common, ledger_file = _two_visits(capsys, judge_settings, policy_xml, tmp_path)
    with VisitLedger.open(f"sqlite:///{ledger_file}") as ledger:
        day = ledger.today().isoformat()
    export = tmp_path / "register.csv"
    assert _cli(capsys, "export", "--date", day, "--output", str(export), *common)[0] == 0
    billing_copy = tmp_path / "billing" / "register.csv"  # what billing received: out of the desk's reach
    billing_copy.parent.mkdir()
    shutil.copy(export, billing_copy)
    assert [r["service_code"] for r in read_csv_register(export.read_bytes())] == [THERAPIST_FIRST, BLOOD_TEST]

    rewrite_visit_2_as_a_second_billing(ledger_file)
    with VisitLedger.open(f"sqlite:///{ledger_file}") as ledger:
        alone = ledger.verify_audit()  # the chain by itself cannot see it ...
        assert alone.ok and "no anchor found" in alone.message
        assert [v.service_code for v in ledger.store.all_visits()] == [THERAPIST_FIRST, THERAPIST_FIRST]

    code, out, err = _cli(capsys, "audit", "verify", *common)  # ... its anchors in the desk's log can
    assert code == 1 and "audit chain broken at entry 2" in err and "rewritten after the anchor" in err, err
    code, out, _ = _cli(capsys, "audit", "verify", "--json", *common)
    report = json.loads(out)
    assert code == 1 and report["ok"] is False and report["first_bad_entry"] == 2 and report["anchors"] == 2

    log_dir = paths.default_log_dir()
    shutil.rmtree(log_dir)  # the desk's user wipes the log too: billing's copy of the register still tells
    code, out, err = _cli(capsys, "audit", "verify", *common)
    assert code == 0 and "no anchor found" in out
    code, _, err = _cli(capsys, "audit", "verify", "--anchor", str(billing_copy), *common)
    assert code == 1 and str(billing_copy) in err and "rewritten after the anchor" in err, err


def test_doctor_checks_the_chain_against_its_anchors(judge_settings, policy_xml, tmp_path: Path, capsys) -> None:
    _common, ledger_file = _two_visits(capsys, judge_settings, policy_xml, tmp_path)
    doctor = ["doctor", "--json", "--offline", "--data-dir", judge_settings.data_dir]
    config = tmp_path / "desk.toml"
    config.write_text(f'[storage]\nurl = "sqlite:///{ledger_file}"\n[trust]\nroot = "{judge_settings.trust_root}"\n',
                      "utf-8")  # fmt: skip
    _code, out, _ = _cli(capsys, *doctor, "--config", str(config))
    audit = next(c for c in json.loads(out)["checks"] if c["check"] == "audit")
    assert audit["level"] == "ok" and audit["details"]["anchors"] == 2 and audit["details"]["entries"] == 2
    rewrite_visit_2_as_a_second_billing(ledger_file)
    _code, out, _ = _cli(capsys, *doctor, "--config", str(config))
    audit = next(c for c in json.loads(out)["checks"] if c["check"] == "audit")
    assert audit["level"] == "error" and "rewritten after the anchor" in audit["message"]
    assert "изменена вне программы" in audit["message_ru"]


def test_every_register_export_carries_the_anchor(judge_settings, policy_xml, tmp_path: Path, capsys) -> None:
    from lxml import etree

    from desk_app.paths import resource
    from desk_app.visits.anchors import anchors_in_file

    common, ledger_file = _two_visits(capsys, judge_settings, policy_xml, tmp_path)
    with VisitLedger.open(f"sqlite:///{ledger_file}") as ledger:
        head = ledger.store.audit_head()
        day = ledger.today().isoformat()
    for fmt in ("csv", "xml"):
        target = tmp_path / f"register.{fmt}"
        assert _cli(capsys, "export", "--date", day, "--format", fmt, "--output", str(target), *common)[0] == 0
        [anchor] = anchors_in_file(target)
        assert (anchor.seq, anchor.head) == head
    doc = etree.parse(str(tmp_path / "register.xml"))
    etree.XMLSchema(etree.parse(str(resource("visit-register.xsd")))).assertValid(doc)


def test_an_anchor_survives_the_logs_masking_of_personal_data() -> None:
    """A hash often holds a run of 10-16 decimal digits, which the log's masking takes for a SNILS,
    a passport or a policy number; the anchor record is left as it is (it holds nothing personal)."""
    import logging

    from desk_app.logging_setup import AUDIT_ANCHOR, MaskingFilter
    from desk_app.visits.anchors import anchor_line, anchors_in_text

    head = "1234567890123456" + "ab" * 24
    line = anchor_line(7, head, "/srv/ledger.sqlite")
    masked = logging.LogRecord("desk_app.visits.service", logging.INFO, __file__, 1, "%s", (line,), None)
    assert MaskingFilter().filter(masked) and anchors_in_text(masked.getMessage(), "log") == []  # what went wrong
    record = logging.LogRecord("desk_app.visits.service", logging.INFO, __file__, 1, "%s", (line,), None)
    setattr(record, AUDIT_ANCHOR, True)
    assert MaskingFilter().filter(record)
    [anchor] = anchors_in_text(record.getMessage(), "log")
    assert (anchor.seq, anchor.head) == (7, head)


@pytest.mark.postgres
def test_a_desk_role_that_does_not_own_the_postgresql_ledger_cannot_rewrite_it(pg_url: str) -> None:
    """The PostgreSQL ledger is the anchor when the desks' role is not its owner (docs/security.md):
    that role records and cancels, but cannot disable the triggers, nor edit or delete the log."""
    import uuid
    from urllib.parse import urlsplit, urlunsplit

    import psycopg
    from psycopg import sql

    from desk_app.visits.postgres_store import DESK_ROLE_GRANTS
    from tests.helpers.visits import make_verdict, moscow

    with VisitLedger.open(pg_url) as owner:  # IT creates the schema as the owner
        owner.record(make_verdict(), service_code=THERAPIST_FIRST, doctor="Петров П. П.", desk_id="desk-1",
                     now=moscow(2026, 3, 2, 9, 0))  # fmt: skip
    role = f"desk_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(role)))
        conn.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
            sql.Identifier(urlsplit(pg_url).path.lstrip("/")), sql.Identifier(role)))  # fmt: skip
        for statement in filter(None, (s.strip() for s in DESK_ROLE_GRANTS.split(";"))):
            conn.execute(sql.SQL(statement.replace("{role}", "{}")).format(sql.Identifier(role)))
    parts = urlsplit(pg_url)
    desk_url = urlunsplit(parts._replace(netloc=f"{role}@{parts.hostname}:{parts.port}"))
    try:
        with VisitLedger.open(desk_url) as desk:
            second = desk.record(make_verdict(), service_code=BLOOD_TEST, doctor="Петров П. П.", desk_id="desk-2",
                                 now=moscow(2026, 3, 2, 9, 5))  # fmt: skip
            assert second.recorded
            assert desk.cancel(second.visit_id, "ошибка регистратора", "admin", now=moscow(2026, 3, 2, 9, 10)).cancelled
            assert desk.verify_audit().ok
        with psycopg.connect(desk_url, autocommit=True) as conn:
            for attack in (
                "ALTER TABLE audit_log DISABLE TRIGGER USER",
                "DROP TRIGGER audit_log_append_only ON audit_log",
                "UPDATE audit_log SET entry = entry WHERE seq = 1",
                "DELETE FROM audit_log WHERE seq = 3",
                "UPDATE visits SET service_code = 'B01.047.001' WHERE id = 2",
                "DROP INDEX visits_once_per_day",
            ):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    conn.execute(attack)
        with VisitLedger.open(pg_url) as owner:
            assert owner.verify_audit().ok and owner.verify_audit().entries == 3
    finally:
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(role)))
            conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))


def test_every_write_also_hands_its_anchor_to_the_system_log(sqlite_url: str, monkeypatch) -> None:
    """On Linux the system log (journald, rsyslog: root-owned files) gets each anchor too; here a
    real datagram socket stands in for /dev/log."""
    import socket
    import tempfile

    from desk_app.visits import anchors
    from tests.helpers.visits import make_verdict, moscow

    folder = Path(tempfile.mkdtemp(prefix="dl-", dir="/tmp"))  # AF_UNIX paths are short
    address = folder / "log"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as server:
        server.bind(str(address))
        server.settimeout(5)
        monkeypatch.setattr(anchors, "SYSLOG_ADDRESS", str(address))
        with VisitLedger.open(sqlite_url) as ledger:
            ledger.record(make_verdict(), service_code=THERAPIST_FIRST, doctor="Петров П. П.", desk_id="desk-1",
                          now=moscow(2026, 3, 2, 9, 0))  # fmt: skip
            head = ledger.store.audit_head()
        datagram = server.recv(4096).decode()
    shutil.rmtree(folder)
    assert datagram.startswith("<14>desk-app-audit: desk-app-audit-anchor seq=1 ")
    [anchor] = anchors.anchors_in_text(datagram, "syslog")
    assert (anchor.seq, anchor.head) == head
    assert not anchors.send_to_system_log("x", str(folder / "none"))  # no socket: nothing, no error
