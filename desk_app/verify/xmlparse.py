"""Strict, hostile-input-safe XML parsing of a policy document.

No DTD, no entities, no network, no huge trees, no comments or processing instructions:
a DOCTYPE is refused before libxml2 sees the bytes, so entity expansion (billion laughs,
XXE) never starts.
"""

from __future__ import annotations

import re

from lxml import etree

from desk_app.verify.payload import MAX_XML_BYTES


class MalformedDocument(ValueError):
    """The bytes are not a document of the policy profile."""


_FORBIDDEN_MARKUP = re.compile(rb"<!(?:DOCTYPE|ENTITY|ELEMENT|ATTLIST|\[CDATA\[)|<!--|<\?(?!xml[\s?])", re.I)
_UTF8_BOM = b"\xef\xbb\xbf"
# The only declaration the profile knows: XML 1.0 (1.1 admits control characters as references),
# UTF-8 if an encoding is named at all.
_XML_DECL = re.compile(
    rb"""<\?xml\s+version\s*=\s*(["'])1\.0\1(?:\s+encoding\s*=\s*(["'])utf-8\2)?"""
    rb"""(?:\s+standalone\s*=\s*(["'])(?:yes|no)\3)?\s*\?>""",
    re.I,
)


def make_parser() -> etree.XMLParser:
    """A fresh parser per thread (lxml parsers are not thread-safe)."""
    return etree.XMLParser(
        encoding="utf-8",  # never what a declaration or a BOM says: _check_utf8 has refused those
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=False,
        remove_pis=False,
        collect_ids=False,
        strip_cdata=False,
    )


def _check_utf8(xml: bytes) -> None:
    """UTF-8 only (spec section 1): no other encoding, declared or detected from a BOM."""
    body = xml[len(_UTF8_BOM) :] if xml.startswith(_UTF8_BOM) else xml
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        raise MalformedDocument("document is not UTF-8") from None
    if body.startswith(b"<?xml") and not _XML_DECL.match(body):
        raise MalformedDocument("the XML declaration must be version 1.0 with encoding UTF-8 (or none)")
    if not body.lstrip(b" \t\r\n").startswith(b"<"):
        raise MalformedDocument("document does not start with markup")


def parse_policy_xml(xml: bytes, parser: etree.XMLParser | None = None) -> etree._Element:
    """Parse `xml` or raise MalformedDocument. Returns the root element."""
    if len(xml) > MAX_XML_BYTES:
        raise MalformedDocument("document larger than 64 KiB")
    if _FORBIDDEN_MARKUP.search(xml):
        raise MalformedDocument("DOCTYPE, entity, CDATA, comment or processing instruction present")
    _check_utf8(xml)
    try:
        root = etree.fromstring(xml, parser or make_parser())
    except etree.XMLSyntaxError as exc:
        raise MalformedDocument(f"not well-formed XML: {exc.msg}") from None
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise MalformedDocument("DOCTYPE present")
    if root.getprevious() is not None or root.getnext() is not None:
        raise MalformedDocument("something other than the XML declaration outside the root")
    for node in root.iter():
        if not isinstance(node.tag, str):  # comment, PI or entity reference
            raise MalformedDocument("comment, processing instruction or entity in the document")
    return root
