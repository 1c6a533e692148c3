"""The attack catalogue: every forged, tampered or hostile document ends in the right refusal.

Each test names the defence it proves; removing that defence changes the outcome. The whole
catalogue runs twice: on an RSA/ECDSA Treasury and on a GOST R 34.10-2012 one (512-bit root,
256-bit intermediate and signers), where signatures go through the desk's own GOST path.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from lxml import etree
from signxml import XMLSigner
from signxml.algorithms import CanonicalizationMethod

from desk_app.demo.issuer import Issued, PolicyData, TestTreasury, issue_cert, policy_element, sign_element
from desk_app.demo.pki import GostKey, new_key, pem
from desk_app.demo.xmldsig_gost import sign_gost_element
from desk_app.verify.gost_xmldsig import GOST_256, STREEBOG_256
from desk_app.verify.profile import DS
from desk_app.verify.signature import SHA256, verify_policy_xml
from desk_app.verify.trust_store import TrustStore
from tests.helpers.certificates import treasury_of_each_algorithm

NS = "urn:oms:epolicy:1"
TODAY = datetime.now(UTC).date()
GOST_2001 = "http://www.w3.org/2001/04/xmldsig-more#gostr34102001-gostr3411"
INCLUSIVE_C14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"


treasury = treasury_of_each_algorithm  # every test here runs on an RSA/ECDSA and on a GOST Treasury


def fresh_key(treasury: TestTreasury):
    """A new key of the Treasury's own signer kind."""
    return new_key("gost256" if treasury.algorithm == "gost" else "rsa")


def default_issued(treasury: TestTreasury) -> Issued:
    return treasury.signers[treasury.default_signer]


@pytest.fixture
def trust(judge_settings):
    return TrustStore(judge_settings.trust_root_path, judge_settings.trust_cache_dir).snapshot


def judge(xml: bytes, trust) -> str:
    return verify_policy_xml(xml, trust, today=TODAY).code


def test_genuine_documents_pass(treasury, policy_xml, trust) -> None:
    assert judge(policy_xml(), trust) == "ok"
    inter = treasury.intermediate_signer
    assert judge(policy_xml(signer=inter), trust) == "ok"  # through the intermediate
    assert judge(policy_xml(embed_cert=False), trust) == "ok"  # X509SKI resolved from the cache
    assert judge(policy_xml(signer=inter, embed_cert=False), trust) == "ok"


def test_tampered_content_is_a_bad_signature(policy_xml, trust) -> None:
    xml = policy_xml().replace("Иванова".encode(), "Петрова".encode())
    assert judge(xml, trust) == "bad_signature"


def test_tampered_signature_value_is_a_bad_signature(policy_xml, trust) -> None:
    root = etree.fromstring(policy_xml())
    sv = root.find(f"{{{DS}}}Signature/{{{DS}}}SignatureValue")
    raw = bytearray(base64.b64decode(sv.text))
    raw[10] ^= 0x01
    sv.text = base64.b64encode(bytes(raw)).decode()
    assert judge(etree.tostring(root), trust) == "bad_signature"


def test_wrapping_a_second_number_is_malformed(policy_xml, trust) -> None:
    root = etree.fromstring(policy_xml())
    extra = etree.Element(f"{{{NS}}}Number")
    extra.text = "1234567890123452"
    root.insert(1, extra)
    assert judge(etree.tostring(root), trust) == "malformed"


def test_wrapping_a_signed_copy_inside_a_forged_policy_is_malformed(policy_xml, trust) -> None:
    genuine = etree.fromstring(policy_xml())
    forged = policy_element(PolicyData(last_name="Мошенников", number="1234567890123452"))
    wrapper = etree.SubElement(forged, f"{{{NS}}}Attachment")
    wrapper.append(genuine)
    assert judge(etree.tostring(forged), trust) == "malformed"


def test_forged_policy_carrying_the_genuine_signature_is_refused(policy_xml, trust) -> None:
    """The genuine Signature moved onto a forged document: the digest no longer matches."""
    genuine = etree.fromstring(policy_xml())
    forged = policy_element(PolicyData(last_name="Мошенников"))
    forged.append(genuine[-1])
    assert judge(etree.tostring(forged), trust) == "bad_signature"


def test_moved_signature_is_malformed(policy_xml, trust) -> None:
    root = etree.fromstring(policy_xml())
    sig = root[-1]
    root.find(f"{{{NS}}}Holder").append(sig)
    assert judge(etree.tostring(root), trust) == "malformed"


def test_signature_not_last_is_malformed(policy_xml, trust) -> None:
    root = etree.fromstring(policy_xml())
    sig = root[-1]
    root.insert(0, sig)
    assert judge(etree.tostring(root), trust) == "malformed"


def test_comment_injection_is_malformed(policy_xml, trust) -> None:
    """exc-c14n drops comments, so the signature would still hold while the text reads differently."""
    xml = policy_xml().replace("<LastName>Иванова".encode(), "<LastName>Ива<!-- -->нова".encode())
    assert judge(xml, trust) == "malformed"


def test_processing_instruction_is_malformed(policy_xml, trust) -> None:
    xml = policy_xml().replace(b"<Kind>", b"<?evil x?><Kind>")
    assert judge(xml, trust) == "malformed"


def test_unknown_element_is_malformed(policy_xml, trust) -> None:
    xml = policy_xml().replace(b"<Kind>", b"<Note>x</Note><Kind>")
    assert judge(xml, trust) == "malformed"


def test_xxe_is_malformed_and_nothing_is_read(policy_xml, trust, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("ТАЙНА")
    body = policy_xml().split(b"?>", 1)[1]
    xml = (
        f'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE Policy [<!ENTITY xxe SYSTEM "file://{secret}">]>'
    ).encode() + body.replace("Иванова".encode(), b"&xxe;")
    assert judge(xml, trust) == "malformed"


def test_entity_expansion_is_malformed(policy_xml, trust) -> None:
    lol = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    body = policy_xml().split(b"?>", 1)[1]
    xml = f'<!DOCTYPE Policy [<!ENTITY l0 "lol">{lol}]>'.encode() + body.replace("Иванова".encode(), b"&l9;")
    assert judge(xml, trust) == "malformed"


def test_look_alike_root_is_untrusted(treasury, trust, tmp_path: Path) -> None:
    """An attacker's Treasury with the very same names: nothing it signs chains to our root."""
    attacker = TestTreasury.create(tmp_path / "attacker", algorithm=treasury.algorithm)
    assert judge(attacker.sign_policy(PolicyData()), trust) == "untrusted_signer"
    assert judge(attacker.sign_policy(PolicyData(), attacker.intermediate_signer), trust) == "untrusted_signer"


def test_self_signed_signer_is_untrusted(treasury, trust) -> None:
    key = fresh_key(treasury)
    now = datetime.now(UTC)
    cert = issue_cert(
        "TEST-ONLY Treasury signer rsa",
        key,
        None,
        ca=False,
        not_before=now - timedelta(days=30),
        not_after=now + timedelta(days=30),
    )
    xml = sign_element(policy_element(PolicyData()), Issued(key, cert))
    assert judge(xml, trust) == "untrusted_signer"


def test_root_key_signing_directly_is_untrusted(treasury, trust) -> None:
    """The root is a CA: it must not sign policies itself."""
    xml = sign_element(policy_element(PolicyData()), treasury.root)
    assert judge(xml, trust) == "untrusted_signer"


def test_unknown_ski_is_untrusted(treasury, trust, tmp_path: Path) -> None:
    attacker = TestTreasury.create(tmp_path / "attacker", algorithm=treasury.algorithm)
    assert judge(attacker.sign_policy(PolicyData(), embed_cert=False), trust) == "untrusted_signer"


def test_key_value_alone_is_never_trusted(treasury, trust) -> None:
    if treasury.algorithm == "gost":
        xml = sign_gost_element(policy_element(PolicyData()), default_issued(treasury), key_value=True)
    else:
        signer = XMLSigner(
            signature_algorithm="rsa-sha256",
            digest_algorithm="sha256",
            c14n_algorithm=CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0,
        )
        xml = etree.tostring(signer.sign(policy_element(PolicyData()), key=default_issued(treasury).key))
    assert etree.fromstring(xml).find(f".//{{{DS}}}KeyValue") is not None
    assert judge(xml, trust) == "untrusted_signer"


def test_revoked_signer(policy_xml, trust) -> None:
    assert judge(policy_xml(signer="revoked"), trust) == "revoked_signer"


def test_expired_signer_is_fine_for_policies_it_signed_while_valid(treasury, policy_xml, trust) -> None:
    cert = treasury.signers["expired"].cert
    issued = cert.not_before + timedelta(days=30)
    assert judge(policy_xml(signer="expired", issued_at=issued), trust) == "ok"


def test_signer_not_valid_at_issue(policy_xml, trust) -> None:
    assert judge(policy_xml(signer="expired"), trust) == "signer_not_valid_at_issue"


def test_issued_in_the_future_beyond_the_skew_allowance(policy_xml, trust) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    assert judge(policy_xml(issued_at=now + timedelta(minutes=3)), trust) == "ok"
    assert judge(policy_xml(issued_at=now + timedelta(minutes=10)), trust) == "signer_not_valid_at_issue"


def test_a_refused_signature_method_is_refused(treasury, trust) -> None:
    """RSA-SHA1 (a genuine signature) / GOST R 34.10-2001 (a genuine GOST signature so labelled)."""
    if treasury.algorithm == "gost":
        xml = sign_gost_element(policy_element(PolicyData()), default_issued(treasury), signature_uri=GOST_2001)
    else:
        xml = treasury.sign_policy(PolicyData(), algorithm="rsa-sha1")
        assert b"rsa-sha1" in xml
    assert judge(xml, trust) == "unsupported_algorithm"


def test_a_refused_digest_is_refused(treasury, trust) -> None:
    """SHA-1 under RSA-SHA256 / SHA-256 under a GOST signature: both signed for real."""
    if treasury.algorithm == "gost":
        xml = sign_gost_element(policy_element(PolicyData()), default_issued(treasury), digest_uri=SHA256)
        assert judge(xml, trust) == "unsupported_algorithm"
        return
    xml = treasury.sign_policy(PolicyData(), algorithm="rsa-sha256")
    root = etree.fromstring(xml)
    # Re-sign with a SHA-1 reference digest (a genuine signature over it).
    signer = type("Sha1Digest", (XMLSigner,), {"check_deprecated_methods": lambda self: None})(
        signature_algorithm="rsa-sha256",
        digest_algorithm="sha1",
        c14n_algorithm=CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0,
    )
    root.remove(root[-1])
    issued = default_issued(treasury)
    signed = signer.sign(root, key=issued.key, cert=[pem(issued.cert).decode()])
    assert judge(etree.tostring(signed), trust) == "unsupported_algorithm"


def test_hmac_signature_is_refused(trust) -> None:
    signer = XMLSigner(
        signature_algorithm="hmac-sha256",
        digest_algorithm="sha256",
        c14n_algorithm=CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0,
    )
    signed = signer.sign(policy_element(PolicyData()), key=b"shared-secret-known-to-attacker")
    assert judge(etree.tostring(signed), trust) == "unsupported_algorithm"


def test_a_key_the_method_does_not_allow_is_refused(treasury, policy_xml, trust) -> None:
    """RSA under 2048 bits / a 512-bit GOST key under the 256-bit method (Streebog-256 digests)."""
    if treasury.algorithm == "gost":
        issued = treasury.signers["gost512"]
        xml = sign_gost_element(
            policy_element(PolicyData()), issued, signature_uri=GOST_256, digest_uri=STREEBOG_256, hash_bits=256
        )
    else:
        xml = policy_xml(signer="rsa1024")
    assert judge(xml, trust) == "unsupported_algorithm"


def test_inclusive_c14n_is_refused(treasury, trust) -> None:
    issued = default_issued(treasury)
    if treasury.algorithm == "gost":  # refused by its URI before any hashing
        xml = sign_gost_element(policy_element(PolicyData()), issued, c14n_uri=INCLUSIVE_C14N)
    else:
        signer = XMLSigner(signature_algorithm="rsa-sha256", digest_algorithm="sha256")  # c14n 1.1 by default
        signed = signer.sign(policy_element(PolicyData()), key=issued.key, cert=[pem(issued.cert).decode()])
        xml = etree.tostring(signed)
    assert judge(xml, trust) == "unsupported_algorithm"


def test_reference_to_an_id_is_malformed(policy_xml, trust) -> None:
    xml = policy_xml().replace(b'<ds:Reference URI="">', b'<ds:Reference URI="#x">')
    assert judge(xml, trust) == "malformed"


def test_signer_without_digital_signature_usage_is_untrusted(treasury, trust) -> None:
    key = fresh_key(treasury)
    now = datetime.now(UTC)
    cert = issue_cert(
        "no-ku signer",
        key,
        treasury.root,
        ca=False,
        not_before=now - timedelta(days=30),
        not_after=now + timedelta(days=30),
        digital_signature=False,
    )
    assert judge(sign_element(policy_element(PolicyData()), Issued(key, cert)), trust) == "untrusted_signer"


@pytest.mark.parametrize(
    "change",
    [
        {"number": "7700000000000017"},  # check digit
        {"birth_date": TODAY + timedelta(days=1)},
        {"sex": "X"},
        {"last_name": "Ivanova"},
        {"snils": "112-233-445 96"},
        {"kind": "temporary"},  # without ValidTo
        {"insurer_code": "7701"},
        {"okato": "4"},
    ],
)
def test_profile_violations_are_malformed(policy_xml, trust, change) -> None:
    assert judge(policy_xml(**change), trust) == "malformed"


def test_verification_uses_the_signers_certificate_not_the_document_key(treasury, trust) -> None:
    """A document signed by key A but carrying certificate B (a genuine one) fails."""
    root = policy_element(PolicyData())
    genuine = default_issued(treasury)
    other_key = fresh_key(treasury)
    if isinstance(other_key, GostKey):
        xml = sign_gost_element(root, Issued(other_key, genuine.cert))
    else:
        signer = XMLSigner(
            signature_algorithm="rsa-sha256",
            digest_algorithm="sha256",
            c14n_algorithm=CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0,
        )
        xml = etree.tostring(signer.sign(root, key=other_key, cert=[pem(genuine.cert).decode()]))
    assert judge(xml, trust) == "bad_signature"
