"""A TEST Treasury: root, intermediate, signers, CRLs, and signed policies for demos and tests.

Three kinds: `gost` (the Treasury's real shape: a GOST R 34.10-2012 512-bit root, a 256-bit
intermediate and 256-bit signers, plus mixed-algorithm signers), `rsa` (an RSA root with an
ECDSA intermediate) and `ec`. Certificates and CRLs are built in `pki.py`, GOST XMLDSig in
`xmldsig_gost.py`; RSA/ECDSA XMLDSig with signxml.

Nothing made here is trusted by a production desk: the app trusts only the root pinned in its
configuration, and the bundled demo root is named TEST-ONLY everywhere it appears.
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import ec
from lxml import etree
from signxml import XMLSigner
from signxml.algorithms import CanonicalizationMethod

from desk_app.demo.pki import (
    GostKey,
    Issued,
    issue_cert,
    make_crl,
    new_key,
    pem,
    ski_for,
)
from desk_app.demo.xmldsig_gost import sign_gost_element
from desk_app.verify.numbers import enp_check_digit
from desk_app.verify.profile import DS, NS

EXC_C14N = CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0
TEST_MARK = "TEST ONLY - NOT THE FEDERAL TREASURY"


def make_enp(first15: str) -> str:
    return first15 + str(enp_check_digit(first15))


def identity_digest(salt: bytes, passport: str) -> bytes:
    digits = "".join(ch for ch in passport if ch.isdigit())
    return hashlib.sha256(salt + digits.encode("ascii")).digest()


@dataclass(frozen=True)
class PolicyData:
    number: str = "7700000000000016"
    kind: str = "permanent"
    last_name: str = "Иванова"
    first_name: str = "Мария"
    middle_name: str | None = "Петровна"
    birth_date: date = date(1985, 3, 14)
    sex: str = "F"
    snils: str | None = "112-233-445 95"
    passport: str | None = "4510 123456"
    salt: bytes = b"\x11" * 16
    insurer_name: str = "АО «Страховая компания «СОГАЗ-Мед»"
    insurer_code: str = "77012"
    insurer_ogrn: str = "1027739008440"
    region: str = "г. Москва"
    okato: str = "45"
    valid_from: date = date(2020, 1, 1)
    valid_to: date | None = None
    issued_at: datetime = field(default_factory=lambda: datetime.now(UTC).replace(microsecond=0) - timedelta(days=1))


def policy_element(p: PolicyData) -> etree._Element:
    """The unsigned document, in the profile's element order."""
    root = etree.Element(f"{{{NS}}}Policy", nsmap={None: NS})
    root.set("Version", "1")

    def add(parent: etree._Element, name: str, text: str | None = None, **attrs: str) -> etree._Element:
        el = etree.SubElement(parent, f"{{{NS}}}{name}")
        if text is not None:
            el.text = text
        for k, v in attrs.items():
            el.set(k, v)
        return el

    add(root, "Number", p.number)
    add(root, "Kind", p.kind)
    holder = add(root, "Holder")
    add(holder, "LastName", p.last_name)
    add(holder, "FirstName", p.first_name)
    if p.middle_name is not None:
        add(holder, "MiddleName", p.middle_name)
    add(holder, "BirthDate", p.birth_date.isoformat())
    add(holder, "Sex", p.sex)
    if p.snils is not None:
        add(holder, "Snils", p.snils)
    if p.passport is not None:
        digest = identity_digest(p.salt, p.passport)
        add(holder, "IdentityDigest", base64.b64encode(digest).decode(), Salt=base64.b64encode(p.salt).decode())
    add(root, "Insurer", p.insurer_name, Code=p.insurer_code, Ogrn=p.insurer_ogrn)
    add(root, "Region", p.region, Okato=p.okato)
    add(root, "ValidFrom", p.valid_from.isoformat())
    if p.valid_to is not None:
        add(root, "ValidTo", p.valid_to.isoformat())
    add(root, "IssuedAt", p.issued_at.isoformat())
    return root


class _AnyAlgorithmSigner(XMLSigner):
    """Test tooling only: lets the attack tests make genuinely signed SHA-1 documents."""

    def check_deprecated_methods(self) -> None:
        return None


@dataclass(frozen=True)
class SignerSpec:
    name: str
    kind: str  # a pki.new_key kind: rsa, rsa1024, ec, gost256[:curve-oid], gost512[:curve-oid]
    issuer: str  # "root" or "intermediate"
    expired: bool = False


# What each kind of Treasury holds. The first signer is the default one (directly under the
# root); `INTERMEDIATE_SIGNER` names the one issued by the intermediate; "revoked" is on root.crl.
TREASURY_KINDS: dict[str, tuple[str, str, tuple[SignerSpec, ...]]] = {
    "rsa": (
        "rsa",
        "ec",
        (
            SignerSpec("rsa", "rsa", "root"),
            SignerSpec("ec", "ec", "intermediate"),
            SignerSpec("revoked", "rsa", "root"),
            SignerSpec("expired", "rsa", "root", expired=True),
            SignerSpec("rsa1024", "rsa1024", "root"),
        ),
    ),
    "ec": (
        "ec",
        "ec",
        (
            SignerSpec("ec-root", "ec", "root"),
            SignerSpec("ec", "ec", "intermediate"),
            SignerSpec("revoked", "ec", "root"),
            SignerSpec("expired", "ec", "root", expired=True),
        ),
    ),
    "gost": (
        "gost512",
        "gost256:1.2.643.7.1.2.1.1.1",
        (
            SignerSpec("gost256", "gost256", "root"),
            SignerSpec("gost256-inter", "gost256:1.2.643.7.1.2.1.1.2", "intermediate"),
            SignerSpec("gost512", "gost512:1.2.643.7.1.2.1.2.2", "root"),
            SignerSpec("revoked", "gost256", "root"),
            SignerSpec("expired", "gost256", "root", expired=True),
            SignerSpec("ec", "ec", "intermediate"),  # mixed: ECDSA under the GOST intermediate
            SignerSpec("rsa", "rsa", "root"),  # mixed: RSA under the GOST root
        ),
    ),
}
INTERMEDIATE_SIGNER = {"rsa": "ec", "ec": "ec", "gost": "gost256-inter"}


class TestTreasury:
    """A complete test PKI written to `base_dir` (serve that folder as the trust URL)."""

    __test__ = False  # not a pytest test class

    def __init__(
        self, base_dir: Path, root: Issued, intermediate: Issued, signers: dict[str, Issued], algorithm: str = "rsa"
    ) -> None:
        self.base_dir = base_dir
        self.root = root
        self.intermediate = intermediate
        self.signers = signers
        self.algorithm = algorithm

    @property
    def root_pem_path(self) -> Path:
        return self.base_dir / "root.pem"

    @property
    def default_signer(self) -> str:
        """The signer directly under the root, of the Treasury's own algorithm."""
        return TREASURY_KINDS[self.algorithm][2][0].name

    @property
    def intermediate_signer(self) -> str:
        return INTERMEDIATE_SIGNER[self.algorithm]

    @classmethod
    def create(
        cls,
        directory: Path,
        *,
        now: datetime | None = None,
        years: int = 3,
        crl_days: int = 30,
        algorithm: str = "rsa",
        root_subject: tuple[str, str] = ("TEST-ONLY Treasury Root", TEST_MARK),
    ) -> TestTreasury:
        """`algorithm`: gost (512-bit root, 256-bit intermediate and signers), rsa or ec.
        `root_subject` (CN, O): the TEST-ONLY names unless a test needs a root that does not say it
        is a test one (doctor warns for those); the keys are this Treasury's own either way."""
        if algorithm not in TREASURY_KINDS:
            raise ValueError(f"unknown TEST Treasury algorithm {algorithm!r}: choose from {sorted(TREASURY_KINDS)}")
        root_kind, inter_kind, specs = TREASURY_KINDS[algorithm]
        now = (now or datetime.now(UTC)).replace(microsecond=0)
        directory.mkdir(parents=True, exist_ok=True)
        start = now - timedelta(days=5 * 365)
        root_key = new_key(root_kind)
        root = Issued(
            root_key,
            issue_cert(
                root_subject[0], root_key, None, ca=True, not_before=start,
                not_after=now + timedelta(days=20 * 365), organization=root_subject[1],
            ),
        )
        inter_key = new_key(inter_kind)
        intermediate = Issued(
            inter_key,
            issue_cert(
                "TEST-ONLY Treasury Intermediate", inter_key, root, ca=True, not_before=start,
                not_after=now + timedelta(days=10 * 365),
            ),
        )
        until = now + timedelta(days=years * 365)
        signers: dict[str, Issued] = {}
        for spec in specs:
            key = new_key(spec.kind)
            issuer = root if spec.issuer == "root" else intermediate
            if spec.expired:
                nb, na = now - timedelta(days=3 * 365), now - timedelta(days=365)
            else:
                nb, na = now - timedelta(days=2 * 365), until
            signers[spec.name] = Issued(
                key,
                issue_cert(
                    f"TEST-ONLY Treasury signer {spec.name}", key, issuer, ca=False, not_before=nb, not_after=na
                ),
            )
        treasury = cls(directory, root, intermediate, signers, algorithm)
        treasury.write_trust_files(now=now, crl_days=crl_days)
        return treasury

    def write_trust_files(self, *, now: datetime, crl_days: int = 30, directory: Path | None = None) -> None:
        """root.pem, signers.pem (signers + intermediate), root.crl (revokes 'revoked'), intermediate.crl."""
        out = directory or self.base_dir
        out.mkdir(parents=True, exist_ok=True)
        (out / "root.pem").write_bytes(pem(self.root.cert))
        bundle = pem(self.intermediate.cert) + b"".join(pem(s.cert) for n, s in self.signers.items())
        (out / "signers.pem").write_bytes(bundle)
        last, next_ = now - timedelta(hours=1), now + timedelta(days=crl_days)
        (out / "root.crl").write_bytes(make_crl(self.root, [self.signers["revoked"].cert], last=last, next_=next_))
        (out / "intermediate.crl").write_bytes(make_crl(self.intermediate, [], last=last, next_=next_))

    def sign_policy(
        self,
        policy: PolicyData | None = None,
        signer: str | None = None,
        *,
        embed_cert: bool = True,
        algorithm: str | None = None,
        element: etree._Element | None = None,
    ) -> bytes:
        """The signed XML bytes (`signer` defaults to `default_signer`).

        `algorithm` (e.g. "rsa-sha1") is for attack tests only (RSA/ECDSA signers).
        """
        issued = self.signers[signer or self.default_signer]
        return sign_element(
            element if element is not None else policy_element(policy or PolicyData()),
            issued,
            embed_cert=embed_cert,
            algorithm=algorithm,
        )


def sign_element(
    root: etree._Element, issued: Issued, *, embed_cert: bool = True, algorithm: str | None = None
) -> bytes:
    """Sign in the profile: GOST keys with the GOST pair of their size, RSA/ECDSA with signxml."""
    if isinstance(issued.key, GostKey):
        return sign_gost_element(root, issued, embed_cert=embed_cert)
    is_ec = isinstance(issued.key, ec.EllipticCurvePrivateKey)
    alg = algorithm or ("ecdsa-sha256" if is_ec else "rsa-sha256")
    digest = "sha1" if "sha1" in alg else "sha256"
    signer = _AnyAlgorithmSigner(signature_algorithm=alg, digest_algorithm=digest, c14n_algorithm=EXC_C14N)
    signer.namespaces = {"ds": DS}
    signed = signer.sign(root, key=issued.key, cert=[pem(issued.cert).decode()], always_add_key_value=False)
    if not embed_cert:
        x509_data = signed.find(f"{{{DS}}}Signature/{{{DS}}}KeyInfo/{{{DS}}}X509Data")
        for child in list(x509_data):
            x509_data.remove(child)
        etree.SubElement(x509_data, f"{{{DS}}}X509SKI").text = base64.b64encode(ski_for(issued.key)).decode()
    return etree.tostring(signed, xml_declaration=True, encoding="UTF-8")


def random_salt() -> bytes:
    return os.urandom(16)
