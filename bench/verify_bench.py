"""QR text -> verdict, offline with a warm trust cache: median and p99 per verification.

Run: .venv/bin/python bench/verify_bench.py [--n 2000]
Compares against signxml's own verify of the same document (the floor this path builds on).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from signxml import SignatureConfiguration, XMLVerifier

from desk_app.config import Settings
from desk_app.core.judge import build_judge
from desk_app.demo.issuer import PolicyData, TestTreasury, pem
from desk_app.verify.payload import encode_form_a, encode_form_b
from desk_app.verify.trust_store import TrustStore


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def timed(fn, n: int) -> list[float]:
    for _ in range(min(50, n)):
        fn()
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        treasury = TestTreasury.create(tmp_path / "treasury")
        settings = Settings(trust_root=str(treasury.root_pem_path), data_dir=str(tmp_path / "data"), offline=True)
        TrustStore(settings.trust_root_path, settings.trust_cache_dir).prime_from(treasury.base_dir)
        judge = build_judge(settings)
        print(f"{'case':34} {'median ms':>10} {'p99 ms':>8}")
        for signer, label in (("rsa", "RSA-2048"), ("ec", "P-256")):
            xml = treasury.sign_policy(PolicyData(), signer)
            # signxml's own chain check needs the intermediate as a CA file for the P-256 signer.
            ca_file = tmp_path / f"ca-{signer}.pem"
            ca_file.write_bytes(treasury.root_pem_path.read_bytes() + pem(treasury.intermediate.cert))
            ca = str(ca_file)
            floor = timed(
                lambda xml=xml, ca=ca: XMLVerifier().verify(
                    xml, ca_pem_file=ca, expect_config=SignatureConfiguration(location="./")
                ),
                args.n,
            )
            print(f"{'signxml alone ' + label:34} {statistics.median(floor):10.3f} {percentile(floor, 99):8.3f}")
            for form, text in (("A", encode_form_a(xml)), ("B", encode_form_b(xml))):
                assert judge.judge_qr(text).verdict.signature == "ok"
                samples = timed(lambda text=text: judge.judge_qr(text), args.n)
                name = f"QR->verdict {label} form {form}"
                print(f"{name:34} {statistics.median(samples):10.3f} {percentile(samples, 99):8.3f}")


if __name__ == "__main__":
    main()
