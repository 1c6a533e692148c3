"""QR payload forms (spec section 5): form A raw XML, form B `OMS1:` + Base45(zlib(XML)).

Size limits are enforced before any work: a QR text over 7,000 characters, or a document that
inflates past 64 KiB, is refused unread.
"""

from __future__ import annotations

import zlib

MAX_QR_CHARS = 7000
MAX_XML_BYTES = 64 * 1024
FORM_B_PREFIX = "OMS1:"

BASE45_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_BASE45_VALUE = {c: i for i, c in enumerate(BASE45_ALPHABET)}


class PayloadError(ValueError):
    """The QR text is not a policy payload (or breaks the size limits)."""


def base45_encode(data: bytes) -> str:
    out: list[str] = []
    for i in range(0, len(data) - 1, 2):
        n = data[i] * 256 + data[i + 1]
        e, n = divmod(n, 45 * 45)
        d, c = divmod(n, 45)
        out += (BASE45_ALPHABET[c], BASE45_ALPHABET[d], BASE45_ALPHABET[e])
    if len(data) % 2:
        d, c = divmod(data[-1], 45)
        out += (BASE45_ALPHABET[c], BASE45_ALPHABET[d])
    return "".join(out)


def base45_decode(text: str) -> bytes:
    """RFC 9285 decoding, strict: foreign characters, a dangling char and overflow are errors."""
    try:
        values = [_BASE45_VALUE[c] for c in text]
    except KeyError as exc:
        raise PayloadError(f"character {exc.args[0]!r} is not Base45") from None
    if len(values) % 3 == 1:
        raise PayloadError("Base45 text has a dangling character")
    out = bytearray()
    full = len(values) - len(values) % 3
    for i in range(0, full, 3):
        n = values[i] + values[i + 1] * 45 + values[i + 2] * 45 * 45
        if n > 0xFFFF:
            raise PayloadError("Base45 triple out of range")
        out += n.to_bytes(2, "big")
    if len(values) % 3 == 2:
        n = values[-2] + values[-1] * 45
        if n > 0xFF:
            raise PayloadError("Base45 pair out of range")
        out.append(n)
    return bytes(out)


def encode_form_a(xml: bytes) -> str:
    return xml.decode("utf-8")


def encode_form_b(xml: bytes) -> str:
    return FORM_B_PREFIX + base45_encode(zlib.compress(xml, 9))


def _inflate_bounded(packed: bytes) -> bytes:
    inflater = zlib.decompressobj()
    try:
        xml = inflater.decompress(packed, MAX_XML_BYTES + 1)
    except zlib.error as exc:
        raise PayloadError(f"form B data is not valid zlib: {exc}") from None
    if len(xml) > MAX_XML_BYTES or inflater.unconsumed_tail:
        raise PayloadError("form B document inflates past 64 KiB")
    if not inflater.eof:
        raise PayloadError("form B zlib stream is truncated")
    if inflater.unused_data:
        raise PayloadError("form B has data after the zlib stream")
    return xml


def _encodes_as_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def decode_payload(payload: str | bytes) -> bytes:
    """The XML document's bytes from a QR text (str from a wedge, bytes from a decoder)."""
    if isinstance(payload, bytes):
        if len(payload) > MAX_QR_CHARS * 4:
            raise PayloadError("QR text longer than 7,000 characters")
        try:
            text = payload.decode("utf-8")
        except UnicodeDecodeError:
            raise PayloadError("QR bytes are not UTF-8") from None
    else:
        text = payload
        if not text.isascii() and not _encodes_as_utf8(text):
            # A lone surrogate (Qt's QString or surrogateescape can hand one over) is no character.
            raise PayloadError("QR text holds a lone surrogate (not Unicode text)")
    if len(text) > MAX_QR_CHARS:
        raise PayloadError("QR text longer than 7,000 characters")
    stripped = text.strip(" \t\r\n")  # what a wedge or a text file may add; nothing invisible
    if stripped.startswith(FORM_B_PREFIX):
        return _inflate_bounded(base45_decode(stripped[len(FORM_B_PREFIX) :]))
    if stripped.startswith("<") or stripped.startswith("\ufeff<"):
        xml = stripped.lstrip("\ufeff").encode("utf-8")
        if len(xml) > MAX_XML_BYTES:
            raise PayloadError("form A document is larger than 64 KiB")
        return xml
    if not stripped:
        raise PayloadError("empty QR text")
    raise PayloadError("QR text is neither form A (XML) nor form B (OMS1:)")
