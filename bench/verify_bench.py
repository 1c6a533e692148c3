"""QR text -> verdict, offline with a warm trust cache: median and p99 per verification.

Run: .venv/bin/python bench/verify_bench.py [--n 2000] [--big-crl 1000000]

One run measures, on the same machine at the same moment:
- RSA-2048 and ECDSA P-256 signers (an RSA TEST Treasury), with signxml's own verify of the
  same document as the floor that path builds on;
- GOST R 34.10-2012 256- and 512-bit signers (a GOST TEST Treasury: 512-bit root, 256-bit
  intermediate), through the desk's own GOST path;
forms A and B. With --big-crl N, the RSA case again with N more serials on the root's CRL
(the lookup is a set: it must add well under 1 ms).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from signxml import SignatureConfiguration, XMLVerifier

from desk_app.config import Settings
from desk_app.core.judge import build_judge
from desk_app.demo.issuer import PolicyData, TestTreasury
from desk_app.demo.pki import make_large_crl, pem
from desk_app.verify.payload import encode_form_a, encode_form_b
from desk_app.verify.trust_store import TrustStore

CASES = {"rsa": (("rsa", "RSA-2048"), ("ec", "P-256")), "gost": (("gost256", "GOST-256"), ("gost512", "GOST-512"))}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


Samples = tuple[list[float], list[float]]  # wall-clock ms, process-CPU ms


def timed(fn, n: int) -> Samples:
    for _ in range(min(50, n)):
        fn()
    wall, cpu = [], []
    for _ in range(n):
        t, c = time.perf_counter(), time.process_time()
        fn()
        cpu.append((time.process_time() - c) * 1000)
        wall.append((time.perf_counter() - t) * 1000)
    return wall, cpu


def row(name: str, samples: Samples) -> None:
    """Wall-clock median and p99, and the process-CPU median (the code's own cost on a loaded machine)."""
    wall, cpu = samples
    print(
        f"{name:40} {statistics.median(wall):10.3f} {percentile(wall, 99):8.3f} {statistics.median(cpu):10.3f}",
        flush=True,
    )


def judge_for(treasury: TestTreasury, data: Path):
    settings = Settings(trust_root=str(treasury.root_pem_path), data_dir=str(data), offline=True)
    TrustStore(settings.trust_root_path, settings.trust_cache_dir).prime_from(treasury.base_dir)
    return build_judge(settings)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--big-crl", type=int, default=0, metavar="N", help="also: RSA with N serials on the CRL")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        print(f"{'case':40} {'median ms':>10} {'p99 ms':>8} {'cpu median':>10}")
        rsa_treasury = None
        for kind, signers in CASES.items():
            treasury = TestTreasury.create(tmp_path / f"treasury-{kind}", algorithm=kind)
            judge = judge_for(treasury, tmp_path / f"data-{kind}")
            if kind == "rsa":
                rsa_treasury = treasury
            for signer, label in signers:
                xml = treasury.sign_policy(PolicyData(), signer)
                if kind == "rsa":
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
                    row(f"signxml alone {label}", floor)
                for form, text in (("A", encode_form_a(xml)), ("B", encode_form_b(xml))):
                    assert judge.judge_qr(text).verdict.signature == "ok"
                    samples = timed(lambda text=text, judge=judge: judge.judge_qr(text), args.n)
                    row(f"QR->verdict {label} form {form}", samples)
        if args.big_crl and rsa_treasury is not None:
            site = tmp_path / "big-crl"
            rsa_treasury.write_trust_files(now=datetime.now(UTC), directory=site)
            revoked = rsa_treasury.signers["revoked"].cert.serial
            started = time.perf_counter()
            now = datetime.now(UTC).replace(microsecond=0)
            serials = [revoked, *range(10**20, 10**20 + args.big_crl)]
            last, next_ = now - timedelta(hours=1), now + timedelta(days=30)
            crl = make_large_crl(rsa_treasury.root, serials, last=last, next_=next_)
            (site / "root.crl").write_bytes(crl)
            built = time.perf_counter() - started
            settings = Settings(trust_root=str(rsa_treasury.root_pem_path), data_dir=str(tmp_path / "d"), offline=True)
            store = TrustStore(settings.trust_root_path, settings.trust_cache_dir)
            started = time.perf_counter()
            store.prime_from(site)
            loaded = time.perf_counter() - started
            judge = build_judge(settings)
            text = encode_form_b(rsa_treasury.sign_policy(PolicyData(), "rsa"))
            assert judge.judge_qr(text).verdict.signature == "ok"
            revoked_text = encode_form_b(rsa_treasury.sign_policy(PolicyData(), "revoked"))
            assert judge.judge_qr(revoked_text).verdict.signature == "revoked_signer"
            print(f"(CRL of {args.big_crl + 1:,} entries: built {built:.1f} s, checked and loaded {loaded:.1f} s)")
            row(f"QR->verdict RSA-2048 form B, CRL {args.big_crl + 1:,}", timed(lambda: judge.judge_qr(text), args.n))


if __name__ == "__main__":
    main()
