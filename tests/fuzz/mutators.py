"""Structure-aware mutations of policy payloads: at the XML level (values, elements, namespaces,
text where none belongs, re-signing with the fuzz Treasury) and at the payload level (form A/B,
BOMs, encoding declarations). Byte-level mutation is libFuzzer's own (`atheris.Mutate`).
"""

from __future__ import annotations

import copy
import random
import zlib

from lxml import etree

from desk_app.demo.issuer import sign_element
from desk_app.verify.payload import FORM_B_PREFIX, base45_encode, decode_payload
from desk_app.verify.profile import DS, NS

HOSTILE_VALUES = [
    # dates and date-times at and beyond the calendar's ends, odd offsets
    "0001-01-01", "9999-12-31", "0000-00-00", "2020-02-30", "1900-02-29", "2000-02-29",
    "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "9999-12-31T23:59:59Z",
    "0001-01-01T00:00:00Z", "2020-01-01T00:00:00+23:59", "2020-01-01T00:00:00-23:59",
    "2020-01-01T24:00:00Z", "2020-01-01T23:59:60Z", "2020-01-01T00:00:00.999999999+03:00",
    "2020-01-01T00:00:00+03:00:30", "20200101T000000Z", "2020-01-01T00:00:00",
    # digits that are not ASCII
    "٧٧٠١٢", "۷۷۰۱۲", "७७०१२", "７７０１２", "¹²³⁴⁵", "٤٥", "４５", "١٠٢٧٧٣٩٠٠٨٤٤٠",
    "٧٧٠٠٠٠٠٠٠٠٠٠٠٠١٦", "１１２-２３３-４４５ ９５",
    # invisible and format characters inside otherwise good text
    "Ива\u200bнова", "\u202eавонавИ", "Ива\u00adнова", "Иванова\ufeff", "Ива\u2066нова\u2069",
    "АО\u200d «СОГАЗ»", "г.\u00a0Москва", "Москва\u2028", "\u3164", "Ива\x85нова", "Ива\x7fнова",
    "Ива\U000e0041нова", "Ива\ufe0fнова",
    # numbers of every size, signs, empties
    "", " ", "-1", "+1", "1e9", "99999999999999999999999999999", "NaN", "0x1F",
    "7700000000000016", "7700000000000017", "112-233-445 95", "M", "F", "permanent", "temporary", "1",
    "A" * 400, "Я" * 61,
]
_ELEMENT_NAMES = ["Number", "Kind", "Holder", "Insurer", "Region", "ValidFrom", "ValidTo", "IssuedAt", "Note"]
_DS_NAMES = ["X509Certificate", "X509SKI", "X509Data", "KeyValue", "KeyName", "Object", "Transform"]


def mutate_payload(data: bytes, rng: random.Random, resign: callable | None = None) -> bytes:
    """One structure-aware mutation of a payload, or the input unchanged when it is not XML."""
    try:
        xml = decode_payload(data)
        root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))
    except Exception:
        return data
    for _ in range(1 if rng.random() < 0.6 else rng.randint(2, 3)):
        try:
            rng.choice(_XML_MUTATIONS)(root, rng)
        except (ValueError, TypeError):  # lxml refuses some values (e.g. control characters)
            continue
    if resign is not None and rng.random() < 0.35:
        resigned = resign(root, rng)
        if resigned is not None:
            return _repack(resigned, rng, data)
    return _repack(etree.tostring(root, encoding="UTF-8", xml_declaration=rng.random() < 0.5), rng, data)


def _repack(xml: bytes, rng: random.Random, original: bytes) -> bytes:
    roll = rng.random()
    if roll < 0.1:
        xml = b"\xef\xbb\xbf" + xml
    elif roll < 0.2:
        encoding = rng.choice([b"UTF-16", b"ISO-8859-1", b"windows-1251", b"utf8", b"UTF-8 ", b"ascii"])
        xml = b'<?xml version="1.0" encoding="' + encoding + b'"?>' + xml.split(b"?>", 1)[-1]
    elif roll < 0.25:
        xml = xml.decode("utf-8", "replace").encode("utf-16")
    form_b = original.lstrip().startswith(FORM_B_PREFIX.encode()) if rng.random() < 0.8 else rng.random() < 0.5
    if form_b:
        return (FORM_B_PREFIX + base45_encode(zlib.compress(xml, rng.choice([0, 1, 9])))).encode("ascii")
    return xml


def _elements(root: etree._Element) -> list[etree._Element]:
    return [el for el in root.iter() if isinstance(el.tag, str)]


DATE_VALUES = [v for v in HOSTILE_VALUES if v[:1].isdigit() and "-" in v[:5]] + [
    "9999-12-30T23:59:59Z", "0001-01-02T00:00:00Z", "2026-01-01T00:00:00+14:00", "2026-01-01T00:00:00-14:00",
    "9999-12-30", "2026-02-29", "2024-02-29", "٢٠٢٦-٠١-٠١", "２０２６-01-01", "2026-01-01T00:00:00.1234567+03:00",
]
_DATE_TAGS = {"IssuedAt", "ValidFrom", "ValidTo", "BirthDate"}


def _set_value(root: etree._Element, rng: random.Random) -> None:
    """Most often a policy leaf with a value of its own kind (dates get dates), else anything."""
    policy_leaves = [el for el in _elements(root) if etree.QName(el).namespace == NS and len(el) == 0]
    if policy_leaves and rng.random() < 0.7:
        el = rng.choice(policy_leaves)
        local = etree.QName(el).localname
        value = rng.choice(DATE_VALUES if local in _DATE_TAGS and rng.random() < 0.8 else HOSTILE_VALUES)
        if el.attrib and rng.random() < 0.5:
            el.set(rng.choice(list(el.attrib)), rng.choice(HOSTILE_VALUES))
        else:
            el.text = value
        return
    el = rng.choice(_elements(root))
    value = rng.choice(HOSTILE_VALUES)
    if el.attrib and rng.random() < 0.5:
        el.set(rng.choice(list(el.attrib)), value)
    elif len(el) == 0:
        el.text = value
    else:
        el.text = value if rng.random() < 0.5 else (el.text or "")


def _insert_char(root: etree._Element, rng: random.Random) -> None:
    el = rng.choice(_elements(root))
    char = rng.choice(["\u200b", "\u202e", "\u2066", "\u00ad", "\ufeff", "\u200d", "\u2060", "\x85", "\u2028",
                       "\u061c", "\u180e", "٣", "３", "²", "\u0301", "\t", "\n", " "])
    text = el.text or ""
    pos = rng.randint(0, len(text))
    el.text = text[:pos] + char + text[pos:]


def _text_in_signature(root: etree._Element, rng: random.Random) -> None:
    sig = root.find(f"{{{DS}}}Signature")
    if sig is None:
        return
    el = rng.choice(_elements(sig))
    if rng.random() < 0.5:
        el.text = (el.text or "") + rng.choice(["x", "ATTACK", "٣", "\u200b", "  "])
    else:
        el.tail = (el.tail or "") + rng.choice(["x", "\u00a0", "\n"])


def _rename_namespace(root: etree._Element, rng: random.Random) -> None:
    el = rng.choice(_elements(root))
    local = etree.QName(el).localname
    el.tag = rng.choice([f"{{{NS}}}{local}", f"{{{DS}}}{local}", local, f"{{urn:evil}}{local}"])


def _structure(root: etree._Element, rng: random.Random) -> None:
    els = _elements(root)
    el = rng.choice(els)
    roll = rng.random()
    parent = el.getparent()
    if roll < 0.3 and parent is not None:
        parent.remove(el)
    elif roll < 0.6 and parent is not None:
        parent.insert(rng.randint(0, len(parent)), copy.deepcopy(el))
    elif roll < 0.8:
        name = rng.choice(_ELEMENT_NAMES)
        etree.SubElement(el, f"{{{NS}}}{name}").text = rng.choice(HOSTILE_VALUES)
    else:
        name = rng.choice(_DS_NAMES)
        etree.SubElement(el, f"{{{rng.choice([DS, NS, 'urn:evil'])}}}{name}").text = rng.choice(["AAAA", "", "x"])


_XML_MUTATIONS = [_set_value, _set_value, _insert_char, _text_in_signature, _rename_namespace, _structure]


def resigner(issued):
    """A `resign(root, rng)` that signs the mutated content again with the fuzz Treasury's signer."""

    def resign(root: etree._Element, rng: random.Random) -> bytes | None:
        sig = root.find(f"{{{DS}}}Signature")
        if sig is not None:
            root.remove(sig)
        try:
            return sign_element(root, issued, embed_cert=rng.random() < 0.7)
        except Exception:
            return None

    return resign
