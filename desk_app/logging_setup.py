"""Logging for the window and the CLI: rotating files, one greppable line per event, no secrets.

    2026-11-25T09:15:02+03:00 INFO desk_app.registry event=lookup enp=7700********14 source=online ms=41

Every handler installed here carries `ThirdPartyFilter` then `MaskingFilter`: a library's
records below WARNING never reach a file or a console whatever `logging.level` says (signxml
logs the whole canonical policy at DEBUG), a library's warning keeps no XML content, and
whatever a module (ours or a library's) logs, tokens and personal data are masked.
A windowed frozen app has no stdout/stderr: no stream handler and no faulthandler is ever
attached to a missing stream; faulthandler writes to its own file next to the log.
"""

from __future__ import annotations

import faulthandler
import logging
import re
import sys
from collections.abc import Iterable
from datetime import datetime
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import IO
from zoneinfo import ZoneInfo

from desk_app import paths
from desk_app.config import OPTIONS, Settings
from desk_app.text_fields import escape_hidden

LOG_FILE = "desk-app.log"
FAULT_FILE = "faults.log"
MAX_BYTES = 2_000_000
BACKUPS = 5
AUDIT_ANCHOR = "audit_anchor"  # `extra={AUDIT_ANCHOR: True}`: an audit anchor line, left unmasked
_MARK = "_desk_app_handler"  # set on handlers we own, so a second setup replaces them
_fault_file: IO[str] | None = None

# --- masking -------------------------------------------------------------------------------

_BEARER = re.compile(r"(?i)\b(bearer)(\s+)[A-Za-z0-9._~+/=-]+")
_AUTH_HEADER = re.compile(r"(?i)(authorization['\"]?\s*[:=]\s*['\"]?)(?!bearer\b)[^\s'\",;}]+")
_SECRET_KV = re.compile(
    r"(?i)\b([a-z_]*(?:token|password|passwd|secret|pin_hash|api_key))(['\"]?\s*[=:]\s*['\"]?)([^\s'\",;}&]+)"
)
_URL_PASSWORD = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://[^/\s:@]+:)([^@\s/]+)(@)")
# 16-digit policy numbers, plain or grouped by four ("7700 0000 0000 0014").
_ENP = re.compile(r"(?<![\d*])(\d{4})[ -]?(\d{4})[ -]?(\d{4})[ -]?(\d{2})(\d{2})(?![\d*])")
# SNILS: "112-233-445 95" or 11 digits in a row.
_SNILS = re.compile(r"(?<![\d*])(?:\d{3}-\d{3}-\d{3}[ -]\d{2}|\d{11})(?![\d*])")
# Passport series and number: "4510 123456", "45 10 123456", "4510123456", "4510 № 123456".
_PASSPORT = re.compile(r"(?<![\d*])\d{2}\s?\d{2}\s?(?:№\s?)?\d{6}(?![\d*])")
# Birth certificate: a Roman numeral, a hyphen, two Cyrillic capitals, then 6 digits ("IV-МЮ 654321").
_BIRTH_CERTIFICATE = re.compile(r"(?<![\w*])[IVXLC]+-[А-ЯЁ]{2}\s?(?:№\s?)?\d{6}(?![\d*])")
# A Russian full name (surname, given name, patronymic) -> initials.
_FULL_NAME = re.compile(
    r"\b([А-ЯЁ])[а-яё]+(?:-[А-ЯЁ][а-яё]+)?\s+([А-ЯЁ])[а-яё]+\s+([А-ЯЁ])[а-яё]+(?:вич|вна|ична|ич|оглы|кызы)\b"
)
_NAME_KV = re.compile(r"(?i)\b(last_name|first_name|middle_name|full_name|fio|patient|holder)=(\S)\S*")


def _mask_enp(match: re.Match[str]) -> str:
    return f"{match.group(1)}**********{match.group(5)}"


def mask_text(text: str, secrets: Iterable[str] = ()) -> str:
    """Mask tokens, passwords, policy numbers, SNILS, passport and birth certificate numbers and full
    names in `text`."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "***")
    text = _BEARER.sub(r"\1\2***", text)
    text = _AUTH_HEADER.sub(r"\1***", text)
    text = _SECRET_KV.sub(r"\1\2***", text)
    text = _URL_PASSWORD.sub(r"\1***\3", text)
    text = _ENP.sub(_mask_enp, text)
    text = _SNILS.sub("***-***-*** **", text)
    text = _PASSPORT.sub("**** ******", text)
    text = _BIRTH_CERTIFICATE.sub("**-** ******", text)
    text = _FULL_NAME.sub(r"\1. \2. \3.", text)
    text = _NAME_KV.sub(r"\1=\2.", text)
    return text


class MaskingFilter(logging.Filter):
    """Rewrites each record's message (and its traceback) with `mask_text` before any handler formats it."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets = tuple(s for s in secrets if s)

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, AUDIT_ANCHOR, False):
            return True  # a sequence number and hashes, nothing personal: a hash's digit run is not a SNILS
        try:
            message = record.getMessage()
        except Exception:  # a bad format string in someone's log call must not lose the event
            message = f"{record.msg!r} {record.args!r}"
        record.msg, record.args = mask_text(message, self.secrets), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_text(record.exc_text, self.secrets)
        if record.stack_info:
            record.stack_info = mask_text(record.stack_info, self.secrets)
        return True


OWN_LOGGERS = ("desk_app", "py.warnings")
# Libraries that see policy content (signxml logs the canonical XML it signs or checks at DEBUG,
# lxml, the HTTP stack logs request lines, Qt and psycopg their own). Capped at WARNING whatever
# logging.level says; ThirdPartyFilter drops lower records from any other logger too.
QUIET_LIBRARIES = ("signxml", "lxml", "urllib3", "requests", "charset_normalizer", "psycopg", "PySide6",
                   "PIL", "pyzbar", "zxingcpp", "pypdfium2", "truststore", "asyncio")  # fmt: skip
_MARKUP = re.compile(r"<[A-Za-z/!?][^>]*>")


class ThirdPartyFilter(logging.Filter):
    """Only the app's own loggers may write below WARNING; a library's warning keeps no XML content.

    Whatever a library logs about a document (signxml's canonical policy, lxml's fragments) is
    personal data: its DEBUG/INFO records never reach a handler, at any app level, and from a
    WARNING or worse only the text before the first tag is kept.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "root" or record.name.startswith(OWN_LOGGERS):
            return True
        if record.levelno < logging.WARNING:
            return False
        try:
            message = record.getMessage()
        except Exception:
            message = str(record.msg)
        found = _MARKUP.search(message)
        if found:
            record.msg, record.args = message[: found.start()] + "[XML content withheld]", ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text and _MARKUP.search(record.exc_text):
            record.exc_text = _MARKUP.split(record.exc_text, 1)[0] + "[XML content withheld]"
        return True


class LineFormatter(logging.Formatter):
    """`<ISO time with offset> LEVEL logger message`, the message on one line.

    A traceback follows on continuation lines that start with four spaces, so
    `grep -v '^    '` leaves exactly one line per event.
    """

    def __init__(self, tz: ZoneInfo | None = None) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")
        self.tz = tz

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        moment = datetime.fromtimestamp(record.created, self.tz) if self.tz else datetime.fromtimestamp(
            record.created
        ).astimezone()
        return moment.isoformat(timespec="seconds")

    def formatMessage(self, record: logging.LogRecord) -> str:
        # One line, and no escape sequence or bidi override reaches a console or `tail -f`.
        record.message = escape_hidden(record.message.replace("\r", " ").replace("\n", " | "))
        return super().formatMessage(record)

    def formatException(self, ei) -> str:
        return _indent(super().formatException(ei))

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        head, sep, rest = text.partition("\n")
        return head + (sep + _indent(rest) if sep else "")


def _indent(text: str) -> str:
    return "\n".join(line if line.startswith("    ") else "    " + line for line in text.splitlines())


# --- setup -----------------------------------------------------------------------------------


def log_dir_for(settings: Settings) -> Path:
    return Path(settings.log_dir).expanduser() if settings.log_dir else paths.default_log_dir()


def settings_secrets(settings: Settings) -> list[str]:
    """Values of every secret setting (the registry token, the admin PIN hash)."""
    return [str(getattr(settings, opt.attr)) for opt in OPTIONS if opt.secret and getattr(settings, opt.attr)]


def setup_logging(settings: Settings, *, console: bool) -> Path | None:
    """Install the file handler (and, for the CLI, a stderr handler for warnings).

    Returns the log file's path, or None when the log folder cannot be written (the app
    still runs; the console, when there is one, says why). Calling it again replaces the
    handlers installed by an earlier call.
    """
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, _MARK, False)]:
        root.removeHandler(handler)
        handler.close()
    masking = MaskingFilter(settings_secrets(settings))
    third_party = ThirdPartyFilter()
    for name in QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(logging.WARNING)
    try:
        tz: ZoneInfo | None = settings.tz
    except Exception:
        tz = None
    formatter = LineFormatter(tz)
    root.setLevel(settings.log_level)

    stderr = sys.stderr if console else None
    if stderr is not None:
        stream = logging.StreamHandler(stderr)
        stream.setLevel(logging.WARNING)
        stream.setFormatter(formatter)
        stream.addFilter(third_party)
        stream.addFilter(masking)
        setattr(stream, _MARK, True)
        root.addHandler(stream)

    directory = log_dir_for(settings)
    log_file = directory / LOG_FILE
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(log_file, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
    except OSError as exc:
        if stderr is not None:
            print(f"desk-app: warning: cannot write logs to {directory}: {exc.strerror or exc}", file=stderr)
        return None
    handler.setFormatter(formatter)
    handler.addFilter(third_party)
    handler.addFilter(masking)
    setattr(handler, _MARK, True)
    root.addHandler(handler)
    logging.captureWarnings(True)
    _enable_faulthandler(directory)
    return log_file


def _enable_faulthandler(directory: Path) -> None:
    """Hard crashes (segfaults in native code) leave their Python stacks in faults.log."""
    global _fault_file
    try:
        handle = open(directory / FAULT_FILE, "a", encoding="utf-8")
    except OSError:
        return
    faulthandler.enable(file=handle, all_threads=True)
    if _fault_file is not None:
        _fault_file.close()
    _fault_file = handle
