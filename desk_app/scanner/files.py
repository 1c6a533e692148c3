"""QR payloads from image files (PNG, JPEG, WebP, BMP, GIF, TIFF) and PDFs.

The file type is taken from its first bytes, not its name. PDFs: pages are searched in order
and the search stops at the first page that holds a code (a policy PDF carries one policy;
the pages after it are instructions), returning every code on that page. Each page is first
rendered at 150 dpi, which reads ordinary codes in a few milliseconds, and only when that finds
nothing at 300 dpi, which dense (version 30-40) codes printed a few centimetres wide need.
At most `MAX_PDF_PAGES` pages are accepted, so a wrong file cannot keep the desk busy.
Errors are `ScanFileError` (a ValueError) with a one-line English message without the path.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from desk_app.scanner.pipeline import decode_frame

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_PDF_PAGES = 20
MAX_IMAGE_PIXELS = 60_000_000
PDF_DPI_STEPS = (150, 300)
PDF_MAX_SIDE = 4000  # pixels; a 300-dpi A4 page is 2480x3508


class ScanFileError(ValueError):
    """The file cannot be read, is too large, or holds no QR code."""


class NoCodeFound(ScanFileError):
    pass


def payloads_from_file(path: Path) -> list[bytes]:
    """The raw bytes of every QR code found (in an image, or on the first PDF page with one)."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ScanFileError(f"file is {size // (1024 * 1024)} MB; at most {MAX_FILE_BYTES // (1024 * 1024)} MB")
        with path.open("rb") as fh:
            head = fh.read(5)
    except OSError as exc:
        raise ScanFileError(f"cannot read file: {exc.strerror or exc}") from None
    if head == b"%PDF-":
        return _payloads_from_pdf(path)
    return _payloads_from_image(path)


def load_gray_image(path: Path) -> np.ndarray:
    """A grayscale array of an image file, upright per its EXIF orientation (phone photos)."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    try:
        with Image.open(path) as img:
            img = ImageOps.exif_transpose(img)
            if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
                # Transparent pixels are shown on white: flatten onto white, not black.
                rgba = img.convert("RGBA")
                canvas = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
                canvas.alpha_composite(rgba)
                img = canvas
            return np.asarray(img.convert("L"))
    except UnidentifiedImageError:
        raise ScanFileError("not an image or PDF this app can read (PNG, JPEG, WebP, BMP, GIF, TIFF, PDF)") from None
    except Image.DecompressionBombError:
        raise ScanFileError(f"image is larger than {MAX_IMAGE_PIXELS // 1_000_000} megapixels") from None
    except (OSError, SyntaxError, ValueError) as exc:  # truncated or corrupt image data
        raise ScanFileError(f"image is damaged or truncated: {exc}") from None


def _payloads_from_image(path: Path) -> list[bytes]:
    codes = decode_frame(load_gray_image(path))
    if not codes:
        raise NoCodeFound("no QR code found in the image")
    return [code.payload for code in codes]


def _payloads_from_pdf(path: Path) -> list[bytes]:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        raise ScanFileError(f"PDF cannot be opened: {exc}") from None
    try:
        pages = len(pdf)
        if pages == 0:
            raise ScanFileError("PDF has no pages")
        if pages > MAX_PDF_PAGES:
            raise ScanFileError(f"PDF has {pages} pages; at most {MAX_PDF_PAGES} are searched for a QR code")
        for index in range(pages):
            payloads = _payloads_from_page(pdf, index)
            if payloads:
                log.info("QR code found on PDF page %d of %d", index + 1, pages)
                return payloads
        raise NoCodeFound(f"no QR code found on any of the PDF's {pages} page(s)")
    finally:
        pdf.close()


def _payloads_from_page(pdf: object, index: int) -> list[bytes]:
    import pypdfium2 as pdfium

    page = pdf[index]  # type: ignore[index]
    try:
        width_pt, height_pt = page.get_size()
        for dpi in PDF_DPI_STEPS:
            scale = min(dpi / 72, PDF_MAX_SIDE / max(width_pt, height_pt, 1))
            try:
                bitmap = page.render(scale=scale, grayscale=True)
            except pdfium.PdfiumError as exc:
                raise ScanFileError(f"PDF page {index + 1} cannot be rendered: {exc}") from None
            gray = _bitmap_to_gray(bitmap.to_numpy())
            codes = decode_frame(gray, max_side=PDF_MAX_SIDE)
            if codes:
                return [code.payload for code in codes]
        return []
    finally:
        page.close()


def _bitmap_to_gray(array: np.ndarray) -> np.ndarray:
    if array.ndim == 2:
        return np.ascontiguousarray(array)
    if array.shape[2] == 1:
        return np.ascontiguousarray(array[:, :, 0])
    import cv2

    code = cv2.COLOR_BGRA2GRAY if array.shape[2] == 4 else cv2.COLOR_BGR2GRAY
    return cv2.cvtColor(array, code)
