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
