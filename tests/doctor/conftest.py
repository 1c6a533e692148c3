"""A Treasury whose root does not call itself a test one: doctor says `ok` only for such a root
(a root named "TEST ONLY - NOT THE FEDERAL TREASURY", like every TestTreasury's, is a warning)."""

from __future__ import annotations

from pathlib import Path

import pytest

from desk_app.config import Settings
from desk_app.demo.issuer import TestTreasury
from desk_app.verify.trust_store import TrustStore

STAND_IN_ROOT = ("Stand-in Treasury Root", "desk-app stand-in for the Federal Treasury")


@pytest.fixture(scope="session")
def stand_in_treasury(tmp_path_factory: pytest.TempPathFactory) -> TestTreasury:
    return TestTreasury.create(tmp_path_factory.mktemp("stand-in-treasury"), root_subject=STAND_IN_ROOT)


@pytest.fixture
def stand_in_settings(stand_in_treasury: TestTreasury, data_dir: Path) -> Settings:
    """Settings pinning the stand-in root, with the trust cache primed from its files."""
    settings = Settings(trust_root=str(stand_in_treasury.root_pem_path), data_dir=str(data_dir))
    TrustStore(stand_in_treasury.root_pem_path, settings.trust_cache_dir).prime_from(stand_in_treasury.base_dir)
    return settings
