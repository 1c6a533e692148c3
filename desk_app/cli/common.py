"""Options shared by every command that judges a policy, and their mapping to Settings."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desk_app.cli.terminal import echo
from desk_app.config import TOKEN_ENV, Settings, load_settings, read_token_file


class UsageError(Exception):
    """Bad usage detected after parsing: exit status 2 with a one-line English message."""


def add_settings_options(parser: argparse.ArgumentParser) -> None:
    g = parser.add_argument_group("settings (override the config file)")
    g.add_argument("--config", metavar="FILE", type=Path, help="TOML config file (default: the user's)")
    g.add_argument("--trust-root", metavar="PEM", help="pinned Treasury root certificate (PEM)")
    g.add_argument("--trust-url", metavar="URL", help="Treasury base URL serving signers.pem and root.crl")
    g.add_argument("--registry-url", metavar="URL", help="registry base URL")
    g.add_argument(
        "--registry-token", metavar="TOKEN",
        help="registry bearer token (visible to other users in the process list: prefer "
        f"--registry-token-file or the {TOKEN_ENV} environment variable)",
    )  # fmt: skip
    g.add_argument("--registry-token-file", metavar="FILE", type=Path,
                   help="file holding the registry bearer token (readable by the desk's users only)")  # fmt: skip
    g.add_argument("--data-dir", metavar="DIR", help="where caches and the database live")
    g.add_argument("--offline", action="store_true", default=None, help="ask nothing online")


def add_demo_option(parser: argparse.ArgumentParser) -> None:
    """`--demo` for read-only commands (verify, doctor): demo mode, so that without a trust.root the
    bundled TEST-ONLY demo root is pinned. Never on commands that write the ledger (the demo PIN)."""
    parser.add_argument("--demo", action="store_true",
                        help="demo mode: without trust.root, pin the bundled TEST-ONLY demo root "
                        "(never at a real desk)")


def demo_override(args: argparse.Namespace) -> dict[str, object]:
    """`--demo` pins the bundled TEST-ONLY demo root when no `--trust-root` is given. It does not
    switch on `ui.demo` (read from the machine-wide file only: it also unlocks the demo PIN)."""
    if not getattr(args, "demo", False) or getattr(args, "trust_root", None):
        return {}
    from desk_app.config import demo_trust_root

    return {"trust_root": str(demo_trust_root())}


def settings_from_args(args: argparse.Namespace, **extra: object) -> Settings:
    """Settings for a command, with logging set up for them (file + masked warnings on stderr)."""
    overrides: dict[str, object] = {
        "trust_root": args.trust_root,
        "trust_url": args.trust_url,
        "registry_url": args.registry_url,
        "data_dir": args.data_dir,
        "offline": args.offline,
        **extra,
    }
    overrides.update(_token_overrides(args))
    settings = load_settings(config_file=args.config, overrides=overrides)
    from desk_app.logging_setup import setup_logging

    setup_logging(settings, console=True)
    return settings


def _token_overrides(args: argparse.Namespace) -> dict[str, object]:
    token_file = getattr(args, "registry_token_file", None)
    if args.registry_token is not None and token_file is not None:
        raise UsageError("give --registry-token or --registry-token-file, not both")
    if token_file is not None:
        return {"registry_token": read_token_file(token_file), "token_origin": f"token-file:{token_file}"}
    if args.registry_token is not None:
        echo(
            "desk-app: warning: --registry-token is visible to other users of this computer (process list); "
            f"use --registry-token-file, the {TOKEN_ENV} environment variable or the config file",
            file=sys.stderr,
        )
        return {"registry_token": args.registry_token}
    return {}


def use_utf8_stdio() -> None:
    """JSON and messages carry Cyrillic; never let a legacy console code page garble it."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(encoding="utf-8")
            except (ValueError, OSError):
                pass
