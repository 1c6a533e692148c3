"""GOST policies from an INDEPENDENT issuer: OpenSSL's GOST engine, judged by `desk-app verify --json`.

Nothing here is signed by the desk's own code. The PKI (a GOST-512 root, a GOST-256
intermediate, a signer on every curve family the engine offers, a revoked signer, CRLs) is
made with `openssl` + the gost engine (Debian: libengine-gost-openssl), the engine that spec
section 2a's conventions follow. Each policy is signed the way an XMLDSig tool does it, step
by step with outside tools: the document and SignedInfo are canonicalized by `xmllint
--exc-c14n` (libxml2-utils), hashed and signed by `openssl dgst -engine gost -sign`; Python
only pastes the base64 strings into a fixed XML template. (xmlsec1 would be the natural tool,
but Debian's xmlsec1 1.2.37 is built without GOST transforms: `xmlsec1 --list-transforms`
names none, so it cannot sign GOST-2012 here.)

The tests skip only when those tools are absent; scripts/setup.sh installs them.
"""

from __future__ import annotations

import base64
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree

from desk_app.config import Settings
from desk_app.demo.issuer import PolicyData, policy_element
from desk_app.verify.gost_xmldsig import ENVELOPED, EXC_C14N, GOST_256, GOST_512, STREEBOG_256, STREEBOG_512
from desk_app.verify.profile import DS
from desk_app.verify.signature import SHA256
from desk_app.verify.trust_store import TrustStore
from tests.helpers.verify_cli import verify_json, write_cases


def _engine_available() -> bool:
    if not shutil.which("openssl") or not shutil.which("xmllint"):
        return False
    probe = subprocess.run(["openssl", "engine", "gost", "-c"], capture_output=True, text=True, check=False)
    return probe.returncode == 0 and "gost2012_256" in probe.stdout


pytestmark = pytest.mark.skipif(
    not _engine_available(), reason="needs openssl with the GOST engine and xmllint (scripts/setup.sh installs them)"
)

CURVES_256 = ["A", "B", "C", "XA", "XB", "TCA", "TCB", "TCC", "TCD"]  # CryptoPro A-C, Xch A/B, TC26 A-D
CURVES_512 = ["A", "B", "C"]

CA_CONFIG = """
[ca]
default_ca = root_ca
[root_ca]
dir = .
database = ./index.txt
new_certs_dir = .
serial = ./serial
crlnumber = ./crlnumber
default_md = {md}
default_crl_days = 30
policy = any
[any]
commonName = supplied
[signer]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[treasury_like]
# what a CSP-issued signer certificate carries (extensions a parser must read, not trip on)
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
extendedKeyUsage = 1.3.6.1.5.5.7.3.2,1.3.6.1.5.5.7.3.4
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid,issuer
certificatePolicies = 1.2.643.100.113.1,1.2.643.100.113.2
crlDistributionPoints = URI:http://treasury.example/root.crl
authorityInfoAccess = caIssuers;URI:http://treasury.example/root.crt
1.2.643.100.111 = ASN1:UTF8String:КриптоПро CSP (версия 5.0)
1.2.643.100.112 = ASN1:SEQUENCE:sign_tools
2.5.29.16 = ASN1:SEQUENCE:private_key_usage_period
[sign_tools]
a = UTF8String:СКЗИ КриптоПро CSP
b = UTF8String:ПАК УЦ
c = UTF8String:Сертификат соответствия СФ/124-3966
d = UTF8String:Сертификат соответствия СФ/128-4271
[private_key_usage_period]
nb = IMP:0,GENTIME:20250101000000Z
na = IMP:1,GENTIME:20300101000000Z
[inter]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
"""


def openssl(*args: str, cwd: Path, stdin: bytes | None = None) -> bytes:
    result = subprocess.run(
        ["openssl", *args], cwd=cwd, input=stdin, capture_output=True, check=False, timeout=60
    )
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    return result.stdout


@dataclass
class OpenSslSigner:
    name: str
    key: Path
    cert: Path
    bits: int

    def der(self) -> bytes:
        return openssl("x509", "-in", str(self.cert), "-outform", "DER", cwd=self.cert.parent)

    def ski(self) -> bytes:
        text = openssl("x509", "-in", str(self.cert), "-noout", "-ext", "subjectKeyIdentifier", cwd=self.cert.parent)
        return bytes.fromhex(text.decode().splitlines()[-1].strip().replace(":", ""))


class OpenSslCa:
    """One CA directory driven by `openssl ca` (for revocation and CRLs)."""

    def __init__(self, folder: Path, name: str, algorithm: str, paramset: str, issuer: OpenSslCa | None) -> None:
        self.folder = folder
        folder.mkdir(parents=True)
        self.md = "md_gost12_512" if algorithm.endswith("512") else "md_gost12_256"
        (folder / "ca.cnf").write_text(CA_CONFIG.format(md=self.md))
        (folder / "index.txt").write_text("")
        (folder / "crlnumber").write_text("1000\n")
        self.key = folder / "ca.key"
        self.cert = folder / "ca.pem"
        openssl("genpkey", "-engine", "gost", "-algorithm", algorithm, "-pkeyopt", f"paramset:{paramset}",
                "-out", str(self.key), cwd=folder)
        subject = f"/C=RU/O=Independent OpenSSL GOST issuer/CN={name}"
        if issuer is None:
            openssl("req", "-engine", "gost", "-x509", "-new", "-key", str(self.key), "-subj", subject, "-days", "3650",
                    "-addext", "basicConstraints=critical,CA:TRUE",
                    "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-out", str(self.cert), cwd=folder)
        else:
            issuer.issue(self.key, subject, self.cert, extensions="inter")

    def issue(self, key: Path, subject: str, out: Path, *, extensions: str = "signer") -> None:
        csr = out.with_suffix(".csr")
        openssl("req", "-engine", "gost", "-utf8", "-new", "-key", str(key), "-subj", subject, "-out", str(csr),
                cwd=self.folder)
        openssl("x509", "-engine", "gost", "-req", "-in", str(csr), "-CA", str(self.cert), "-CAkey", str(self.key),
                "-CAcreateserial", "-days", "730", "-extfile", "ca.cnf", "-extensions", extensions,
                "-out", str(out), cwd=self.folder)

    def new_signer(
        self, name: str, algorithm: str, paramset: str, *, subject: str | None = None, extensions: str = "signer"
    ) -> OpenSslSigner:
        key = self.folder / f"{name}.key"
        openssl("genpkey", "-engine", "gost", "-algorithm", algorithm, "-pkeyopt", f"paramset:{paramset}",
                "-out", str(key), cwd=self.folder)
        cert = self.folder / f"{name}.pem"
        self.issue(key, subject or f"/C=RU/O=Independent OpenSSL GOST issuer/CN={name}", cert, extensions=extensions)
        return OpenSslSigner(name, key, cert, 512 if algorithm.endswith("512") else 256)

    def revoke(self, signer: OpenSslSigner) -> None:
        openssl("ca", "-engine", "gost", "-config", "ca.cnf", "-keyfile", str(self.key), "-cert", str(self.cert),
                "-revoke", str(signer.cert), cwd=self.folder)

    def crl_der(self) -> bytes:
        pem = openssl("ca", "-engine", "gost", "-config", "ca.cnf", "-keyfile", str(self.key), "-cert", str(self.cert),
                      "-gencrl", "-crldays", "30", cwd=self.folder)
        return openssl("crl", "-outform", "DER", cwd=self.folder, stdin=pem)


@dataclass
class IndependentTreasury:
    folder: Path
    root: OpenSslCa
    intermediate: OpenSslCa
    signers: dict[str, OpenSslSigner]


@pytest.fixture(scope="module")
def independent(tmp_path_factory: pytest.TempPathFactory) -> IndependentTreasury:
    folder = tmp_path_factory.mktemp("openssl-gost")
    root = OpenSslCa(folder / "root", "Independent GOST-512 Root", "gost2012_512", "A", None)
    inter = OpenSslCa(folder / "inter", "Independent GOST-256 Intermediate", "gost2012_256", "TCA", root)
    signers = {f"256-{p}": root.new_signer(f"signer-256-{p}", "gost2012_256", p) for p in CURVES_256}
    signers |= {f"512-{p}": root.new_signer(f"signer-512-{p}", "gost2012_512", p) for p in CURVES_512}
    signers["via-intermediate"] = inter.new_signer("signer-via-intermediate", "gost2012_256", "A")
    signers["treasury-like"] = root.new_signer(
        "signer-treasury-like", "gost2012_256", "A", extensions="treasury_like",
        subject="/C=RU/ST=77 г. Москва/L=Москва/O=Федеральное казначейство/CN=Иванов Иван Иванович/SN=Иванов"
        "/GN=Иван Иванович/title=Начальник отдела/INN=007710568760/OGRN=1047797019830/SNILS=11223344595"
        "/emailAddress=uc@roskazna.example",
    )
    signers["revoked"] = root.new_signer("signer-revoked", "gost2012_256", "B")
    root.revoke(signers["revoked"])
    trust = folder / "trust"
    trust.mkdir()
    (trust / "root.pem").write_bytes(root.cert.read_bytes())
    bundle = inter.cert.read_bytes() + b"".join(s.cert.read_bytes() for s in signers.values())
    (trust / "signers.pem").write_bytes(bundle)
    (trust / "root.crl").write_bytes(root.crl_der())
    (trust / "intermediate.crl").write_bytes(inter.crl_der())
    return IndependentTreasury(folder, root, inter, signers)


@pytest.fixture
def settings(independent: IndependentTreasury, tmp_path: Path, serve_directory) -> Settings:
    """The independent root pinned; the cache filled by a real download, checked like any other."""
    trust = independent.folder / "trust"
    settings = Settings(trust_root=str(trust / "root.pem"), data_dir=str(tmp_path / "desk"))
    snap = TrustStore(settings.trust_root_path, settings.trust_cache_dir).refresh(serve_directory(trust))
    assert len(snap.certs) == len(independent.signers) + 1 and len(snap.crls) == 2
    return settings


# --- XMLDSig made with outside tools ---------------------------------------------------------


def xmllint_exc_c14n(xml: bytes, work: Path) -> bytes:
    path = work / "c14n-input.xml"
    path.write_bytes(xml)
    result = subprocess.run(["xmllint", "--exc-c14n", str(path)], capture_output=True, check=False, timeout=30)
    assert result.returncode == 0, result.stderr
    return result.stdout


def openssl_digest(data: bytes, bits: int, work: Path) -> bytes:
    return openssl("dgst", "-engine", "gost", f"-md_gost12_{bits}", "-binary", cwd=work, stdin=data)


def openssl_sign(data: bytes, signer: OpenSslSigner, bits: int, work: Path) -> bytes:
    return openssl("dgst", "-engine", "gost", f"-md_gost12_{bits}", "-sign", str(signer.key), "-binary",
                   cwd=work, stdin=data)


def openssl_sign_raw_digest(digest: bytes, signer: OpenSslSigner, work: Path) -> bytes:
    """The engine's raw signing primitive over given digest bytes (to make a big-endian e)."""
    return openssl("pkeyutl", "-engine", "gost", "-sign", "-inkey", str(signer.key), cwd=work, stdin=digest)


SIGNED_INFO = (
    '<ds:SignedInfo xmlns:ds="{ds}"><ds:CanonicalizationMethod Algorithm="{exc}"></ds:CanonicalizationMethod>'
    '<ds:SignatureMethod Algorithm="{method}"></ds:SignatureMethod><ds:Reference URI=""><ds:Transforms>'
    '<ds:Transform Algorithm="{env}"></ds:Transform><ds:Transform Algorithm="{exc}"></ds:Transform>'
    '</ds:Transforms><ds:DigestMethod Algorithm="{digest_method}"></ds:DigestMethod>'
    "<ds:DigestValue>{digest}</ds:DigestValue></ds:Reference></ds:SignedInfo>"
)


def independent_sign(
    signer: OpenSslSigner,
    work: Path,
    *,
    policy: PolicyData | None = None,
    embed_cert: bool = True,
    digest_method: str | None = None,
    swap_halves: bool = False,
    big_endian_e: bool = False,
    default_namespace: bool = False,
    pretty: bool = False,
) -> bytes:
    """A policy signed with openssl + xmllint; the XML around the values is a fixed template.

    `default_namespace`: xmlns="...xmldsig#" instead of the ds: prefix (as .NET-based CSP tools
    write it); `pretty`: line breaks and indentation between the signature's elements.
    """
    bits = signer.bits
    # IssuedAt: now (the default, a day ago, precedes these freshly issued certificates)
    policy = policy or PolicyData(issued_at=datetime.now(UTC).replace(microsecond=0))
    unsigned = etree.tostring(policy_element(policy), xml_declaration=True, encoding="UTF-8")
    digest = openssl_digest(xmllint_exc_c14n(unsigned, work), bits, work)
    signed_info = SIGNED_INFO.format(
        ds=DS, exc=EXC_C14N, env=ENVELOPED, method=GOST_256 if bits == 256 else GOST_512,
        digest_method=digest_method or (STREEBOG_256 if bits == 256 else STREEBOG_512),
        digest=base64.b64encode(digest).decode(),
    )
    if pretty:
        signed_info = signed_info.replace("><ds:", ">\n      <ds:")
        signed_info = signed_info.replace("></ds:SignedInfo>", ">\n    </ds:SignedInfo>")
    if default_namespace:
        signed_info = signed_info.replace("ds:", "").replace("xmlns:ds=", "xmlns=")
    canonical_si = xmllint_exc_c14n(signed_info.encode(), work)
    if big_endian_e:
        si_digest = openssl_digest(canonical_si, bits, work)
        value = openssl_sign_raw_digest(si_digest[::-1], signer, work)
    else:
        value = openssl_sign(canonical_si, signer, bits, work)
    if swap_halves:
        half = len(value) // 2
        value = value[half:] + value[:half]
    if embed_cert:
        x509 = f"<ds:X509Certificate>{base64.b64encode(signer.der()).decode()}</ds:X509Certificate>"
    else:
        x509 = f"<ds:X509SKI>{base64.b64encode(signer.ski()).decode()}</ds:X509SKI>"
    sep = "\n    " if pretty else ""
    b64 = base64.b64encode(value).decode()
    if pretty:
        b64 = "\n".join(b64[i : i + 64] for i in range(0, len(b64), 64))
    signature = (
        f'<ds:Signature xmlns:ds="{DS}">{sep}@SI@{sep}'
        f"<ds:SignatureValue>{b64}</ds:SignatureValue>{sep}"
        f"<ds:KeyInfo><ds:X509Data>{x509}</ds:X509Data></ds:KeyInfo>{chr(10) if pretty else ''}</ds:Signature>"
    )
    if default_namespace:
        signature = signature.replace("ds:", "").replace("xmlns:ds=", "xmlns=")
        inner_signed_info = signed_info.replace(f' xmlns="{DS}"', "", 1)  # declared on Signature instead
    else:
        inner_signed_info = signed_info.replace(f' xmlns:ds="{DS}"', "", 1)
    signature = signature.replace("@SI@", inner_signed_info)
    assert unsigned.endswith(b"</Policy>")
    return unsigned[: -len(b"</Policy>")] + signature.encode() + b"</Policy>"


def judged(settings: Settings, cases: dict[str, bytes], tmp_path: Path) -> dict[str, tuple[str, str]]:
    verdicts = verify_json(settings, write_cases(tmp_path / "cases", cases))
    return {name: (v["decision"], v["signature"]) for name, v in zip(cases, verdicts, strict=True)}


def test_every_curve_family_256_and_512_is_accepted(independent, settings, tmp_path) -> None:
    cases = {name: independent_sign(s, tmp_path) for name, s in independent.signers.items() if name != "revoked"}
    got = judged(settings, cases, tmp_path)
    # no registry here: a good signature with status unknown is "warn" by section 6, never "reject"
    assert got == dict.fromkeys(cases, ("warn", "ok"))
    assert len(cases) == len(CURVES_256) + len(CURVES_512) + 2  # + via the intermediate, + the CSP-like one


def test_revoked_altered_and_referenced_by_ski(independent, settings, tmp_path) -> None:
    signer = independent.signers["256-A"]
    genuine = independent_sign(signer, tmp_path)
    cases = {
        "revoked": independent_sign(independent.signers["revoked"], tmp_path),
        "altered": genuine.replace("Иванова".encode(), "Иванову".encode()),
        "ski-reference": independent_sign(signer, tmp_path, embed_cert=False),
        "ski-via-intermediate": independent_sign(independent.signers["via-intermediate"], tmp_path, embed_cert=False),
        "512-ski": independent_sign(independent.signers["512-B"], tmp_path, embed_cert=False),
        "default-namespace": independent_sign(signer, tmp_path, default_namespace=True),
        "pretty-printed": independent_sign(signer, tmp_path, pretty=True),
        "both-512": independent_sign(independent.signers["512-A"], tmp_path, default_namespace=True, pretty=True),
        "csp-like-certificate": independent_sign(independent.signers["treasury-like"], tmp_path, pretty=True),
    }
    assert judged(settings, cases, tmp_path) == {
        "revoked": ("reject", "revoked_signer"),
        "altered": ("reject", "bad_signature"),
        "ski-reference": ("warn", "ok"),
        "ski-via-intermediate": ("warn", "ok"),
        "512-ski": ("warn", "ok"),
        "default-namespace": ("warn", "ok"),
        "pretty-printed": ("warn", "ok"),
        "both-512": ("warn", "ok"),
        "csp-like-certificate": ("warn", "ok"),
    }


def test_wrong_conventions_and_pairings_of_engine_signatures(independent, settings, tmp_path) -> None:
    s256, s512 = independent.signers["256-TCB"], independent.signers["512-C"]
    cases = {
        "engine-output-as-is": independent_sign(s256, tmp_path),
        "r-then-s": independent_sign(s256, tmp_path, swap_halves=True),
        "512-r-then-s": independent_sign(s512, tmp_path, swap_halves=True),
        "big-endian-e": independent_sign(s256, tmp_path, big_endian_e=True),
        "512-big-endian-e": independent_sign(s512, tmp_path, big_endian_e=True),
        "labelled-sha256": independent_sign(s256, tmp_path, digest_method=SHA256),
        "512-labelled-streebog256": independent_sign(s512, tmp_path, digest_method=STREEBOG_256),
    }
    assert judged(settings, cases, tmp_path) == {
        "engine-output-as-is": ("warn", "ok"),
        "r-then-s": ("reject", "bad_signature"),
        "512-r-then-s": ("reject", "bad_signature"),
        "big-endian-e": ("reject", "bad_signature"),
        "512-big-endian-e": ("reject", "bad_signature"),
        "labelled-sha256": ("reject", "unsupported_algorithm"),
        "512-labelled-streebog256": ("reject", "unsupported_algorithm"),
    }


def test_the_engine_agrees_with_the_desk_on_the_desks_own_signatures(gost_treasury, tmp_path) -> None:
    """The other direction: openssl + engine verifies a certificate made by the TEST issuer."""
    signer = gost_treasury.signers["gost256"].cert
    (tmp_path / "root.pem").write_bytes(gost_treasury.root.cert.pem())
    (tmp_path / "signer.pem").write_bytes(signer.pem())
    out = openssl("verify", "-engine", "gost", "-CAfile", "root.pem", "signer.pem", cwd=tmp_path)
    assert b"signer.pem: OK" in out
