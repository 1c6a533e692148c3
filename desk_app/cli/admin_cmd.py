"""`desk-app admin set-pin`: IT sets the administrator PIN in the machine-wide file.

Run as root (Linux) or as an administrator (Windows): the file, `/etc/desk-app/config.toml` or
`%ProgramData%\\desk-app\\config.toml` (desk_app.paths.machine_config_file), is the only place
the PIN's hash is read from, and the desk's users cannot write it. The PIN (6 to 12 digits) is
typed twice at the terminal, or read from `--pin-file FILE` (the same reader as the registry
token file). `--print-hash` prints the `admin_pin_hash = "..."` line instead, to deploy to many
desks by other means. The rest of the file, comments included, is kept.

Exit status: 0 done, 2 bad usage (a PIN that is not 6 to 12 digits, two different PINs, the
file not writable: run as root/administrator).
"""

from __future__ import annotations

import argparse
import logging
import re
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from desk_app.cli.common import UsageError
from desk_app.cli.terminal import echo

_PIN_LINE = re.compile(r"^[ \t]*admin_pin_hash[ \t]*=.*$", re.MULTILINE)
_UI_HEADER = re.compile(r"^[ \t]*\[ui\][ \t]*(#.*)?$", re.MULTILINE)


def register(sub: argparse._SubParsersAction) -> None:
    admin = sub.add_parser("admin", help="IT only: set the administrator PIN (machine-wide file)",
                           description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    asub = admin.add_subparsers(dest="admin_command", metavar="ACTION", required=True)
    setp = asub.add_parser("set-pin", help="set the administrator PIN (run as root/administrator)")
    setp.add_argument("--pin-file", type=Path, metavar="FILE", help="read the new PIN from FILE (default: ask twice)")
    setp.add_argument("--print-hash", action="store_true",
                      help="print the config line instead of writing the machine-wide file")  # fmt: skip
    setp.set_defaults(handler=run_set_pin)


def run_set_pin(args: argparse.Namespace) -> int:
    from desk_app import paths
    from desk_app.core.roles import MAX_PIN_DIGITS, MIN_PIN_DIGITS, hash_pin, pin_is_acceptable

    with _warnings_on_stderr():  # e.g. "PIN file ... can be read by other users"
        pin = _new_pin(args)
    if not pin_is_acceptable(pin):
        raise UsageError(f"the PIN must be {MIN_PIN_DIGITS} to {MAX_PIN_DIGITS} digits")
    line = f'admin_pin_hash = "{hash_pin(pin)}"'
    if args.print_hash:
        echo("[ui]")
        echo(line)
        return 0
    target = paths.machine_config_file()
    write_pin_line(target, line)
    echo(f"desk-app: the administrator PIN is set in {target}", file=sys.stderr)
    return 0


@contextmanager
def _warnings_on_stderr() -> Iterator[None]:
    """IT runs this as root, with no desk settings and so no log file: warnings go to stderr."""
    from desk_app.logging_setup import LineFormatter

    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(LineFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield
    finally:
        root.removeHandler(handler)


def _new_pin(args: argparse.Namespace) -> str:
    if args.pin_file is not None:
        from desk_app.config import read_token_file

        return read_token_file(args.pin_file, "PIN file")
    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        raise UsageError("type the new PIN at a terminal, or give --pin-file FILE")
    import getpass

    try:
        first = getpass.getpass("New administrator PIN: ")
        second = getpass.getpass("The same PIN again: ")
    except (EOFError, KeyboardInterrupt):
        raise UsageError("no PIN was set") from None
    if first != second:
        raise UsageError("the two PINs differ; nothing was changed")
    return first


def pin_file_text(old: str, line: str) -> str:
    """`old` (a TOML document) with its `admin_pin_hash` line replaced by `line`, or `line` added
    under `[ui]` (made when missing); everything else, comments included, kept."""
    if _PIN_LINE.search(old):
        return _PIN_LINE.sub(lambda _m: line, old, count=1)
    header = _UI_HEADER.search(old)
    if header:
        return old[: header.end()] + "\n" + line + old[header.end() :]
    if not old.strip():
        return f"[ui]\n{line}\n"
    prefix = old if old.endswith("\n") else old + "\n"
    return f"{prefix}\n[ui]\n{line}\n"


def write_pin_line(target: Path, line: str) -> None:
    """Put `line` into the machine-wide file, atomically; the result must still be a valid config."""
    from desk_app.config import ConfigError, parse_config_bytes, write_file_atomically

    try:
        old = target.read_text("utf-8") if target.exists() else ""
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {target}: {getattr(exc, 'strerror', None) or exc}") from None
    new = pin_file_text(old, line).encode("utf-8")
    try:
        parse_config_bytes(new, str(target))  # checked before anything is written
    except ConfigError as exc:
        raise UsageError(f"{target} would not be a valid config file ({exc}); fix it by hand") from None
    try:
        # Readable by the desk's users (the app reads the hash), writable by IT alone; an
        # existing file keeps its mode (e.g. 0640 with a group of the desk's users).
        mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else 0o644
        target.parent.mkdir(parents=True, exist_ok=True)
        write_file_atomically(target, new, mode=mode)
    except PermissionError:
        raise UsageError(f"cannot write {target}: run `desk-app admin set-pin` as root (or as administrator)") from None
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from None
