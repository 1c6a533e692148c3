"""A stricter profile: ASCII digits only, no invisible or control characters, UTF-8 only,
no text where the signature profile has none, KeyInfo's children in the ds namespace.

Each rule is tried on documents *signed* by the TEST Treasury (the value itself is refused, not
merely the broken signature) and on genuine documents altered afterwards (crafted).
"""

from __future__ import annotations

import zlib

import pytest
from lxml import etree

from desk_app.core.judge import UNEXPECTED_PREFIX, Judge, build_judge
from desk_app.demo.issuer import PolicyData, policy_element
from desk_app.verify.identity import PassportFormatError, check_passport, passport_digits
from desk_app.verify.numbers import enp_is_valid, snils_is_valid
from desk_app.verify.payload import FORM_B_PREFIX, base45_encode, encode_form_b
from desk_app.verify.profile import DS, q

# The same digits in other scripts: Python's \d, int() and isdigit() accept all of them.
DIGIT_SETS = {
    "arabic_indic": "٠١٢٣٤٥٦٧٨٩",
    "persian": "۰۱۲۳۴۵۶۷۸۹",
    "devanagari": "०१२३४५६७८९",
    "bengali": "০১২৩৪৫৬৭৮৯",
    "thai": "๐๑๒๓๔๕๖๗๘๙",
    "fullwidth": "０１２３４５６７８９",
    "math_bold": "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗",
    "superscript": "⁰¹²³⁴⁵⁶⁷⁸⁹",
    "circled": "⓪①②③④⑤⑥⑦⑧⑨",
}


def foreign(text: str, digits: str) -> str:
    return "".join(digits[int(c)] if c.isascii() and c.isdigit() else c for c in text)


@pytest.fixture
def offline_judge(judge_settings) -> Judge:
    return build_judge(judge_settings.replace(offline=True), refresh=False)


def verdict_of(judge: Judge, xml: bytes) -> tuple[str, str]:
    judgement = judge.judge_qr(xml)
    assert not judgement.detail.startswith(UNEXPECTED_PREFIX), judgement.detail
    return judgement.verdict.decision, judgement.verdict.signature


def signed(treasury, element: etree._Element) -> bytes:
    return treasury.sign_policy(element=element)


def _element_with(**changes: str) -> etree._Element:
    """The default policy with raw text/attribute values set (`Tag` or `Tag@Attr` keys)."""
    el = policy_element(PolicyData(valid_to=None))
    for key, value in changes.items():
        tag, _, attr = key.partition("@")
        target = el.find(f".//{q(tag)}")
        if attr:
            target.set(attr, value)
        else:
            target.text = value
    return el


NUMERIC_PLACES = {
    "Insurer@Code": "77012",
    "Insurer@Ogrn": "1027739008440",
    "Region@Okato": "45",
    "Number": "7700000000000016",
    "Snils": "112-233-445 95",
    "BirthDate": "1985-03-14",
    "ValidFrom": "2020-01-01",
    "IssuedAt": "2026-01-01T10:00:00+03:00",
}


@pytest.mark.parametrize("digits", list(DIGIT_SETS), ids=list(DIGIT_SETS))
@pytest.mark.parametrize("place", list(NUMERIC_PLACES))
def test_non_ascii_digits_are_malformed(offline_judge, treasury, policy_xml, place, digits) -> None:
    value = foreign(NUMERIC_PLACES[place], DIGIT_SETS[digits])
    assert value != NUMERIC_PLACES[place]
    assert verdict_of(offline_judge, signed(treasury, _element_with(**{place: value}))) == ("reject", "malformed")
    # The same change made to a genuine document by someone without the key.
    root = etree.fromstring(policy_xml())
    tag, _, attr = place.partition("@")
    target = root.find(f".//{q(tag)}")
    target.set(attr, value) if attr else setattr(target, "text", value)
    assert verdict_of(offline_judge, etree.tostring(root, encoding="UTF-8")) == ("reject", "malformed")


@pytest.mark.parametrize("digits", list(DIGIT_SETS), ids=list(DIGIT_SETS))
def test_numbers_module_takes_ascii_digits_only(digits) -> None:
    assert enp_is_valid("7700000000000016") and snils_is_valid("112-233-445 95")
    assert not enp_is_valid(foreign("7700000000000016", DIGIT_SETS[digits]))
    assert not snils_is_valid(foreign("112-233-445 95", DIGIT_SETS[digits]))
    assert not snils_is_valid(foreign("001-001-998 00", DIGIT_SETS[digits]))


@pytest.mark.parametrize("digits", list(DIGIT_SETS), ids=list(DIGIT_SETS))
def test_passport_check_takes_ascii_digits_only(digits) -> None:
    """Typed digits of another script are a format error, not a crash (they were encoded as ASCII)."""
    assert passport_digits("4510 123456") == "4510123456"
    typed = foreign("4510 123456", DIGIT_SETS[digits])
    with pytest.raises(PassportFormatError):
        passport_digits(typed)
    with pytest.raises(PassportFormatError):
        check_passport(typed, b"\0" * 32, b"\0" * 16)
    with pytest.raises(PassportFormatError):
        passport_digits("4510\u2003123456")  # an em space is not a space of the form


INVISIBLE = {
    "zero_width_space": "\u200b",
    "zero_width_joiner": "\u200d",
    "zero_width_non_joiner": "\u200c",
    "word_joiner": "\u2060",
    "bom_in_text": "\ufeff",
    "soft_hyphen": "\u00ad",
    "rtl_override": "\u202e",
    "ltr_embedding": "\u202a",
    "rtl_isolate": "\u2067",
    "pop_isolate": "\u2069",
    "arabic_letter_mark": "\u061c",
    "rtl_mark": "\u200f",
    "mongolian_vowel_separator": "\u180e",
    "hangul_filler": "\u3164",
    "halfwidth_hangul_filler": "\uffa0",
    "combining_grapheme_joiner": "\u034f",
    "variation_selector": "\ufe0f",
    "tag_character": "\U000e0041",
    "line_separator": "\u2028",
    "paragraph_separator": "\u2029",
    "c1_next_line": "\x85",
    "c1_control": "\x9b",
    "delete": "\x7f",
    "private_use": "\ue000",
    "noncharacter": "\ufdd0",
    "em_space": "\u2003",
    "hair_space": "\u200a",
    "ideographic_space": "\u3000",
    "braille_blank": "\u2800",
    "tab_inside": "\t",
    "newline_inside": "\n",
}


@pytest.mark.parametrize("char", list(INVISIBLE.values()), ids=list(INVISIBLE))
@pytest.mark.parametrize("place", ["Insurer", "Region", "LastName", "Kind", "Insurer@Code"])
def test_invisible_and_control_characters_are_malformed(offline_judge, treasury, char, place) -> None:
    base = {"Insurer": "АО СОГАЗ-Мед", "Region": "г. Москва", "LastName": "Иванова", "Kind": "permanent",
            "Insurer@Code": "77012"}[place]
    value = base[:2] + char + base[2:]
    assert verdict_of(offline_judge, signed(treasury, _element_with(**{place: value}))) == ("reject", "malformed")


@pytest.mark.parametrize("char", ["\u200b", "\u202e", "\x85", "\u00ad"])
def test_invisible_characters_as_character_references_are_malformed(offline_judge, treasury, char) -> None:
    xml = signed(treasury, _element_with(Region="г. Москва"))
    ref = f"&#x{ord(char):X};".encode()
    crafted = xml.replace("г. Москва".encode(), "г.".encode() + ref + " Москва".encode())
    assert verdict_of(offline_judge, crafted) == ("reject", "malformed")


def test_ordinary_text_still_passes(offline_judge, treasury) -> None:
    """Guillemets, dots, hyphens, a no-break space and edge spaces are not refused."""
    el = _element_with(Insurer="  АО «Страховая компания «СОГАЗ-Мед»  ", Region="г.\u00a0Москва")
    assert verdict_of(offline_judge, signed(treasury, el))[1] == "ok"


# --- UTF-8 only ----------------------------------------------------------------------------
def _form_b_of(document: bytes) -> str:
    return FORM_B_PREFIX + base45_encode(zlib.compress(document))


def _reencoded(xml: bytes, encoding: str, declare: str | None) -> bytes:
    body = xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml
    text = body.decode("utf-8")
    if declare is not None:
        text = f'<?xml version="1.0" encoding="{declare}"?>' + text
    return text.encode(encoding)


@pytest.mark.parametrize(
    ("encoding", "declare"),
    [
        ("utf-16", None),  # BOM only: libxml2 detects UTF-16 by itself
        ("utf-16", "UTF-16"),
        ("utf-16-le", "UTF-16LE"),
        ("utf-16-be", "UTF-16BE"),
        ("utf-32", None),
        ("utf-32", "UTF-32"),
        ("cp1251", "windows-1251"),
        ("koi8-r", "KOI8-R"),
        ("iso-8859-5", "ISO-8859-5"),
        ("cp1251", None),  # undeclared: not valid UTF-8
        ("utf-8", "UTF8"),
        ("utf-8", "ISO-8859-1"),  # UTF-8 bytes declared as something else
        ("utf-8", "us-ascii"),
    ],
)
def test_documents_other_than_utf8_are_malformed(offline_judge, treasury, encoding, declare) -> None:
    xml = signed(treasury, _element_with(Insurer="АО СОГАЗ-Мед"))  # every character exists in KOI8-R
    assert verdict_of(offline_judge, xml)[1] == "ok"
    document = _reencoded(xml, encoding, declare)
    assert verdict_of(offline_judge, _form_b_of(document).encode("ascii")) == ("reject", "malformed")
    assert verdict_of(offline_judge, document) == ("reject", "malformed")


def test_utf8_with_and_without_declaration_and_bom_is_read_alike(offline_judge, treasury) -> None:
    xml = signed(treasury, _element_with())
    plain = _reencoded(xml, "utf-8", None)
    declared = _reencoded(xml, "utf-8", "utf-8")
    for document in (plain, declared, b"\xef\xbb\xbf" + declared, _reencoded(xml, "utf-8", "UTF-8")):
        assert verdict_of(offline_judge, _form_b_of(document).encode("ascii"))[1] == "ok"
        assert verdict_of(offline_judge, document)[1] == "ok"


def test_xml_1_1_is_malformed(offline_judge, treasury) -> None:
    """XML 1.1 admits control characters as references; the profile is XML 1.0."""
    xml = signed(treasury, _element_with())
    document = xml.replace(b"version='1.0'", b"version='1.1'", 1)
    assert b"version='1.1'" in document
    assert verdict_of(offline_judge, document) == ("reject", "malformed")
    assert verdict_of(offline_judge, _form_b_of(document).encode("ascii")) == ("reject", "malformed")


# --- the Signature element -----------------------------------------------------------------
def _sig(root: etree._Element, path: str) -> etree._Element:
    found = root.find("ds:Signature/" + path, {"ds": DS}) if path else root.find("ds:Signature", {"ds": DS})
    assert found is not None, path
    return found


@pytest.mark.parametrize(
    "where",
    ["KeyInfo.text", "X509Data.text", "KeyInfo.tail", "X509Certificate.tail", "X509Data.tail", "Signature.text",
     "SignedInfo.text", "Reference.text", "Transforms.text", "Transform.text", "DigestMethod.text",
     "SignatureMethod.text", "CanonicalizationMethod.text", "SignedInfo.tail"],
)
@pytest.mark.parametrize("text", ["ATTACK", "\u200b", "٣", "\u00a0"])
def test_text_inside_the_signature_where_the_profile_has_none_is_malformed(
    offline_judge, policy_xml, where, text
) -> None:
    root = etree.fromstring(policy_xml())
    name, _, attr = where.partition(".")
    paths = {
        "Signature": "", "SignedInfo": "ds:SignedInfo", "KeyInfo": "ds:KeyInfo", "X509Data": "ds:KeyInfo/ds:X509Data",
        "X509Certificate": "ds:KeyInfo/ds:X509Data/ds:X509Certificate", "Reference": "ds:SignedInfo/ds:Reference",
        "Transforms": "ds:SignedInfo/ds:Reference/ds:Transforms",
        "Transform": "ds:SignedInfo/ds:Reference/ds:Transforms/ds:Transform",
        "DigestMethod": "ds:SignedInfo/ds:Reference/ds:DigestMethod",
        "SignatureMethod": "ds:SignedInfo/ds:SignatureMethod",
        "CanonicalizationMethod": "ds:SignedInfo/ds:CanonicalizationMethod",
    }
    el = _sig(root, paths[name])
    setattr(el, attr, (getattr(el, attr) or "") + text)
    assert verdict_of(offline_judge, etree.tostring(root, encoding="UTF-8")) == ("reject", "malformed")


@pytest.mark.parametrize("leaf", ["SignatureValue", "KeyInfo/ds:X509Data/ds:X509Certificate"])
@pytest.mark.parametrize("char", ["\u200b", "\u2003", "\x85", "\u3000"])
def test_base64_leaves_hold_only_base64_and_xml_whitespace(offline_judge, policy_xml, leaf, char) -> None:
    root = etree.fromstring(policy_xml())
    el = _sig(root, "ds:" + leaf)
    el.text = el.text[:8] + char + el.text[8:]
    assert verdict_of(offline_judge, etree.tostring(root, encoding="UTF-8")) == ("reject", "malformed")


@pytest.mark.parametrize("namespace", [None, "urn:evil", "http://www.w3.org/2009/xmldsig11#", "urn:oms:epolicy:1"])
@pytest.mark.parametrize("element", ["X509Certificate", "X509SKI", "X509Data", "KeyInfo"])
def test_key_info_elements_must_be_in_the_ds_namespace(offline_judge, policy_xml, namespace, element) -> None:
    root = etree.fromstring(policy_xml(embed_cert=element != "X509SKI"))
    paths = {"KeyInfo": "ds:KeyInfo", "X509Data": "ds:KeyInfo/ds:X509Data"}
    path = paths.get(element, "ds:KeyInfo/ds:X509Data/ds:" + element)
    el = _sig(root, path)
    assert verdict_of(offline_judge, etree.tostring(root, encoding="UTF-8"))[1] == "ok"
    el.tag = f"{{{namespace}}}{element}" if namespace else element
    assert verdict_of(offline_judge, etree.tostring(root, encoding="UTF-8")) == ("reject", "malformed")


def test_form_b_round_trip_still_ok(offline_judge, policy_xml) -> None:
    assert verdict_of(offline_judge, encode_form_b(policy_xml()).encode("ascii"))[1] == "ok"
    ec_by_ski = encode_form_b(policy_xml(signer="ec", embed_cert=False)).encode("ascii")
    assert verdict_of(offline_judge, ec_by_ski)[1] == "ok"


@pytest.mark.parametrize("around", ["\u3000", "\u2003", "\x85", "\u200b", "\ufeff\ufeff", "\x0b", "\x1c"])
def test_only_ascii_whitespace_may_surround_a_qr_text(offline_judge, policy_xml, around) -> None:
    """A wedge may add a newline; any other character around the payload makes it something else."""
    xml = policy_xml()
    for text in (encode_form_b(xml), xml.decode("utf-8")):
        assert verdict_of(offline_judge, f"\r\n {text}\t\r\n")[1] == "ok"
        assert verdict_of(offline_judge, around + text) == ("reject", "malformed")
        assert verdict_of(offline_judge, text + around) == ("reject", "malformed")
