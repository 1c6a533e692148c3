"""Shared by the core tests: a demo policy's QR text (form A) in a file, as `desk-app` reads it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from desk_app.verify.payload import encode_form_a


@pytest.fixture
def policy_file(policy_xml: Callable[..., bytes], tmp_path: Path) -> Path:
    path = tmp_path / "policy.txt"
    path.write_text(encode_form_a(policy_xml()), encoding="utf-8")
    return path
