"""QR payloads from image files and PDFs, read by the real decoders; clear errors for bad files."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from desk_app.config import Settings
from desk_app.devtools.renderings import SHOT_LADDER, photograph, policy_like_xml, render_clean
from desk_app.scanner import files
from desk_app.scanner.files import NoCodeFound, ScanFileError, payloads_from_file
from desk_app.verify.payload import encode_form_b


def _page(code: Image.Image | None = None) -> Image.Image:
    """An A4 page at 150 dpi, optionally with the code pasted at a printed size."""
    page = Image.new("L", (1240, 1754), 255)
    if code is not None:
        page.paste(code, (200, 300))
    return page


def _code_image(payload: bytes | str, module_px: int) -> Image.Image:
    return Image.fromarray(render_clean(payload, module_px=module_px))


def _save_pdf(path: Path, pages: list[Image.Image], dpi: float = 150.0) -> Path:
    pages[0].save(path, "PDF", save_all=True, append_images=pages[1:], resolution=dpi)
    return path


def test_pdf_with_code_on_page_two(tmp_path: Path) -> None:
    payload = encode_form_b(policy_like_xml(with_certificate=False))
    pdf = _save_pdf(tmp_path / "policy.pdf", [_page(), _page(_code_image(payload, 5)), _page()])
    assert payloads_from_file(pdf) == [payload.encode("ascii")]


def test_signed_policy_in_pdf_keeps_signature_valid(
    tmp_path: Path, policy_xml: Callable[..., bytes], judge_settings: Settings
) -> None:
    from desk_app.core.judge import build_judge

    xml = policy_xml(last_name="Щербакова", first_name="Ёлка")
    payload = encode_form_b(xml)
    pdf = _save_pdf(tmp_path / "signed.pdf", [_page(), _page(_code_image(payload, 4))])
    (found,) = payloads_from_file(pdf)
    verdict = build_judge(judge_settings.replace(offline=True), refresh=False).judge_qr(found).verdict
    assert verdict.signature == "ok"
    assert verdict.policy.last_name == "Щербакова"


def test_dense_code_printed_small_needs_the_300_dpi_pass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A version-40 code 3.1 cm wide on a 300-dpi page: 1 px modules at 150 dpi, 2 px at 300 dpi."""
    payload = encode_form_b(policy_like_xml(with_certificate=True))
    page = Image.new("L", (2480, 3508), 255)
    page.paste(_code_image(payload, 2), (600, 600))
    pdf = _save_pdf(tmp_path / "dense.pdf", [page], dpi=300)
    assert payloads_from_file(pdf) == [payload.encode("ascii")]
    monkeypatch.setattr(files, "PDF_DPI_STEPS", (150,))
    with pytest.raises(NoCodeFound):
        payloads_from_file(pdf)


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP", "BMP"])
def test_image_formats(tmp_path: Path, fmt: str) -> None:
    xml = policy_like_xml(with_certificate=False)
    image = Image.fromarray(photograph(render_clean(xml), dict(SHOT_LADDER)["tilted"], seed=4))
    path = tmp_path / f"photo.{fmt.lower()}"
    image.save(path, fmt, **({"quality": 90} if fmt in ("JPEG", "WEBP") else {}))
    assert payloads_from_file(path) == [xml]


def test_type_is_read_from_content_not_name(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf.png"  # misnamed: really a PDF
    _save_pdf(path, [_page(_code_image("OMS1:ABC", 8))])
    assert payloads_from_file(path) == [b"OMS1:ABC"]


def test_exif_rotated_phone_photo(tmp_path: Path) -> None:
    image = _code_image("OMS1:ROTATED", 8).rotate(90, expand=True)
    exif = Image.Exif()
    exif[0x0112] = 8  # orientation: rotate 90 CW to display
    path = tmp_path / "phone.jpg"
    image.convert("RGB").save(path, "JPEG", exif=exif, quality=95)
    assert payloads_from_file(path) == [b"OMS1:ROTATED"]


def test_transparent_png_is_flattened_onto_white(tmp_path: Path) -> None:
    code = render_clean("OMS1:ALPHA", module_px=8)
    rgba = Image.new("RGBA", code.shape[::-1], (0, 0, 0, 0))
    rgba.putalpha(Image.fromarray(255 - code))  # dark modules opaque black, the rest transparent
    path = tmp_path / "alpha.png"
    rgba.save(path)
    assert payloads_from_file(path) == [b"OMS1:ALPHA"]


def test_image_without_code(tmp_path: Path) -> None:
    path = tmp_path / "blank.png"
    Image.new("L", (640, 480), 200).save(path)
    with pytest.raises(NoCodeFound, match="no QR code found in the image"):
        payloads_from_file(path)


def test_pdf_without_code_names_page_count(tmp_path: Path) -> None:
    pdf = _save_pdf(tmp_path / "empty.pdf", [_page(), _page()])
    with pytest.raises(NoCodeFound, match="any of the PDF's 2 page"):
        payloads_from_file(pdf)


def test_too_many_pages_is_refused_before_rendering(tmp_path: Path) -> None:
    pages = [Image.new("L", (100, 100), 255) for _ in range(files.MAX_PDF_PAGES + 1)]
    pdf = _save_pdf(tmp_path / "long.pdf", pages)
    with pytest.raises(ScanFileError, match="21 pages; at most 20"):
        payloads_from_file(pdf)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "not an image or PDF"),
        (b"hello, this is text", "not an image or PDF"),
        (b"%PDF-1.7\n garbage", "PDF cannot be opened"),
    ],
)
def test_unreadable_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.png"
    path.write_bytes(content)
    with pytest.raises(ScanFileError, match=message):
        payloads_from_file(path)


def test_truncated_png(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    _code_image("OMS1:CUT", 8).save(buffer, "PNG")
    path = tmp_path / "cut.png"
    path.write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])
    with pytest.raises(ScanFileError, match="damaged or truncated"):
        payloads_from_file(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ScanFileError, match="cannot read file"):
        payloads_from_file(tmp_path / "nope.png")


def test_too_large_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files, "MAX_FILE_BYTES", 1000)
    path = tmp_path / "big.bin"
    path.write_bytes(b"\0" * 2000)
    with pytest.raises(ScanFileError, match="at most"):
        payloads_from_file(path)


def test_verify_cli_reads_a_pdf(tmp_path: Path, policy_xml: Callable[..., bytes], judge_settings: Settings) -> None:
    from desk_app.core.inputs import payloads_from_input

    payload = encode_form_b(policy_xml())
    pdf = _save_pdf(tmp_path / "p.pdf", [_page(), _page(_code_image(payload, 4))])
    assert payloads_from_input(str(pdf)) == [payload.encode("ascii")]


def _large_with_code(mode: str, size: tuple[int, int], payload: str) -> Image.Image:
    """A large image (over twice the QR search's side) with a code near its centre and a dark
    marker block in its top-left corner; transparent ground for the modes that have alpha."""
    modules = render_clean(payload, module_px=12)
    # Transparent black where there is alpha (shown on white only if flattened), else white.
    canvas = Image.new("RGBA", size, (0, 0, 0, 0) if mode in ("RGBA", "P") else (255, 255, 255, 255))
    opaque = Image.new("RGBA", modules.shape[::-1], (0, 0, 0, 255))
    at = ((size[0] - modules.shape[1]) // 2, (size[1] - modules.shape[0]) // 2)
    canvas.paste(opaque, at, Image.fromarray(255 - modules))  # the dark modules only
    canvas.paste((0, 0, 0, 255), (0, 0, 400, 200))  # the marker: wider than high
    return canvas if mode == "RGBA" else canvas.convert(mode)  # "P" keeps a transparent index


@pytest.mark.parametrize("mode", ["RGBA", "P", "L"])
def test_a_large_image_is_shrunk_before_its_copies_and_still_read(tmp_path: Path, mode: str) -> None:
    """Formats other than JPEG are shrunk by a whole factor right after decoding (a 59 MP RGBA PNG
    peaked at 1.2 GB, now 0.6 GB: docs/performance.md), then turned upright by their EXIF."""
    width, height = files.MAX_SIDE * 2 + 200, files.MAX_SIDE
    image = _large_with_code(mode, (width, height), "OMS1:LARGE")
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90 CW to display
    path = tmp_path / f"large-{mode}.png"
    image.save(path, exif=exif, compress_level=1)
    gray = files.load_gray_image(path)
    assert gray.shape == (width // 2, height // 2)  # halved, and upright: now taller than wide
    assert gray[:100, -50:].max() < 60  # the marker, top-left as stored, is top-right as shown
    assert gray[-100:, :50].min() > 200  # white ground (transparent pixels flattened onto white)
    assert payloads_from_file(path) == [b"OMS1:LARGE"]
