"""`desk-app lookup` and `visits record --passport ...`: the command-line contract of the search by
document, against the reference registry on 127.0.0.1 (which counts what it is sent)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from desk_app.cli.main import main
from desk_app.config import Settings, demo_trust_root
from desk_app.demo.faults import Faults
from desk_app.demo.registry_server import Person, RegistryServer
from desk_app.paths import resource
from desk_app.registry.records import parse_record
from desk_app.verify.payload import encode_form_a
from desk_app.verify.verdict import PolicyFields, Verdict

TOKEN = "test-token-lookup"
ENP = "7700000000000016"  # the test Treasury's default policy: Иванова Мария Петровна, 1985-03-14
VERIFY_KEYS = [*Verdict("accept", "ok", "active", "online", None).to_json(), "input"]
POLICY_KEYS = list(PolicyFields().to_json())


@pytest.fixture
def server(tmp_path: Path) -> Iterator[RegistryServer]:
    srv = RegistryServer(tmp_path / "registry.sqlite", token=TOKEN)
    srv.put([parse_record({"enp": ENP, "status": "active", "valid_to": None, "insurer_code": "77012",
                           "birth_date": "1985-03-14", "updated_at": datetime.now(UTC).isoformat()})])  # fmt: skip
    srv.put_people([Person(ENP, "Иванова", "Мария", "Петровна", "F", passport="4510 123456", snils="112-233-445 95")])
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture
def storage(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'ledger.sqlite'}"


@pytest.fixture
def online(server: RegistryServer, tmp_path: Path, storage: str) -> list[str]:
    token_file = tmp_path / "token.txt"
    token_file.write_text(TOKEN)
    token_file.chmod(0o600)  # as IT keeps it: a token readable by others is warned about
    return ["--trust-root", str(demo_trust_root()),
            "--registry-url", server.url, "--registry-token-file", str(token_file), "--data-dir",
            str(tmp_path / "data"), "--storage", storage]  # fmt: skip


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def lookup_json(capsys, *argv: str) -> dict:  # type: ignore[no-untyped-def]
    code, out, err = run(capsys, "lookup", "--json", *argv)
    assert code == 0 and "Traceback" not in err, err
    assert len(out.strip().splitlines()) == 1
    return json.loads(out)


@pytest.mark.parametrize(
    "document", [["--passport", "4510 123456"], ["--passport", "4510123456"], ["--snils", "112-233-445 95"]]
)
def test_found_prints_the_keys_of_verify_json(capsys, server, online, document) -> None:  # type: ignore[no-untyped-def]
    verdict = lookup_json(capsys, *document, "--birth-date", "1985-03-14", *online)
    assert list(verdict) == VERIFY_KEYS and list(verdict["policy"]) == POLICY_KEYS
    assert (verdict["decision"], verdict["signature"], verdict["status"], verdict["status_source"]) == (
        "accept", "not_applicable", "active", "online")
    assert verdict["reasons"] == ["document_search"]
    assert verdict["policy"]["number"] == ENP and verdict["policy"]["birth_date"] == "1985-03-14"
    assert (verdict["policy"]["last_name"], verdict["policy"]["first_name"]) == ("Иванова", "Мария")
    assert verdict["input"] in ("passport_rf", "snils")  # the document type, never the document
    assert server.searches == [verdict["input"]]


@pytest.mark.parametrize("command", ["verify", "lookup", "visits record"])
def test_the_command_closes_the_offline_copy_before_it_returns(  # type: ignore[no-untyped-def]
    capsys, server, online, tmp_path, command
) -> None:
    """The registry's offline copy is closed by the command itself (its write-ahead log folded in
    and removed), not left to the process's exit: a script calling `main` again holds no file."""
    policy = resource("demo", "policies", "active.b.txt")  # signed by the demo root `online` pins
    argv = {"verify": ["verify", "--json", *online[:-2], str(policy)],  # verify keeps no visits ledger
            "lookup": ["lookup", "--json", "--passport", "4510 123456", "--birth-date", "1985-03-14", *online],
            "visits record": ["visits", "record", "--service", "B01.047.001", "--doctor", "Петров П. П.", "--json",
                              *online, str(policy)]}  # fmt: skip
    code, out, err = run(capsys, *argv[command])
    answer = json.loads(out)
    assert code == 0 and answer.get("verdict", answer)["status_source"] == "online", err
    copy = tmp_path / "data" / "registry-cache.sqlite"
    assert copy.exists()
    assert not copy.with_name(copy.name + "-wal").exists()


def test_not_found_is_judged_reject_with_exit_0(capsys, server, online) -> None:  # type: ignore[no-untyped-def]
    verdict = lookup_json(capsys, "--passport", "4510 123456", "--birth-date", "1985-03-15", *online)
    assert (verdict["decision"], verdict["status"], verdict["policy"]["number"]) == ("reject", "not_found", None)
    assert "status_not_found" in verdict["reasons"]


def test_offline_warns_unknown_without_asking(capsys, server, online) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(capsys, "lookup", "--passport", "4510 123456", "--birth-date", "1985-03-14", "--offline",
                         *online)  # fmt: skip
    assert code == 0 and server.request_count == 0, err
    assert "WARN" in out and "needs the registry" in out and "F2" in out
    verdict = lookup_json(capsys, "--snils", "112-233-445 95", "--birth-date", "1985-03-14", "--offline", *online)
    assert (verdict["decision"], verdict["status"], verdict["status_source"]) == ("warn", "unknown", "none")
    assert verdict["reasons"] == ["document_search", "offline_mode"]
    assert server.request_count == 0


@pytest.mark.expect_log_warnings
def test_429_warns_with_the_seconds_to_wait(capsys, server, online) -> None:  # type: ignore[no-untyped-def]
    server.set_faults(Faults(retry_after=45))
    code, out, err = run(capsys, "lookup", "--passport", "4510 123456", "--birth-date", "1985-03-14", *online)
    assert code == 0, err
    assert "WARN" in out and "registry_rate_limited" in out and "wait 45 s" in out


TOMORROW = (datetime.now(UTC) + timedelta(days=2)).date().isoformat()
BAD_INPUT = [
    (["--passport", "451 123456", "--birth-date", "1985-03-14"], "--passport: a passport is 4 digits"),
    (["--passport", "４５１０ １２３４５６", "--birth-date", "1985-03-14"], "--passport"),  # not ASCII digits
    (["--birth-certificate", "IIII-МЮ 654321", "--birth-date", "2019-05-02"], "--birth-certificate: a birth"),
    (["--birth-certificate", "IV-MU 654321", "--birth-date", "2019-05-02"], "Cyrillic capitals"),  # Latin letters
    (["--birth-certificate", "IV-МЮ 65432", "--birth-date", "2019-05-02"], "number is 6 digits"),
    (["--snils", "112-233-445 96", "--birth-date", "1985-03-14"], "--snils: the SNILS check number"),
    (["--snils", "112-233-445", "--birth-date", "1985-03-14"], "--snils: a SNILS is 11 digits"),
    (["--passport", "4510 123456", "--birth-date", "1985-02-30"], "--birth-date: the birth date must be a real"),
    (["--passport", "4510 123456", "--birth-date", "14.03.1985"], "--birth-date"),
    (["--passport", "4510 123456", "--birth-date", TOMORROW], "--birth-date: the birth date is in the future"),
    (["--passport", "4510 123456"], "needs --birth-date"),
]


@pytest.mark.parametrize(("argv", "message"), BAD_INPUT)
def test_input_breaking_a_rule_exits_2_before_anything_is_sent(  # type: ignore[no-untyped-def]
    capsys, server, online, storage, argv, message
) -> None:
    code, out, err = run(capsys, "lookup", "--json", *argv, *online)
    assert (code, out) == (2, "")
    assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert server.request_count == 0  # refused before anything is sent
    assert not Path(storage.removeprefix("sqlite:///")).exists()  # nor anything opened


@pytest.mark.parametrize("argv", [["--passport", "4510 123456", "--snils", "112-233-445 95"], []])
def test_exactly_one_document_is_required(capsys, server, online, argv) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as exited:
        main(["lookup", *argv, "--birth-date", "1985-03-14", *online])
    assert exited.value.code == 2 and server.request_count == 0


@pytest.mark.expect_log_warnings
def test_each_search_is_audited_and_the_document_is_kept_nowhere(capsys, server, online, storage) -> None:  # type: ignore[no-untyped-def]
    lookup_json(capsys, "--passport", "4510 123456", "--birth-date", "1985-03-14", *online)
    lookup_json(capsys, "--passport", "4510 123456", "--birth-date", "1985-03-15", *online)
    server.set_faults(Faults(status=503))
    lookup_json(capsys, "--snils", "112-233-445 95", "--birth-date", "1985-03-14", *online)
    path = Path(storage.removeprefix("sqlite:///"))
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT action, entry FROM audit_log ORDER BY seq").fetchall()
    conn.close()
    searches = [json.loads(entry) for action, entry in rows if action == "search"]
    assert [(s["document"], s["outcome"], s["desk_id"]) for s in searches] == [
        ("passport_rf", "found", "desk-1"), ("passport_rf", "not_found", "desk-1"), ("snils", "no_answer", "desk-1")]
    code, out, _err = run(capsys, "audit", "verify", "--json", "--storage", storage)
    assert code == 0 and json.loads(out)["entries"] == 3
    desk_files = [*path.parent.glob("ledger.sqlite*"), *Path(online[online.index("--data-dir") + 1]).rglob("*")]
    data = b"".join(p.read_bytes() for p in desk_files if p.is_file())
    assert b"7700000000000016" in data  # the answer is kept under the ENP found (the offline copy)...
    for secret in ("4510123456", "4510 123456", "11223344595", "112-233-445 95"):
        assert secret.encode() not in data, secret  # ...but the document is in no ledger, copy or log file


def test_record_by_passport_then_the_qr_of_the_same_patient_is_a_duplicate(  # type: ignore[no-untyped-def]
    capsys, judge_settings: Settings, policy_xml, server, online, tmp_path
) -> None:
    online[online.index("--data-dir") + 1] = judge_settings.data_dir  # its trust cache is primed (CRLs)
    base = [*online, "--trust-root", judge_settings.trust_root]  # the last --trust-root wins
    code, out, err = run(capsys, "visits", "record", "--service", "B01.047.001", "--doctor", "Петров П. П.",
                         "--json", "--passport", "4510 123456", "--birth-date", "1985-03-14", *base)  # fmt: skip
    result = json.loads(out)
    assert code == 0 and result["recorded"] is True, (out, err)
    assert result["verdict"]["input"] == "passport_rf" and result["verdict"]["signature"] == "not_applicable"
    qr = tmp_path / "active.txt"
    qr.write_text(encode_form_a(policy_xml()), encoding="utf-8")
    code, out, err = run(capsys, "visits", "record", "--service", "B01.047.001", "--doctor", "Петров П. П.",
                         "--json", *base, str(qr))  # fmt: skip
    dup = json.loads(out)
    assert dup["verdict"]["signature"] == "ok" and dup["verdict"]["policy"]["number"] == ENP
    assert code == 1 and dup["refused_because"] == "duplicate", out
    code, out, _err = run(capsys, "visits", "list", "--json", "--storage", online[-1])
    visits = json.loads(out)
    assert [v["identity_check"] for v in visits] == ["document_typed"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [(["--passport", "4510 123456", "--birth-date", "1985-03-14", "INPUT.txt"], "give INPUT or one of"),
     ([], "give INPUT or one of"),
     (["--passport", "4510 12345", "--birth-date", "1985-03-14"], "--passport: a passport is 4 digits")],
)  # fmt: skip
def test_visits_record_takes_a_document_in_place_of_input(capsys, server, online, argv, message) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(capsys, "visits", "record", "--service", "B01.047.001", "--doctor", "Петров П. П.",
                         *argv, *online)  # fmt: skip
    assert (code, out) == (2, "") and message in err
    assert server.request_count == 0


def test_today_is_a_valid_birth_date_and_the_rules_hold_for_a_newborn() -> None:
    from desk_app.verify.documents import make_query

    today = date(2026, 12, 6)
    query = make_query("birth_certificate", "XIV-АЯ 000001", today, today)
    assert query.request_body()["document"] == {"type": "birth_certificate", "series": "XIV-АЯ", "number": "000001"}


@pytest.mark.expect_log_warnings
def test_a_desk_with_no_trust_root_searches_for_nothing(capsys, server, online) -> None:  # type: ignore[no-untyped-def]
    """Outside demo mode a desk without a trust root judges nothing: the search is not sent."""
    without_root = online[2:]
    assert "--trust-root" not in without_root
    verdict = lookup_json(capsys, "--passport", "4510 123456", "--birth-date", "1985-03-14", *without_root)
    assert verdict["decision"] == "warn" and verdict["reasons"] == ["trust_root_not_configured"]
    assert verdict["input"] == "passport_rf" and verdict["policy"]["number"] is None
    assert server.request_count == 0
