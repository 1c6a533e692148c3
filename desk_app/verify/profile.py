"""The policy document profile (spec section 1): elements, order, formats, check digits.

`read_policy` is run twice: on the document as received (to refuse malformed input before any
cryptography) and on the signed content signxml returns, which is the only source of the
values the desk shows and acts on.
"""

from __future__ import annotations

import base64
import binascii
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from lxml import etree

from desk_app.text_fields import BLANK_LOOKING
from desk_app.verify.numbers import enp_is_valid, snils_is_valid
from desk_app.verify.verdict import PolicyFields
from desk_app.verify.xmlparse import MalformedDocument
from desk_app.verify.xsdates import XsValueError, parse_xs_date, parse_xs_datetime

NS = "urn:oms:epolicy:1"
DS = "http://www.w3.org/2000/09/xmldsig#"


def q(name: str) -> str:
    return f"{{{NS}}}{name}"


SIGNATURE_TAG = f"{{{DS}}}Signature"

_NAME_RE = re.compile(r"[А-ЯЁа-яё' \-]{1,60}")
_DIGITS = {n: re.compile(rf"[0-9]{{{n}}}", re.ASCII) for n in (2, 5, 13)}
_XML_SPACE = " \t\r\n"

# Characters no text of the document may hold: controls, format characters (bidi controls,
# zero-width characters, the BOM, soft hyphen), unassigned and private-use code points, line and
# paragraph separators, spaces other than the plain and the no-break space, and the remaining
# default-ignorable or blank-looking characters (text_fields.BLANK_LOOKING: one set for documents and typed text).
_REFUSED_CATEGORIES = {"Cc", "Cf", "Cn", "Co", "Cs", "Zl", "Zp", "Zs"}
_ALLOWED_SPACES = {" ", "\u00a0"}

# Inside ds:Signature: the elements that hold text, which is base64 (XML whitespace may wrap it).
_SIGNATURE_TEXT_LEAVES = {"SignatureValue", "DigestValue", "X509Certificate", "X509SKI", "KeyValue"}
_BASE64_TEXT = re.compile(r"[A-Za-z0-9+/=\t\r\n ]*", re.ASCII)

_ROOT_ORDER = ("Number", "Kind", "Holder", "Insurer", "Region", "ValidFrom", "ValidTo", "IssuedAt")
_ROOT_OPTIONAL = {"ValidTo"}
_HOLDER_ORDER = ("LastName", "FirstName", "MiddleName", "BirthDate", "Sex", "Snils", "IdentityDigest")
_HOLDER_OPTIONAL = {"MiddleName", "Snils", "IdentityDigest"}
_ALLOWED_ATTRS = {
    "Policy": {"Version"},
    "Insurer": {"Code", "Ogrn"},
    "Region": {"Okato"},
    "IdentityDigest": {"Salt"},
}


@dataclass(frozen=True)
class PolicyDocument:
    """Every value of a policy document that passed the profile."""

    number: str
    kind: str
    last_name: str
    first_name: str
    middle_name: str | None
    birth_date: date
    sex: str
    snils: str | None
    identity_digest: bytes | None
    identity_salt: bytes | None
    insurer_name: str
    insurer_code: str
    insurer_ogrn: str
    region: str
    okato: str
    valid_from: date
    valid_to: date | None
    issued_at: datetime

    def fields(self) -> PolicyFields:
        return PolicyFields(
            number=self.number,
            last_name=self.last_name,
            first_name=self.first_name,
            middle_name=self.middle_name,
            birth_date=self.birth_date,
            sex=self.sex,
            insurer_code=self.insurer_code,
            valid_from=self.valid_from,
            valid_to=self.valid_to,
            issued_at=self.issued_at,
        )


def _fail(msg: str) -> MalformedDocument:
    return MalformedDocument(msg)


def _blank(text: str | None) -> bool:
    return text is None or text.strip(" \t\r\n") == ""


def _refused_character(text: str) -> str | None:
    """The first character of `text` no document text may hold, or None."""
    for ch in text:
        if ch in _ALLOWED_SPACES:
            continue
        if unicodedata.category(ch) in _REFUSED_CATEGORIES or ch in BLANK_LOOKING:
            return ch
    return None


def _check_text_value(text: str | None, where: str, *, inner_space_only: bool) -> None:
    """Refuse invisible and control characters; XML whitespace may only surround the value."""
    if not text:
        return
    core = text.strip(_XML_SPACE) if inner_space_only else text.replace("\t", "").replace("\n", "").replace("\r", "")
    bad = _refused_character(core)
    if bad is not None:
        raise _fail(f"{where} holds the invisible or control character U+{ord(bad):04X}")


def _check_characters(root: etree._Element) -> None:
    """Every text, tail and attribute value of the document, the Signature included."""
    for el in root.iter():
        local = etree.QName(el).localname
        if not _blank(el.text):
            # The policy's own values: XML whitespace only around them; the Signature's base64 may wrap.
            _check_text_value(el.text, local, inner_space_only=etree.QName(el).namespace == NS)
        if not _blank(el.tail):
            _check_text_value(el.tail, f"text after {local}", inner_space_only=True)
        for name, value in el.attrib.items():
            bad = _refused_character(value)
            if bad is not None:
                raise _fail(f"{local}/@{etree.QName(name).localname} holds the character U+{ord(bad):04X}")


def _check_signature_text_and_namespaces(sig: etree._Element) -> None:
    """ds elements only, and text only in the base64 leaves.

    A `ds:KeyValue`'s content (dsig11 ECKeyValue, a CSP's GOST key value, or base64 text) is not
    looked into: a bare key is never trusted (`untrusted_signer`), and beside an X509Data it makes
    the KeyInfo malformed, whatever it holds.
    """
    for el in sig.iter():
        qn = etree.QName(el)
        if any(etree.QName(a) == etree.QName(DS, "KeyValue") for a in el.iterancestors()):
            continue
        if qn.namespace != DS:
            raise _fail(f"{qn.localname} inside ds:Signature is not in the ds namespace")
        if not _blank(el.text):
            if qn.localname not in _SIGNATURE_TEXT_LEAVES or len(el):
                raise _fail(f"text inside ds:{qn.localname}, where the signature profile has none")
            if not _BASE64_TEXT.fullmatch(el.text):
                raise _fail(f"ds:{qn.localname} holds something other than base64")


def _check_attrs(el: etree._Element, local: str) -> None:
    allowed = _ALLOWED_ATTRS.get(local, set())
    for name in el.attrib:
        if name not in allowed:
            raise _fail(f"unexpected attribute {name!r} on {local}")


def _children_in_order(
    children: list[etree._Element], order: tuple[str, ...], optional: set[str], where: str
) -> dict[str, etree._Element]:
    """Element children checked against the profile's order and optionality, by local name."""
    found: dict[str, etree._Element] = {}
    pos = 0
    for child in children:
        qn = etree.QName(child)
        if qn.namespace != NS:
            raise _fail(f"unexpected element {qn.text} in {where}")
        while pos < len(order) and order[pos] != qn.localname:
            if order[pos] not in optional:
                raise _fail(f"{where}/{order[pos]} missing or out of order")
            pos += 1
        if pos == len(order):
            raise _fail(f"unexpected or repeated element {qn.localname} in {where}")
        found[qn.localname] = child
        pos += 1
    for name in order[pos:]:
        if name not in optional:
            raise _fail(f"{where}/{name} missing")
    return found


def _leaf_text(el: etree._Element, local: str) -> str:
    if len(el):
        raise _fail(f"{local} must not contain elements")
    _check_attrs(el, local)
    return el.text or ""


def _date(text: str, local: str) -> date:
    try:
        return parse_xs_date(text)
    except XsValueError as exc:
        raise _fail(f"{local} {exc}") from None


def _b64(text: str, length: int, what: str) -> bytes:
    try:
        raw = base64.b64decode(text.strip(_XML_SPACE), validate=True)
    except (binascii.Error, ValueError):
        raise _fail(f"{what} is not base64") from None
    if len(raw) != length:
        raise _fail(f"{what} must be {length} bytes")
    return raw


def _name(text: str, local: str) -> str:
    if not _NAME_RE.fullmatch(text) or text.strip(" ") == "":
        raise _fail(f"{local} must be 1-60 Cyrillic letters, spaces, hyphens or apostrophes")
    return text


def read_policy(root: etree._Element, *, today: date, expect_signature: bool) -> PolicyDocument:
    """Check `root` against the profile and return its values, or raise MalformedDocument."""
    if root.tag != q("Policy"):
        raise _fail("root element is not {urn:oms:epolicy:1}Policy")
    _check_attrs(root, "Policy")
    if root.get("Version") != "1":
        raise _fail("Policy/@Version must be 1")
    if not _blank(root.text):
        raise _fail("text outside leaf elements")
    for el in root.iter():
        if not _blank(el.tail) and el is not root:
            raise _fail("text outside leaf elements")
    _check_characters(root)

    elements = list(root)
    if expect_signature:
        sigs = [el for el in root.iter(SIGNATURE_TAG)]
        if len(sigs) != 1:
            raise _fail("there must be exactly one ds:Signature")
        if not elements or elements[-1] is not sigs[0]:
            raise _fail("ds:Signature must be the last child of Policy")
        _check_signature_text_and_namespaces(sigs[0])
        content = elements[:-1]
    else:
        if any(el.tag == SIGNATURE_TAG for el in root.iter()):
            raise _fail("signed content must not contain a signature")
        content = elements
    found = _children_in_order(content, _ROOT_ORDER, _ROOT_OPTIONAL, "Policy")

    number = _leaf_text(found["Number"], "Number")
    if not enp_is_valid(number):
        raise _fail("Number is not 16 digits with a valid check digit")
    kind = _leaf_text(found["Kind"], "Kind")
    if kind not in ("permanent", "temporary"):
        raise _fail("Kind must be permanent or temporary")

    holder_el = found["Holder"]
    _check_attrs(holder_el, "Holder")
    if not _blank(holder_el.text):
        raise _fail("text outside leaf elements")
    holder = _children_in_order(list(holder_el), _HOLDER_ORDER, _HOLDER_OPTIONAL, "Holder")
    last_name = _name(_leaf_text(holder["LastName"], "LastName"), "LastName")
    first_name = _name(_leaf_text(holder["FirstName"], "FirstName"), "FirstName")
    middle_el = holder.get("MiddleName")
    middle_name = _name(_leaf_text(middle_el, "MiddleName"), "MiddleName") if middle_el is not None else None
    birth_date = _date(_leaf_text(holder["BirthDate"], "BirthDate"), "BirthDate")
    if birth_date > today:
        raise _fail("BirthDate is in the future")
    sex = _leaf_text(holder["Sex"], "Sex")
    if sex not in ("M", "F"):
        raise _fail("Sex must be M or F")
    snils = None
    if "Snils" in holder:
        snils = _leaf_text(holder["Snils"], "Snils")
        if not snils_is_valid(snils):
            raise _fail("Snils is not NNN-NNN-NNN NN with a valid check number")
    digest = salt = None
    if "IdentityDigest" in holder:
        el = holder["IdentityDigest"]
        digest = _b64(_leaf_text(el, "IdentityDigest"), 32, "IdentityDigest")
        salt = _b64(el.get("Salt") or "", 16, "IdentityDigest/@Salt")

    insurer_el = found["Insurer"]
    insurer_name = _leaf_text(insurer_el, "Insurer").strip(_XML_SPACE)
    if not insurer_name or len(insurer_name) > 300:
        raise _fail("Insurer name missing or too long")
    insurer_code = insurer_el.get("Code") or ""
    insurer_ogrn = insurer_el.get("Ogrn") or ""
    if not _DIGITS[5].fullmatch(insurer_code) or not _DIGITS[13].fullmatch(insurer_ogrn):
        raise _fail("Insurer/@Code must be 5 digits and @Ogrn 13 digits")
    region_el = found["Region"]
    region = _leaf_text(region_el, "Region").strip(_XML_SPACE)
    okato = region_el.get("Okato") or ""
    if not region or len(region) > 300 or not _DIGITS[2].fullmatch(okato):
        raise _fail("Region name missing or @Okato not 2 digits")

    valid_from = _date(_leaf_text(found["ValidFrom"], "ValidFrom"), "ValidFrom")
    valid_to = _date(_leaf_text(found["ValidTo"], "ValidTo"), "ValidTo") if "ValidTo" in found else None
    if kind == "temporary" and valid_to is None:
        raise _fail("a temporary policy must have ValidTo")
    if valid_to is not None and valid_to < valid_from:
        raise _fail("ValidTo is before ValidFrom")
    try:
        issued_at = parse_xs_datetime(_leaf_text(found["IssuedAt"], "IssuedAt"))
    except XsValueError as exc:
        raise _fail(f"IssuedAt {exc}") from None

    return PolicyDocument(
        number=number,
        kind=kind,
        last_name=last_name,
        first_name=first_name,
        middle_name=middle_name,
        birth_date=birth_date,
        sex=sex,
        snils=snils,
        identity_digest=digest,
        identity_salt=salt,
        insurer_name=insurer_name,
        insurer_code=insurer_code,
        insurer_ogrn=insurer_ogrn,
        region=region,
        okato=okato,
        valid_from=valid_from,
        valid_to=valid_to,
        issued_at=issued_at,
    )
