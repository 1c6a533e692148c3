"""A TEST Treasury: root, intermediate, signers, CRLs, and signed policies for demos and tests.

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

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID
from lxml import etree
from signxml import XMLSigner
from signxml.algorithms import CanonicalizationMethod

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


def _name(cn: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "RU"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, TEST_MARK),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )


@dataclass
class Issued:
    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
    cert: x509.Certificate


def _new_key(kind: str) -> rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey:
    if kind == "ec":
        return ec.generate_private_key(ec.SECP256R1())
    if kind == "rsa1024":  # a deliberately weak signer, for the test that refuses it
        return rsa.generate_private_key(public_exponent=65537, key_size=1024)  # noqa: S505
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def issue_cert(
    cn: str,
    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey,
    issuer: Issued | None,
    *,
    ca: bool,
    not_before: datetime,
    not_after: datetime,
    digital_signature: bool = True,
) -> x509.Certificate:
    """Self-signed when `issuer` is None."""
    issuer_name = issuer.cert.subject if issuer else _name(cn)
    signing_key = issuer.key if issuer else key
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(cn))
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=(1 if issuer is None else 0) if ca else None), True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=digital_signature and not ca,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=ca,
                crl_sign=ca,
                encipher_only=False,
                decipher_only=False,
            ),
            True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
    )
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), False
        )
    return builder.sign(signing_key, hashes.SHA256())


def make_crl(issuer: Issued, revoked: list[x509.Certificate], *, last: datetime, next_: datetime) -> bytes:
    builder = x509.CertificateRevocationListBuilder().issuer_name(issuer.cert.subject)
    builder = builder.last_update(last).next_update(next_)
    for cert in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(cert.serial_number).revocation_date(last).build()
        )
    return builder.sign(issuer.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


class TestTreasury:
    """A complete test PKI written to `base_dir` (serve that folder as the trust URL)."""

    __test__ = False  # not a pytest test class

    def __init__(self, base_dir: Path, root: Issued, intermediate: Issued, signers: dict[str, Issued]) -> None:
        self.base_dir = base_dir
        self.root = root
        self.intermediate = intermediate
        self.signers = signers

    @property
    def root_pem_path(self) -> Path:
        return self.base_dir / "root.pem"

    @classmethod
    def create(
        cls,
        directory: Path,
        *,
        now: datetime | None = None,
        years: int = 3,
        crl_days: int = 30,
    ) -> TestTreasury:
        now = (now or datetime.now(UTC)).replace(microsecond=0)
        directory.mkdir(parents=True, exist_ok=True)
        start = now - timedelta(days=5 * 365)
        root_key = _new_key("rsa")
        root = Issued(
            root_key,
            issue_cert(
                "TEST-ONLY Treasury Root",
                root_key,
                None,
                ca=True,
                not_before=start,
                not_after=now + timedelta(days=20 * 365),
            ),
        )
        inter_key = _new_key("ec")
        intermediate = Issued(
            inter_key,
            issue_cert(
                "TEST-ONLY Treasury Intermediate",
                inter_key,
                root,
                ca=True,
                not_before=start,
                not_after=now + timedelta(days=10 * 365),
            ),
        )
        until = now + timedelta(days=years * 365)
        signers: dict[str, Issued] = {}
        for name, kind, issuer, nb, na in (
            ("rsa", "rsa", root, now - timedelta(days=2 * 365), until),
            ("ec", "ec", intermediate, now - timedelta(days=2 * 365), until),
            ("revoked", "rsa", root, now - timedelta(days=2 * 365), until),
            ("expired", "rsa", root, now - timedelta(days=3 * 365), now - timedelta(days=365)),
            ("rsa1024", "rsa1024", root, now - timedelta(days=2 * 365), until),
        ):
            key = _new_key(kind)
            signers[name] = Issued(
                key, issue_cert(f"TEST-ONLY Treasury signer {name}", key, issuer, ca=False, not_before=nb, not_after=na)
            )
        treasury = cls(directory, root, intermediate, signers)
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
        signer: str = "rsa",
        *,
        embed_cert: bool = True,
        algorithm: str | None = None,
        element: etree._Element | None = None,
    ) -> bytes:
        """The signed XML bytes. `algorithm` (e.g. "rsa-sha1") is for attack tests only."""
        issued = self.signers[signer]
        return sign_element(
            element if element is not None else policy_element(policy or PolicyData()),
            issued,
            embed_cert=embed_cert,
            algorithm=algorithm,
        )


def sign_element(
    root: etree._Element, issued: Issued, *, embed_cert: bool = True, algorithm: str | None = None
) -> bytes:
    is_ec = isinstance(issued.key, ec.EllipticCurvePrivateKey)
    alg = algorithm or ("ecdsa-sha256" if is_ec else "rsa-sha256")
    digest = "sha1" if "sha1" in alg else "sha256"
    signer = _AnyAlgorithmSigner(signature_algorithm=alg, digest_algorithm=digest, c14n_algorithm=EXC_C14N)
    signer.namespaces = {"ds": DS}
    signed = signer.sign(root, key=issued.key, cert=[issued.cert], always_add_key_value=False)
    if not embed_cert:
        x509_data = signed.find(f"{{{DS}}}Signature/{{{DS}}}KeyInfo/{{{DS}}}X509Data")
        for child in list(x509_data):
            x509_data.remove(child)
        ski = x509.SubjectKeyIdentifier.from_public_key(issued.key.public_key()).digest
        etree.SubElement(x509_data, f"{{{DS}}}X509SKI").text = base64.b64encode(ski).decode()
    return etree.tostring(signed, xml_declaration=True, encoding="UTF-8")


def random_salt() -> bytes:
    return os.urandom(16)
