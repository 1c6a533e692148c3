"""Held-out adversary cases for the CLI on a clinic PC (issue 11's "never a traceback in the
user's face"): file names that are not UTF-8 (Linux hands them over with surrogateescape), and
inputs that exist but are not regular files (a directory, a FIFO, a device): each a clear
one-line error or a verdict, the right exit code, the batch judged to the end."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desk_app.config import demo_trust_root
from desk_app.paths import resource

ACTIVE = resource("demo", "policies", "active.b.txt")


def desk_app(*args: str | bytes, stdin: int | None = subprocess.DEVNULL) -> subprocess.CompletedProcess[bytes]:
    argv = [os.fsencode(sys.executable), b"-m", b"desk_app", *(os.fsencode(a) for a in args),
            b"--trust-root", os.fsencode(demo_trust_root())]  # the demo policies' root, pinned explicitly
    return subprocess.run(argv, capture_output=True, timeout=60, stdin=stdin, env={**os.environ, "PYTHONUTF8": "1"})


@pytest.fixture
def non_utf8_copy(tmp_path: Path) -> bytes:
    """A genuine demo policy under a file name holding the bytes FF FE (a cp1251/latin-1 name)."""
    name = os.fsencode(tmp_path) + b"/\xcf\xee\xeb\xe8\xf1 \xff.txt"  # "Полис" in cp1251
    with open(name, "wb") as fh:
        fh.write(ACTIVE.read_bytes())
    return name


@pytest.mark.parametrize("json_output", [True, False], ids=["json", "human"])
def test_verify_judges_a_file_whose_name_is_not_utf8(non_utf8_copy: bytes, tmp_path: Path, json_output: bool) -> None:
    args = ["verify", "--offline", "--data-dir", str(tmp_path / "d")] + (["--json"] if json_output else [])
    done = desk_app(*args, non_utf8_copy, str(ACTIVE))
    err = done.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err, err
    assert done.returncode == 0, err
    out = done.stdout.decode("utf-8")  # strictly UTF-8: what a pipe into another program gets
    if json_output:
        verdicts = [json.loads(line) for line in out.splitlines()]
        assert [v["signature"] for v in verdicts] == ["ok", "ok"]
        assert verdicts[0]["input"].endswith("\\xcf\\xee\\xeb\\xe8\\xf1 \\xff.txt")
    else:
        assert out.count(": WARN") + out.count(": ACCEPT") == 2
        assert "\\xff.txt: " in out


def test_visits_record_json_with_a_non_utf8_file_name(non_utf8_copy: bytes, tmp_path: Path) -> None:
    done = desk_app("visits", "record", "--offline", "--data-dir", str(tmp_path / "d"), "--service", "B01.047.001",
                    "--doctor", "Петров", "--reason", "нет связи", "--json", non_utf8_copy)  # fmt: skip
    err = done.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err, err
    assert done.returncode == 0, err
    assert json.loads(done.stdout.decode("utf-8"))["recorded"] is True


def _not_regular(tmp_path: Path) -> dict[str, tuple[str, str]]:
    fifo = tmp_path / "scanner.fifo"
    os.mkfifo(fifo)
    (tmp_path / "folder.txt").mkdir()
    return {
        "directory": (str(tmp_path / "folder.txt"), "is a directory"),
        "fifo": (str(fifo), "is not a regular file"),
        "device": ("/dev/zero", "is not a regular file"),
        "missing": (str(tmp_path / "absent.txt"), "no such file"),
    }


def test_inputs_that_are_not_regular_files_are_named_as_such_and_the_batch_goes_on(tmp_path: Path) -> None:
    cases = _not_regular(tmp_path)
    done = desk_app("verify", "--json", "--offline", "--data-dir", str(tmp_path / "d"),
                    *(path for path, _ in cases.values()), str(ACTIVE))  # fmt: skip
    err = done.stderr.decode("utf-8")
    assert "Traceback" not in err
    assert done.returncode == 1  # an input could not be read
    lines = err.strip().splitlines()
    assert len(lines) == len(cases)
    for line, (path, why) in zip(lines, cases.values(), strict=True):
        assert line == f"desk-app: error: {path}: {why}"
    assert json.loads(done.stdout)["signature"] == "ok"  # the last input was still judged
