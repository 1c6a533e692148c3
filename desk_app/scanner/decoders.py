"""Thin wrappers over the three QR decoders, each returning raw bytes and the code's outline.

All take a 2-D uint8 grayscale image. Raw bytes matter: a decoder that guesses the character
set (ZBar's default, OpenCV's str) changes bytes of a form-A (UTF-8 XML) code and so breaks the
signature; see docs/performance.md for the measurements.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Polygon = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class DecodedCode:
    payload: bytes
    polygon: Polygon  # corners in the coordinates of the image given to the pipeline
    decoder: str

    def __repr__(self) -> str:
        return f"DecodedCode(decoder={self.decoder}, bytes={len(self.payload)}, polygon={self.polygon})"


Decoder = Callable[[np.ndarray], list[DecodedCode]]


def _require_gray(image: np.ndarray) -> np.ndarray:
    if image.ndim != 2 or image.dtype != np.uint8:
        raise ValueError("decoders take a 2-D uint8 grayscale image")
    return np.ascontiguousarray(image)


# zxing-cpp -------------------------------------------------------------------------------
def decode_zxing(image: np.ndarray, *, try_harder: bool = True) -> list[DecodedCode]:
    """zxing-cpp; `.bytes` is the symbol's raw byte content, independent of any charset guess."""
    import zxingcpp

    gray = _require_gray(image)
    found = zxingcpp.read_barcodes(
        gray,
        formats=zxingcpp.BarcodeFormat.QRCode,
        try_rotate=try_harder,
        try_downscale=try_harder,
        try_invert=try_harder,
    )
    out: list[DecodedCode] = []
    for code in found:
        if not code.valid:
            continue
        pos = code.position
        corners = (pos.top_left, pos.top_right, pos.bottom_right, pos.bottom_left)
        out.append(DecodedCode(bytes(code.bytes), tuple((p.x, p.y) for p in corners), "zxing"))
    return out


# ZBar through pyzbar's ctypes bindings, in binary mode ------------------------------------
ZBAR_QRCODE = 64
ZBAR_CFG_ENABLE = 0
ZBAR_CFG_BINARY = 4  # zbar >= 0.23: "don't convert binary data to text"


def decode_zbar(image: np.ndarray, *, binary: bool = True) -> list[DecodedCode]:
    """ZBar with `ZBAR_CFG_BINARY` set, so QR bytes come back unconverted (pyzbar cannot set it)."""
    from pyzbar import wrapper as zb

    gray = _require_gray(image)
    height, width = gray.shape
    scanner = zb.zbar_image_scanner_create()
    try:
        zb.zbar_image_scanner_set_config(scanner, 0, ZBAR_CFG_ENABLE, 0)
        zb.zbar_image_scanner_set_config(scanner, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1)
        zb.zbar_image_scanner_set_config(scanner, ZBAR_QRCODE, ZBAR_CFG_BINARY, 1 if binary else 0)
        img = zb.zbar_image_create()
        try:
            zb.zbar_image_set_format(img, _fourcc("Y800"))
            zb.zbar_image_set_size(img, width, height)
            pixels = gray.tobytes()
            zb.zbar_image_set_data(img, ctypes.cast(pixels, ctypes.c_void_p), len(pixels), None)
            if zb.zbar_scan_image(scanner, img) < 0:
                return []
            out: list[DecodedCode] = []
            symbol = zb.zbar_image_first_symbol(img)
            while symbol:
                data = ctypes.string_at(zb.zbar_symbol_get_data(symbol), zb.zbar_symbol_get_data_length(symbol))
                polygon = tuple(
                    (zb.zbar_symbol_get_loc_x(symbol, i), zb.zbar_symbol_get_loc_y(symbol, i))
                    for i in range(zb.zbar_symbol_get_loc_size(symbol))
                )
                out.append(DecodedCode(data, polygon, "zbar"))
                symbol = zb.zbar_symbol_next(symbol)
            return out
        finally:
            zb.zbar_image_destroy(img)
    finally:
        zb.zbar_image_scanner_destroy(scanner)


def _fourcc(code: str) -> int:
    a, b, c, d = (ord(ch) for ch in code)
    return a | (b << 8) | (c << 16) | (d << 24)


# OpenCV ------------------------------------------------------------------------------------
def decode_opencv(image: np.ndarray) -> list[DecodedCode]:
    """OpenCV's QRCodeDetector. It returns `str`, so non-UTF-8 bytes are already lost."""
    import cv2

    gray = _require_gray(image)
    try:
        text, points, _ = cv2.QRCodeDetector().detectAndDecode(gray)
    except (cv2.error, UnicodeDecodeError):  # non-UTF-8 content cannot cross into Python at all
        return []
    if not text or points is None:
        return []
    polygon = tuple((int(x), int(y)) for x, y in points.reshape(-1, 2))
    return [DecodedCode(text.encode("utf-8", "surrogateescape"), polygon, "opencv")]


DECODERS: dict[str, Decoder] = {
    "zxing": decode_zxing,
    "zbar": decode_zbar,
    "opencv": decode_opencv,
}
