"""Crafted files for the decompression-bomb and slow-file tests (made here, no library between)."""

from __future__ import annotations

import struct
import zlib


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def ihdr(width: int, height: int, colour: int) -> bytes:
    return _png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, colour, 0, 0, 0))


def png_bomb(width: int, height: int, colour: int = 2) -> bytes:
    """A complete, valid PNG of zeros: a few hundred KB that decode to width x height pixels."""
    row = b"\0" * (1 + width * (3 if colour == 2 else 1))
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    return b"\x89PNG\r\n\x1a\n" + ihdr(width, height, colour) + _png_chunk(b"IDAT", idat) + _png_chunk(b"IEND", b"")


def minimal_pdf(pages: int, box: tuple[float, float] = (595, 842)) -> bytes:
    """A hand-made PDF of empty pages (no library in between: any box, any page count)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{3 + i} 0 R" for i in range(pages))
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode())
    objects += [f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {box[0]} {box[1]}] >>".encode()] * pages
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{off:010d} 00000 n \n".encode() for off in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def pdf_with_page_content(content: bytes, image: tuple[int, int, bytes] | None = None) -> bytes:
    """A one-page A4 PDF drawing `content` (Flate-compressed), optionally with one grey image
    XObject /Im0 of (width, height, Flate-compressed data)."""
    packed = zlib.compress(content, 9)
    resources = b"<< /XObject << /Im0 5 0 R >> >>" if image else b"<< >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources " + resources + b" /Contents 4 0 R >>",
        b"<< /Filter /FlateDecode /Length %d >>\nstream\n" % len(packed) + packed + b"\nendstream",
    ]
    if image:
        width, height, data = image
        objects.append(
            b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
            b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n" % (width, height, len(data))
            + data
            + b"\nendstream"
        )
    return assemble_pdf(objects)


def grey_image_bomb(width: int, height: int) -> tuple[int, int, bytes]:
    """An image XObject of zeros: a few hundred KB of Flate that inflate to width x height bytes."""
    packer = zlib.compressobj(9)
    row = b"\0" * width
    return width, height, b"".join(packer.compress(row) for _ in range(height)) + packer.flush()


def nested_forms_pdf(depth: int, fanout: int = 10) -> bytes:
    """A one-page PDF of a few KB whose Form XObjects nest `depth` deep, each drawing the next
    `fanout` times (fanout**depth rectangles): pdfium parses them all when the page loads."""
    page_draws = b"".join(b"q 1 0 0 1 %d 0 cm /F1 Do Q\n" % i for i in range(fanout))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(page_draws) + page_draws + b"\nendstream",
    ]
    for level in range(1, depth + 1):  # form F<level> is object 4 + level
        if level < depth:
            body = b"".join(b"q 1 0 0 1 0 %d cm /F%d Do Q\n" % (i, level + 1) for i in range(fanout))
            resources = b"<< /XObject << /F%d %d 0 R >> >>" % (level + 1, 5 + level)
        else:
            body, resources = b"0 g 10 10 1 1 re f\n", b"<< >>"
        objects.append(
            b"<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources " + resources
            + b" /Length %d >>\nstream\n" % len(body) + body + b"\nendstream"
        )
    return assemble_pdf(objects)


def assemble_pdf(objects: list[bytes]) -> bytes:
    """A PDF file of `objects` (object 1 is the catalogue), with a correct xref table."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def long_path_pdf(segments: int = 3_000_000) -> bytes:
    """One page stroking a single path of `segments` line segments, corner to corner (a few tens
    of KB of Flate for three million): pdfium renders it for tens of seconds on one core."""
    content = b"0 0 m\n" + b"595 842 l 0 0 l\n" * (segments // 2)  # corner to corner and back
    return pdf_with_page_content(content + b"S\n")


def finder_lookalikes_page(seed: int, size: tuple[int, int] = (1240, 1754), count: int = 400) -> object:
    """A page (PIL image) strewn with QR finder-pattern look-alikes (the 1:1:3:1:1 rings) at
    random places and sizes, none of them part of a code: every decoder stage searches hard."""
    import random

    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    page = Image.new("L", size, 255)
    draw = ImageDraw.Draw(page)
    for _ in range(count):
        module = rng.randint(2, 9)
        x, y = rng.randint(0, size[0] - 7 * module), rng.randint(0, size[1] - 7 * module)
        draw.rectangle((x, y, x + 7 * module - 1, y + 7 * module - 1), fill=0)
        draw.rectangle((x + module, y + module, x + 6 * module - 1, y + 6 * module - 1), fill=255)
        draw.rectangle((x + 2 * module, y + 2 * module, x + 5 * module - 1, y + 5 * module - 1), fill=0)
    return page
