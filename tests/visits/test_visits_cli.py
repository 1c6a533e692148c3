"""`desk-app visits record|list|cancel`, `export`, `audit verify`: the command-line contract."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from desk_app.cli.main import main
from desk_app.config import Settings
from desk_app.core.session import DeskSession
from desk_app.verify.payload import encode_form_a
from desk_app.visits.export import read_csv_register
from desk_app.visits.rules import REFUSAL_MESSAGE, Refusal

RESULT_KEYS = ["recorded", "visit_id", "duplicate_of", "refused_because", "verdict"]
TOKEN = "test-token-visits"


ADMIN_PIN = "2468"


def base_args(settings: Settings, storage: str) -> list[str]:
    return ["--trust-root", settings.trust_root, "--data-dir", settings.data_dir, "--storage", storage]


@pytest.fixture
def admin_args(tmp_path: Path, machine_config: Path) -> list[str]:
    """IT's machine-wide file with an administrator PIN set, and a PIN file: what senior and admin need."""
    from tests.helpers.machine_cli import write_admin_pin

    write_admin_pin(machine_config, ADMIN_PIN)
    pin_file = tmp_path / "pin.txt"
    pin_file.write_text(ADMIN_PIN + "\n", "utf-8")
    pin_file.chmod(0o600)
    return ["--pin-file", str(pin_file)]


@pytest.fixture
def storage(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'ledger.sqlite'}"


@pytest.fixture
def policy_file(policy_xml, tmp_path: Path) -> Path:
    path = tmp_path / "active.txt"
    path.write_text(encode_form_a(policy_xml()), encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def record(capsys, settings: Settings, storage: str, policy: Path, *extra: str) -> tuple[int, dict]:
    code, out, err = run(capsys, "visits", "record", "--service", "B01.047.001", "--doctor", "Петров П. П.",
                         "--json", *extra, *base_args(settings, storage), str(policy))  # fmt: skip
    assert err == ""
    return code, json.loads(out)


def test_warn_needs_reason_then_records_then_refuses_duplicate(
    judge_settings, storage, policy_file, admin_args, capsys
) -> None:
    code, refused = record(capsys, judge_settings, storage, policy_file)
    assert code == 1 and list(refused) == RESULT_KEYS
    assert refused["recorded"] is False and refused["refused_because"] == "warn_needs_reason"
    assert refused["visit_id"] is None and refused["duplicate_of"] is None
    # The verdict is exactly what `verify --json` prints for the same input.
    assert main(["verify", "--json", "--trust-root", judge_settings.trust_root, "--data-dir",
                 judge_settings.data_dir, str(policy_file)]) == 0  # fmt: skip
    assert refused["verdict"] == json.loads(capsys.readouterr().out)
    assert refused["verdict"]["decision"] == "warn" and refused["verdict"]["input"] == str(policy_file)

    code, ok = record(capsys, judge_settings, storage, policy_file, "--reason", "реестр недоступен", "--desk", "desk-1")
    assert code == 0 and ok["recorded"] is True and isinstance(ok["visit_id"], int)
    assert ok["refused_because"] is None and ok["duplicate_of"] is None

    code, dup = record(capsys, judge_settings, storage, policy_file, "--reason", "реестр недоступен",
                       "--desk", "desk-2")  # fmt: skip
    assert code == 1 and dup["refused_because"] == "duplicate" and dup["visit_id"] is None
    assert set(dup["duplicate_of"]) == {"time", "desk", "doctor"}
    assert dup["duplicate_of"]["desk"] == "desk-1" and dup["duplicate_of"]["doctor"] == "Петров П. П."
    first_time = datetime.fromisoformat(dup["duplicate_of"]["time"])
    assert first_time.utcoffset() is not None and abs((datetime.now(UTC) - first_time).total_seconds()) < 120

    code, over = record(capsys, judge_settings, storage, policy_file, "--reason", "реестр недоступен",
                        "--role", "senior", "--override-reason", "второй прием по направлению",
                        *admin_args)  # fmt: skip
    assert code == 0 and over["recorded"] is True and over["duplicate_of"]["desk"] == "desk-1"


def test_rejected_policy_is_refused(judge_settings, storage, policy_xml, tmp_path, capsys) -> None:
    revoked = tmp_path / "revoked.txt"
    revoked.write_bytes(policy_xml(signer="revoked"))
    code, out = record(capsys, judge_settings, storage, revoked, "--reason", "пациент настаивает")
    assert code == 1 and out["refused_because"] == "verdict_reject"
    assert out["verdict"]["decision"] == "reject" and out["verdict"]["signature"] == "revoked_signer"


@pytest.fixture
def registry(tmp_path: Path) -> Iterator[str]:
    """The reference registry on 127.0.0.1 knowing the demo patient as active."""
    from desk_app.demo.registry_server import RegistryServer
    from desk_app.registry.records import parse_record

    server = RegistryServer(tmp_path / "registry.sqlite", token=TOKEN)
    server.put([parse_record({
        "enp": "7700000000000016", "status": "active", "valid_to": None, "insurer_code": "77012",
        "birth_date": "1985-03-14", "reason": None, "updated_at": datetime.now(UTC).isoformat(),
    })])  # fmt: skip
    url = server.start()
    yield url
    server.stop()


def test_accept_needs_no_reason(judge_settings, storage, policy_file, registry, capsys) -> None:
    token_file = policy_file.with_name("token.txt")
    token_file.write_text(TOKEN)
    token_file.chmod(0o600)  # as IT keeps it: a token readable by others is warned about
    code, out = record(capsys, judge_settings, storage, policy_file, "--registry-url", registry,
                       "--registry-token-file", str(token_file))  # fmt: skip
    assert out["verdict"]["decision"] == "accept", out["verdict"]
    assert code == 0 and out["recorded"] is True and out["verdict"]["status_source"] == "online"


def test_bad_usage_exits_2_with_one_line(judge_settings, storage, policy_file, tmp_path, capsys) -> None:
    cases = [
        (["--service", "B99.999.999", *base_args(judge_settings, storage), str(policy_file)], "unknown service code"),
        (["--service", "B01.047.001", *base_args(judge_settings, "mysql://db/x"), str(policy_file)], "storage.url"),
        (["--service", "B01.047.001", *base_args(judge_settings, storage), str(tmp_path / "nope.txt")], "no such file"),
        (["--service", "B01.047.001", "--catalogue", str(tmp_path / "none.csv"),
          *base_args(judge_settings, storage), str(policy_file)], "cannot read services catalogue"),
    ]  # fmt: skip
    for argv, message in cases:
        code, out, err = run(capsys, "visits", "record", "--doctor", "Петров", *argv)
        assert code == 2 and out == "" and message in err and len(err.strip().splitlines()) == 1, err
    bad_config = tmp_path / "bad.toml"
    bad_config.write_text("[storage]\nurl = 1\n")
    code, _out, err = run(capsys, "visits", "record", "--service", "B01.047.001", "--doctor", "П",
                          "--config", str(bad_config), str(policy_file))  # fmt: skip
    assert code == 2 and "storage.url" in err


def _seed(capsys, settings: Settings, storage: str, policy: Path) -> int:
    code, out = record(capsys, settings, storage, policy, "--reason", "нет связи с реестром")
    assert code == 0
    return int(out["visit_id"])


def test_list_cancel_export_and_audit(judge_settings, storage, policy_file, admin_args, tmp_path, capsys) -> None:
    visit_id = _seed(capsys, judge_settings, storage, policy_file)
    ledger_args = ["--data-dir", judge_settings.data_dir, "--storage", storage]
    code, out, _ = run(capsys, "visits", "list", "--json", *ledger_args)
    listed = json.loads(out)
    assert code == 0 and [v["id"] for v in listed] == [visit_id] and listed[0]["cancelled"] is False
    today = listed[0]["visit_day"]
    code, out, _ = run(capsys, "visits", "list", "--date", today, *ledger_args)
    assert code == 0 and "7700**********16" in out and "Иванова М. П." in out and "7700000000000016" not in out

    code, out, _ = run(capsys, "export", "--date", today, "--format", "xml", *ledger_args)
    assert code == 0 and out.startswith("<?xml") and 'Count="1"' in out
    target = tmp_path / "register.csv"
    code, _, _ = run(capsys, "export", "--date", today, "--format", "csv", "--output", str(target), *ledger_args)
    rows = read_csv_register(target.read_bytes())  # the rows; the last line is the audit anchor
    assert code == 0 and [r["visit_id"] for r in rows] == [str(visit_id)]
    assert target.read_bytes().decode("utf-8-sig").splitlines()[-1].startswith("# desk-app-audit-anchor seq=1 ")
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")

    code, out, _ = run(capsys, "visits", "cancel", str(visit_id), "--reason", "ошибка", *ledger_args)
    assert code == 1 and "may not cancel" in out
    # A one-letter reason: refused with the window's reason (the session's rule, then the ledger's).
    code, out, _ = run(capsys, "visits", "cancel", str(visit_id), "--reason", "x", "--role", "senior",
                       *ledger_args, *admin_args)  # fmt: skip
    assert code == 1 and out.strip() == REFUSAL_MESSAGE[Refusal.REASON_TOO_SHORT]
    assert DeskSession(Settings()).prepare_cancel(visit_id, "x", "senior") is Refusal.REASON_TOO_SHORT  # the window's
    code, out, _ = run(capsys, "visits", "list", "--json", *ledger_args)
    assert json.loads(out)[0]["cancelled"] is False
    code, out, _ = run(capsys, "visits", "cancel", str(visit_id), "--reason", "ошибка", "--role", "senior",
                       *ledger_args, *admin_args)  # fmt: skip
    assert code == 0 and f"cancelled visit {visit_id}" in out
    code, _, err = run(capsys, "visits", "cancel", "4242", "--reason", "ошибка", "--role", "admin", *ledger_args,
                       *admin_args)  # fmt: skip
    assert code == 2 and "no visit with id 4242" in err
    code, _, _ = run(capsys, "export", "--date", today, "--output", str(target), *ledger_args)
    assert code == 0 and read_csv_register(target.read_bytes()) == []

    code, out, _ = run(capsys, "audit", "verify", "--json", *ledger_args)
    report = json.loads(out)
    assert code == 0 and report == {
        "ok": True, "entries": 2, "head": report["head"], "first_bad_entry": None, "problem": None,
        "anchors": 2,
        "last_anchor": {"entry": 2, "head": report["head"], "found_in": report["last_anchor"]["found_in"]},
    }  # fmt: skip
    assert report["last_anchor"]["found_in"].endswith("desk-app.log")  # each write logged its anchor
    with sqlite3.connect(storage.removeprefix("sqlite:///")) as conn:
        conn.execute("DROP TRIGGER audit_log_no_update")
        conn.execute("UPDATE audit_log SET entry = replace(entry, 'ошибка', 'опечатка') WHERE seq = 2")
    conn.close()
    code, out, err = run(capsys, "audit", "verify", *ledger_args)
    assert code == 1 and "audit chain broken at entry 2" in err


@pytest.mark.postgres
def test_record_on_postgres(judge_settings, pg_url, policy_file, capsys) -> None:
    code, ok = record(capsys, judge_settings, pg_url, policy_file, "--reason", "нет связи")
    assert code == 0 and ok["recorded"]
    code, dup = record(capsys, judge_settings, pg_url, policy_file, "--reason", "нет связи", "--desk", "desk-7")
    assert code == 1 and dup["refused_because"] == "duplicate"
    code, out, _ = run(capsys, "audit", "verify", "--storage", pg_url, "--data-dir", judge_settings.data_dir)
    assert code == 0 and "1 entries" in out


def test_installed_command_runs_as_a_process(judge_settings, storage, policy_file) -> None:
    """The real entry point: exit status and one JSON object on stdout."""
    argv = [sys.executable, "-m", "desk_app", "visits", "record", "--service", "B01.047.001", "--doctor", "Петров",
            "--json", *base_args(judge_settings, storage), str(policy_file)]  # fmt: skip
    proc = subprocess.run(argv, capture_output=True, text=True, encoding="utf-8", timeout=60, check=False)
    assert proc.returncode == 1, proc.stderr
    assert json.loads(proc.stdout)["refused_because"] == "warn_needs_reason"
