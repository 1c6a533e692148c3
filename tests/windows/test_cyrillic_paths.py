"""Paths with Cyrillic letters and spaces (C:\\Users\\Регистратура 2\\...): files to verify (text,
PNG, PDF through the render child), the data folder and its SQLite files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from desk_app.cli.main import main

DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo" / "policies"


def _pdf_of(png: Path, out: Path) -> Path:
    from PIL import Image

    code = Image.open(png).convert("RGB")
    page = Image.new("RGB", (1240, 1754), "white")
    page.paste(code, (300, 300))
    page.save(out, "PDF", resolution=150.0)
    return out


def _verdicts(capsys: pytest.CaptureFixture[str], data: Path, files: list[Path]) -> list[dict]:
    status = main(["verify", "--json", "--offline", "--data-dir", str(data), *map(str, files)])
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert status in (0, 1, 2) and len(lines) == len(files), (status, lines)
    return lines


def test_verify_reads_files_and_keeps_data_under_a_cyrillic_folder_with_spaces(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    russian = tmp_path / "Users" / "Регистратура 2" / "Документы полисов"
    russian.mkdir(parents=True)
    plain = tmp_path / "plain"
    plain.mkdir()
    names = ["active.b.txt", "active.a.txt", "active.png"]
    for folder in (russian, plain):
        for name in names:
            shutil.copy(DEMO / name, folder / f"полис {name}" if folder is russian else folder / name)
        _pdf_of(DEMO / "active.png", folder / ("скан полиса.pdf" if folder is russian else "scan.pdf"))
    russian_files = [russian / f"полис {n}" for n in names] + [russian / "скан полиса.pdf"]
    plain_files = [plain / n for n in names] + [plain / "scan.pdf"]

    data = tmp_path / "Users" / "Регистратура 2" / "AppData" / "Local" / "desk-app"
    from_russian = _verdicts(capsys, data, russian_files)
    from_plain = _verdicts(capsys, tmp_path / "plain-data", plain_files)

    def essence(v: dict) -> tuple:
        return v["decision"], v["reasons"], v.get("policy")

    assert [essence(v) for v in from_russian] == [essence(v) for v in from_plain]
    assert all(v["decision"] != "scan_again" for v in from_russian), from_russian
    assert any(p.is_file() for p in data.rglob("*")), "the desk's files are in the Cyrillic data folder"
