"""CPU cost of a hostile trust update: issue 19's `signers.pem` bomb (foreign certificates, each
with its own GOST 512-bit paramSetC key) served over HTTP on 127.0.0.1 to `TrustStore.refresh`.

    PYTHONPATH=/path/to/checkout python bench/trust_bomb_bench.py [--count 4858] [--work DIR]

The bomb is built once into --work (its keys take a while) and reused by later runs, so two
checkouts can be measured on the same bytes. Prints wall and CPU time of one refresh attempt and
how it ended, for the whole bomb and for a prefix that fits under 1 MiB.
"""

from __future__ import annotations

import argparse
import functools
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from desk_app.demo.hostile_trust import foreign_certificate_bomb
from desk_app.demo.issuer import TestTreasury
from desk_app.verify.trust_store import TrustStore, TrustUpdateError


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def _serve(folder: Path) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def _attempt(treasury: TestTreasury, site: Path, cache: Path) -> str:
    store = TrustStore(treasury.root_pem_path, cache)
    store.prime_from(treasury.base_dir)
    server, url = _serve(site)
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        store.refresh(url, timeout=(3.0, 10.0))
        outcome = "installed"
    except TrustUpdateError as exc:
        outcome = f"refused: {str(exc)[:90]}"
    finally:
        server.shutdown()
        server.server_close()
    return f"wall {time.perf_counter() - wall:.2f} s, CPU {time.process_time() - cpu:.2f} s; {outcome}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=4858)
    parser.add_argument("--work", type=Path, default=Path("/tmp/desk-trust-bomb"))
    args = parser.parse_args()
    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)
    treasury = TestTreasury.create(work / "treasury", algorithm="gost")
    bomb_path = work / f"bomb-{args.count}.pem"
    if not bomb_path.exists():  # every TEST root has the same name, so one bomb serves every run
        started = time.perf_counter()
        bomb_path.write_bytes(foreign_certificate_bomb(treasury.root.cert.subject_der, args.count))
        print(f"built {bomb_path} in {time.perf_counter() - started:.0f} s")
    bomb = bomb_path.read_bytes()
    blocks = bomb.split(b"-----END CERTIFICATE-----\n")
    cases = [(f"{args.count} certificates, {len(bomb) / 2**20:.2f} MiB", bomb)]
    for count in (1000, 400):  # under the old 4 MiB cap / under the new caps (500, 1 MiB)
        part = b"-----END CERTIFICATE-----\n".join(blocks[:count]) + b"-----END CERTIFICATE-----\n"
        cases.append((f"the first {count} of them, {len(part) / 2**20:.2f} MiB", part))
    for label, signers in cases:
        site = work / "site"
        site.mkdir(exist_ok=True)
        (site / "signers.pem").write_bytes(signers)
        for name in ("root.crl", "intermediate.crl"):
            (site / name).write_bytes((treasury.base_dir / name).read_bytes())
        cache = work / f"cache-{time.monotonic_ns()}"
        print(f"{label}: {_attempt(treasury, site, cache)}")

if __name__ == "__main__":
    main()
