"""The real window meets crafted content: a red reject with its reason, never "internal error".

Crafted QR texts are judged on the window's judge lane exactly as a scanner's are; slow or
oversized files end in a clear Russian message.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from desk_app.config import Settings
from desk_app.demo.issuer import PolicyData, policy_element
from desk_app.scanner import files
from desk_app.ui.main_window import MainWindow
from desk_app.ui.verdict_panel import COLOURS
from desk_app.verify.payload import encode_form_a, encode_form_b
from desk_app.verify.profile import q
from tests.helpers.ui import make_window, panel_colour, scan_and_wait

INTERNAL_ERROR = "Не удалось проверить полис"


@pytest.fixture
def window(qtbot: Any, judge_settings: Settings, tmp_path: Path) -> Iterator[MainWindow]:
    win = make_window(qtbot, judge_settings.replace(offline=True), tmp_path / "config.toml")
    yield win
    win.shutdown()


def _issued_at(xml: bytes, value: str) -> bytes:
    return re.sub(rb"<IssuedAt>[^<]*</IssuedAt>", f"<IssuedAt>{value}</IssuedAt>".encode(), xml, count=1)


def _crafted(policy_xml: Any, treasury: Any) -> dict[str, str | bytes]:
    genuine = policy_xml()
    arabic = policy_element(PolicyData())
    arabic.find(q("Insurer")).set("Code", "٧٧٠١٢")
    bidi = policy_element(PolicyData())
    bidi.find(q("Region")).text = "г. \u202eавксоМ"
    return {
        "issued_at_year_1_form_b": encode_form_b(_issued_at(genuine, "0001-01-01T00:00:00+03:00")),
        "issued_at_year_9999_form_a": encode_form_a(_issued_at(genuine, "9999-12-31T23:59:59-03:00")),
        "issued_at_offset_23_59_bytes": _issued_at(genuine, "2026-01-01T00:00:00+23:59"),
        "signed_year_9999": encode_form_b(
            treasury.sign_policy(element=_with_issued_at(PolicyData(), "9999-12-31T23:59:59-14:00"))
        ),
        "signed_arabic_indic_code": encode_form_b(treasury.sign_policy(element=arabic)),
        "signed_bidi_override": encode_form_b(treasury.sign_policy(element=bidi)),
        "text_in_key_info": genuine.replace(b"<ds:KeyInfo>", b"<ds:KeyInfo>ATTACK"),
        "utf16_form_b": encode_form_b(genuine.decode("utf-8").replace("UTF-8", "UTF-16").encode("utf-16")),
    }


def _with_issued_at(data: PolicyData, value: str) -> Any:
    element = policy_element(data)
    element.find(q("IssuedAt")).text = value
    return element


def test_crafted_content_is_a_red_reject_not_an_internal_error(
    qtbot: Any, window: MainWindow, policy_xml: Any, treasury: Any
) -> None:
    for name, payload in _crafted(policy_xml, treasury).items():
        judgement = scan_and_wait(qtbot, window, payload)
        assert judgement is not None, f"{name}: the window showed an internal error"
        assert judgement.verdict.decision == "reject", name
        assert judgement.verdict.signature in ("malformed", "bad_signature"), (name, judgement.verdict.signature)
        assert window.panel.headline.text() != INTERNAL_ERROR, name
        assert panel_colour(window).rgb() == panel_colour_of("reject"), name
        assert window.panel.fields["number"].text() in ("", "—", "-"), name  # nothing unsigned shown
    # The window is still usable: a genuine policy after them is judged normally.
    judgement = scan_and_wait(qtbot, window, encode_form_b(policy_xml()))
    assert judgement.verdict.signature == "ok"


def panel_colour_of(decision: str) -> int:
    from PySide6.QtGui import QColor

    return QColor(COLOURS[decision][0]).rgb()


def test_pdf_search_running_out_of_time_is_said_in_russian(
    qtbot: Any, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = [Image.new("L", (1240, 1754), 255) for _ in range(20)]
    pdf = tmp_path / "scan.pdf"
    pages[0].save(pdf, "PDF", save_all=True, append_images=pages[1:], resolution=150)
    monkeypatch.setattr(files, "PDF_TIME_BUDGET_S", 0.2)
    with qtbot.waitSignal(window.verdict_shown, timeout=20000) as blocker:
        assert window.submit_file(pdf)
    assert blocker.args[0] is None
    assert window.panel.headline.text() == "QR-код не найден — отсканируйте ещё раз"
    assert window.panel.state == "scan_failed" and window.session.patient is None
    assert "читается слишком долго" in window.panel.subline.text()
    assert "scan.pdf" in window.panel.subline.text()


def test_image_bomb_is_a_problem_not_a_crash(qtbot: Any, window: MainWindow, tmp_path: Path) -> None:
    from tests.helpers.bombs import png_bomb

    path = tmp_path / "photo.png"
    path.write_bytes(png_bomb(10900, 10900, colour=0))
    with qtbot.waitSignal(window.verdict_shown, timeout=20000) as blocker:
        assert window.submit_file(path)
    assert blocker.args[0] is None
    assert window.panel.headline.text() == "QR-код не найден — отсканируйте ещё раз"
    assert window.panel.state == "scan_failed" and window.session.patient is None
    assert "не найден QR-код полиса, или файл не читается" in window.panel.subline.text()
    assert "photo.png" in window.panel.subline.text()
