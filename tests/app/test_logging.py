"""Log files: where they go, one greppable line per event, and no token or personal data ever in them."""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from desk_app.config import Settings
from desk_app.demo.registry_server import RegistryServer
from desk_app.demo.synthetic import synthetic_records
from desk_app.logging_setup import BACKUPS, LOG_FILE, MaskingFilter, mask_text, setup_logging
from tests.helpers.registry import make_client

TOKEN = "s3cr3t-registry-token-9f8e7d"
ENP = "7700000000000016"
LINE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d (DEBUG|INFO|WARNING|ERROR|CRITICAL) [\w.]+ ")


@pytest.fixture
def logged(tmp_path: Path) -> Iterator[tuple[Settings, Path]]:
    """setup_logging into a private folder; the handlers are removed afterwards."""
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    settings = Settings(log_dir=str(tmp_path / "logs"), registry_token=TOKEN, log_level="DEBUG",
                        data_dir=str(tmp_path / "data"))
    path = setup_logging(settings, console=False)
    assert path is not None
    yield settings, path
    for handler in [h for h in root.handlers if h not in before]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)


def read(path: Path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return path.read_text("utf-8")


@pytest.mark.expect_log_warnings
def test_log_file_lives_in_the_configured_folder_with_one_line_per_event(logged: tuple[Settings, Path]) -> None:
    _settings, path = logged
    assert path.name == LOG_FILE
    log = logging.getLogger("desk_app.registry")
    log.info("event=lookup enp=%s source=online ms=%d", ENP, 41)
    log.warning("two\nlines in one event")
    lines = read(path).splitlines()
    assert len(lines) == 2
    assert all(LINE.match(line) for line in lines), lines
    assert lines[0].endswith("INFO desk_app.registry event=lookup enp=7700**********16 source=online ms=41")
    assert lines[1].endswith("two | lines in one event")


def test_default_log_folder_is_the_platforms(tmp_path: Path) -> None:
    from desk_app import paths

    root = logging.getLogger()
    before = list(root.handlers)
    try:
        path = setup_logging(Settings(data_dir=str(tmp_path)), console=False)
        assert path == paths.default_log_dir() / LOG_FILE
    finally:
        for handler in [h for h in root.handlers if h not in before]:
            root.removeHandler(handler)
            handler.close()


@pytest.mark.expect_log_warnings
def test_the_token_never_reaches_the_file_whatever_logs_it(logged: tuple[Settings, Path]) -> None:
    _settings, path = logged
    logging.getLogger("some.library").debug("headers: {'Authorization': 'Bearer %s'}", TOKEN)
    logging.getLogger("desk_app.x").info("config token=%s url=https://r.example", TOKEN)
    logging.getLogger("desk_app.y").error("plain value %s in a message", TOKEN)
    logging.getLogger("other").info('{"registry_token": "another-secret-value"}')
    try:
        raise RuntimeError(f"failed with Bearer {TOKEN}")
    except RuntimeError:
        logging.getLogger("desk_app.z").exception("request failed")
    text = read(path)
    assert TOKEN not in text
    assert "another-secret-value" not in text
    assert "Bearer ***" in text
    assert "token=***" in text


def test_personal_data_is_masked(logged: tuple[Settings, Path]) -> None:
    _settings, path = logged
    log = logging.getLogger("desk_app.ui")
    log.info("scanned %s and %s", ENP, "7700 0000 0000 0016")
    log.info("snils=%s snils2=%s", "112-233-445 95", "11223344595")
    log.info("passport %s / %s", "4510 123456", "4510123456")
    log.info("holder %s", "Иванова Мария Петровна")
    log.info("last_name=Иванова first_name=Мария")
    text = read(path)
    for secret in (ENP, "7700 0000 0000 0016", "112-233-445 95", "11223344595", "123456", "Иванова", "Мария"):
        assert secret not in text, secret
    assert "7700**********16" in text
    assert "И. М. П." in text


@pytest.mark.expect_log_warnings
def test_a_real_registry_client_at_debug_level_leaks_neither_token_nor_number(
    logged: tuple[Settings, Path], tmp_path: Path
) -> None:
    """urllib3 logs request lines (with the policy number) at DEBUG; the client logs refusals."""
    _settings, path = logged
    records = list(synthetic_records(3))
    with RegistryServer(tmp_path / "r.sqlite", token=TOKEN) as server:
        server.put(records)
        good = make_client(server.url, token=TOKEN)
        bad = make_client(server.url, token=TOKEN + "-wrong")
        try:
            good.get_policy(records[0].enp)
            with pytest.raises(Exception, match="token"):
                bad.get_policy(records[1].enp)
        finally:
            good.close()
            bad.close()
    text = read(path)
    assert "GET /v1/policies/" in text  # urllib3 did log the request line...
    assert records[0].enp not in text and records[1].enp not in text  # ...masked
    assert TOKEN not in text


def test_logs_rotate(logged: tuple[Settings, Path]) -> None:
    _settings, path = logged
    line = "x" * 1000
    log = logging.getLogger("desk_app.bulk")
    for _ in range(2_300):  # ~2.3 MB: past one file's 2 MB
        log.info(line)
    read(path)
    assert path.with_name(LOG_FILE + ".1").exists()
    assert path.stat().st_size < 2_000_000
    assert BACKUPS == 5


@pytest.mark.expect_log_warnings
def test_no_console_handler_when_there_is_no_stderr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A windowed frozen app has sys.stderr = None: logging must still work, to the file only."""
    monkeypatch.setattr(sys, "stderr", None)
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        path = setup_logging(Settings(log_dir=str(tmp_path / "logs")), console=True)
        ours = [h for h in root.handlers if h not in before]
        assert all(not isinstance(h, logging.StreamHandler) or isinstance(h, logging.FileHandler) for h in ours)
        logging.getLogger("desk_app.t").warning("still logged")
        assert path is not None and "still logged" in read(path)
    finally:
        for handler in [h for h in root.handlers if h not in before]:
            root.removeHandler(handler)
            handler.close()


@pytest.mark.expect_log_warnings
def test_console_warnings_are_masked_and_setup_is_idempotent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = logging.getLogger()
    before = list(root.handlers)
    settings = Settings(log_dir=str(tmp_path / "logs"), registry_token=TOKEN)
    try:
        setup_logging(settings, console=True)
        setup_logging(settings, console=True)
        assert len([h for h in root.handlers if h not in before]) == 2  # one file + one stderr, not doubled
        logging.getLogger("desk_app.t").warning("token %s for %s", TOKEN, ENP)
        logging.getLogger("desk_app.t").info("not on the console")
        err = capsys.readouterr().err
        assert err.count("desk_app.t") == 1
        assert TOKEN not in err and ENP not in err
    finally:
        for handler in [h for h in root.handlers if h not in before]:
            root.removeHandler(handler)
            handler.close()


@pytest.mark.expect_log_warnings
def test_an_unwritable_log_folder_does_not_stop_the_app(tmp_path: Path) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        assert setup_logging(Settings(log_dir=str(blocker / "logs")), console=False) is None
        logging.getLogger("desk_app.t").error("nowhere to go, and no crash")
    finally:
        for handler in [h for h in root.handlers if h not in before]:
            root.removeHandler(handler)
            handler.close()


def test_mask_text_leaves_ordinary_log_content_alone() -> None:
    text = "2026-11-25 event=judged decision=accept ms=41 port=8080 records=5000 crl next 2026-12-01T00:00:00Z"
    assert mask_text(text) == text
    assert mask_text("postgresql://desk:pa55word@db.local/desk") == "postgresql://desk:***@db.local/desk"


def test_a_bad_format_string_is_still_logged() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "value %d %s", ("not-a-number",), None)
    assert MaskingFilter().filter(record)
    assert "value" in record.getMessage()


@pytest.mark.parametrize(
    ("text", "secret"),
    [("search by IV-МЮ 654321 failed", "654321"), ("series XIV-АЯ №000001", "000001"),
     ("birth certificate IV-МЮ654321", "IV-МЮ"), ("passport 4510 123456", "123456"),
     ("snils 11223344595", "11223344595"), ("snils 112-233-445 95", "445")],
)  # fmt: skip
def test_identity_documents_are_masked_as_the_enp_is(text: str, secret: str) -> None:
    """A document searched by (issue 21) never reaches a log line, whoever logs it."""
    masked = mask_text(text)
    assert secret not in masked and "**" in masked
