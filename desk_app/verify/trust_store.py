"""The Treasury trust cache: the pinned root, the last good `signers.pem` and CRLs.

Every download is checked against the pinned root before it replaces the cache, and is
written atomically; a failed, forged or older download never replaces a good cache.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from desk_app.verify.certs import (
    Certificate,
    CertificateError,
    Crl,
    load_der_crl,
    load_pem_certificates,
)
from desk_app.verify.chain import ChainBuilder

log = logging.getLogger(__name__)

SIGNERS_FILE = "signers.pem"
ROOT_CRL_FILE = "root.crl"
INTERMEDIATE_CRL_FILE = "intermediate.crl"
META_FILE = "meta.json"
MAX_DOWNLOAD_BYTES = 4 * 1024 * 1024


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


def _parse_signers(root: Certificate, data: bytes) -> list[Certificate]:
    """Every certificate, each checked against the root (any algorithm, mixed chains too)."""
    try:
        certs = load_pem_certificates(data)
    except CertificateError as exc:
        raise TrustUpdateError(f"signers.pem is not a list of PEM certificates the desk can read: {exc}") from None
    intermediates = [c for c in certs if c.is_ca and c.verify_issued_by(root)]
    for cert in certs:
        if cert.fingerprint == root.fingerprint:
            continue
        if cert.verify_issued_by(root) or any(cert.verify_issued_by(i) for i in intermediates):
            continue
        raise TrustUpdateError(
            f"signers.pem holds a certificate not issued under the pinned root: {cert.subject.text}"
        )
    return certs


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
        certs: list[Certificate] = []
        crls: dict[bytes, Crl] = {}
        signers_path = self.cache_dir / SIGNERS_FILE
        if signers_path.exists():
            try:
                certs = _parse_signers(self.root, signers_path.read_bytes())
            except (TrustUpdateError, OSError) as exc:
                log.warning("event=trust_cache_ignored file=%s why=%s", signers_path, exc)
                certs = []
        issuers = [self.root] + [c for c in certs if c.is_ca]
        for name in (ROOT_CRL_FILE, INTERMEDIATE_CRL_FILE):
            path = self.cache_dir / name
            if path.exists():
                try:
                    fp, crl = _parse_crl(path.read_bytes(), issuers, name)
                    crls[fp] = crl
                except (TrustUpdateError, OSError) as exc:
                    log.warning("event=trust_cache_ignored file=%s why=%s", path, exc)
        return TrustSnapshot(self.root, certs, crls, self._read_fetched_at())

    def _read_fetched_at(self) -> datetime | None:
        try:
            meta = json.loads((self.cache_dir / META_FILE).read_text("utf-8"))
            return datetime.fromisoformat(meta["fetched_at"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    # Updating --------------------------------------------------------------------------
    def install(self, files: dict[str, bytes], fetched_at: datetime | None = None) -> TrustSnapshot:
        """Validate a complete set of trust files against the root, then replace the cache.

        `files` maps file names (signers.pem, root.crl[, intermediate.crl]) to their bytes.
        Raises TrustUpdateError, leaving the cache untouched, if anything is wrong.
        """
        if SIGNERS_FILE not in files or ROOT_CRL_FILE not in files:
            raise TrustUpdateError("signers.pem and root.crl are both required")
        certs = _parse_signers(self.root, files[SIGNERS_FILE])
        issuers = [self.root] + [c for c in certs if c.is_ca]
        new_crls: dict[bytes, Crl] = {}
        for name in (ROOT_CRL_FILE, INTERMEDIATE_CRL_FILE):
            if name in files:
                fp, crl = _parse_crl(files[name], issuers, name)
                new_crls[fp] = crl
        if self.root.fingerprint not in new_crls:
            raise TrustUpdateError("root.crl is not issued by the pinned root")
        current = self.snapshot
        for fp, crl in new_crls.items():
            old = current.crls.get(fp)
            if old is not None and crl.this_update < old.this_update:
                raise TrustUpdateError("downloaded CRL is older than the cached one (rollback refused)")
        when = fetched_at or datetime.now(UTC)
        with self._lock:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            for name, data in files.items():
                if name in (SIGNERS_FILE, ROOT_CRL_FILE, INTERMEDIATE_CRL_FILE):
                    _atomic_write(self.cache_dir / name, data)
            if INTERMEDIATE_CRL_FILE not in files:
                (self.cache_dir / INTERMEDIATE_CRL_FILE).unlink(missing_ok=True)
            _atomic_write(self.cache_dir / META_FILE, json.dumps({"fetched_at": when.isoformat()}).encode())
            self.snapshot = TrustSnapshot(self.root, certs, new_crls, when)
        log.info("event=trust_updated certs=%d crls=%d", len(certs), len(new_crls))
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
        fetched = self.snapshot.fetched_at
        if fetched is None:
            return True
        return ((now or datetime.now(UTC)) - fetched).total_seconds() >= refresh_hours * 3600

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
        body, ends within the overall limit (a trickling server cannot stretch it). TLS is
        checked against `ca_bundle` if given, else the system store (desk_app.net.http).
        """
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
                data = _download(http, f"{base}/{name}", timeout[0], deadline, clock)
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
        return self.install(files)


def _failure_text(exc) -> str:
    return {"timeout": "Timeout", "connect": "ConnectionError", "dropped": "ConnectionError"}.get(
        exc.kind, exc.kind
    ) + f" ({exc.detail})"


def _download(http, url: str, connect_timeout: float, deadline: float, clock) -> bytes | None:
    from desk_app.net.http import fetch

    name = url.rsplit("/", 1)[-1]
    reply = fetch(
        http, url, deadline=deadline, max_body=MAX_DOWNLOAD_BYTES, connect_timeout=connect_timeout, clock=clock
    )
    if reply.status == 404:
        return None
    if reply.status != 200:
        raise TrustUpdateError(f"{name}: HTTP {reply.status}")
    return reply.body


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    tmp.replace(path)
