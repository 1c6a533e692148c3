"""Shared by the registry tests: a `RegistryStatusSource` on the module's own `server` fixture
(the reference registry on 127.0.0.1, filled as each module needs), with its offline copy."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desk_app.demo.registry_server import RegistryServer
from desk_app.registry.status import RegistryStatusSource
from tests.helpers.registry import make_source


@pytest.fixture
def source(server: RegistryServer, tmp_path: Path) -> Iterator[RegistryStatusSource]:
    src = make_source(server.url, tmp_path / "copy.sqlite")
    yield src
    src.close()
