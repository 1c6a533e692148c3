"""GOST primitives: Streebog and GOST R 34.10-2012 verification, ours against gostcrypto.

Run: .venv/bin/python bench/gost_bench.py [--n 300] [--oracle-n 10] [--no-oracle]

Measures in one run: streebog256/512 of 700 B and 2 KB; verify_digest at 256 and 512 bits
with a cold key (a key never seen before: from_octets + its first verify, the curve already
warm) and a warm key (the desk's case: the same signer keys again and again); the verdict's
share of GOST work, "two hashes (2,000 and 715 bytes) + one check", at 256 and 512; and
gostcrypto for the same operations (fewer runs: it is slow). Wall-clock median and p99 and the
process-CPU median (steadier on a shared machine), in milliseconds, and gostcrypto's ratio.
One-time costs (building tables) are printed first. An optional Streebog package
(streebog-rs) is measured too when importable, after checking it against RFC 6986's M1.
"""

from __future__ import annotations

import argparse
import importlib
import os
import statistics
import time
from collections.abc import Callable

from desk_app.demo.gost_sign import generate_private_key, public_key_octets, sign_digest
from desk_app.verify.gost import GostPublicKey, curve_for_oid, gost3410, prepare, streebog256, streebog512

# CryptoPro-A (= TC 26 256-B): the 256-bit set most CSP-issued certificates name.
CURVE_256 = curve_for_oid("1.2.643.2.2.35.1")
CURVE_512 = curve_for_oid("1.2.643.7.1.2.1.2.1")
assert CURVE_256 is not None and CURVE_512 is not None

DATA_700 = os.urandom(700)
DATA_2K = os.urandom(2000)
SIGNED_INFO = b"<ds:SignedInfo>" + DATA_700
M1 = b"012345678901234567890123456789012345678901234567890123456789012"
M1_256 = bytes.fromhex("00557be5e584fd52a449b16b0251d05d27f94ab76cbaa6da890b59d8ef1e159d")[::-1]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def timed(fn: Callable[[], object], n: int, warmup: int = 3) -> tuple[list[float], list[float]]:
    """(wall ms, CPU ms) per run."""
    for _ in range(warmup):
        fn()
    wall, cpu = [], []
    for _ in range(n):
        t, c = time.perf_counter(), time.process_time()
        fn()
        cpu.append((time.process_time() - c) * 1000)
        wall.append((time.perf_counter() - t) * 1000)
    return wall, cpu


def row(label: str, ours: tuple[list[float], list[float]], oracle: tuple[list[float], list[float]] | None = None):
    wall, cpu = ours
    med = statistics.median(wall)
    line = f"{label:46} {med:9.3f} {percentile(wall, 99):9.3f} {statistics.median(cpu):9.3f}"
    if oracle:
        omed = statistics.median(oracle[0])
        line += f" {omed:11.2f} {omed / med:8.1f}x"
    print(line, flush=True)


def once_ms(fn: Callable[[], object]) -> float:
    t = time.perf_counter()
    fn()
    return (time.perf_counter() - t) * 1000


def oracle_verifier(curve, octets: bytes, digest: bytes, signature: bytes) -> Callable[[], bool]:
    """gostcrypto's verify with the byte orders mapped (see tests/verify/test_gost_primitives.py)."""
    from gostcrypto import gostsignature

    size = curve.size
    mode = gostsignature.MODE_256 if curve.bits == 256 else gostsignature.MODE_512
    params = dict(p=curve.p, a=curve.a, b=curve.b, m=curve.q * curve.cofactor, q=curve.q, x=curve.x, y=curve.y)
    verifier = gostsignature.new(mode, params)
    pub = bytearray(octets[:size][::-1] + octets[size:][::-1])
    sig = bytearray(signature[size:] + signature[:size])
    rev = bytearray(digest[::-1])
    assert verifier.verify(pub, rev, sig)
    return lambda: verifier.verify(pub, rev, sig)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=300, help="runs per measurement of our code")
    parser.add_argument("--oracle-n", type=int, default=10, help="runs per gostcrypto measurement")
    parser.add_argument("--no-oracle", action="store_true", help="skip gostcrypto")
    args = parser.parse_args()
    n, on = args.n, args.oracle_n
    oracle_hash: Callable[[str, bytes], bytes] | None = None
    if not args.no_oracle:
        try:
            from gostcrypto import gosthash

            def oracle_hash(name: str, data: bytes) -> bytes:
                return bytes(gosthash.new(name, data=bytearray(data)).digest())
        except ImportError:
            print("gostcrypto not installed: oracle columns left out")

    print("one-time costs (ms):")
    print(f"  Streebog tables (first hash): {once_ms(lambda: streebog256(b'')):.1f}")
    for curve in (CURVE_256, CURVE_512):
        print(f"  base-point table of {curve.name} (prepare): {once_ms(lambda curve=curve: prepare(curve)):.1f}")
        d = generate_private_key(curve)
        octets = public_key_octets(curve, d)
        digest = bytes(range(curve.size))
        sig = sign_digest(curve, d, digest)
        key = GostPublicKey.from_octets(curve, octets)
        uses = gost3410.TABLE_AFTER_USES[curve.bits]
        first = once_ms(lambda key=key, digest=digest, sig=sig: key.verify_digest(digest, sig))
        for _ in range(uses - 1):
            key.verify_digest(digest, sig)
        building = once_ms(lambda key=key, digest=digest, sig=sig: key.verify_digest(digest, sig))
        print(f"  {curve.bits}-bit key: 1st verify (wNAF) {first:.1f}, verify no. {uses + 1} (builds the key's "
              f"table) {building:.1f}")

    print(f"\n{'case (ms)':46} {'median':>9} {'p99':>9} {'cpu med':>9} {'gostcrypto':>11} {'ratio':>9}")
    for label, fn, name, data in (
        ("streebog256 700 B", streebog256, "streebog256", DATA_700),
        ("streebog256 2000 B", streebog256, "streebog256", DATA_2K),
        ("streebog512 700 B", streebog512, "streebog512", DATA_700),
        ("streebog512 2000 B", streebog512, "streebog512", DATA_2K),
    ):
        oracle = timed(lambda name=name, data=data: oracle_hash(name, data), on, 1) if oracle_hash else None
        row(label, timed(lambda fn=fn, data=data: fn(data), n), oracle)

    for curve in (CURVE_256, CURVE_512):
        hash_fn = streebog256 if curve.bits == 256 else streebog512
        digest = hash_fn(SIGNED_INFO)
        # Cold: each run a key never seen before (keys and signatures made beforehand).
        cold_n = min(n, 30)
        cold_cases = []
        for _ in range(cold_n + 3):
            kd = generate_private_key(curve)
            cold_cases.append((public_key_octets(curve, kd), sign_digest(curve, kd, digest)))
        it = iter(cold_cases)

        def cold(curve=curve, it=it, digest=digest):
            key_octets, sig = next(it)
            assert GostPublicKey.from_octets(curve, key_octets).verify_digest(digest, sig)

        row(f"verify {curve.bits}, cold key (from_octets + 1st use)", timed(cold, cold_n))

        d = generate_private_key(curve)
        octets = public_key_octets(curve, d)
        signature = sign_digest(curve, d, digest)
        for _ in range(gost3410.TABLE_AFTER_USES[curve.bits] + 1):  # the key earns its table
            GostPublicKey.from_octets(curve, octets).verify_digest(digest, signature)

        def warm(curve=curve, octets=octets, digest=digest, signature=signature):
            assert GostPublicKey.from_octets(curve, octets).verify_digest(digest, signature)

        oracle_verify = oracle_verifier(curve, octets, digest, signature) if oracle_hash else None
        row(f"verify {curve.bits}, warm key", timed(warm, n), timed(oracle_verify, on, 1) if oracle_verify else None)

        def composite(curve=curve, octets=octets, hash_fn=hash_fn, sig=signature):
            hash_fn(DATA_2K)  # the document's DigestValue
            assert GostPublicKey.from_octets(curve, octets).verify_digest(hash_fn(SIGNED_INFO), sig)

        oracle_composite = None
        if oracle_hash and oracle_verify:
            name = "streebog256" if curve.bits == 256 else "streebog512"

            def oracle_composite(name=name, verify=oracle_verify):
                oracle_hash(name, DATA_2K)
                oracle_hash(name, SIGNED_INFO)
                verify()

        row(f"2 hashes (2000 B + 715 B) + 1 check, {curve.bits}", timed(composite, n),
            timed(oracle_composite, on, 1) if oracle_composite else None)

    print("\nStreebog packages on PyPI (measured only when importable; not dependencies):")
    for module_name in ("streebog_rs",):
        try:
            mod = importlib.import_module(module_name)
        except ImportError:
            print(f"  {module_name}: not importable")
            continue
        fn256 = mod.streebog_256  # returns the output bytes as a hex string
        correct = bytes.fromhex(fn256(M1)) == M1_256 and all(
            bytes.fromhex(fn256(d)) == streebog256(d) for d in (b"", DATA_700, DATA_2K))
        print(f"  {module_name}: matches RFC 6986 M1 and ours: {correct}")
        for label, data in (("700 B", DATA_700), ("2000 B", DATA_2K)):
            theirs = timed(lambda data=data, fn256=fn256: fn256(data), n)
            ours = timed(lambda data=data: streebog256(data), n)
            print(f"  {module_name} streebog256 {label}: median {statistics.median(theirs[0]):.3f} ms "
                  f"(ours {statistics.median(ours[0]):.3f} ms in the same run)")


if __name__ == "__main__":
    main()
