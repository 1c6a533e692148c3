"""`desk-app demo-issue`: make a TEST Treasury and signed demo policies (never trusted by default)."""

from __future__ import annotations

import argparse
from pathlib import Path

from desk_app.cli.terminal import echo


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "demo-issue",
        help="make a TEST Treasury (root, signers, CRLs) and signed demo policies with QR images",
    )
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="where to write (created)")
    p.add_argument("--years", type=int, default=10, help="validity of the signers and CRLs (default 10)")
    p.add_argument(
        "--algorithm",
        choices=("gost", "rsa", "ec"),
        default="gost",
        help="the TEST Treasury's algorithm: gost (GOST R 34.10-2012: 512-bit root, 256-bit signers; the default),"
        " rsa (RSA root, ECDSA intermediate) or ec",
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from desk_app.cli.common import UsageError
    from desk_app.demo.demo_set import write_demo_set

    if args.out.exists() and any(args.out.iterdir()):
        raise UsageError(f"{args.out} exists and is not empty")
    write_demo_set(args.out, years=args.years, algorithm=args.algorithm)
    echo(f"TEST Treasury ({args.algorithm}) and demo policies written to {args.out}")
    echo(f"  pinned root for the demo: {args.out / 'TEST-ONLY-demo-root.pem'}")
    echo(f"  private keys (keep out of any production machine): {args.out / 'treasury-private'}")
    return 0
