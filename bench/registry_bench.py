"""Registry client and offline copy: verdict-path latency and bulk sync throughput.

    .venv/bin/python bench/registry_bench.py [--rows 1000000] [--samples 200]

Latency is measured through `RegistryStatusSource.lookup` (what the judge calls) and, where the
lead's `build_judge` exists, through `Judge.judge_qr` end to end, with the registry healthy, down
(connection refused), hanging (limit 3 s, the default) and with the breaker open. The registry
runs as its own process (`desk-app registry-server`), as in production. Sync throughput is a full
copy of `--rows` synthetic policies; lookup latency is then measured on that copy.
"""

from __future__ import annotations

import argparse
import logging
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from desk_app.config import Settings
from desk_app.demo.faults import Faults
from desk_app.demo.registry_server import RegistryServer
from desk_app.demo.synthetic import synthetic_records
from desk_app.paths import resource
from desk_app.registry.breaker import CircuitBreaker
from desk_app.registry.client import RegistryClient
from desk_app.registry.status import RegistryStatusSource
from desk_app.registry.status_store import StatusStore
from desk_app.registry.sync import run_sync

TOKEN = "bench-token"
DEMO = resource("demo")


@contextmanager
def server_process(directory: Path, rows: int, faults: list[str] = ()) -> Iterator[str]:  # type: ignore[assignment]
    command = [sys.executable, "-m", "desk_app", "registry-server", "--db", str(directory / f"srv-{rows}.sqlite"),
               "--port", "0", "--token", TOKEN, "--generate", str(rows)]
    seed = DEMO / "registry-seed.json"
    if seed.exists():
        command += ["--seed", str(seed)]
    for fault in faults:
        command += ["--fault", fault]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if "listening on" not in line:
            raise SystemExit(f"registry-server did not start: {line!r}")
        yield line.split()[-1]
    finally:
        process.terminate()
        process.wait(timeout=10)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def summary(name: str, seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
    return f"| {name} | {len(ms)} | {statistics.median(ms):.2f} | {p95:.2f} | {ms[-1]:.2f} |"


def timed(call: Callable[[], object], samples: int) -> list[float]:
    out = []
    for _ in range(samples):
        start = time.perf_counter()
        call()
        out.append(time.perf_counter() - start)
    return out


def make_source(
    url: str, copy: Path, breaker: CircuitBreaker | None = None, timeout: float = 3.0
) -> RegistryStatusSource:
    return RegistryStatusSource(RegistryClient(url, TOKEN, "bench", timeout=timeout), StatusStore(copy), breaker)


def latency(work: Path, samples: int) -> list[str]:
    rows: list[str] = []
    enps = [r.enp for r in synthetic_records(1000, region="50")]
    copy = work / "latency-copy.sqlite"
    with server_process(work, 0) as url:
        srv_db = work / "srv-0.sqlite"
        RegistryServer(srv_db, token=TOKEN).db.put(synthetic_records(1000, region="50"))
        source = make_source(url, copy)
        source.lookup(enps[0])  # connect once
        rows.append(summary("healthy (online)", timed(lambda: source.lookup(random.choice(enps)), samples)))
        for enp in enps:  # keep everything in the copy for the fallback cases
            source.lookup(enp)
        source.close()
    down = f"http://127.0.0.1:{free_port()}"
    no_breaker = make_source(down, copy, CircuitBreaker(failure_threshold=10**9))
    rows.append(summary("down: connection refused", timed(lambda: no_breaker.lookup(random.choice(enps)), samples)))
    no_breaker.close()
    with_breaker = make_source(down, copy, CircuitBreaker(failure_threshold=3, cool_down=600))
    for _ in range(3):
        with_breaker.lookup(enps[0])
    assert with_breaker.breaker.state == "open"
    rows.append(summary("breaker open", timed(lambda: with_breaker.lookup(random.choice(enps)), samples)))
    with_breaker.close()
    for label, fault in (("hanging (limit 3 s)", Faults(delay=60)), ("trickling body (limit 3 s)", Faults(trickle=60)),
                         ("headers one byte a second (limit 3 s)", Faults(slow_headers=1.0))):
        server = RegistryServer(work / "hang.sqlite", token=TOKEN, faults=fault)
        server.put(synthetic_records(10, region="50"))
        hang_url = server.start()
        source = make_source(hang_url, copy, CircuitBreaker(failure_threshold=10**9))
        rows.append(summary(label, timed(lambda source=source: source.lookup(enps[1]), 3)))
        source.close()
        server.stop()
    return rows


def judge_latency(work: Path, samples: int) -> list[str]:
    try:
        from desk_app.core.judge import build_judge
    except ImportError:
        return ["(desk_app.core.judge not available: judge_qr not timed)"]
    payload = (DEMO / "policies" / "active.a.txt").read_bytes().strip()
    rows = []
    with server_process(work, 0) as url:
        for label, registry_url in (("judge_qr, registry healthy", url),
                                    ("judge_qr, registry down", f"http://127.0.0.1:{free_port()}")):
            settings = Settings(registry_url=registry_url, registry_token=TOKEN, data_dir=str(work / "judge"),
                                demo=True)
            judge = build_judge(settings)
            judge.judge_qr(payload)
            rows.append(summary(label, timed(lambda judge=judge: judge.judge_qr(payload), samples)))
            close = getattr(judge.status_source, "close", None)
            if close:
                close()
    return rows


def sync_and_lookup(work: Path, rows: int) -> list[str]:
    lines = []
    start = time.perf_counter()
    with server_process(work, rows) as url:
        seeded = time.perf_counter() - start
        lines.append(f"- registry-server seeded with {rows:,} generated policies in {seeded:.1f} s")
        copy = work / "big-copy.sqlite"
        client = RegistryClient(url, TOKEN, "bench")
        store = StatusStore(copy)
        result = run_sync(client, store)
        lines.append(f"- full sync: {result.received:,} policies in {result.pages} pages, {result.seconds:.1f} s = "
                     f"**{result.received / result.seconds:,.0f} policies/s**")
        again = run_sync(client, store)
        lines.append(f"- incremental sync with nothing new: {again.seconds * 1000:.0f} ms")
        client.close()
    enps = [r.enp for r in synthetic_records(rows)]
    picks = [random.choice(enps) for _ in range(20_000)]
    store.get(picks[0])
    times = []
    for enp in picks:
        t = time.perf_counter()
        store.get(enp)
        times.append(time.perf_counter() - t)
    us = sorted(t * 1e6 for t in times)
    lines.append(f"- lookup by ENP in the {store.count():,}-row copy: median {statistics.median(us):.1f} µs, "
                 f"p99 {us[int(len(us) * 0.99)]:.1f} µs, max {us[-1]:.1f} µs (20,000 random ENPs)")
    cached = RegistryStatusSource(None, store, fallback_reason="offline_mode")
    us = sorted(t * 1e6 for t in timed(lambda: cached.lookup(random.choice(enps)), 20_000))
    lines.append(f"- offline lookup() through RegistryStatusSource at {rows:,} rows: median "
                 f"{statistics.median(us):.1f} µs, p99 {us[int(len(us) * 0.99)]:.1f} µs")
    size = copy.stat().st_size / 1e6
    lines.append(f"- copy file size: {size:.0f} MB")
    store.close()
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=200)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    print(f"# registry bench, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        print("\n| verdict path | n | median ms | p95 ms | max ms |\n|---|---|---|---|---|")
        for line in latency(work, args.samples) + judge_latency(work, args.samples):
            print(line, flush=True)
        print()
        for line in sync_and_lookup(work, args.rows):
            print(line, flush=True)


if __name__ == "__main__":
    main()
