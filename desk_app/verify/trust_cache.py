"""The trust cache on disk: one set of files replaced whole or not at all, and the update back-off.

Writing a set (`write_set`) is a small journal on plain files, so the cache stays readable as
`signers.pem`, `root.crl`, `intermediate.crl`:

1. every file of the new set is written beside its old one as `NAME.tmp` and synced;
2. `meta.json` is replaced atomically with the SHA-256 of each file of the new set (or null for
   a file the set does not have): this is the moment the new set becomes the cache;
3. the staged files are moved into place and the files the set lacks removed.

A failure before step 2 leaves the old set whole (the staged files are discarded); a crash after
it is finished by the next `read_set`. A file on disk that does not match `meta.json` makes the
whole cached set unusable rather than mixing two sets.

The back-off (`Backoff`) is kept here too, so that each run of the command line knows that the
last attempts failed and does not pay for another at once.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

log = logging.getLogger(__name__)

SIGNERS_FILE = "signers.pem"
ROOT_CRL_FILE = "root.crl"
INTERMEDIATE_CRL_FILE = "intermediate.crl"
SET_FILES = (SIGNERS_FILE, ROOT_CRL_FILE, INTERMEDIATE_CRL_FILE)
META_FILE = "meta.json"
BACKOFF_FILE = "update-backoff.json"
STAGED_SUFFIX = ".tmp"

BACKOFF_FIRST = timedelta(minutes=10)


class CacheWriteError(Exception):
    """The new set could not be written; the cache still holds the old set, whole."""


def write_set(cache_dir: Path, files: dict[str, bytes], fetched_at: datetime) -> None:
    """Replace the cached set with `files` (names from SET_FILES), whole or not at all."""
    digests: dict[str, str | None] = {name: None for name in SET_FILES}
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        for name in SET_FILES:
            if name in files:
                _write_synced(cache_dir / (name + STAGED_SUFFIX), files[name])
                digests[name] = hashlib.sha256(files[name]).hexdigest()
        meta = {"fetched_at": fetched_at.isoformat(), "files": digests}
        atomic_write(cache_dir / META_FILE, json.dumps(meta).encode())
    except OSError as exc:
        _discard_staged(cache_dir)
        raise CacheWriteError(f"cannot write the trust cache in {cache_dir}: {exc.strerror or exc}") from None
    _move_into_place(cache_dir, digests)


def read_set(cache_dir: Path) -> tuple[dict[str, bytes], datetime | None]:
    """The cached files and when they were fetched; ({}, None) for no usable cache."""
    meta = _read_json(cache_dir / META_FILE)
    fetched_at = _fetched_at(meta)
    digests = meta.get("files") if isinstance(meta, dict) else None
    if not isinstance(digests, dict):  # a cache written before the journal: whatever is there
        return {name: data for name in SET_FILES if (data := _read(cache_dir / name)) is not None}, fetched_at
    _move_into_place(cache_dir, digests)
    files: dict[str, bytes] = {}
    for name in SET_FILES:
        expected = digests.get(name)
        data = _read(cache_dir / name)
        if expected is None:
            continue
        if data is None or hashlib.sha256(data).hexdigest() != expected:
            log.warning("event=trust_cache_ignored file=%s why=does not match meta.json (the set is not whole)",
                        cache_dir / name)
            return {}, None
        files[name] = data
    return files, fetched_at


def _move_into_place(cache_dir: Path, digests: dict) -> None:
    """Finish the set `digests` names: staged files moved in, files it no longer holds removed.
    The directory is synced only when something moved (a plain read of a whole cache writes nothing)."""
    moved = False
    for name in SET_FILES:
        final, staged = cache_dir / name, cache_dir / (name + STAGED_SUFFIX)
        try:
            expected = digests.get(name)
            if expected is None:
                final.unlink()
                moved = True
            elif staged.is_file() and hashlib.sha256(staged.read_bytes()).hexdigest() == expected:
                staged.replace(final)
                moved = True
        except FileNotFoundError:
            pass  # nothing to remove
        except OSError as exc:
            log.warning("event=trust_cache_move_failed file=%s why=%s", final, exc.strerror or exc)
    if moved:
        _sync_directory(cache_dir)


def _discard_staged(cache_dir: Path) -> None:
    for name in SET_FILES:
        with contextlib.suppress(OSError):
            (cache_dir / (name + STAGED_SUFFIX)).unlink(missing_ok=True)


@dataclass(frozen=True)
class Backoff:
    """Failed attempts in a row and when the last one ended; the next waits 10, 20, 40 ... min,
    never longer than the refresh interval itself."""

    failures: int = 0
    last_failure: datetime | None = None

    def next_attempt(self, refresh_interval: timedelta) -> datetime | None:
        if self.failures <= 0 or self.last_failure is None:
            return None
        delay = BACKOFF_FIRST * 2 ** min(self.failures - 1, 16)
        return self.last_failure + min(delay, max(refresh_interval, BACKOFF_FIRST))


def read_backoff(cache_dir: Path) -> Backoff:
    data = _read_json(cache_dir / BACKOFF_FILE)
    try:
        return Backoff(int(data["failures"]), datetime.fromisoformat(data["last_failure"]))
    except (KeyError, TypeError, ValueError):
        return Backoff()


def write_backoff(cache_dir: Path, backoff: Backoff) -> None:
    """Best effort: a cache that cannot be written only loses the memory of failed attempts."""
    try:
        if backoff.failures <= 0 or backoff.last_failure is None:
            (cache_dir / BACKOFF_FILE).unlink(missing_ok=True)
            return
        cache_dir.mkdir(parents=True, exist_ok=True)
        data = {"failures": backoff.failures, "last_failure": backoff.last_failure.isoformat()}
        atomic_write(cache_dir / BACKOFF_FILE, json.dumps(data).encode())
    except OSError as exc:
        log.warning("event=trust_backoff_not_saved why=%s", exc.strerror or exc)


def atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + STAGED_SUFFIX)
    _write_synced(tmp, data)
    tmp.replace(path)


def _write_synced(path: Path, data: bytes) -> None:
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _sync_directory(directory: Path) -> None:
    if os.name != "posix":
        return
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        log.warning("event=trust_cache_ignored file=%s why=%s", path, exc.strerror or exc)
        return None


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _fetched_at(meta: dict) -> datetime | None:
    try:
        return datetime.fromisoformat(meta["fetched_at"])
    except (KeyError, TypeError, ValueError):
        return None
