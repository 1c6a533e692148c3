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
_XML_DECL = re.compile(rb"<\?xml\s[^>]*\?>")


def make_parser() -> etree.XMLParser:
    """A fresh parser per thread (lxml parsers are not thread-safe)."""
    return etree.XMLParser(
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


def parse_policy_xml(xml: bytes, parser: etree.XMLParser | None = None) -> etree._Element:
    """Parse `xml` or raise MalformedDocument. Returns the root element."""
    if len(xml) > MAX_XML_BYTES:
        raise MalformedDocument("document larger than 64 KiB")
    if _FORBIDDEN_MARKUP.search(xml):
        raise MalformedDocument("DOCTYPE, entity, CDATA, comment or processing instruction present")
    decl = _XML_DECL.match(xml.lstrip())
    if decl and re.search(rb"encoding\s*=\s*[\"'](?!utf-8[\"'])", decl.group(0), re.I):
        raise MalformedDocument("document encoding must be UTF-8")
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
