"""Visits ledger benchmark (run on demand; figures go to docs/performance.md).

1. SQLite: latency of `VisitLedger.record` (duplicate check + insert + audit entry + COMMIT with
   synchronous=FULL) with --rows visits already stored. Target: median under 2 ms at 1M.
2. PostgreSQL: throughput of --desks processes recording distinct visits at once into one fresh
   database. Target: at least 500 visits/s with 8 desks.

    .venv/bin/python bench/visits_bench.py --rows 1000000 --pg-url "$DESK_TEST_PG_URL"
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from desk_app.verify.verdict import PolicyFields, Verdict
from desk_app.visits import VisitLedger
from desk_app.visits.schema import INSERT_COLUMNS

SERVICES = ("B01.047.001", "B01.047.002", "B03.016.003", "B01.015.001", "A05.10.006")


def verdict_for(number: str) -> Verdict:
    return Verdict(
        "accept", "ok", "active", "online", datetime.now(UTC), (),
        PolicyFields(number=number, last_name="Иванова", first_name="Мария", middle_name="Петровна",
                     birth_date=date(1985, 3, 14), sex="F", insurer_code="77012"),
    )  # fmt: skip


def seed_sqlite(path: Path, rows: int) -> None:
    """Fill the ledger with `rows` visits over the past ~2 years (bulk SQL, bypassing the rules)."""
    with VisitLedger.open(f"sqlite:///{path}") as ledger:
        conn = ledger.store._conn  # the benchmark seeds directly; the ledger measures
        start = datetime.now(UTC) - timedelta(days=730)
        conn.execute("BEGIN IMMEDIATE")
        placeholders = ", ".join("?" * len(INSERT_COLUMNS))
        sql = f"INSERT INTO visits ({', '.join(INSERT_COLUMNS)}) VALUES ({placeholders})"  # noqa: S608
        batch = []
        for i in range(rows):
            at = start + timedelta(seconds=i * (730 * 86400 // max(rows, 1)))
            batch.append((
                f"50{i % 400_000:014d}", "Иванова", "Мария", "Петровна", "1985-03-14", SERVICES[i % 5], "Прием",
                "Петров П. П.", f"desk-{i % 8}", at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"), at.date().isoformat(),
                "accept", "ok", "active", "online", "not_checked", None, "registrar", None, None,
            ))  # fmt: skip
            if len(batch) == 50_000:
                conn.executemany(sql, batch)
                batch.clear()
        if batch:
            conn.executemany(sql, batch)
        conn.execute("COMMIT")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    # Let the OS write the freshly seeded file back before measuring: otherwise every fsync of
    # the WAL waits behind hundreds of MB of seeding write-back, which no real ledger has.
    os.sync()


def bench_sqlite(rows: int, samples: int) -> None:
    with tempfile.TemporaryDirectory(prefix="visits-bench-") as tmp:
        path = Path(tmp) / "visits.sqlite"
        t0 = time.perf_counter()
        seed_sqlite(path, rows)
        print(f"sqlite: seeded {rows:,} visits in {time.perf_counter() - t0:.1f} s "
              f"({path.stat().st_size / 1e6:.0f} MB)")  # fmt: skip
        with VisitLedger.open(f"sqlite:///{path}") as ledger:
            latencies, refused = [], 0
            rng = random.Random(4)
            for i in range(samples):
                # One in ten is a repeat of an earlier visit today: the duplicate path is measured too.
                n = rng.randrange(max(i, 1)) if i and rng.random() < 0.1 else i
                t = time.perf_counter()
                result = ledger.record(verdict_for(f"77{n:014d}"), service_code="B01.047.001", doctor="Петров П. П.",
                                       desk_id="desk-1")  # fmt: skip
                latencies.append((time.perf_counter() - t) * 1000)
                refused += not result.recorded
            latencies.sort()
            q = statistics.quantiles(latencies, n=100)
            print(f"sqlite: record with duplicate check at {rows:,} stored, {samples} calls ({refused} duplicates): "
                  f"median {statistics.median(latencies):.2f} ms, p95 {q[94]:.2f} ms, p99 {q[98]:.2f} ms")  # fmt: skip
            t = time.perf_counter()
            report = ledger.verify_audit()
            print(f"sqlite: audit verify of {report.entries} entries ok={report.ok} "
                  f"in {time.perf_counter() - t:.2f} s (seeded rows have no audit entries)")  # fmt: skip


def _desk_worker(url: str, desk: int, seconds: float, start_at: float, out: mp.Queue) -> None:
    ledger = VisitLedger.open(url)
    while time.time() < start_at:
        time.sleep(0.001)
    done, i, deadline = 0, 0, start_at + seconds
    while time.time() < deadline:
        result = ledger.record(verdict_for(f"{desk + 10:02d}{i:014d}"), service_code="B01.047.001",
                               doctor="Петров П. П.", desk_id=f"desk-{desk}")  # fmt: skip
        done += result.recorded
        i += 1
    ledger.close()
    out.put(done)


def bench_postgres(admin_url: str, desks: int, seconds: float) -> None:
    import psycopg
    from psycopg import sql

    name = f"visits_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = urlunsplit(urlsplit(admin_url)._replace(path="/" + name))
    try:
        VisitLedger.open(url).close()  # create the schema once
        ctx = mp.get_context("spawn")
        out: mp.Queue = ctx.Queue()
        start_at = time.time() + 3.0  # time for every desk process to start and connect
        procs = [ctx.Process(target=_desk_worker, args=(url, d, seconds, start_at, out)) for d in range(desks)]
        for p in procs:
            p.start()
        total = sum(out.get(timeout=seconds + 120) for _ in procs)
        for p in procs:
            p.join()
        print(f"postgres: {desks} desks, {seconds:.0f} s: {total:,} visits, {total / seconds:.0f} visits/s")
        with VisitLedger.open(url) as ledger:
            report = ledger.verify_audit()
            print(f"postgres: audit verify {report.entries:,} entries ok={report.ok}")
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000, help="visits stored before measuring (SQLite)")
    parser.add_argument("--samples", type=int, default=2000, help="record calls measured (SQLite)")
    parser.add_argument("--pg-url", default=os.environ.get("DESK_TEST_PG_URL", ""), help="PostgreSQL admin URL")
    parser.add_argument("--desks", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    if not args.skip_sqlite:
        bench_sqlite(args.rows, args.samples)
    if args.pg_url:
        bench_postgres(args.pg_url, args.desks, args.seconds)
    else:
        print("postgres: skipped (no --pg-url / DESK_TEST_PG_URL)")


if __name__ == "__main__":
    main()
