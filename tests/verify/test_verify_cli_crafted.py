"""`desk-app verify` over a batch of crafted inputs, through the real command in a subprocess:
each gets its verdict (or one clear line), no traceback, and the inputs after them are judged."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from PIL import Image

from desk_app.demo.issuer import PolicyData, policy_element
from desk_app.verify.payload import encode_form_a, encode_form_b
from desk_app.verify.profile import q
from desk_app.verify.verdict import SIGNATURE_RESULTS

ROOT = Path(__file__).resolve().parents[2]


def _issued_at(xml: bytes, value: str) -> bytes:
    return re.sub(rb"<IssuedAt>[^<]*</IssuedAt>", f"<IssuedAt>{value}</IssuedAt>".encode(), xml, count=1)


def _signed(treasury: Any, **attrs: str) -> bytes:
    element = policy_element(PolicyData())
    for key, value in attrs.items():
        tag, _, attr = key.partition("__")
        el = element.find(f".//{q(tag)}")
        el.set(attr, value) if attr else setattr(el, "text", value)
    return treasury.sign_policy(element=element)


def run_verify(settings: Any, inputs: list[Path], cwd: Path) -> subprocess.CompletedProcess:
    cmd = [
        sys.executable, "-m", "desk_app", "verify", "--json", "--offline",
        "--trust-root", settings.trust_root, "--data-dir", settings.data_dir, *map(str, inputs),
    ]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [os.environ.get("PYTHONPATH"), str(ROOT)]))}
    return subprocess.run(cmd, capture_output=True, text=True, timeout=180, env=env, cwd=cwd)


def test_crafted_batch_is_judged_to_the_end(
    judge_settings: Any, policy_xml: Any, treasury: Any, tmp_path: Path
) -> None:
    genuine = policy_xml()
    texts = {
        "year1.txt": encode_form_b(_issued_at(genuine, "0001-01-01T00:00:00+03:00")),
        "year9999.txt": encode_form_a(_issued_at(genuine, "9999-12-31T23:59:59-03:00")),
        "offset.txt": encode_form_a(_issued_at(genuine, "2026-01-01T00:00:00-23:59")),
        "signed9999.txt": encode_form_b(_signed(treasury, IssuedAt="9999-12-31T23:59:59-14:00")),
        "arabic.txt": encode_form_b(_signed(treasury, Insurer__Code="٧٧٠١٢")),
        "fullwidth.txt": encode_form_b(_signed(treasury, Region__Okato="４５")),
        "zwsp.txt": encode_form_b(_signed(treasury, Insurer="АО\u200b СОГАЗ")),
        "keyinfo.txt": encode_form_a(genuine.replace(b"<ds:KeyInfo>", b"<ds:KeyInfo>x")),
        "utf16.txt": encode_form_b(genuine.decode().replace("UTF-8", "UTF-16").encode("utf-16")),
    }
    inputs = []
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        inputs.append(tmp_path / name)
    bomb = tmp_path / "bomb.png"
    from tests.helpers.bombs import png_bomb

    bomb.write_bytes(png_bomb(10900, 10900, colour=0))
    pages = [Image.new("L", (200, 200), 255) for _ in range(25)]
    long_pdf = tmp_path / "long.pdf"
    pages[0].save(long_pdf, "PDF", save_all=True, append_images=pages[1:])
    good = tmp_path / "good.txt"
    good.write_text(encode_form_b(genuine), encoding="ascii")
    inputs += [bomb, long_pdf, good]

    proc = run_verify(judge_settings, inputs, tmp_path)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 1  # the bomb and the long PDF could not be read; everything else judged
    verdicts = [json.loads(line) for line in proc.stdout.splitlines()]
    by_input = {Path(v["input"]).name: v for v in verdicts}
    assert set(by_input) == {*texts, "good.txt"}
    for name in texts:
        v = by_input[name]
        assert v["decision"] == "reject" and v["signature"] in SIGNATURE_RESULTS, (name, v)
        assert v["signature"] in ("malformed", "bad_signature"), (name, v)
        assert all(value is None for value in v["policy"].values()), (name, v)
    assert (by_input["good.txt"]["signature"], by_input["good.txt"]["policy"]["last_name"]) == ("ok", "Иванова")
    errors = proc.stderr.strip().splitlines()
    assert any("bomb.png: image is 10900x10900 pixels" in line for line in errors), proc.stderr
    assert any("long.pdf: PDF has 25 pages; at most 20" in line for line in errors), proc.stderr
    assert all(line.startswith("desk-app: error: ") for line in errors), proc.stderr
