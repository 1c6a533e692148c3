"""`desk-app doctor` speaks the system's language: Russian on a Russian system (IT staff are
Russian), English elsewhere, `--lang en|ru` to choose (support reads English). Run as a real
process under LANG=ru_RU.UTF-8 and LANG=C."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from desk_app.doctor.wording import system_language


def doctor(data: Path, *args: str, **locale: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")}
    env.pop("PYTHONUTF8", None)  # the command itself must print UTF-8 whatever the locale
    return subprocess.run([sys.executable, "-m", "desk_app", "doctor", "--data-dir", str(data), *args],
                          capture_output=True, text=True, encoding="utf-8", timeout=120,
                          env={**env, **locale})  # fmt: skip


def test_russian_under_a_russian_locale(tmp_path: Path) -> None:
    done = doctor(tmp_path / "d", LANG="ru_RU.UTF-8")
    assert done.returncode == 2, done.stderr  # no trust root: an error
    assert "Traceback" not in done.stderr
    lines = done.stdout.splitlines()
    assert "[FAIL] Корневой сертификат Казначейства: не настроен: программа не проверяет ни один полис" in done.stdout
    assert any(line.startswith("[ok  ] Настройки: ") for line in lines)
    assert lines[-1] == "doctor: есть ошибки: программа не может работать правильно"
    assert "Trust root" not in done.stdout and "Configuration" not in done.stdout


def test_english_under_the_c_locale_and_with_lang_en(tmp_path: Path) -> None:
    for done in (doctor(tmp_path / "d", LANG="C"), doctor(tmp_path / "d", "--lang", "en", LANG="ru_RU.UTF-8")):
        assert done.returncode == 2, done.stderr
        assert "[FAIL] Trust root: the trust root is not configured" in done.stdout
        assert done.stdout.splitlines()[-1] == "doctor: errors: the desk cannot work properly"
        assert "Корневой" not in done.stdout


def test_lang_ru_on_an_english_system_and_lc_all_first(tmp_path: Path) -> None:
    assert "[FAIL] Корневой сертификат" in doctor(tmp_path / "d", "--lang", "ru", LANG="C").stdout
    assert "[FAIL] Trust root" in doctor(tmp_path / "d", LC_ALL="C", LANG="ru_RU.UTF-8").stdout


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"LANG": "ru_RU.UTF-8"}, "ru"),
        ({"LANG": "ru_RU.KOI8-R"}, "ru"),
        ({"LANG": "C"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({}, "en"),
        ({"LC_ALL": "C", "LANG": "ru_RU.UTF-8"}, "en"),  # LC_ALL wins
        ({"LC_MESSAGES": "ru_RU.UTF-8", "LANG": "en_GB.UTF-8"}, "ru"),  # then LC_MESSAGES
        ({"LC_ALL": "", "LANG": "ru_RU.UTF-8"}, "ru"),  # an empty variable is not set
    ],
)
def test_the_system_language_as_posix_reads_it(environ: dict[str, str], expected: str) -> None:
    assert system_language(environ, platform="linux") == expected


def test_json_carries_both_languages_whatever_the_locale(tmp_path: Path) -> None:
    import json

    report = json.loads(doctor(tmp_path / "d", "--json", LANG="ru_RU.UTF-8").stdout)
    root = next(c for c in report["checks"] if c["check"] == "trust_root")
    assert root["title"] == "Trust root" and root["title_ru"] == "Корневой сертификат Казначейства"


@pytest.mark.parametrize(
    ("langid", "expected"),
    [(0x0419, "ru"), (0x0819, "ru"), (0x0409, "en"), (0x0422, "en"), (0x0423, "en")],  # ru-RU, ru-MD, en-US, uk, be
)
def test_the_windows_ui_language_decides_on_windows(langid: int, expected: str) -> None:
    """Windows: GetUserDefaultUILanguage's LANGID, whatever LANG says (a Windows user sets no LANG)."""
    assert system_language({"LANG": "C"}, platform="win32", windows_ui_language=lambda: langid) == expected
    assert system_language({}, platform="win32", windows_ui_language=lambda: langid) == expected


def test_windows_without_an_answer_falls_back_to_the_environment() -> None:
    assert system_language({"LANG": "ru_RU.UTF-8"}, platform="win32", windows_ui_language=lambda: None) == "ru"
    assert system_language({}, platform="win32", windows_ui_language=lambda: None) == "en"
