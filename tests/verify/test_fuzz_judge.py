"""The judge under fuzzing: the crash corpus replayed, the property itself tested, and a bounded
coverage-guided run of atheris (DESK_FUZZ_SECONDS, default 45; 0 skips only the run, never the replay).

Longer runs: `DESK_FUZZ_SECONDS=1800 pytest tests/verify/test_fuzz_judge.py -k bounded`, or the runner
directly (see tests/fuzz/fuzz_judge.py). Figures are in docs/verification.md, "Fuzzing".
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from desk_app.core.judge import Judgement
from desk_app.verify.verdict import PolicyFields
from tests.fuzz import harness

ROOT = Path(__file__).resolve().parents[2]
FUZZ_SECONDS = int(os.environ.get("DESK_FUZZ_SECONDS", "45"))


@pytest.fixture(autouse=True)
def _quiet_judge():
    logging.disable(logging.INFO)
    yield
    logging.disable(logging.NOTSET)


@pytest.mark.parametrize("path", harness.corpus_files(), ids=lambda p: p.name)
def test_corpus_input_gets_a_verdict(path: Path) -> None:
    """Every input a fuzzing run ever crashed on, or that came close, replayed for ever."""
    harness.check_input(path.read_bytes())


def test_the_corpus_is_there() -> None:
    assert len(harness.corpus_files()) >= 8


def test_genuine_seeds_reach_the_ok_branch_of_the_property() -> None:
    """The demo policies are `ok` under the demo root, so the independent XMLDSig check runs."""
    genuine = [p.read_bytes() for p in sorted(harness.DEMO_POLICIES.glob("active*.txt"))]
    assert genuine
    for data in genuine:
        assert harness.check_input(data) >= 2  # bytes and text under the demo root


def test_property_catches_unsigned_values_shown() -> None:
    judge = harness.judges()[0]
    data = (harness.DEMO_POLICIES / "tampered.a.txt").read_bytes()
    honest = judge.judge_qr(data)
    assert honest.verdict.signature == "bad_signature"
    harness._check_judgement(honest, data)
    leaking = Judgement(replace(honest.verdict, policy=PolicyFields(number="7700000000000016")))
    with pytest.raises(harness.PropertyViolation, match="unsigned values"):
        harness._check_judgement(leaking, data)


def test_property_catches_an_ok_verdict_showing_other_values() -> None:
    judge = harness.judges()[0]
    data = (harness.DEMO_POLICIES / "active.a.txt").read_bytes()
    good = judge.judge_qr(data)
    assert good.verdict.signature == "ok"
    harness._check_judgement(good, data)
    forged = Judgement(replace(good.verdict, policy=replace(good.verdict.policy, last_name="Мошенников")))
    with pytest.raises(harness.PropertyViolation, match="last_name"):
        harness._check_judgement(forged, data)
    # ... and an ok verdict for a document whose content is not what was signed.
    tampered = (harness.DEMO_POLICIES / "tampered.a.txt").read_bytes()
    fake_ok = Judgement(good.verdict)
    with pytest.raises(harness.PropertyViolation, match="digest"):
        harness._check_judgement(fake_ok, tampered)


def test_property_catches_foreign_digits_and_invisible_characters_shown() -> None:
    judge = harness.judges()[0]
    data = (harness.DEMO_POLICIES / "active.a.txt").read_bytes()
    good = judge.judge_qr(data)
    policy = good.verdict.policy
    for change, what in (
        ({"insurer_code": "٧٧٠١٢"}, "not ASCII digits"),
        ({"middle_name": (policy.middle_name or "") + "\u200b"}, "invisible"),
    ):
        shown = {k: (val.isoformat() if hasattr(val, "isoformat") else val) for k, val in vars(policy).items()}
        with pytest.raises(harness.PropertyViolation, match=what):
            harness._check_shown_values({**shown, **change})


def test_property_catches_a_reader_defect() -> None:
    judge = harness.judges()[0]
    data = b"not a policy"
    v = judge.judge_qr(data)
    with pytest.raises(harness.PropertyViolation, match="reader defect"):
        harness._check_judgement(replace(v, detail="reader defect: OverflowError at profile.py:1"), data)


def test_fuzz_treasury_is_the_same_in_every_run() -> None:
    """A corpus input re-signed by the fuzz Treasury in an earlier process still verifies now."""
    baseline = harness.CORPUS_DIR / "signed-by-the-fuzz-treasury.a"
    demo_judge, fuzz_judge = harness.judges()
    assert fuzz_judge.judge_qr(baseline.read_bytes()).verdict.signature == "ok"
    assert demo_judge.judge_qr(baseline.read_bytes()).verdict.signature == "untrusted_signer"
    harness.check_input(baseline.read_bytes())


@pytest.mark.skipif(FUZZ_SECONDS <= 0, reason="DESK_FUZZ_SECONDS=0: the bounded run is switched off")
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="atheris ships wheels for Linux only")
def test_bounded_coverage_guided_run(tmp_path: Path) -> None:
    """atheris over judge_qr for DESK_FUZZ_SECONDS: no crash, no property violation."""
    work, artifacts = tmp_path / "work", tmp_path / "artifacts"
    artifacts.mkdir()
    cmd = [
        sys.executable, "-m", "tests.fuzz.fuzz_judge", str(work),
        f"-max_total_time={FUZZ_SECONDS}", "-timeout=60", "-rss_limit_mb=2048",
        f"-artifact_prefix={artifacts}/", "-print_final_stats=1",
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=FUZZ_SECONDS + 120)
    # slow-unit-* are libFuzzer's reports of slow inputs (the gostcrypto check of an ok GOST verdict
    # takes about a second), not failures; a hang past -timeout is a crash (timeout-*).
    crashes = sorted(p.name for p in artifacts.iterdir() if not p.name.startswith(("delegated", "slow-unit-")))
    tail = "\n".join(proc.stderr.splitlines()[-40:])
    assert proc.returncode == 0 and not crashes, f"fuzzing found {crashes} (copy into {harness.CORPUS_DIR}):\n{tail}"
    units = re.search(r"stat::number_of_executed_units:\s*(\d+)", proc.stderr)
    assert units and int(units.group(1)) > 100, tail
    print(f"fuzzed {units.group(1)} inputs in {FUZZ_SECONDS} s", file=sys.stderr)


def test_seed_forms_are_the_demo_policies() -> None:
    seeds = harness.seed_payloads()
    assert len(seeds) >= 16
    assert any(s.startswith(b"OMS1:") for s in seeds) and any(s.lstrip().startswith(b"<") for s in seeds)
