"""Entry point of `desk-app`. With no command it opens the desk window."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence

from desk_app import __version__
from desk_app.cli.common import UsageError, use_utf8_stdio
from desk_app.cli.terminal import echo, terminal_text
from desk_app.config import ConfigError

log = logging.getLogger(__name__)

# Each module defines `register(subparsers)`, adding parsers whose `handler(args) -> int`
# is set with `set_defaults(handler=...)`. Modules import their heavy dependencies lazily
# so that `desk-app --help` and the window start fast.
COMMAND_MODULES: tuple[str, ...] = (
    "desk_app.cli.verify_cmd",
    "desk_app.cli.lookup_cmd",
    "desk_app.cli.demo_cmd",
    "desk_app.cli.registry_cmd",
    "desk_app.cli.visits_cmd",
    "desk_app.cli.gui_cmd",
    "desk_app.cli.doctor_cmd",
    "desk_app.cli.trust_cmd",
    "desk_app.cli.admin_cmd",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="desk-app",
        description="Check electronic OMS policies at a clinic's registration desk.",
    )
    parser.add_argument("--version", action="version", version=f"desk-app {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    use_utf8_stdio()
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:  # no command: open the desk window
        if "gui" not in _command_names(parser):
            parser.print_help()
            return 2
        args = parser.parse_args(["gui"])
        handler = args.handler
    try:
        return int(handler(args))
    except (ConfigError, UsageError) as exc:
        echo(f"desk-app: error: {terminal_text(exc)}", file=sys.stderr)  # one line, whatever the message holds
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `desk-app ... | head`: the reader left; say nothing more
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


def _command_names(parser: argparse.ArgumentParser) -> set[str]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return set(action.choices)
    return set()
