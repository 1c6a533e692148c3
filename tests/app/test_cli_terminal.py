"""Issue 19 item 4: the CLI never sends a control character it was given to the terminal.

File names and field values can hold escape sequences (ESC ] retitles the terminal, ESC [ 2J
clears it), C1 controls (U+009B is a CSI) and bidi overrides (U+202E reverses what follows).
Every line the CLI writes goes through desk_app.cli.terminal.
"""

from __future__ import annotations

import ast
import json
import logging
from pathlib import Path

import pytest

import desk_app.cli
from desk_app.cli.main import main
from desk_app.cli.terminal import json_text, terminal_text
from desk_app.logging_setup import LineFormatter
from desk_app.verify.payload import encode_form_b

HOSTILE = "\x1b]0;pwned\x07\x1b[2J\u202eevil\x9b31m\u2066x\r"
RAW = ("\x1b", "\x07", "\x9b", "\u202e", "\u2066", "\r")


def _clean(text: str) -> bool:
    return not any(ch in text for ch in RAW)


def test_a_hostile_file_name_is_escaped_in_errors_and_verdicts(judge_settings, policy_xml, tmp_path, capsys) -> None:
    junk = tmp_path / f"{HOSTILE}.png"  # not there: an error naming it
    common = ["--trust-root", judge_settings.trust_root, "--data-dir", judge_settings.data_dir, "--offline"]
    assert main(["verify", *common, str(junk)]) == 1
    out, err = capsys.readouterr()
    assert _clean(out + err) and "\\x1b]0;pwned\\x07\\x1b[2J\\u202Eevil\\x9b31m" in err
    assert len(err.strip().splitlines()) == 1

    policy = tmp_path / f"{HOSTILE}.policy"
    policy.write_text(encode_form_b(policy_xml()), "utf-8")
    for extra in (["--json"], []):
        assert main(["verify", *common, *extra, str(policy)]) == 0
        out, err = capsys.readouterr()
        assert _clean(out + err), (out, err)
    assert main(["verify", *common, "--json", str(policy)]) == 0
    assert json.loads(capsys.readouterr().out)["input"] == str(policy)  # still valid JSON, same name

    missing = tmp_path / f"{HOSTILE}-missing.toml"
    assert main(["verify", "--config", str(missing), *common, str(policy)]) == 2
    out, err = capsys.readouterr()
    assert _clean(out + err) and "desk-app: error:" in err and len(err.strip().splitlines()) == 1


@pytest.mark.expect_log_warnings
def test_a_logged_warning_on_the_console_is_escaped(machine_config, tmp_path, capsys) -> None:
    pin = tmp_path / f"{HOSTILE}.pin"
    pin.write_text("123456\n", "utf-8")
    pin.chmod(0o644)  # other users can read it: a warning naming the file
    assert main(["admin", "set-pin", "--print-hash", "--pin-file", str(pin)]) == 0
    out, err = capsys.readouterr()
    assert "can be read by other users" in err and _clean(out + err)
    record = logging.LogRecord("desk_app.x", logging.WARNING, __file__, 1, "file %s", (HOSTILE,), None)
    assert _clean(LineFormatter().format(record))  # the log file too


def test_the_helpers_escape_every_hidden_character_and_keep_the_rest() -> None:
    assert terminal_text("Иванова\u00a0М. 🙂") == "Иванова\u00a0М. 🙂"
    assert terminal_text("a\nb\tc\x00\x7f\U000e0001") == "a\\x0ab\\x09c\\x00\\x7f\\U000E0001"
    assert terminal_text("a\nb", lines=True) == "a\nb"
    text = json_text({"k": HOSTILE + "\U000e0001"}, indent=1)
    assert _clean(text) and json.loads(text) == {"k": HOSTILE + "\U000e0001"} and "\n" in text


def test_every_cli_module_writes_through_the_one_helper() -> None:
    """No print(), sys.stdout/stderr.write or json.dump(s) outside desk_app/cli/terminal.py (the
    export's bytes go to sys.stdout.buffer: the register's own escaping, desk_app.visits.export)."""
    package = Path(desk_app.cli.__file__).parent
    offenders = []
    for path in sorted(package.glob("*.py")):
        if path.name == "terminal.py":
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            call = ast.unparse(node.func)
            if call in ("print", "json.dump", "json.dumps", "sys.stdout.write", "sys.stderr.write"):
                offenders.append(f"{path.name}:{node.lineno} {call}")
    assert offenders == []
