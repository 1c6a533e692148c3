"""`desk-app sync` (one run of the offline copy's sync) and `desk-app registry-server`."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from desk_app.cli.common import UsageError, add_settings_options, settings_from_args
from desk_app.cli.terminal import echo

_LOOPBACK = ("127.0.0.1", "::1", "localhost")


def register(sub: argparse._SubParsersAction) -> None:
    sync = sub.add_parser(
        "sync",
        help="bring the offline copy of the registry up to date (one run)",
        description="Fetch the registry's changes since the last complete sync and apply them to the "
        "offline copy. An interrupted run resumes where it stopped.",
    )
    add_settings_options(sync)
    sync.add_argument("--limit", type=int, default=5000, metavar="N", help="items per page (1..5000, default 5000)")
    sync.add_argument("--max-pages", type=int, default=None, metavar="N", help="stop after N pages (resume later)")
    sync.set_defaults(handler=run_sync_command)

    server = sub.add_parser(
        "registry-server",
        help="run the reference registry server (development, demos, tests)",
        description="Serve the registry contract from a SQLite file on a loopback port. Faults: "
        "delay=SECONDS, status=CODE, retry_after=SECONDS, drop, garbage, trickle=SECONDS, "
        "clock_offset=SECONDS (repeat --fault; change at runtime with POST /_admin/faults).",
    )
    server.add_argument("--db", type=Path, required=True, metavar="FILE", help="the server's SQLite file")
    server.add_argument("--port", type=int, default=8765, metavar="N", help="TCP port (0 = any free port)")
    server.add_argument("--host", default="127.0.0.1", help="loopback address to bind (default 127.0.0.1)")
    server.add_argument(
        "--token", default=None, help="bearer token clients must send (default: $DESK_REGISTRY_TOKEN or 'demo-token')"
    )
    server.add_argument("--seed", type=Path, metavar="FILE.json", help="load records from a JSON list first")
    server.add_argument("--generate", type=int, default=0, metavar="N", help="add N synthetic valid policies first")
    server.add_argument("--fault", action="append", default=[], metavar="NAME[=VALUE]", help="switch a fault on")
    server.set_defaults(handler=run_server_command)


def run_sync_command(args: argparse.Namespace) -> int:
    from desk_app.registry.client import RegistryClient
    from desk_app.registry.status_store import StatusStore, StoreError
    from desk_app.registry.sync import SyncError, run_sync

    if not 1 <= args.limit <= 5000:
        raise UsageError("--limit must be between 1 and 5000")
    if args.max_pages is not None and args.max_pages < 1:
        raise UsageError("--max-pages must be at least 1")
    settings = settings_from_args(args)
    if settings.offline:
        raise UsageError("offline mode is on; sync needs the registry (drop --offline or desk.offline)")
    if not settings.registry_url:
        raise UsageError("no registry URL configured (registry.url or --registry-url)")
    try:
        store = StatusStore(settings.status_db_path)
    except StoreError as exc:
        echo(f"desk-app sync: {exc}", file=sys.stderr)
        return 1
    client = RegistryClient.from_settings(settings)
    try:
        result = run_sync(client, store, limit=args.limit, max_pages=args.max_pages)
    except SyncError as exc:
        done = exc.partial
        echo(
            f"desk-app sync: stopped ({exc.reason}: {exc.detail}) after {done.received} items in "
            f"{done.pages} pages; the next run resumes from there",
            file=sys.stderr,
        )
        return 1
    finally:
        client.close()
        total = store.count()
        store.close()
    rate = result.received / result.seconds if result.seconds > 0 else 0.0
    state = "complete" if result.complete else "stopped early; run again to continue"
    echo(
        f"sync {state}: {result.received} items in {result.pages} pages ({rate:,.0f}/s), "
        f"{result.changed} changed; the copy holds {total} policies, complete up to {result.watermark or '-'}"
    )
    return 0


def run_server_command(args: argparse.Namespace) -> int:
    import logging

    from desk_app.demo.faults import faults_from_specs
    from desk_app.demo.registry_server import RegistryServer, load_seed, load_seed_people
    from desk_app.demo.synthetic import synthetic_records

    if args.host not in _LOOPBACK:
        raise UsageError("the reference registry serves plain HTTP and binds to loopback only (127.0.0.1, ::1)")
    if not 0 <= args.port <= 65535:
        raise UsageError("--port must be between 0 and 65535")
    if args.generate < 0:
        raise UsageError("--generate must not be negative")
    try:
        faults = faults_from_specs(args.fault)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    token = args.token or os.environ.get("DESK_REGISTRY_TOKEN") or "demo-token"
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    try:
        server = RegistryServer(args.db, token=token, host=args.host, port=args.port, faults=faults)
    except Exception as exc:  # sqlite3 / OS errors opening the file
        echo(f"desk-app registry-server: cannot open {args.db}: {exc}", file=sys.stderr)
        return 1
    try:
        if args.seed:
            try:
                server.put(load_seed(args.seed))
                server.put_people(load_seed_people(args.seed))
            except ValueError as exc:
                raise UsageError(str(exc)) from None
        if args.generate:
            server.put(synthetic_records(args.generate))
        try:
            url = server.bind()
        except OSError as exc:
            echo(f"desk-app registry-server: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
            return 1
        echo(f"registry-server: {server.db.count()} policies, listening on {url}", flush=True)
        if faults.any:
            echo(f"registry-server: faults {faults.to_json()}", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        return 0
    finally:
        server.stop()
