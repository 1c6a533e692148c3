"""The Treasury trust cache: the pinned root, the last good `signers.pem` and CRLs.

Every download is checked against the pinned root before it replaces the cache; a failed,
forged or older download never replaces a good cache, and a new set never leaves the desk
weaker than the cached one (spec section 3, issue 19):

* the set is written whole or not at all (`trust_cache.write_set`);
* a CRL the new set lacks (a 404, or no file) is kept from the cache while its issuer is still
  in the set: revocations do not lapse because a server stopped serving them;
* the cost of checking a set is bounded (`trust_signers.check_signers`: caps, cheap checks
  first, refusal at the first certificate that does not chain, the update's deadline);
* after a failed update the next attempt waits (10, 20, 40 ... minutes, remembered on disk).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from desk_app.verify import trust_cache
from desk_app.verify.certs import (
    Certificate,
    CertificateError,
    Crl,
    load_der_crl,
    load_pem_certificates,
)
from desk_app.verify.chain import ChainBuilder
from desk_app.verify.trust_cache import (
    BACKOFF_FILE,
    INTERMEDIATE_CRL_FILE,
    META_FILE,
    ROOT_CRL_FILE,
    SIGNERS_FILE,
    Backoff,
    CacheWriteError,
)
from desk_app.verify.trust_signers import MAX_SIGNER_CERTIFICATES, MAX_SIGNERS_BYTES, SignersRefused, check_signers

log = logging.getLogger(__name__)

__all__ = [
    "BACKOFF_FILE",
    "INTERMEDIATE_CRL_FILE",
    "MAX_SIGNERS_BYTES",
    "MAX_SIGNER_CERTIFICATES",
    "META_FILE",
    "ROOT_CRL_FILE",
    "SIGNERS_FILE",
    "TrustRootError",
    "TrustSnapshot",
    "TrustStore",
    "TrustUpdateError",
    "load_root",
]

MAX_CRL_BYTES = 4 * 1024 * 1024  # a download (a million-entry CRL can still be installed from a file)


class TrustRootError(Exception):
    """The pinned root cannot be used (missing, unreadable, not a CA certificate)."""


class TrustUpdateError(Exception):
    """A downloaded trust file was refused; the cache is unchanged."""


def load_root(path: Path) -> Certificate:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TrustRootError(f"cannot read trust root {path}: {exc.strerror or exc}") from None
    try:
        certs = load_pem_certificates(data)
    except CertificateError as exc:
        raise TrustRootError(f"trust root {path} is not a PEM certificate the desk can read: {exc}") from None
    if len(certs) != 1:
        raise TrustRootError(f"trust root {path} must hold exactly one certificate")
    root = certs[0]
    if not root.is_ca or not root.verify_issued_by(root):
        raise TrustRootError(f"trust root {path} is not a self-signed CA certificate")
    return root


def _parse_signers(
    root: Certificate, data: bytes, *, deadline: float | None = None, clock: Callable[[], float] = time.monotonic
) -> list[Certificate]:
    """Every certificate, each checked against the root (any algorithm, mixed chains too)."""
    try:
        return check_signers(root, data, deadline=deadline, clock=clock)
    except SignersRefused as exc:
        raise TrustUpdateError(str(exc)) from None


def _parse_crl(data: bytes, issuers: list[Certificate], name: str) -> tuple[bytes, Crl]:
    try:
        crl = load_der_crl(data)
    except CertificateError:
        raise TrustUpdateError(f"{name} is not a DER CRL") from None
    for issuer in issuers:
        if crl.signed_by(issuer):
            if crl.next_update is None:
                raise TrustUpdateError(f"{name} has no nextUpdate")
            return issuer.fingerprint, crl
    raise TrustUpdateError(f"{name} is not signed by the pinned root or a trusted intermediate")


@dataclass
class TrustSnapshot:
    """An immutable view used by verification (swapped whole on refresh)."""

    root: Certificate
    certs: list[Certificate] = field(default_factory=list)
    crls: dict[bytes, Crl] = field(default_factory=dict)
    fetched_at: datetime | None = None
    by_ski: dict[bytes, Certificate] = field(init=False)  # derived from certs
    chains: ChainBuilder = field(init=False)  # derived from root and certs

    def __post_init__(self) -> None:
        self.by_ski = {c.ski: c for c in self.certs if c.ski is not None and not c.is_ca}
        self.chains = ChainBuilder(self.root, [c for c in self.certs if c.is_ca])

    @property
    def crl_next_update(self) -> datetime | None:
        updates = [c.next_update for c in self.crls.values() if c.next_update is not None]
        return min(updates) if updates else None


class TrustStore:
    """Owns the on-disk cache directory and the current snapshot."""

    def __init__(self, root_path: Path, cache_dir: Path) -> None:
        self.root_path = root_path
        self.cache_dir = cache_dir
        self.root = load_root(root_path)
        self._lock = threading.Lock()
        self.snapshot = self._load_cached()

    # Loading ---------------------------------------------------------------------------
    def _load_cached(self) -> TrustSnapshot:
        files, fetched_at = trust_cache.read_set(self.cache_dir)
        certs: list[Certificate] = []
        crls: dict[bytes, Crl] = {}
        if SIGNERS_FILE in files:
            try:
                certs = _parse_signers(self.root, files[SIGNERS_FILE])
            except TrustUpdateError as exc:
                log.warning("event=trust_cache_ignored file=%s why=%s", self.cache_dir / SIGNERS_FILE, exc)
                certs = []
        issuers = [self.root] + [c for c in certs if c.is_ca]
        for name in (ROOT_CRL_FILE, INTERMEDIATE_CRL_FILE):
            if name in files:
                try:
                    fp, crl = _parse_crl(files[name], issuers, name)
                    crls[fp] = crl
                except TrustUpdateError as exc:
                    log.warning("event=trust_cache_ignored file=%s why=%s", self.cache_dir / name, exc)
        return TrustSnapshot(self.root, certs, crls, fetched_at)

    # Updating --------------------------------------------------------------------------
    def install(
        self,
        files: dict[str, bytes],
        fetched_at: datetime | None = None,
        *,
        deadline: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> TrustSnapshot:
        """Validate a complete set of trust files against the root, then replace the cache.

        `files` maps file names (signers.pem, root.crl[, intermediate.crl]) to their bytes.
        `deadline` (a `clock()` value) bounds the CPU spent checking the set.
        Raises TrustUpdateError, leaving the cache untouched, if anything is wrong.
        """
        if SIGNERS_FILE not in files or ROOT_CRL_FILE not in files:
            raise TrustUpdateError("signers.pem and root.crl are both required")
        certs = _parse_signers(self.root, files[SIGNERS_FILE], deadline=deadline, clock=clock)
        issuers = [self.root] + [c for c in certs if c.is_ca]
        crls: dict[bytes, Crl] = {}
        for name in (ROOT_CRL_FILE, INTERMEDIATE_CRL_FILE):
            if name in files:
                if deadline is not None and clock() > deadline:
                    raise TrustUpdateError(f"checking {name} ran past the update's deadline")
                fp, crl = _parse_crl(files[name], issuers, name)
                crls[fp] = crl
        if self.root.fingerprint not in crls:
            raise TrustUpdateError("root.crl is not issued by the pinned root")
        current = self.snapshot
        for fp, crl in crls.items():
            old = current.crls.get(fp)
            if old is not None and crl.this_update < old.this_update:
                raise TrustUpdateError("downloaded CRL is older than the cached one (rollback refused)")
        to_write = {SIGNERS_FILE: files[SIGNERS_FILE], ROOT_CRL_FILE: files[ROOT_CRL_FILE]}
        if INTERMEDIATE_CRL_FILE in files:
            to_write[INTERMEDIATE_CRL_FILE] = files[INTERMEDIATE_CRL_FILE]
        else:
            kept = _kept_crl(current, issuers)
            if kept is not None:
                crls[kept[0]] = kept[1]
                to_write[INTERMEDIATE_CRL_FILE] = kept[1].der
                log.info("event=trust_crl_kept file=%s why=the new set has none", INTERMEDIATE_CRL_FILE)
        when = fetched_at or datetime.now(UTC)
        with self._lock:
            try:
                trust_cache.write_set(self.cache_dir, to_write, when)
            except CacheWriteError as exc:
                raise TrustUpdateError(str(exc)) from None
            self.snapshot = TrustSnapshot(self.root, certs, crls, when)
        log.info("event=trust_updated certs=%d crls=%d", len(certs), len(crls))
        return self.snapshot

    def prime_from(self, directory: Path) -> bool:
        """Seed an empty cache from bundled files (the demo); never overwrites a cache."""
        if (self.cache_dir / SIGNERS_FILE).exists():
            return False
        files = {
            name: (directory / name).read_bytes()
            for name in (SIGNERS_FILE, ROOT_CRL_FILE, INTERMEDIATE_CRL_FILE)
            if (directory / name).exists()
        }
        self.install(files)
        return True

    def is_due(self, refresh_hours: float, now: datetime | None = None) -> bool:
        """Whether an update should be tried: the cache is older than `refresh_hours` and the
        back-off after failed attempts (remembered on disk) has run out."""
        now = now or datetime.now(UTC)
        next_try = trust_cache.read_backoff(self.cache_dir).next_attempt(timedelta(hours=refresh_hours))
        if next_try is not None and now < next_try:
            return False
        fetched = self.snapshot.fetched_at
        if fetched is None:
            return True
        return (now - fetched).total_seconds() >= refresh_hours * 3600

    def refresh(
        self,
        base_url: str,
        *,
        timeout: tuple[float, float] = (3.0, 10.0),
        session=None,
        ca_bundle: str = "",
        clock=time.monotonic,
    ) -> TrustSnapshot:
        """Download signers.pem and CRLs from `base_url`, validate, install. Raises TrustUpdateError.

        `timeout` is (connect limit, overall limit): the whole refresh, every file's headers and
        body and the checks of the set, ends within the overall limit (a trickling server or a
        costly set cannot stretch it). TLS is checked against `ca_bundle` if given, else the
        system store (desk_app.net.http). A failure is remembered for the back-off (`is_due`);
        a success clears it.
        """
        try:
            snapshot = self._refresh(base_url, timeout=timeout, session=session, ca_bundle=ca_bundle, clock=clock)
        except TrustUpdateError:
            previous = trust_cache.read_backoff(self.cache_dir)
            trust_cache.write_backoff(self.cache_dir, Backoff(previous.failures + 1, datetime.now(UTC)))
            raise
        trust_cache.write_backoff(self.cache_dir, Backoff())
        return snapshot

    def _refresh(self, base_url: str, *, timeout: tuple[float, float], session, ca_bundle: str,
                 clock: Callable[[], float]) -> TrustSnapshot:
        from desk_app.net.http import HttpFailure, make_session
        from desk_app.net.urls import UnsafeUrl, check_url

        try:
            base = check_url(base_url).url
        except UnsafeUrl as exc:
            raise TrustUpdateError(f"trust URL refused: {exc}") from None
        http = session or make_session(ca_bundle=ca_bundle)
        deadline = clock() + timeout[1]
        files: dict[str, bytes] = {}
        try:
            for name, required in ((SIGNERS_FILE, True), (ROOT_CRL_FILE, True), (INTERMEDIATE_CRL_FILE, False)):
                limit = MAX_SIGNERS_BYTES if name == SIGNERS_FILE else MAX_CRL_BYTES
                data = _download(http, f"{base}/{name}", timeout[0], deadline, clock, limit)
                if data is None:
                    if required:
                        raise TrustUpdateError(f"{name}: not found on the trust server")
                    continue
                files[name] = data
        except HttpFailure as exc:
            raise TrustUpdateError(f"trust download failed: {_failure_text(exc)}") from None
        finally:
            if session is None:
                http.close()
        return self.install(files, deadline=deadline, clock=clock)


def _failure_text(exc) -> str:
    return {"timeout": "Timeout", "connect": "ConnectionError", "dropped": "ConnectionError"}.get(
        exc.kind, exc.kind
    ) + f" ({exc.detail})"


def _kept_crl(current: TrustSnapshot, issuers: list[Certificate]) -> tuple[bytes, Crl] | None:
    """The cached intermediate CRL, when the new set has none and its issuer is still in the set."""
    for issuer in issuers[1:]:
        crl = current.crls.get(issuer.fingerprint)
        if crl is not None:
            return issuer.fingerprint, crl
    return None


def _download(http, url: str, connect_timeout: float, deadline: float, clock, limit: int) -> bytes | None:
    from desk_app.net.http import HttpFailure, fetch

    name = url.rsplit("/", 1)[-1]
    try:
        reply = fetch(http, url, deadline=deadline, max_body=limit, connect_timeout=connect_timeout, clock=clock)
    except HttpFailure as exc:
        if exc.kind == "too_large":
            raise TrustUpdateError(f"{name} is larger than {limit} bytes") from None
        raise
    if reply.status == 404:
        return None
    if reply.status != 200:
        raise TrustUpdateError(f"{name}: HTTP {reply.status}")
    return reply.body
