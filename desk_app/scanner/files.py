"""QR payloads from image files (PNG, JPEG, WebP, BMP, GIF, TIFF) and PDFs.

The file type is taken from its first bytes, not its name, and only the formats named here are
opened (Pillow reads dozens; less code meets hostile bytes).

Images: the pixel count is read from the header and checked *before* anything is decoded, so a
small file declaring a huge picture (a decompression bomb) is refused in milliseconds. JPEGs are
decoded straight to grey and, when large, at a reduced scale the QR search would use anyway.

PDFs: one time budget covers the whole file once the child has opened it: rendering and every
decoding stage (the deadline is looked at between stages, so decoding overruns it by one stage
at most; starting the child has its own bound). Every page is first rendered at 150 dpi, which
reads ordinary codes in a few milliseconds; only when no page holds a code are the pages
rendered again at 300 dpi, which dense (version 30-40) codes printed a few centimetres wide need.
The search stops at the first page that holds a code (a policy PDF carries one policy; the
pages after it are instructions), returning every code on that page. A page's pixel size comes
from its page box and is bounded before rendering. At most `MAX_PDF_PAGES` pages are accepted.
pdfium itself (open, page load, render) runs in a child process with a memory cap that the parent
kills when the budget runs out (see pdf_sandbox: a page's forms are parsed when it loads, before
any check here could run); the parent only decodes the returned pixels.
Errors are `ScanFileError` (a ValueError) with a one-line English message without the path;
`reason` tells the window which Russian message to show.
"""

from __future__ import annotations

import functools
import logging
import math
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from desk_app.scanner.pipeline import MAX_SIDE, DecodeDeadlineReached, decode_frame

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_PDF_PAGES = 20
MAX_IMAGE_PIXELS = 60_000_000
IMAGE_FORMATS = ("PNG", "JPEG", "WEBP", "BMP", "GIF", "TIFF")  # JPEG includes MPO (phones), see jpeg_factory
PDF_DPI_STEPS = (150, 300)
PDF_MAX_SIDE = 4000  # pixels; a 300-dpi A4 page is 2480x3508
PDF_MAX_PIXELS = 9_000_000  # a 300-dpi A4 page (8.7 MP); larger page boxes are rendered at less
PDF_TIME_BUDGET_S = 5.0  # the whole file, every page and pass; one step may run past it
PDF_MAX_PAGE_OBJECTS = 100_000  # drawing objects on one page (forms included) worth rendering
PDF_CHILD_MEMORY_BYTES = 1536 * 1024 * 1024  # address space of the child that runs pdfium (POSIX)


class ScanFileError(ValueError):
    """The file cannot be read, is too large, or holds no QR code."""

    reason = "unreadable"


class NoCodeFound(ScanFileError):
    reason = "no_code"


class PdfTimeBudgetExceeded(NoCodeFound):
    """No code found before the PDF's time budget ran out (some page/pass was not searched)."""

    reason = "time_budget"


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

    _configure_pillow()
    try:
        with Image.open(path, formats=IMAGE_FORMATS) as img:
            _check_pixel_count(img.size)  # from the header: nothing has been decoded yet
            if img.format in ("JPEG", "MPO"):
                _draft_gray(img)
                img = ImageOps.exif_transpose(img)
            else:
                orientation = img.getexif().get(_EXIF_ORIENTATION, 1)
                img = _upright(_shrunk(img), orientation)
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
        if isinstance(exc, ScanFileError):
            raise
        raise ScanFileError(f"image is damaged or truncated: {exc}") from None


@functools.cache
def _configure_pillow() -> None:
    """Pillow's own bomb guard stays on (an error past twice the limit); its warning below that is
    dropped, because `_check_pixel_count` refuses those images with a clear message instead."""
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    warnings.filterwarnings("ignore", category=Image.DecompressionBombWarning)


def _check_pixel_count(size: tuple[int, int]) -> None:
    width, height = size
    if width <= 0 or height <= 0:
        raise ScanFileError(f"image is damaged: its header says {width}x{height} pixels")
    if width * height > MAX_IMAGE_PIXELS:
        raise ScanFileError(
            f"image is {width}x{height} pixels ({width * height / 1e6:.0f} megapixels); "
            f"at most {MAX_IMAGE_PIXELS // 1_000_000} megapixels are read"
        )


_EXIF_ORIENTATION = 0x0112
_REDUCIBLE_MODES = frozenset({"L", "LA", "RGB", "RGBA", "CMYK", "I", "F"})  # averaging their values is right


def _shrunk(img: Any) -> Any:
    """Formats other than JPEG are decoded whole: shrink by a whole factor at once, keeping at
    least `MAX_SIDE` (the QR search downscales to it anyway), before the copies that turning,
    flattening and grey conversion make. A 59 MP RGBA PNG peaked at 1.2 GB without this."""
    factor = max(img.size) // MAX_SIDE
    if factor < 2:
        return img
    if img.mode not in _REDUCIBLE_MODES:  # palette indices or bits cannot be averaged
        transparent = img.mode in ("PA", "La", "RGBa") or (img.mode == "P" and "transparency" in img.info)
        img = img.convert("RGBA" if transparent else "L")
    return img.reduce(factor)


def _upright(img: Any, orientation: int) -> Any:
    """What `ImageOps.exif_transpose` does, for an image whose EXIF was read before shrinking."""
    from PIL import Image

    method = {
        2: Image.Transpose.FLIP_LEFT_RIGHT,
        3: Image.Transpose.ROTATE_180,
        4: Image.Transpose.FLIP_TOP_BOTTOM,
        5: Image.Transpose.TRANSPOSE,
        6: Image.Transpose.ROTATE_270,
        7: Image.Transpose.TRANSVERSE,
        8: Image.Transpose.ROTATE_90,
    }.get(orientation if isinstance(orientation, int) else 1)
    return img if method is None else img.transpose(method)


def _draft_gray(img: object) -> None:
    """Decode a JPEG straight to grey, at 1/2-1/8 scale when still larger than the QR search uses."""
    width, height = img.size  # type: ignore[attr-defined]
    factor = min(1.0, MAX_SIDE / max(width, height))
    img.draft("L", (math.ceil(width * factor), math.ceil(height * factor)))  # type: ignore[attr-defined]


def _payloads_from_image(path: Path) -> list[bytes]:
    codes = decode_frame(load_gray_image(path))
    if not codes:
        raise NoCodeFound("no QR code found in the image")
    return [code.payload for code in codes]


def _payloads_from_pdf(path: Path) -> list[bytes]:
    from desk_app.scanner import pdf_sandbox

    try:
        with pdf_sandbox.PdfRenderer(path, PDF_CHILD_MEMORY_BYTES) as renderer:
            return _search_pdf(renderer)
    except pdf_sandbox.PdfPageError as exc:
        raise ScanFileError(str(exc)) from None
    except pdf_sandbox.PdfRenderFailed as exc:
        raise ScanFileError(str(exc)) from None
    except pdf_sandbox.PdfDeadlineReached:  # the child could not even open the file in time
        raise PdfTimeBudgetExceeded(
            f"PDF could not be opened within {pdf_sandbox.START_TIMEOUT_S:g} s; no QR code found"
        ) from None


def _search_pdf(renderer: object) -> list[bytes]:
    """Every page at 150 dpi, then at 300, until a code is found or the budget runs out (counted
    once the child has opened the file); rendering and every decoding stage are inside it."""
    from desk_app.scanner.pdf_sandbox import PdfDeadlineReached

    pages: int = renderer.pages  # type: ignore[attr-defined]
    if pages == 0:
        raise ScanFileError("PDF has no pages")
    if pages > MAX_PDF_PAGES:
        raise ScanFileError(f"PDF has {pages} pages; at most {MAX_PDF_PAGES} are searched for a QR code")
    budget = PDF_TIME_BUDGET_S
    deadline = time.monotonic() + budget
    renderer.deadline = deadline  # type: ignore[attr-defined]  # every answer from the child waits at most until then
    searched = {dpi: 0 for dpi in PDF_DPI_STEPS}

    def out_of_time() -> PdfTimeBudgetExceeded:
        done = ", ".join(f"{n} of {pages} page(s) at {d} dpi" for d, n in searched.items())
        return PdfTimeBudgetExceeded(f"PDF search stopped after {budget:g} s: {done}; no QR code found")

    for dpi in PDF_DPI_STEPS:  # every page at low resolution before any at high
        for index in range(pages):
            if time.monotonic() > deadline:
                raise out_of_time()
            try:
                payloads = _payloads_from_page(renderer, index, dpi)
            except (PdfDeadlineReached, DecodeDeadlineReached):  # killed mid-page, or decoding ran out
                raise out_of_time() from None
            searched[dpi] += 1
            if payloads:
                log.info("QR code found on PDF page %d of %d at %d dpi", index + 1, pages, dpi)
                return payloads
    raise NoCodeFound(f"no QR code found on any of the PDF's {pages} page(s)")


def page_scale(width_pt: float, height_pt: float, dpi: int) -> float:
    """The render scale for a page box: `dpi`, or less so that the bitmap stays within PDF_MAX_SIDE
    pixels a side and PDF_MAX_PIXELS in all (decided from the box, before anything is rendered)."""
    if not (math.isfinite(width_pt) and math.isfinite(height_pt)) or width_pt <= 0 or height_pt <= 0:
        raise ScanFileError(f"PDF page box is {width_pt}x{height_pt} points")
    return min(dpi / 72, PDF_MAX_SIDE / max(width_pt, height_pt), math.sqrt(PDF_MAX_PIXELS / (width_pt * height_pt)))


def _payloads_from_page(renderer: object, index: int, dpi: int) -> list[bytes]:
    """Page `index` rendered at `dpi` by the sandboxed child (by the file's deadline), searched here."""
    array = renderer.render(index, dpi)  # type: ignore[attr-defined]
    deadline: float = renderer.deadline  # type: ignore[attr-defined]
    codes = decode_frame(_bitmap_to_gray(array), max_side=PDF_MAX_SIDE, deadline=deadline)
    return [code.payload for code in codes]


def render_pdf_page(pdf: object, index: int, dpi: int) -> np.ndarray:
    """Runs in the sandbox child (pdf_sandbox): check page `index`, render it in grey, as numpy."""
    import pypdfium2 as pdfium

    page = pdf[index]  # type: ignore[index]
    try:
        _check_page_content(page, index)
        scale = page_scale(*page.get_size(), dpi)
        try:
            bitmap = page.render(scale=scale, grayscale=True)
        except pdfium.PdfiumError as exc:
            raise ScanFileError(f"PDF page {index + 1} cannot be rendered: {exc}") from None
        return np.array(bitmap.to_numpy())  # a copy: the bitmap's buffer is pdfium's
    finally:
        page.close()


def _check_page_content(page: object, index: int) -> None:
    """Refuse, before rendering, a page whose embedded images would decode past the image pixel
    limit (an image decompression bomb inside a PDF) or that holds too many drawing objects."""
    import pypdfium2.raw as pdfium_c

    pixels = 0
    for count, obj in enumerate(page.get_objects(max_depth=8), 1):  # type: ignore[attr-defined]
        if count > PDF_MAX_PAGE_OBJECTS:
            raise ScanFileError(f"PDF page {index + 1} holds more than {PDF_MAX_PAGE_OBJECTS} drawing objects")
        if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            width, height = obj.get_px_size()
            pixels += max(width, 0) * max(height, 0)
            if pixels > MAX_IMAGE_PIXELS:
                raise ScanFileError(
                    f"PDF page {index + 1} embeds images of more than {MAX_IMAGE_PIXELS // 1_000_000} megapixels "
                    f"(one is {width}x{height} pixels)"
                )


def _bitmap_to_gray(array: np.ndarray) -> np.ndarray:
    if array.ndim == 2:
        return np.ascontiguousarray(array)
    if array.shape[2] == 1:
        return np.ascontiguousarray(array[:, :, 0])
    import cv2

    code = cv2.COLOR_BGRA2GRAY if array.shape[2] == 4 else cv2.COLOR_BGR2GRAY
    return cv2.cvtColor(array, code)
