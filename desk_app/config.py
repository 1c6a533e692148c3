"""Typed settings: defaults, the user's TOML file, the machine-wide (IT-managed) file, overrides.

Precedence, lowest first: built-in defaults, the user's config file (or the one named by
`--config`), the machine-wide file (its keys are locked: the user cannot change them in the
window), and finally command-line options. Unknown keys and bad values are refused with a
`ConfigError` that names the key.

Machine-only keys (`Option.machine_only`: the administrator PIN's hash, the demo switch) are read from the
machine-wide file alone (`paths.machine_config_file()`, writable only by IT). Found in the
user's file, in `--config` or in overrides they are not used: `Settings.refused` says so, naming
the machine-wide file, and the CLI and doctor show it (docs/security.md).
"""

from __future__ import annotations

import dataclasses
import logging
import math
import os
import stat
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from desk_app import paths


class ConfigError(ValueError):
    """A config file or option that cannot be used; the message names the key."""


def _url(value: str) -> str:
    """An http(s) base URL by desk_app.net.urls' rules (no userinfo, nothing ambiguous, http only to loopback)."""
    if value == "":
        return value
    from desk_app.net.urls import UnsafeUrl, check_url

    try:
        return check_url(value).url
    except UnsafeUrl as exc:
        raise ValueError(str(exc)) from None


def _desk_id(value: str) -> str:
    from desk_app.text_fields import TextFieldError, required_text

    try:
        return required_text(value, "the desk id", max_length=64)
    except TextFieldError as exc:
        raise ValueError(str(exc).removeprefix("the desk id ")) from None


def _positive(value: float) -> float:
    if not math.isfinite(value) or value <= 0:  # nan compares false with everything
        raise ValueError("must be a number greater than zero")
    return value


def _at_most(limit: float, unit: str) -> Callable[[float], float]:
    """A positive duration no longer than `limit`: `inf` or 1e308 would make a wait without a bound."""

    def check(value: float) -> float:
        _positive(value)
        if value > limit:
            raise ValueError(f"must be at most {limit:g} {unit}")
        return value

    return check


def _timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError("is not a known time zone (e.g. Europe/Moscow)") from exc
    return value


def _choice(*allowed: str) -> Callable[[str], str]:
    def check(value: str) -> str:
        if value not in allowed:
            raise ValueError("must be one of: " + ", ".join(allowed))
        return value

    return check


def _storage_url(value: str) -> str:
    if value == "" or value.startswith(("sqlite:///", "postgresql://", "postgres://")):
        return value
    if "://" in value:
        raise ValueError("must be a SQLite path, sqlite:///PATH or postgresql://...")
    return value


@dataclass(frozen=True)
class Option:
    key: str  # "section.name" in TOML
    attr: str  # Settings attribute
    kind: type
    default: Any
    check: Callable[[Any], Any] | None = None
    secret: bool = False
    machine_only: bool = False  # read only from the machine-wide file (see the module docstring)


MAX_NETWORK_SECONDS = 300.0  # no network wait is configured longer than five minutes
MAX_CONFIG_FILE = 1024 * 1024

OPTIONS: tuple[Option, ...] = (
    Option("trust.root", "trust_root", str, ""),
    Option("trust.url", "trust_url", str, "", _url),
    Option("trust.refresh_hours", "trust_refresh_hours", float, 6.0, _at_most(24 * 366, "hours")),
    Option("trust.timeout", "trust_timeout", float, 10.0, _at_most(MAX_NETWORK_SECONDS, "seconds")),
    Option("registry.url", "registry_url", str, "", _url),
    Option("registry.token", "registry_token", str, "", secret=True),
    Option("registry.token_file", "registry_token_file", str, ""),
    Option("registry.ca_bundle", "registry_ca_bundle", str, ""),
    Option(
        "registry.connect_timeout", "registry_connect_timeout", float, 1.5, _at_most(MAX_NETWORK_SECONDS, "seconds")
    ),
    Option("registry.timeout", "registry_timeout", float, 3.0, _at_most(MAX_NETWORK_SECONDS, "seconds")),
    Option("registry.sync_minutes", "registry_sync_minutes", float, 60.0, _at_most(60 * 24 * 366, "minutes")),
    Option("desk.id", "desk_id", str, "desk-1", _desk_id),
    Option("desk.timezone", "timezone", str, "Europe/Moscow", _timezone),
    Option("desk.offline", "offline", bool, False),
    Option("desk.data_dir", "data_dir", str, ""),
    Option("storage.url", "storage_url", str, "", _storage_url),
    Option("scanner.wedge", "wedge_enabled", bool, True),
    Option("scanner.wedge_prefix", "wedge_prefix", str, ""),
    Option("scanner.wedge_suffix", "wedge_suffix", str, ""),
    Option("scanner.wedge_terminator", "wedge_terminator", str, "enter", _choice("enter", "tab")),
    Option("scanner.wedge_max_gap_ms", "wedge_max_gap_ms", float, 45.0, _at_most(60_000, "ms")),
    Option("scanner.serial_port", "serial_port", str, ""),
    Option("scanner.serial_baud", "serial_baud", int, 9600, _positive),
    Option("scanner.serial_terminator", "serial_terminator", str, "cr", _choice("cr", "lf", "crlf", "tab")),
    Option("scanner.camera", "camera", str, ""),
    Option("ui.sounds", "sounds", bool, True),
    Option("ui.admin_pin_hash", "admin_pin_hash", str, "", secret=True, machine_only=True),
    # The demo accepts the documented demo PIN when none is set: only IT may turn it on for a desk.
    Option("ui.demo", "demo", bool, False, machine_only=True),
    Option("logging.level", "log_level", str, "INFO", _choice("DEBUG", "INFO", "WARNING", "ERROR")),
    Option("logging.dir", "log_dir", str, ""),
)

OPTIONS_BY_KEY: dict[str, Option] = {opt.key: opt for opt in OPTIONS}
OPTIONS_BY_ATTR: dict[str, Option] = {opt.attr: opt for opt in OPTIONS}


@dataclass(frozen=True)
class Settings:
    trust_root: str = ""
    trust_url: str = ""
    trust_refresh_hours: float = 6.0
    trust_timeout: float = 10.0  # the whole trust refresh (every file), seconds
    registry_url: str = ""
    registry_token: str = ""
    registry_token_file: str = ""
    registry_ca_bundle: str = ""
    registry_connect_timeout: float = 1.5
    registry_timeout: float = 3.0
    registry_sync_minutes: float = 60.0
    desk_id: str = "desk-1"
    timezone: str = "Europe/Moscow"
    offline: bool = False
    data_dir: str = ""
    storage_url: str = ""
    wedge_enabled: bool = True
    wedge_prefix: str = ""
    wedge_suffix: str = ""
    wedge_terminator: str = "enter"
    wedge_max_gap_ms: float = 45.0
    serial_port: str = ""
    serial_baud: int = 9600
    serial_terminator: str = "cr"
    camera: str = ""
    sounds: bool = True
    admin_pin_hash: str = ""
    demo: bool = False
    log_level: str = "INFO"
    log_dir: str = ""
    # Keys set by the machine-wide file; the window shows them read-only.
    locked: frozenset[str] = field(default_factory=frozenset)
    # Files the settings were read from (for `doctor` and the settings window).
    sources: tuple[str, ...] = ()
    # Where registry_token came from: "" (not set), "config:PATH", "token-file:PATH",
    # "environment" (DESK_REGISTRY_TOKEN) or "command line" (see read_token_file, load_settings).
    token_origin: str = ""
    # Machine-only keys found where the desk's user can write (English, one line each; not used).
    refused: tuple[str, ...] = ()

    # Resolved paths -------------------------------------------------------------------
    @property
    def data_path(self) -> Path:
        return Path(self.data_dir).expanduser() if self.data_dir else paths.default_data_dir()

    @property
    def trust_root_path(self) -> Path | None:
        """The pinned root; None when no `trust.root` is set outside demo mode (the desk then
        judges nothing: it never falls back to the bundled TEST root). Demo mode (`ui.demo`,
        `desk-app demo`, `--demo`) without a `trust.root` pins the bundled TEST-ONLY demo root."""
        if self.trust_root:
            return Path(self.trust_root).expanduser()
        return demo_trust_root() if self.demo else None

    @property
    def trust_root_configured(self) -> bool:
        return self.trust_root_path is not None

    @property
    def uses_demo_root(self) -> bool:
        path = self.trust_root_path
        if path is None:
            return False
        try:
            return path.resolve() == demo_trust_root().resolve()
        except OSError:
            return False

    @property
    def trust_cache_dir(self) -> Path:
        return self.data_path / "trust"

    @property
    def status_db_path(self) -> Path:
        return self.data_path / "registry-cache.sqlite"

    @property
    def resolved_storage_url(self) -> str:
        return self.storage_url or f"sqlite:///{self.data_path / 'visits.sqlite'}"

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)


TOKEN_ENV = "DESK_REGISTRY_TOKEN"  # noqa: S105 (the variable's name, not a secret)
_OUTSIDE_ORIGINS = ("token-file:", "environment", "command line")
MAX_TOKEN_FILE = 64 * 1024
MACHINE_ONLY_ATTRS = frozenset(opt.attr for opt in OPTIONS if opt.machine_only)

log = logging.getLogger(__name__)


def read_small_file(path: Path, limit: int, what: str) -> bytes:
    """At most `limit` + 1 bytes of a regular file. A FIFO, a device or a directory is refused
    before anything is read (opening a FIFO alone can wait for ever, /dev/zero never ends)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise ConfigError(f"cannot read {what} {path}: {exc.strerror or exc}") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ConfigError(f"{what} {path} is not a regular file")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, limit + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise ConfigError(f"cannot read {what} {path}: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def read_token_file(path: Path, what: str = "token file") -> str:
    """The secret held in `path` (a registry token, the administrator PIN): its text with
    surrounding whitespace (a final newline) removed. The one reader of secret files: a regular
    file only (a FIFO, /dev/zero or a directory is refused before reading), at most
    MAX_TOKEN_FILE bytes, one line, and a logged warning when other users can read it."""
    path = path.expanduser()
    raw = read_small_file(path, MAX_TOKEN_FILE, what)
    if len(raw) > MAX_TOKEN_FILE:
        raise ConfigError(f"{what} {path} is too large to hold a token")
    _warn_if_others_can_read(path, what)
    try:
        token = raw.decode("utf-8").strip()
    except UnicodeDecodeError:
        raise ConfigError(f"{what} {path} is not UTF-8 text") from None
    if not token:
        raise ConfigError(f"{what} {path} is empty")
    if any(c.isspace() or not c.isprintable() for c in token):
        raise ConfigError(f"{what} {path} must hold the token alone on one line")
    return token


def others_can_read(path: Path) -> bool:
    """True when every user of the computer may read `path` (the POSIX "other" read bit; a group
    of the desk's users is allowed). On Windows the user's profile is private; ACLs are not read."""
    if os.name == "nt":
        return False
    try:
        return bool(os.stat(path).st_mode & stat.S_IROTH)
    except OSError:
        return False


def _warn_if_others_can_read(path: Path, what: str) -> None:
    if others_can_read(path):
        log.warning("%s %s can be read by other users of this computer: run `chmod 600 %s`", what, path, path)


def demo_trust_root() -> Path:
    return paths.resource("demo", "TEST-ONLY-demo-root.pem")


def _coerce(opt: Option, value: Any) -> Any:
    if opt.kind is float and isinstance(value, int) and not isinstance(value, bool):
        try:
            value = float(value)
        except OverflowError:
            raise ConfigError(f"config key '{opt.key}': the number is too large") from None
    if opt.kind is bool and not isinstance(value, bool):
        raise ConfigError(f"config key '{opt.key}': expected true or false, got {value!r}")
    if not isinstance(value, opt.kind) or (opt.kind is int and isinstance(value, bool)):
        raise ConfigError(f"config key '{opt.key}': expected {opt.kind.__name__}, got {value!r}")
    if opt.check is not None:
        try:
            value = opt.check(value)
        except ValueError as exc:
            raise ConfigError(f"config key '{opt.key}': {value!r} {exc}") from None
    return value


def parse_toml_settings(data: Mapping[str, Any], origin: str) -> dict[str, Any]:
    """Flatten and validate one TOML document into Settings attributes."""
    values: dict[str, Any] = {}
    for section, body in data.items():
        if not isinstance(body, Mapping):
            raise ConfigError(f"{origin}: '{section}' must be a [section] table")
        for name, value in body.items():
            key = f"{section}.{name}"
            opt = OPTIONS_BY_KEY.get(key)
            if opt is None:
                raise ConfigError(f"{origin}: unknown config key '{key}'")
            try:
                values[opt.attr] = _coerce(opt, value)
            except ConfigError as exc:  # say which file, too: the user's or the machine-wide one
                raise ConfigError(f"{origin}: {exc}") from None
    return values


def read_config_file(path: Path) -> dict[str, Any]:
    return parse_config_bytes(read_small_file(path, MAX_CONFIG_FILE, "config file"), str(path))


def parse_config_bytes(raw: bytes, origin: str) -> dict[str, Any]:
    """The settings a config file's bytes hold, checked as when the desk reads it (ConfigError)."""
    if len(raw) > MAX_CONFIG_FILE:
        raise ConfigError(f"config file {origin} is too large (more than {MAX_CONFIG_FILE // 1024} KiB)")
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"config file {origin} is not valid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"config file {origin} is not valid TOML: nested too deeply") from None
    return parse_toml_settings(data, origin)


def load_settings(
    config_file: Path | None = None,
    overrides: Mapping[str, Any] | None = None,
    *,
    machine_file: Path | None = None,
    use_user_file: bool = True,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Build Settings from defaults, files, the environment and overrides (attribute names, typed).

    The registry token, highest first: an override (the command line: `--registry-token`, or
    `--registry-token-file`, which passes `token_origin`), the DESK_REGISTRY_TOKEN environment
    variable, the machine-wide file, the user's file (`registry.token`, or `registry.token_file`
    naming a file that holds it). `Settings.token_origin` says which one was used.
    """
    values: dict[str, Any] = {}
    sources: list[str] = []
    origin = ""
    refused: list[str] = []
    machine = machine_file if machine_file is not None else paths.machine_config_file()
    user_file = config_file if config_file is not None else (paths.user_config_file() if use_user_file else None)
    if user_file is not None and (config_file is not None or user_file.exists()):
        user_values = read_config_file(user_file)
        refused += _drop_machine_only(user_values, str(user_file), machine)
        values.update(user_values)
        sources.append(str(user_file))
        origin = _file_token_origin(user_values, user_file) or origin
    locked: set[str] = set()
    if machine.exists():
        machine_values = read_config_file(machine)
        values.update(machine_values)
        locked.update(machine_values)
        sources.append(str(machine))
        origin = _file_token_origin(machine_values, machine) or origin
    token_file = values.get("registry_token_file", "")
    if token_file and origin.startswith("token-file:"):
        values["registry_token"] = read_token_file(Path(token_file), "registry.token_file")
    environ = os.environ if environ is None else environ
    if environ.get(TOKEN_ENV, "").strip():
        values["registry_token"], origin = environ[TOKEN_ENV].strip(), "environment"
    overrides = dict(overrides or {})
    override_origin = overrides.pop("token_origin", None)
    refused += _drop_machine_only(overrides, "the command line", machine)
    for attr, value in overrides.items():
        if value is None:
            continue
        opt = OPTIONS_BY_ATTR.get(attr)
        if opt is None:
            raise ConfigError(f"unknown setting '{attr}'")
        values[attr] = _coerce(opt, value)
    if overrides.get("registry_token") is not None:
        origin = str(override_origin or "command line")
    if not values.get("registry_token"):
        origin = ""
    for message in refused:
        log.warning("%s", message)
    return Settings(
        **values, locked=frozenset(locked), sources=tuple(sources), token_origin=origin, refused=tuple(refused)
    )


def _drop_machine_only(values: dict[str, Any], where: str, machine: Path) -> list[str]:
    """Remove machine-only keys from `values` (read from somewhere the desk's user can write);
    one English message for each, naming the machine-wide file."""
    messages = []
    for attr in sorted(MACHINE_ONLY_ATTRS & values.keys()):
        if values.pop(attr) in (None, "", False):
            continue
        messages.append(
            f"'{OPTIONS_BY_ATTR[attr].key}' in {where} is not used: it is read only from the machine-wide "
            f"file {machine}, which IT sets" + (" (`desk-app admin set-pin`)" if attr == "admin_pin_hash" else "")
        )
    return messages


def _file_token_origin(values: dict[str, Any], path: Path) -> str:
    """Which source of the token a config file names (its own key, or a token file); "" for neither."""
    if values.get("registry_token") and values.get("registry_token_file"):
        raise ConfigError(f"{path}: set 'registry.token' or 'registry.token_file', not both")
    if values.get("registry_token_file"):
        return f"token-file:{Path(values['registry_token_file']).expanduser()}"
    if values.get("registry_token"):
        return f"config:{path}"
    return ""


def settings_to_toml(settings: Settings, *, include_defaults: bool = False) -> dict[str, dict[str, Any]]:
    """The TOML document for `settings` (only non-default values unless asked), locked keys left out."""
    doc: dict[str, dict[str, Any]] = {}
    defaults = Settings()
    for opt in OPTIONS:
        value = getattr(settings, opt.attr)
        if opt.attr in settings.locked or opt.machine_only:
            continue
        if opt.attr == "registry_token" and settings.token_origin.startswith(_OUTSIDE_ORIGINS):
            continue  # a token from the environment or a token file never lands in the config file
        if not include_defaults and value == getattr(defaults, opt.attr):
            continue
        section, name = opt.key.split(".", 1)
        doc.setdefault(section, {})[name] = value
    return doc


def save_settings(settings: Settings, path: Path) -> None:
    """Write the user's config file atomically (a crash never leaves half a file), owner-only:
    it may hold the registry token."""
    import tomli_w

    path.parent.mkdir(parents=True, exist_ok=True)
    write_file_atomically(path, tomli_w.dumps(settings_to_toml(settings)).encode("utf-8"))


def write_file_atomically(path: Path, data: bytes, *, mode: int = 0o600) -> None:
    """Replace `path` atomically (synced) with `data`, with `mode` on POSIX from the moment the file
    exists, whatever the umask: by default readable and writable by its owner only (on Windows the
    user's profile is already private)."""
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.unlink()  # a stale temporary file may carry a wider mode
    except FileNotFoundError:
        pass
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), mode)
    try:
        if os.name != "nt":
            os.fchmod(fd, mode)  # whatever the umask
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
