"""The decoding pipeline: the cheapest decoder first, then only the fallbacks that measurably pay.

Measured on ../shared/qr-corpus and on photographed-looking policy codes (bench/decode_bench.py,
figures in docs/performance.md): zxing-cpp alone reads the most, fastest, and is the only one
of the three that returns raw bytes without mangling them. Of the preprocessing tried (Gaussian
and median denoise, sharpening, CLAHE, adaptive threshold, 2x downscale, zbar and OpenCV as
second opinions), these paid and are kept, in this order:

1. zxing-cpp on the grayscale image (its local-average binarizer, rotations, inversion).
2. zxing-cpp with its global-histogram binarizer: cheap; rescues dark, unevenly lit photos.
3. a 2x bicubic upscale: rescues small or blurred modules (dense codes at camera distance).
4. an unsharp mask: rescues blurred, noisy dense codes.

ZBar and OpenCV added nothing that these do not also read, cost 5-20x more, and return
guessed text (OpenCV) or need a binary-mode switch (ZBar), so they are benchmark-only.
Live camera frames use stages 1-2 only (the next frame is another chance; an empty frame
must stay cheap); files and stills use all four. No stage has ever produced a wrong decode:
QR error correction rejects misreads, and the pipeline never "repairs" bytes.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import cv2
import numpy as np

from desk_app.scanner.decoders import DecodedCode, decode_zxing

# Images larger than this (long side, pixels) are downscaled first: a page rendered at a
# high DPI or a 12-MP photo costs seconds at full size and reads no better.
MAX_SIDE = 2600

class DecodeDeadlineReached(Exception):
    """The caller's deadline passed between two decoding stages; the rest were not run."""


Stage = tuple[str, Callable[[np.ndarray], tuple[np.ndarray, float]], Callable[[np.ndarray], list[DecodedCode]]]


def to_gray(image: np.ndarray) -> np.ndarray:
    """Grayscale uint8 from gray, BGR or BGRA arrays (as OpenCV and Qt hand them over)."""
    if image.dtype != np.uint8:
        raise ValueError("expected an 8-bit image")
    if image.ndim == 2:
        return image
    if image.ndim == 3 and image.shape[2] == 3:
        return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    if image.ndim == 3 and image.shape[2] == 4:
        return cv2.cvtColor(image, cv2.COLOR_BGRA2GRAY)
    raise ValueError(f"unsupported image shape {image.shape}")


def _zxing_global(gray: np.ndarray) -> list[DecodedCode]:
    import zxingcpp

    out: list[DecodedCode] = []
    for code in zxingcpp.read_barcodes(
        gray, formats=zxingcpp.BarcodeFormat.QRCode, binarizer=zxingcpp.Binarizer.GlobalHistogram
    ):
        if code.valid:
            pos = code.position
            corners = (pos.top_left, pos.top_right, pos.bottom_right, pos.bottom_left)
            out.append(DecodedCode(bytes(code.bytes), tuple((p.x, p.y) for p in corners), "zxing-global"))
    return out


def _same(gray: np.ndarray) -> tuple[np.ndarray, float]:
    return gray, 1.0


def _upscale2(gray: np.ndarray) -> tuple[np.ndarray, float]:
    return cv2.resize(gray, None, fx=2.0, fy=2.0, interpolation=cv2.INTER_CUBIC), 2.0


def _unsharp(gray: np.ndarray) -> tuple[np.ndarray, float]:
    return cv2.addWeighted(gray, 1.8, cv2.GaussianBlur(gray, (0, 0), 2.0), -0.8, 0), 1.0


LIVE_STAGES: tuple[Stage, ...] = (
    ("zxing", _same, decode_zxing),
    ("zxing-global", _same, _zxing_global),
)
FULL_STAGES: tuple[Stage, ...] = (
    *LIVE_STAGES,
    ("upscale2", _upscale2, decode_zxing),
    ("unsharp", _unsharp, decode_zxing),
)


def _limit_size(gray: np.ndarray, max_side: int) -> tuple[np.ndarray, float]:
    side = max(gray.shape)
    if side <= max_side:
        return gray, 1.0
    factor = max_side / side
    return cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA), factor


def decode_frame(
    image: np.ndarray,
    *,
    live: bool = False,
    max_side: int = MAX_SIDE,
    deadline: float | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> list[DecodedCode]:
    """All QR codes in `image` (gray, BGR or BGRA uint8) as raw bytes + outline in its coordinates.

    `live=True` runs only the cheap stages (camera frames); the default runs every stage that
    paid in the benchmark (files, stills). Larger images are first downscaled to `max_side`.
    Returns [] when nothing is found. With a `deadline` (a `clock()` value), it is looked at
    before each stage and each stage's preparation: past it, DecodeDeadlineReached (a PDF's
    time budget covers decoding, not only rendering).
    """

    def in_time() -> None:
        if deadline is not None and clock() > deadline:
            raise DecodeDeadlineReached()

    in_time()
    gray, base_scale = _limit_size(to_gray(image), max_side)
    for _name, prepare, decode in LIVE_STAGES if live else FULL_STAGES:
        in_time()
        prepared, scale = prepare(gray)
        in_time()
        codes = decode(prepared)
        if codes:
            return _unique(_rescale(codes, scale * base_scale))
    return []


def _rescale(codes: list[DecodedCode], scale: float) -> list[DecodedCode]:
    if scale == 1.0:
        return codes
    return [
        DecodedCode(c.payload, tuple((round(x / scale), round(y / scale)) for x, y in c.polygon), c.decoder)
        for c in codes
    ]


def _unique(codes: list[DecodedCode]) -> list[DecodedCode]:
    seen: set[bytes] = set()
    out: list[DecodedCode] = []
    for code in codes:
        if code.payload not in seen:
            seen.add(code.payload)
            out.append(code)
    return out
