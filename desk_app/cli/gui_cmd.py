"""`desk-app gui` (the default with no command) opens the desk window; `desk-app demo` opens it
with the embedded demo world (demo trust root, reference registry, SQLite ledger)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desk_app.cli.common import UsageError, add_settings_options, settings_from_args
from desk_app.cli.terminal import echo


def register(sub: argparse._SubParsersAction) -> None:
    gui = sub.add_parser("gui", help="open the desk window (the default)")
    add_settings_options(gui)
    gui.set_defaults(handler=run_gui)
    demo = sub.add_parser("demo", help="open the desk window in demo mode (no server, scanner or camera needed)")
    demo.add_argument("--data-dir", metavar="DIR", type=Path, help="demo data folder (default: <user data>/demo)")
    demo.add_argument("--no-sounds", action="store_true", help="no decision sounds")
    demo.set_defaults(handler=run_demo)


def run_gui(args: argparse.Namespace) -> int:
    from desk_app import paths
    from desk_app.ui.app import run_window

    settings = settings_from_args(args)
    config_path = args.config or paths.user_config_file()
    return run_window(settings, config_path=config_path)


def run_demo(args: argparse.Namespace) -> int:
    from desk_app.ui.app import run_window
    from desk_app.ui.demo import start_demo

    overrides = {"sounds": False} if args.no_sounds else {}
    try:
        env = start_demo(args.data_dir, **overrides)
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot start the demo: {exc}") from None
    echo(f"desk-app demo: reference registry on {env.registry.url}; data in {env.settings.data_dir}",
          file=sys.stderr)
    return run_window(env.settings, config_path=env.config_path, cleanup=env.stop)
