"""The window's log file is the masked, rotating one: no policy number or token reaches it."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from desk_app.config import Settings
from desk_app.ui.app import setup_file_logging


@pytest.mark.expect_log_warnings
def test_window_log_masks_personal_data_and_tokens(tmp_path: Path) -> None:
    settings = Settings(log_dir=str(tmp_path / "logs"), registry_token="s3cret-clinic-token")
    log_file = setup_file_logging(settings)
    assert log_file is not None
    logging.getLogger("desk_app.ui.test").warning(
        "scan enp=7700000000000016 token=%s header=Bearer abc.def", settings.registry_token
    )
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = log_file.read_text("utf-8")
    assert "7700**********16" in text
    assert "7700000000000016" not in text and "s3cret-clinic-token" not in text and "abc.def" not in text
