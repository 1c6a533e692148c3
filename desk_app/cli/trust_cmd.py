"""`desk-app trust update [--json]`: fetch the Treasury's trust list (signers.pem and the CRLs)
from `trust.url` now, through the same download the window's periodic update and `verify` use
(`Judge.fetch_trust` -> `TrustStore.refresh`, which checks every file against the pinned root
before it replaces the cache).

Exit status: 0 updated or already current, 1 the download failed or was refused (the cache is
kept; the reason on one line), 2 bad usage or config (no trust.root, no trust.url, offline mode).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from desk_app.cli.common import UsageError, add_settings_options, settings_from_args
from desk_app.cli.terminal import echo, json_text


def register(sub: argparse._SubParsersAction) -> None:
    trust = sub.add_parser("trust", help="the Treasury's trust list (signer certificates and CRLs)")
    actions = trust.add_subparsers(dest="trust_command", metavar="ACTION", required=True)
    update = actions.add_parser(
        "update",
        help="download the Treasury's trust list from trust.url now",
        description="Download signers.pem and the CRLs from trust.url now, check them against the pinned root and "
        "install them. Exit 0 updated or already current, 1 failed (the cache is kept), 2 bad usage or config.",
    )
    update.add_argument("--json", action="store_true", help="one JSON object on stdout")
    add_settings_options(update)
    update.set_defaults(handler=run_update)


def _fingerprint(snapshot: Any) -> tuple[frozenset[bytes], frozenset[bytes]]:
    """What the cache holds: the certificates and the CRLs, by content."""
    return frozenset(c.fingerprint for c in snapshot.certs), frozenset(c.der for c in snapshot.crls.values())


def one_line(text: str) -> str:
    """A reason on one printable line: it may quote a server's file (a certificate's subject), so
    controls, escapes and invisible characters are shown as \\xNN / \\uNNNN, never sent to the terminal."""
    flat = " ".join(str(text).split())
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in flat)


def run_update(args: argparse.Namespace) -> int:
    from desk_app.core.judge import Judge, open_trust_store
    from desk_app.verify.trust_store import TrustRootError, TrustUpdateError

    settings = settings_from_args(args)
    if settings.trust_root_path is None:
        raise UsageError("the trust root is not configured: set trust.root to the Treasury root certificate (PEM)")
    if not settings.trust_url:
        raise UsageError("trust.url is not configured: set it to the Treasury's trust list address")
    if settings.offline:
        raise UsageError("the desk is in offline mode (desk.offline or --offline): nothing is downloaded")
    try:
        store = open_trust_store(settings)
    except TrustRootError as exc:
        raise UsageError(str(exc)) from None
    assert store is not None  # the root is configured (checked above)
    before = _fingerprint(store.snapshot) if store.snapshot.certs else None
    where = {"url": settings.trust_url, "cache_dir": str(store.cache_dir)}
    try:
        snapshot = Judge(settings, store).fetch_trust(force=True)
    except TrustUpdateError as exc:
        reason = one_line(str(exc))
        if args.json:
            _print_json({"result": "failed", "reason": reason, **where})
        echo(f"desk-app: trust update failed: {reason} (the cached trust list is kept)", file=sys.stderr)
        return 1
    assert snapshot is not None  # forced: never "not due"
    result = "current" if before == _fingerprint(snapshot) else "updated"
    next_update = snapshot.crl_next_update
    report: dict[str, Any] = {
        "result": result,
        **where,
        "certificates": len([c for c in snapshot.certs if c is not snapshot.root]),
        "crls": len(snapshot.crls),
        "crl_next_update": next_update.isoformat() if next_update else None,
        "fetched_at": snapshot.fetched_at.isoformat() if snapshot.fetched_at else None,
    }
    if args.json:
        _print_json(report)
    else:
        what = "updated" if result == "updated" else "already current"
        until = f", CRL next update {next_update:%Y-%m-%d %H:%M} UTC" if next_update else ""
        echo(f"trust list {what}: {report['certificates']} certificates, {report['crls']} CRLs from "
             f"{settings.trust_url}{until}")
    return 0


def _print_json(data: dict[str, Any]) -> None:
    echo(json_text(data))
