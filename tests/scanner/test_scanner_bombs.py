"""Decompression bombs and slow files: refused from their headers, within a bounded time.

Memory and time are measured in a fresh subprocess (its peak RSS, VmHWM), because
a refusal that decodes first shows up only there. Time bounds are generous: the refusal takes
milliseconds, decoding the bombs takes seconds.
"""

from __future__ import annotations

import io
import json
import struct
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from PIL import Image

from desk_app.core.inputs import InputError, payloads_from_input
from desk_app.devtools.renderings import render_clean
from desk_app.scanner import files
from desk_app.scanner.files import NoCodeFound, PdfTimeBudgetExceeded, ScanFileError, payloads_from_file
from tests.helpers.bombs import grey_image_bomb, ihdr, minimal_pdf, nested_forms_pdf, pdf_with_page_content, png_bomb

ROOT = Path(__file__).resolve().parents[2]
SIDE = 10900  # 118.8 megapixels: past the 60 MP limit, under Pillow's own 2x bomb threshold
MEMORY_LIMIT_MB = 200


# --- crafted files ---------------------------------------------------------------------------
@pytest.fixture(scope="session")
def bomb_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bombs")
    (folder / "bomb.png").write_bytes(png_bomb(SIDE, SIDE))
    gray = Image.new("L", (SIDE, SIDE), 128)  # a complete JPEG of uniform grey
    gray.save(folder / "bomb.jpg", "JPEG", quality=50)
    del gray
    return folder


def _small(fmt: str, **save: object) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (200, 10, 10)).save(buffer, fmt, **save)
    return buffer.getvalue()


def _patched_header(fmt: str, width: int, height: int) -> bytes:
    """A small real image of `fmt` whose header claims width x height (its data is short)."""
    if fmt == "JPEG":
        data = bytearray(_small("JPEG"))
        sof = data.index(b"\xff\xc0")
        data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
        return bytes(data)
    if fmt == "BMP":
        data = bytearray(_small("BMP"))
        data[18:26] = struct.pack("<ii", width, height)
        return bytes(data)
    if fmt == "GIF":
        data = bytearray(_small("GIF"))
        data[6:10] = struct.pack("<HH", width, height)
        desc = data.index(b"\x2c\x00\x00\x00\x00")
        data[desc + 5 : desc + 9] = struct.pack("<HH", width, height)
        return bytes(data)
    if fmt == "WEBP":
        data = bytearray(_small("WEBP", lossless=True))
        pos = data.index(b"VP8L") + 8
        assert data[pos] == 0x2F
        bits = int.from_bytes(data[pos + 1 : pos + 5], "little")
        bits = (bits & ~0xFFFFFFF) | (width - 1) | ((height - 1) << 14)
        data[pos + 1 : pos + 5] = bits.to_bytes(4, "little")
        return bytes(data)
    if fmt == "TIFF":
        return _tiff_header(width, height)
    if fmt == "PNG-LATER-IHDR":  # a small IHDR, then a second one with the huge size before IDAT
        small = _small("PNG")
        return small[:33] + ihdr(width, height, 2) + small[33:]
    raise AssertionError(fmt)


def _tiff_header(width: int, height: int) -> bytes:
    """An uncompressed RGB TIFF whose one strip is far shorter than the size it declares."""
    entries = [
        (256, 4, 1, width), (257, 4, 1, height), (258, 3, 1, 8), (259, 3, 1, 1), (262, 3, 1, 2),
        (273, 4, 1, 8 + 2 + 12 * 10 + 4), (277, 3, 1, 3), (278, 4, 1, height), (279, 4, 1, 64), (284, 3, 1, 1),
    ]
    packed = []
    for tag, kind, count, value in entries:
        field = struct.pack("<HH", value, 0) if kind == 3 else struct.pack("<I", value)
        packed.append(struct.pack("<HHI", tag, kind, count) + field)
    ifd = struct.pack("<H", len(entries)) + b"".join(packed) + struct.pack("<I", 0)
    return b"II*\x00" + struct.pack("<I", 8) + ifd + b"\x80" * 64


# --- measurement in a fresh process -----------------------------------------------------------
_PROBE = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    from desk_app.scanner.files import ScanFileError, payloads_from_file

    def peak_mb():  # this process's own high-water mark (getrusage's survives exec from pytest's)
        with open("/proc/self/status") as fh:
            return next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:")) / 1024

    with open("/proc/self/clear_refs", "w") as fh:  # start the mark from the current size
        fh.write("5")
    before = peak_mb()
    start = time.perf_counter()
    try:
        payloads_from_file(Path(sys.argv[1]))
        error = None
    except ScanFileError as exc:
        error = str(exc)
    elapsed = time.perf_counter() - start
    print(json.dumps({"error": error, "elapsed": elapsed, "before_mb": before, "peak_mb": peak_mb()}))
    """
)


def measure(path: Path) -> dict:
    """Reads `path` in a fresh process: its error, time and own peak memory (not a PDF render
    child's, which is a separate process with its own cap)."""
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE, str(path)], capture_output=True, text=True, timeout=300, cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.splitlines()[-1])


def _assert_refused_cheaply(result: dict) -> None:
    assert result["error"] is not None and "megapixels" in result["error"], result
    assert result["peak_mb"] < MEMORY_LIMIT_MB, result
    assert result["peak_mb"] - result["before_mb"] < 50, result  # nothing was decoded
    assert result["elapsed"] < 1.0, result  # milliseconds in fact; decoding takes seconds


@pytest.mark.parametrize("name", ["bomb.png", "bomb.jpg"])
def test_complete_bomb_is_refused_from_its_header(bomb_dir: Path, name: str) -> None:
    """A 10900x10900 image (PNG 0.3 MB, JPEG 1-2 MB): refused before decoding."""
    path = bomb_dir / name
    assert path.stat().st_size < 3 * 1024 * 1024
    result = measure(path)
    _assert_refused_cheaply(result)
    assert f"{SIDE}x{SIDE}" in result["error"]


@pytest.mark.parametrize("fmt", ["JPEG", "BMP", "GIF", "WEBP", "TIFF", "PNG-LATER-IHDR"])
def test_every_accepted_format_is_refused_from_its_header(tmp_path: Path, fmt: str) -> None:
    side = 10000 if fmt != "WEBP" else 9000  # WebP's header holds at most 16383
    path = tmp_path / f"huge.{fmt.lower()}"
    path.write_bytes(_patched_header(fmt, side, side))
    with Image.open(path) as img:
        assert img.size == (side, side)  # the header really claims it
    _assert_refused_cheaply(measure(path))


def test_limit_is_the_pixel_count_not_a_side(tmp_path: Path) -> None:
    """A long thin image of the same area is refused too; a legal 7000x7000 is not refused for size."""
    thin = tmp_path / "thin.png"
    thin.write_bytes(png_bomb(60_001, 1001, colour=0))
    with pytest.raises(ScanFileError, match="megapixels"):
        payloads_from_file(thin)
    legal = tmp_path / "legal.png"
    legal.write_bytes(png_bomb(7000, 7000, colour=0))
    with pytest.raises(NoCodeFound):  # decoded and searched: no code in a black square
        payloads_from_file(legal)


def test_formats_outside_the_list_are_refused(tmp_path: Path) -> None:
    """Pillow reads dozens of formats; the desk reads the ones it names (less code meets hostile bytes)."""
    for fmt, suffix in (("PCX", "pcx"), ("TGA", "tga"), ("ICO", "ico"), ("PPM", "ppm"), ("SGI", "sgi")):
        path = tmp_path / f"code.{suffix}"
        Image.fromarray(render_clean("OMS1:X", module_px=8)).convert("RGB").save(path, fmt)
        with pytest.raises(ScanFileError, match="not an image or PDF this app can read"):
            payloads_from_file(path)


def test_image_limits_reach_the_cli_as_one_line(bomb_dir: Path) -> None:
    with pytest.raises(InputError, match=r"bomb.png: image is 10900x10900 pixels"):
        payloads_from_input(str(bomb_dir / "bomb.png"))


# --- PDFs -----------------------------------------------------------------------------------
def _pdf_of(path: Path, pages: list[Image.Image], dpi: float = 150.0) -> Path:
    pages[0].save(path, "PDF", save_all=True, append_images=pages[1:], resolution=dpi)
    return path


def test_twenty_blank_pages_end_within_the_budget(tmp_path: Path) -> None:
    pdf = _pdf_of(tmp_path / "blank.pdf", [Image.new("L", (1240, 1754), 255) for _ in range(20)])
    start = time.perf_counter()
    with pytest.raises(NoCodeFound):
        payloads_from_file(pdf)
    elapsed = time.perf_counter() - start
    # The budget plus one page's step (a step is bounded by the page's pixel bound), generously.
    assert elapsed < files.PDF_TIME_BUDGET_S * 1.5 + 2.0, elapsed


def test_budget_running_out_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pdf = _pdf_of(tmp_path / "blank.pdf", [Image.new("L", (1240, 1754), 255) for _ in range(20)])
    monkeypatch.setattr(files, "PDF_TIME_BUDGET_S", 0.3)
    start = time.perf_counter()
    with pytest.raises(PdfTimeBudgetExceeded, match=r"PDF search stopped after 0.3 s: .* of 20 page") as caught:
        payloads_from_file(pdf)
    assert time.perf_counter() - start < 0.3 + 2.0
    assert caught.value.reason == "time_budget"
    with pytest.raises(InputError, match="PDF search stopped") as wrapped:
        payloads_from_input(str(pdf))
    assert wrapped.value.reason == "time_budget"


def test_every_page_at_low_resolution_before_any_at_high(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Page 1 needs 300 dpi, page 3 reads at 150: the 150-dpi pass over all pages finds page 3 first."""
    from desk_app.devtools.renderings import policy_like_xml
    from desk_app.verify.payload import encode_form_b

    dense = encode_form_b(policy_like_xml(with_certificate=True))
    page1 = Image.new("L", (2480, 3508), 255)
    page1.paste(Image.fromarray(render_clean(dense, module_px=2)), (600, 600))
    page3 = Image.new("L", (2480, 3508), 255)
    page3.paste(Image.fromarray(render_clean("OMS1:PAGE3", module_px=16)), (600, 600))
    blank = Image.new("L", (2480, 3508), 255)
    pdf = _pdf_of(tmp_path / "order.pdf", [page1, blank, page3], dpi=300)
    rendered: list[tuple[int, int]] = []
    original = files._payloads_from_page

    def spy(pdf_doc, index, dpi):  # records the real calls, changes nothing
        rendered.append((index, dpi))
        return original(pdf_doc, index, dpi)

    monkeypatch.setattr(files, "_payloads_from_page", spy)
    assert payloads_from_file(pdf) == [b"OMS1:PAGE3"]
    assert rendered == [(0, 150), (1, 150), (2, 150)]
    monkeypatch.setattr(files, "_payloads_from_page", original)
    # Without page 3, the dense code on page 1 is still found by the 300-dpi pass.
    pdf2 = _pdf_of(tmp_path / "dense.pdf", [page1, blank], dpi=300)
    assert payloads_from_file(pdf2) == [dense.encode("ascii")]


@pytest.mark.parametrize("box", [(14400, 14400), (1e9, 1e9), (1, 14400), (14400, 0.5)])
def test_huge_page_box_is_rendered_within_the_pixel_bound(tmp_path: Path, box) -> None:
    path = tmp_path / "box.pdf"
    path.write_bytes(minimal_pdf(1, box))
    result = measure(path)
    assert result["error"] is not None and "no QR code" in result["error"], result
    assert result["peak_mb"] < MEMORY_LIMIT_MB, result


def test_thousands_of_pages_are_refused_before_rendering(tmp_path: Path) -> None:
    path = tmp_path / "long.pdf"
    path.write_bytes(minimal_pdf(5000))
    start = time.perf_counter()
    with pytest.raises(ScanFileError, match="5000 pages; at most 20"):
        payloads_from_file(path)
    assert time.perf_counter() - start < 2.0


def test_image_bomb_inside_a_pdf_is_refused_before_rendering(tmp_path: Path) -> None:
    """A 0.4 MB PDF drawing a 20000x20000 image (Flate of zeros): refused from the image's header."""
    path = tmp_path / "image-bomb.pdf"
    path.write_bytes(pdf_with_page_content(b"q 500 0 0 700 50 50 cm /Im0 Do Q", grey_image_bomb(20000, 20000)))
    assert path.stat().st_size < 1024 * 1024
    result = measure(path)
    assert result["error"] is not None and "embeds images of more than 60 megapixels" in result["error"], result
    assert result["peak_mb"] < MEMORY_LIMIT_MB and result["elapsed"] < 1.0, result


def test_page_with_too_many_drawing_objects_is_not_rendered(tmp_path: Path) -> None:
    path = tmp_path / "busy.pdf"
    path.write_bytes(pdf_with_page_content(b"0.5 g\n" + b"10 10 1 1 re f\n" * (files.PDF_MAX_PAGE_OBJECTS + 10)))
    with pytest.raises(ScanFileError, match="holds more than 100000 drawing objects"):
        payloads_from_file(path)
    ordinary = tmp_path / "ordinary.pdf"  # a page with some drawing is still searched
    ordinary.write_bytes(pdf_with_page_content(b"0.5 g\n" + b"10 10 1 1 re f\n" * 1000))
    with pytest.raises(NoCodeFound):
        payloads_from_file(ordinary)


# --- pdfium in a limited child process (scanner/pdf_sandbox) ---------------------------------
SANDBOX_MESSAGE = "the PDF could not be rendered within the desk's limits"


def test_nested_form_bomb_ends_within_the_budget_and_the_desk_stays_small(tmp_path: Path) -> None:
    """4 KB, forms 9 deep each drawing the next 10 times (10^9 rectangles): in the desk's own
    process this cost minutes and tens of GB while the page loaded; now the child dies at its
    memory cap or is killed at the time budget, and the desk's process never grows."""
    path = tmp_path / "forms.pdf"
    path.write_bytes(nested_forms_pdf(9))
    assert path.stat().st_size < 5000
    result = measure(path)
    assert result["error"] == SANDBOX_MESSAGE or "PDF search stopped after" in result["error"], result
    assert result["elapsed"] < files.PDF_TIME_BUDGET_S + 3.0, result
    assert result["peak_mb"] < MEMORY_LIMIT_MB, result


def test_time_budget_kills_the_render_child(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page that takes longer to load than the whole budget: the child is killed when it runs out."""
    import multiprocessing

    path = tmp_path / "forms.pdf"
    path.write_bytes(nested_forms_pdf(6))  # about 10 s and 2 GB to load in full
    monkeypatch.setattr(files, "PDF_TIME_BUDGET_S", 1.0)
    start = time.perf_counter()
    with pytest.raises(PdfTimeBudgetExceeded, match=r"PDF search stopped after 1 s: 0 of 1 page\(s\) at 150 dpi"):
        payloads_from_file(path)
    assert time.perf_counter() - start < 1.0 + 3.0
    assert multiprocessing.active_children() == []  # killed and reaped, not left running


def test_child_killed_by_the_memory_cap_gives_the_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "PDF_CHILD_MEMORY_BYTES", 600 * 1024 * 1024)
    normal = _pdf_of(tmp_path / "normal.pdf", [Image.new("L", (1240, 1754), 255), _code_page()])
    assert payloads_from_file(normal) == [b"OMS1:UNDER-THE-CAP"]  # the lowered cap still reads a real PDF
    bomb = tmp_path / "forms.pdf"
    bomb.write_bytes(nested_forms_pdf(7))  # about 50 s and 15 GB to load in full
    start = time.perf_counter()
    with pytest.raises(ScanFileError, match=SANDBOX_MESSAGE) as caught:
        payloads_from_file(bomb)
    assert not isinstance(caught.value, NoCodeFound)
    assert time.perf_counter() - start < files.PDF_TIME_BUDGET_S  # the cap, not the clock, ended it
    with pytest.raises(InputError, match=f"forms.pdf: {SANDBOX_MESSAGE}"):
        payloads_from_input(str(bomb))


def _code_page() -> Image.Image:
    page = Image.new("L", (1240, 1754), 255)
    page.paste(Image.fromarray(render_clean("OMS1:UNDER-THE-CAP", module_px=8)), (300, 300))
    return page


def test_cli_reports_the_bomb_in_one_line(tmp_path: Path) -> None:
    """`desk-app verify` on the bomb: the one-line error and the unreadable-input exit code, no traceback."""
    bomb = tmp_path / "forms.pdf"
    bomb.write_bytes(nested_forms_pdf(9))
    garbage = tmp_path / "garbage.pdf"
    garbage.write_bytes(b"%PDF-1.7\n garbage")
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path),
           "XDG_CONFIG_HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path)}  # no trust cache or config of the user
    runs = [
        subprocess.run([sys.executable, "-m", "desk_app", "verify", str(p)], capture_output=True, text=True,
                       timeout=60, cwd=tmp_path, env=env)
        for p in (bomb, garbage)
    ]
    assert "Traceback" not in runs[0].stderr, runs[0].stderr[-2000:]
    assert ("could not be rendered within the desk's limits" in runs[0].stderr
            or "PDF search stopped after" in runs[0].stderr), runs[0].stderr
    errors = [line for line in runs[0].stderr.splitlines() if line.startswith("desk-app: error:")]
    assert errors == [runs[0].stderr.splitlines()[-1]], runs[0].stderr  # one error line, the last word
    assert runs[0].returncode == runs[1].returncode != 0, (runs[0].returncode, runs[1].returncode)
