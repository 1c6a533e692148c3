"""Issue 19 item 5: the certificate rules of RFC 5280 (spec section 3) and one XML profile.

Every case runs on an RSA/ECDSA and on a GOST TEST Treasury: the crafted certificate is
issued by the Treasury's own root or intermediate, so the rule under test is the only thing
wrong, and the policy is signed with the crafted certificate's key and embeds it.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from lxml import etree

from desk_app.demo.issuer import Issued, PolicyData, TestTreasury, policy_element, sign_element
from desk_app.demo.pki import new_key
from desk_app.verify.profile import DS
from desk_app.verify.signature import verify_policy_xml
from desk_app.verify.trust_store import TrustSnapshot, TrustStore
from tests.helpers.certificates import issue_with, treasury_of_each_algorithm

TODAY = datetime.now(UTC).date()
XML_NS = "http://www.w3.org/XML/1998/namespace"
DOCUMENT_SIGNING = "1.3.6.1.5.5.7.3.36"


treasury = treasury_of_each_algorithm  # every test here runs on an RSA/ECDSA and on a GOST Treasury


@pytest.fixture
def trust(judge_settings) -> TrustSnapshot:
    return TrustStore(judge_settings.trust_root_path, judge_settings.trust_cache_dir).snapshot


def signer_key(treasury: TestTreasury):
    return new_key("gost256" if treasury.algorithm == "gost" else "rsa")


def ca_key(treasury: TestTreasury):
    return new_key("gost512" if treasury.algorithm == "gost" else "rsa")


def verdict(issued: Issued, trust: TrustSnapshot) -> str:
    return verify_policy_xml(sign_element(policy_element(PolicyData()), issued), trust, today=TODAY).code


# --- ExtendedKeyUsage ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "eku",
    [
        ["server_auth", "client_auth"],
        ["server_auth"],
        ["ocsp_signing"],
        ["time_stamping"],
        ["code_signing"],
        ["code_signing", "time_stamping", "client_auth"],
    ],
)
def test_a_signer_for_other_purposes_is_untrusted(treasury, trust, eku) -> None:
    issued = issue_with("EKU signer", signer_key(treasury), treasury.root, eku=eku)
    assert verdict(issued, trust) == "untrusted_signer"


@pytest.mark.parametrize(
    "eku",
    [
        ["client_auth", "email_protection"],  # common in Russian qualified certificates (spec 3)
        ["client_auth"],
        ["server_auth", "any_extended_key_usage"],
        [DOCUMENT_SIGNING],
        ["server_auth", "1.2.643.3.131.1.1"],  # a purpose of the desk's own world beside a TLS one
        None,  # no EKU at all
    ],
)
def test_a_signer_whose_purposes_allow_documents_still_signs(treasury, trust, eku) -> None:
    issued = issue_with("EKU signer", signer_key(treasury), treasury.root, eku=eku)
    assert verdict(issued, trust) == "ok"


# --- critical extensions ------------------------------------------------------------------------


def _extension(oid: str, critical: bool) -> dict:
    return {"extn_id": oid, "critical": critical, "extn_value": b"\x05\x00"}  # NULL


@pytest.mark.parametrize("where", ["signer", "intermediate"])
def test_an_unknown_critical_extension_makes_the_chain_untrusted(treasury, trust, where) -> None:
    unknown = [_extension("1.2.3.4.5.6.7", True)]
    if where == "signer":
        issued = issue_with("critical", signer_key(treasury), treasury.root, extra=unknown)
        assert verdict(issued, trust) == "untrusted_signer"
        return
    inter = issue_with("critical CA", ca_key(treasury), treasury.root, ca=True, path_len=0, extra=unknown)
    signer = issue_with("under it", signer_key(treasury), inter)
    snapshot = TrustSnapshot(trust.root, [*trust.certs, inter.cert], trust.crls)
    assert verdict(signer, snapshot) == "untrusted_signer"


def test_an_unknown_extension_that_is_not_critical_is_ignored(treasury, trust) -> None:
    issued = issue_with("non-critical", signer_key(treasury), treasury.root, extra=[_extension("1.2.3.4.5.6.7", False)])
    assert verdict(issued, trust) == "ok"


# --- pathLenConstraint --------------------------------------------------------------------------


@pytest.mark.parametrize(("root_path_len", "expected"), [(0, "untrusted_signer"), (1, "ok"), (None, "ok")])
def test_path_len_of_the_root_is_honoured(treasury, root_path_len, expected) -> None:
    root = issue_with("TEST-ONLY pathLen root", ca_key(treasury), None, ca=True, path_len=root_path_len)
    inter = issue_with("TEST-ONLY pathLen intermediate", ca_key(treasury), root, ca=True, path_len=0)
    signer = issue_with("TEST-ONLY pathLen signer", signer_key(treasury), inter)
    direct = issue_with("TEST-ONLY direct signer", signer_key(treasury), root)
    snapshot = TrustSnapshot(root.cert, [inter.cert, signer.cert])
    assert verdict(signer, snapshot) == expected
    assert verdict(direct, snapshot) == "ok"  # pathLen 0 still lets the root issue signers


def test_path_len_of_an_intermediate_is_honoured(treasury) -> None:
    """A second CA level under an intermediate of pathLen 0 is refused (the chain is at most
    signer <- intermediate <- root by contract, so it is refused either way; this is the rule)."""
    root = issue_with("TEST-ONLY pathLen root", ca_key(treasury), None, ca=True, path_len=None)
    inter = issue_with("TEST-ONLY inter 1", ca_key(treasury), root, ca=True, path_len=0)
    inter2 = issue_with("TEST-ONLY inter 2", ca_key(treasury), inter, ca=True, path_len=None)
    signer = issue_with("TEST-ONLY deep signer", signer_key(treasury), inter2)
    snapshot = TrustSnapshot(root.cert, [inter.cert, inter2.cert])
    assert verdict(signer, snapshot) == "untrusted_signer"


# --- the root's key -----------------------------------------------------------------------------


def test_a_copy_of_the_root_that_is_not_a_ca_cannot_sign(treasury, trust) -> None:
    """Same name, same key, CA:false and digitalSignature, signed by the root's key."""
    from asn1crypto import x509 as asn1_x509

    copy = issue_with(
        "", treasury.root.key, treasury.root, subject=asn1_x509.Name.load(treasury.root.cert.subject_der)
    )
    assert copy.cert.subject.key == treasury.root.cert.subject.key and not copy.cert.ca
    assert verdict(copy, trust) == "untrusted_signer"


def test_an_intermediate_with_the_roots_key_is_not_used(treasury, trust) -> None:
    inter = issue_with("TEST-ONLY root-key CA", treasury.root.key, treasury.root, ca=True, path_len=0)
    signer = issue_with("under the root-key CA", signer_key(treasury), inter)
    snapshot = TrustSnapshot(trust.root, [*trust.certs, inter.cert], trust.crls)
    assert verdict(signer, snapshot) == "untrusted_signer"


# --- one XML profile for GOST and RSA/EC --------------------------------------------------------

ATTRIBUTES = {"Id": "Id", "xml:id": f"{{{XML_NS}}}id", "xml:base": f"{{{XML_NS}}}base"}
ELEMENTS = ["Signature", "SignatureValue", "KeyInfo", "X509Data", "X509Certificate"]


@pytest.mark.parametrize("element", ELEMENTS)
@pytest.mark.parametrize("attribute", list(ATTRIBUTES))
def test_id_attributes_on_ds_elements_are_malformed_on_every_path(
    treasury, trust, policy_xml, element, attribute
) -> None:
    root = etree.fromstring(policy_xml())
    target = next(root.iter(f"{{{DS}}}{element}"))
    target.set(ATTRIBUTES[attribute], "x1")
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    assert verify_policy_xml(xml, trust, today=TODAY).code == "malformed"
