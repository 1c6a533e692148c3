"""Issue 19 item 1: a trust server can never leave the desk weaker than its cache.

Real HTTP servers on 127.0.0.1 (a directory server, and tests/helpers/hostile_http.py's raw
one), real certificates of RSA and GOST TEST Treasuries, the real judge.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from asn1crypto import x509 as asn1_x509

from desk_app.config import Settings
from desk_app.core.judge import Judge
from desk_app.demo.hostile_trust import foreign_certificate_bomb
from desk_app.demo.issuer import PolicyData, TestTreasury
from desk_app.demo.pki import assemble_signed, make_crl, pem
from desk_app.demo.pki import test_name as cert_name
from desk_app.verify import trust_store
from desk_app.verify.certs import AnyTbsCertificate, pem_encode
from desk_app.verify.trust_store import TrustStore, TrustUpdateError
from tests.helpers.certificates import _resigned
from tests.helpers.hostile_http import answer, hostile_server


@pytest.fixture(params=["rsa", "gost"])
def any_treasury(request: pytest.FixtureRequest) -> TestTreasury:
    return request.getfixturevalue("treasury" if request.param == "rsa" else "gost_treasury")


def _site(treasury: TestTreasury, folder: Path, *, revoke_intermediate_signer: bool) -> Path:
    """The Treasury's files, with an intermediate.crl that revokes the intermediate's signer."""
    folder.mkdir(parents=True)
    for name in ("signers.pem", "root.crl", "intermediate.crl"):
        shutil.copy(treasury.base_dir / name, folder / name)
    if revoke_intermediate_signer:
        now = datetime.now(UTC)
        revoked = [treasury.signers[treasury.intermediate_signer].cert]
        crl = make_crl(treasury.intermediate, revoked, last=now - timedelta(minutes=30), next_=now + timedelta(days=7))
        (folder / "intermediate.crl").write_bytes(crl)
    return folder


def _judge(treasury: TestTreasury, data_dir: Path) -> Judge:
    settings = Settings(trust_root=str(treasury.root_pem_path), data_dir=str(data_dir))
    return Judge(settings, TrustStore(settings.trust_root_path, settings.trust_cache_dir))


def test_a_404_for_intermediate_crl_keeps_the_cached_one(any_treasury, tmp_path, serve_directory) -> None:
    """The issue's replay: genuine signers.pem and root.crl, 404 for intermediate.crl."""
    treasury = any_treasury
    judge = _judge(treasury, tmp_path / "data")
    judge.trust.refresh(serve_directory(_site(treasury, tmp_path / "full", revoke_intermediate_signer=True)))
    document = treasury.sign_policy(PolicyData(), treasury.intermediate_signer)
    before = judge.judge_qr(document).verdict
    assert (before.decision, before.signature) == ("reject", "revoked_signer")

    replay = _site(treasury, tmp_path / "replay", revoke_intermediate_signer=False)
    (replay / "intermediate.crl").unlink()  # the server answers 404
    judge.trust.refresh(serve_directory(replay))

    after = judge.judge_qr(document).verdict
    assert (after.decision, after.signature) == ("reject", "revoked_signer")
    reloaded = _judge(treasury, tmp_path / "data")  # the kept CRL survives a restart too
    assert reloaded.judge_qr(document).verdict.signature == "revoked_signer"
    assert len(reloaded.trust.snapshot.crls) == 2


def test_a_crl_of_an_intermediate_the_new_set_drops_is_not_kept(treasury, tmp_path, serve_directory) -> None:
    """Keeping a CRL is for issuers still in the set; a set without the intermediate drops it."""
    store = TrustStore(treasury.root_pem_path, tmp_path / "cache")
    store.refresh(serve_directory(_site(treasury, tmp_path / "full", revoke_intermediate_signer=False)))
    smaller = tmp_path / "smaller"
    smaller.mkdir()
    (smaller / "signers.pem").write_bytes(pem(treasury.signers[treasury.default_signer].cert))
    shutil.copy(treasury.base_dir / "root.crl", smaller / "root.crl")
    snapshot = store.refresh(serve_directory(smaller))
    assert list(snapshot.crls) == [treasury.root.cert.fingerprint]
    assert not (store.cache_dir / "intermediate.crl").exists()


def test_a_set_is_installed_whole_or_not_at_all(treasury, tmp_path, serve_directory) -> None:
    """A write that fails half-way (here: root.crl cannot be written) leaves the old set whole."""
    store = TrustStore(treasury.root_pem_path, tmp_path / "cache")
    store.refresh(serve_directory(treasury.base_dir))
    old = {name: (store.cache_dir / name).read_bytes() for name in ("signers.pem", "root.crl")}

    newer = tmp_path / "newer"
    treasury.write_trust_files(now=datetime.now(UTC) + timedelta(minutes=5), directory=newer)
    blocks = (newer / "signers.pem").read_bytes().split(b"-----END CERTIFICATE-----\n")[:-1]
    (newer / "signers.pem").write_bytes(b"".join(b + b"-----END CERTIFICATE-----\n" for b in reversed(blocks)))
    for obstacle in ("root.crl.tmp", "root.crl.new"):  # a directory where the file must be written
        (store.cache_dir / obstacle).mkdir()

    with pytest.raises(TrustUpdateError, match="cannot write the trust cache"):
        store.refresh(serve_directory(newer))
    assert {name: (store.cache_dir / name).read_bytes() for name in old} == old
    reloaded = TrustStore(treasury.root_pem_path, store.cache_dir).snapshot
    assert [c.fingerprint for c in reloaded.certs] == [c.fingerprint for c in store.snapshot.certs]


# --- cost ---------------------------------------------------------------------------------------


def _serve_signers(serve_directory, treasury: TestTreasury, folder: Path, signers: bytes) -> str:
    folder.mkdir()
    (folder / "signers.pem").write_bytes(signers)
    for name in ("root.crl", "intermediate.crl"):
        shutil.copy(treasury.base_dir / name, folder / name)
    return serve_directory(folder)


def test_too_many_certificates_are_refused_before_any_is_read(treasury, tmp_path, serve_directory) -> None:
    genuine = pem(treasury.signers[treasury.default_signer].cert)
    signers = genuine * (trust_store.MAX_SIGNER_CERTIFICATES + 1)
    store = TrustStore(treasury.root_pem_path, tmp_path / "cache")
    with pytest.raises(TrustUpdateError, match=f"more than {trust_store.MAX_SIGNER_CERTIFICATES} certificates"):
        store.refresh(_serve_signers(serve_directory, treasury, tmp_path / "site", signers))
    assert store.snapshot.certs == []


def test_an_oversized_signers_file_is_refused(treasury, tmp_path) -> None:
    body = b"-----BEGIN CERTIFICATE-----\n" + b"A" * (trust_store.MAX_SIGNERS_BYTES + 1)

    def respond(ex) -> None:
        data = body if "signers.pem" in ex.request_line else (treasury.base_dir / "root.crl").read_bytes()
        answer(200, data)(ex)

    store = TrustStore(treasury.root_pem_path, tmp_path / "cache")
    with hostile_server(respond) as server, pytest.raises(TrustUpdateError, match=r"signers\.pem.*larger than"):
        store.refresh(server.url)


def _off_curve(treasury: TestTreasury) -> AnyTbsCertificate:
    """The default signer's TBS with its public point moved off the curve (unreadable key)."""
    tbs = AnyTbsCertificate.load(treasury.signers[treasury.default_signer].cert.tbs)
    spki = tbs["subject_public_key_info"].dump()
    tbs["subject_public_key_info"] = type(tbs["subject_public_key_info"]).load(spki[:-1] + bytes([spki[-1] ^ 1]))
    return tbs


def test_the_bomb_is_refused_at_its_first_certificate(gost_treasury, tmp_path, serve_directory) -> None:
    """Issue 19's bomb in small: foreign paramSetC certificates named as issued by the root.
    The last one's key cannot even be read; before, every key was read (and that one refused
    the set); now the first foreign certificate ends the update and no key after it is read."""
    treasury = gost_treasury
    bomb = foreign_certificate_bomb(treasury.root.cert.subject_der, 3)
    unreadable_key = pem_encode(_resigned(treasury, _off_curve(treasury)))
    store = TrustStore(treasury.root_pem_path, tmp_path / "cache")
    with pytest.raises(TrustUpdateError, match=r"certificate 1 .*not issued under the pinned root") as refused:
        store.refresh(_serve_signers(serve_directory, treasury, tmp_path / "site", bomb + unreadable_key))
    assert "foreign 0" in str(refused.value)


@pytest.mark.parametrize(
    ("what", "message"),
    [("issuer", "issuer .* is neither the pinned root nor an intermediate"), ("algorithm", "signature algorithm")],
)
def test_cheap_checks_come_before_the_key(gost_treasury, tmp_path, serve_directory, what, message) -> None:
    """A certificate whose key cannot be read (off its curve) is refused for its issuer name or
    its signature algorithm first: those cost nothing, a key check costs a scalar multiplication."""
    treasury = gost_treasury
    tbs = _off_curve(treasury)
    if what == "issuer":
        tbs["issuer"] = asn1_x509.Name.load(cert_name("Somebody Else").dump())
    der = _resigned(treasury, tbs)
    if what == "algorithm":  # sha1WithRSAEncryption inside and outside, named as issued by the root
        tbs["signature"] = {"algorithm": "sha1_rsa"}
        der = assemble_signed(tbs.dump(), {"algorithm": "sha1_rsa"}, b"\x00" * 64)
    store = TrustStore(treasury.root_pem_path, tmp_path / "cache")
    with pytest.raises(TrustUpdateError, match=message):
        store.refresh(_serve_signers(serve_directory, treasury, tmp_path / "site", pem_encode(der)))


def test_checking_a_set_stops_at_the_update_deadline(gost_treasury, tmp_path) -> None:
    """The CPU spent checking a set is held within the update's deadline (a clock that moves one
    second per look stands for slow checks; nothing here is timed)."""
    treasury = gost_treasury
    files = {n: (treasury.base_dir / n).read_bytes() for n in ("signers.pem", "root.crl", "intermediate.crl")}
    ticks = iter(range(10_000))
    store = TrustStore(treasury.root_pem_path, tmp_path / "cache")
    with pytest.raises(TrustUpdateError, match="deadline"):
        store.install(files, deadline=3.0, clock=lambda: float(next(ticks)))
    assert store.snapshot.certs == []
    assert len(store.install(files).certs) == len(treasury.signers) + 1


# --- back-off -----------------------------------------------------------------------------------


@pytest.mark.expect_log_warnings
def test_a_failed_update_backs_off_and_remembers_it(treasury, tmp_path) -> None:
    requests: list[str] = []

    def failing(ex) -> None:
        requests.append(ex.request_line)
        answer(500, b"")(ex)

    settings = Settings(trust_root=str(treasury.root_pem_path), data_dir=str(tmp_path))
    store = TrustStore(settings.trust_root_path, settings.trust_cache_dir)
    files = {n: (treasury.base_dir / n).read_bytes() for n in ("signers.pem", "root.crl", "intermediate.crl")}
    store.install(files, fetched_at=datetime.now(UTC) - timedelta(hours=7))  # due
    assert store.is_due(6)
    with hostile_server(failing) as server:
        judge = Judge(settings.replace(trust_url=server.url), store)
        assert judge.refresh_trust() is False
        assert len(requests) == 1
        assert judge.refresh_trust() is False  # backing off: the server is not asked again
        again = Judge(settings.replace(trust_url=server.url), TrustStore(settings.trust_root_path,
                                                                           settings.trust_cache_dir))
        assert again.refresh_trust() is False  # a new process (each CLI run) remembers it
        assert len(requests) == 1
    now = datetime.now(UTC)
    assert not store.is_due(6, now + timedelta(minutes=9))
    assert store.is_due(6, now + timedelta(minutes=11))


def test_back_off_grows_and_a_success_clears_it(treasury, tmp_path, serve_directory) -> None:
    store = TrustStore(treasury.root_pem_path, tmp_path / "cache")
    now = datetime.now(UTC)
    for _ in range(3):
        with pytest.raises(TrustUpdateError):
            store.refresh("http://127.0.0.1:9", timeout=(0.5, 0.5))
    assert not store.is_due(6, now + timedelta(minutes=35))  # 10, 20, then 40 minutes
    assert store.is_due(6, now + timedelta(minutes=41))
    store.refresh(serve_directory(treasury.base_dir))
    assert not (store.cache_dir / trust_store.BACKOFF_FILE).exists()
    assert store.is_due(6, datetime.now(UTC) + timedelta(hours=6, minutes=1))


@pytest.mark.expect_log_warnings
def test_a_set_committed_but_not_yet_in_place_is_finished_on_the_next_load(treasury, tmp_path, serve_directory) -> None:
    """After the commit (meta.json) a file that could not be moved into place (here a directory
    stands in its way) makes the cached set unusable rather than mixed; once the way is clear,
    the next load finishes the move and the new set is whole."""
    store = TrustStore(treasury.root_pem_path, tmp_path / "cache")
    store.refresh(serve_directory(treasury.base_dir))
    newer = tmp_path / "newer"
    treasury.write_trust_files(now=datetime.now(UTC) + timedelta(minutes=5), directory=newer)
    (store.cache_dir / "root.crl").unlink()
    (store.cache_dir / "root.crl").mkdir()  # the move of the new root.crl will fail
    snapshot = store.refresh(serve_directory(newer))  # committed: the running desk uses the new set
    new_root_crl = (newer / "root.crl").read_bytes()
    assert snapshot.crls[treasury.root.cert.fingerprint].der == new_root_crl
    assert TrustStore(treasury.root_pem_path, store.cache_dir).snapshot.certs == []  # not whole: unused
    (store.cache_dir / "root.crl").rmdir()
    reloaded = TrustStore(treasury.root_pem_path, store.cache_dir).snapshot
    assert reloaded.crls[treasury.root.cert.fingerprint].der == new_root_crl
    assert (store.cache_dir / "root.crl").read_bytes() == new_root_crl
    assert len(reloaded.certs) == len(snapshot.certs)


def test_an_intermediate_crl_that_fails_to_download_keeps_the_cached_one(treasury, tmp_path, serve_directory) -> None:
    """Not a 404 but a failure (HTTP 500): the whole update is refused, the cached CRL stays."""
    judge = _judge(treasury, tmp_path / "data")
    full = _site(treasury, tmp_path / "full", revoke_intermediate_signer=True)
    judge.trust.refresh(serve_directory(full))
    document = treasury.sign_policy(PolicyData(), treasury.intermediate_signer)

    def respond(ex) -> None:
        name = ex.request_line.split()[1].rsplit("/", 1)[-1]
        if name == "intermediate.crl":
            answer(500, b"")(ex)
        else:
            answer(200, (treasury.base_dir / name).read_bytes())(ex)

    with hostile_server(respond) as server, pytest.raises(TrustUpdateError, match=r"intermediate\.crl: HTTP 500"):
        judge.trust.refresh(server.url)
    assert judge.judge_qr(document).verdict.signature == "revoked_signer"
    assert (judge.trust.cache_dir / "intermediate.crl").read_bytes() == (full / "intermediate.crl").read_bytes()


def test_a_kept_crl_past_its_next_update_still_revokes(treasury, tmp_path, serve_directory) -> None:
    """A revocation does not lapse because the server stopped serving the list: a cached CRL past
    its nextUpdate is kept too (the decision is then at best warn, crl_stale, as for any stale
    CRL), so a revoked signer stays revoked."""
    now = datetime.now(UTC)
    full = _site(treasury, tmp_path / "full", revoke_intermediate_signer=False)
    revoked = [treasury.signers[treasury.intermediate_signer].cert]
    stale = make_crl(treasury.intermediate, revoked, last=now - timedelta(days=40), next_=now - timedelta(days=10))
    (full / "intermediate.crl").write_bytes(stale)
    judge = _judge(treasury, tmp_path / "data")
    judge.trust.refresh(serve_directory(full))
    (full / "intermediate.crl").unlink()
    judge.trust.refresh(serve_directory(full))
    document = treasury.sign_policy(PolicyData(), treasury.intermediate_signer)
    assert judge.judge_qr(document).verdict.signature == "revoked_signer"
