"""`desk-app verify`: the command-line contract (options, JSON keys, exit codes)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from desk_app.cli.main import main
from desk_app.config import demo_trust_root
from desk_app.verify.payload import encode_form_a, encode_form_b

VERDICT_KEYS = ["decision", "signature", "status", "status_source", "status_as_of", "reasons", "policy", "input"]
POLICY_KEYS = [
    "number",
    "last_name",
    "first_name",
    "middle_name",
    "birth_date",
    "sex",
    "insurer_code",
    "valid_from",
    "valid_to",
    "issued_at",
]


def base_args(settings) -> list[str]:
    return ["--trust-root", settings.trust_root, "--data-dir", settings.data_dir]


def test_json_lines_with_exactly_the_spec_fields(judge_settings, policy_xml, tmp_path, capsys) -> None:
    xml = policy_xml()
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(encode_form_a(xml), encoding="utf-8")
    b.write_text(encode_form_b(xml) + "\n", encoding="ascii")
    assert main(["verify", "--json", *base_args(judge_settings), str(a), str(b)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    objs = [json.loads(line) for line in lines]
    for obj, name in zip(objs, (a, b), strict=True):
        assert list(obj) == VERDICT_KEYS
        assert list(obj["policy"]) == POLICY_KEYS
        assert obj["input"] == str(name)
        assert (obj["decision"], obj["signature"], obj["status"]) == ("warn", "ok", "unknown")
        assert obj["policy"]["last_name"] == "Иванова"
    assert {k: v for k, v in objs[0].items() if k != "input"} == {k: v for k, v in objs[1].items() if k != "input"}


def test_verdicts_of_any_kind_still_exit_zero(judge_settings, policy_xml, tmp_path, capsys) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("this is not a policy")
    revoked = tmp_path / "revoked.txt"
    revoked.write_bytes(policy_xml(signer="revoked"))
    assert main(["verify", "--json", *base_args(judge_settings), str(bad), str(revoked)]) == 0
    out = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [(o["decision"], o["signature"]) for o in out] == [("reject", "malformed"), ("reject", "revoked_signer")]


def test_unreadable_input_is_reported_and_the_rest_judged(judge_settings, policy_xml, tmp_path, capsys) -> None:
    good = tmp_path / "good.txt"
    good.write_bytes(policy_xml())
    assert main(["verify", "--json", *base_args(judge_settings), str(tmp_path / "nope.txt"), str(good)]) == 1
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 1
    assert "nope.txt: no such file" in captured.err


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("[registry]\nurl = 'ftp://x'\n", "registry.url"),
        ("[registry]\nurll = 'x'\n", "unknown config key 'registry.urll'"),
        ("[desk\nid=1", "not valid TOML"),
        ("[desk]\noffline = 'yes'\n", "desk.offline"),
    ],
)
def test_broken_config_is_exit_2_with_one_line(judge_settings, tmp_path, capsys, config, message) -> None:
    cfg = tmp_path / "desk.toml"
    cfg.write_text(config)
    code = main(["verify", "--config", str(cfg), *base_args(judge_settings), "-"])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_config_file_settings_apply_and_options_override(judge_settings, policy_xml, tmp_path, capsys) -> None:
    cfg = tmp_path / "desk.toml"
    cfg.write_text(f"[trust]\nroot = '{judge_settings.trust_root}'\n[desk]\ndata_dir = '/nonexistent/x'\n")
    policy = tmp_path / "p.txt"
    policy.write_bytes(policy_xml())
    assert main(["verify", "--json", "--config", str(cfg), "--data-dir", judge_settings.data_dir, str(policy)]) == 0
    assert json.loads(capsys.readouterr().out)["signature"] == "ok"


def test_missing_trust_root_is_exit_2(tmp_path, capsys) -> None:
    assert main(["verify", "--trust-root", str(tmp_path / "none.pem"), "-"]) == 2
    assert "cannot read trust root" in capsys.readouterr().err


def test_bad_usage_is_exit_2(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["verify", "--no-such-option", "x"])
    assert exc.value.code == 2


def test_stdin_through_the_real_executable(judge_settings, policy_xml, tmp_path) -> None:
    packed = encode_form_b(policy_xml(signer="ec"))
    proc = subprocess.run(
        [sys.executable, "-m", "desk_app", "verify", "--json", "--offline", *base_args(judge_settings), "-"],
        input=packed.encode(),
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    obj = json.loads(proc.stdout)
    assert (obj["signature"], obj["input"], obj["policy"]["first_name"]) == ("ok", "-", "Мария")


def test_human_output_names_the_decision(judge_settings, policy_xml, tmp_path, capsys) -> None:
    policy = tmp_path / "p.txt"
    policy.write_bytes(policy_xml().replace("Мария".encode(), "Марина".encode()))
    assert main(["verify", *base_args(judge_settings), str(policy)]) == 0
    out = capsys.readouterr().out
    assert "REJECT" in out and "bad_signature" in out


def test_demo_issue_writes_a_usable_treasury(tmp_path: Path, capsys) -> None:
    out = tmp_path / "demo"
    assert main(["demo-issue", "--out", str(out), "--years", "1"]) == 0
    assert (out / "TEST-ONLY-demo-root.pem").exists() and (out / "policies" / "active.png").exists()
    capsys.readouterr()
    args = ["--trust-root", str(out / "TEST-ONLY-demo-root.pem"), "--data-dir", str(tmp_path / "d")]
    # The cache is empty (no trust URL): the embedded-certificate policy verifies, CRL missing -> warn.
    assert main(["verify", "--json", *args, str(out / "policies" / "active.a.txt")]) == 0
    obj = json.loads(capsys.readouterr().out)
    assert (obj["signature"], obj["decision"]) == ("ok", "warn") and "crl_missing" in obj["reasons"]
    assert main(["demo-issue", "--out", str(out)]) == 2  # refuses to overwrite


def test_text_png_and_pdf_give_the_same_verdict(tmp_path, capsys) -> None:
    """The bundled demo policy as text, as its QR image, and inside a PDF on page 2."""
    from PIL import Image

    from desk_app.paths import resource

    png = resource("demo", "policies", "active-ec.png")
    text = resource("demo", "policies", "active-ec.b.txt")
    pdf = tmp_path / "policy.pdf"
    blank = Image.new("RGB", (1240, 1754), "white")
    page2 = Image.new("RGB", (1240, 1754), "white")
    page2.paste(Image.open(png).convert("RGB"), (200, 300))
    blank.save(pdf, save_all=True, append_images=[page2], resolution=150)
    args = ["verify", "--json", "--offline", "--data-dir", str(tmp_path / "d"), "--trust-root", str(demo_trust_root())]
    assert main([*args, str(text), str(png), str(pdf)]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(out) == 3
    assert out[0]["signature"] == "ok" and out[0]["policy"]["last_name"] == "Петров"
    assert [{k: v for k, v in o.items() if k != "input"} for o in out[1:]] == [
        {k: v for k, v in out[0].items() if k != "input"}
    ] * 2


@pytest.mark.expect_log_warnings
def test_image_without_a_code_is_an_input_error(tmp_path, capsys) -> None:
    from PIL import Image

    blank = tmp_path / "blank.png"
    Image.new("L", (640, 480), 255).save(blank)
    assert main(["verify", "--json", "--offline", "--data-dir", str(tmp_path / "d"), str(blank)]) == 1
    assert "no QR code found" in capsys.readouterr().err


def test_a_reader_that_leaves_early_gets_no_traceback(tmp_path) -> None:
    """`desk-app verify ... | head -n 1`: a closed pipe ends the command quietly."""
    from desk_app.paths import resource

    inputs = [str(p) for p in sorted(resource("demo", "policies").glob("*.b.txt"))] * 20
    proc = subprocess.Popen(
        [sys.executable, "-m", "desk_app", "verify", "--json", "--offline", "--data-dir", str(tmp_path), *inputs],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert "Traceback" not in err
