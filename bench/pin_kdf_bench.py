"""What one administrator-PIN guess costs: scrypt at the production parameters
(desk_app.core.roles: N = 2^17, r = 8, p = 1, 128 MiB), against the PBKDF2 of earlier versions.

    .venv/bin/python bench/pin_kdf_bench.py --runs 7

Prints the median and the fastest of `--runs` checks of a wrong PIN (what a guesser pays), and
the time for all 10^6 six-digit PINs on one core at the fastest rate.
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import time

from desk_app.core import roles


def timed(check) -> list[float]:
    times = []
    for _ in range(ARGS.runs):
        started = time.perf_counter()
        check()
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    stored = roles.hash_pin("246813")
    scrypt = timed(lambda: roles.verify_pin("111111", stored))
    pbkdf2 = timed(lambda: hashlib.pbkdf2_hmac("sha256", b"1111", b"s" * 16, 200_000))
    for name, times in (("scrypt N=2^17 r=8 p=1 (now)", scrypt), ("PBKDF2-SHA256 200k (before)", pbkdf2)):
        fastest = min(times)
        print(f"{name:30s} median {statistics.median(times):.3f} s  fastest {fastest:.3f} s  "
              f"10^6 PINs: {fastest * 1e6 / 3600:,.0f} CPU-hours  ({ARGS.runs} runs)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    ARGS = parser.parse_args()
    main()
