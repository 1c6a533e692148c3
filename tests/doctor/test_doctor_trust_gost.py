"""doctor names the algorithm and curve of the pinned root and of the cached signers (GOST included)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from desk_app.config import Settings
from desk_app.demo.issuer import TestTreasury
from desk_app.verify.trust_store import TrustStore
from tests.doctor.conftest import STAND_IN_ROOT


@pytest.fixture(scope="module")
def gost_stand_in(tmp_path_factory: pytest.TempPathFactory) -> TestTreasury:
    """A GOST Treasury whose root does not call itself a test one (doctor warns for those)."""
    return TestTreasury.create(tmp_path_factory.mktemp("gost-stand-in"), algorithm="gost", root_subject=STAND_IN_ROOT)


def doctor_json(settings: Settings) -> dict:
    argv = [sys.executable, "-m", "desk_app", "doctor", "--json", "--trust-root", settings.trust_root,
            "--data-dir", settings.data_dir, "--trust-url", "https://treasury.example/trust"]
    result = subprocess.run(argv, capture_output=True, text=True, encoding="utf-8", timeout=120, check=False)
    assert "Traceback" not in result.stderr, result.stderr
    return {c["check"]: c for c in json.loads(result.stdout)["checks"]}


def test_doctor_shows_the_gost_root_and_signers_algorithms(gost_stand_in: TestTreasury, tmp_path: Path) -> None:
    settings = Settings(trust_root=str(gost_stand_in.root_pem_path), data_dir=str(tmp_path / "desk"))
    TrustStore(gost_stand_in.root_pem_path, settings.trust_cache_dir).prime_from(gost_stand_in.base_dir)
    checks = doctor_json(settings)
    root = checks["trust_root"]
    assert root["level"] == "ok"
    assert root["details"]["algorithm"] == "GOST R 34.10-2012 512 (id-tc26-gost-3410-12-512-paramSetA)"
    assert "GOST R 34.10-2012 512 (id-tc26-gost-3410-12-512-paramSetA)" in root["message"]
    assert "GOST R 34.10-2012 512" in root["message_ru"]
    cache = checks["trust_cache"]
    assert cache["level"] == "ok"
    assert cache["details"]["algorithms"] == {
        "GOST R 34.10-2012 256 (id-GostR3410-2001-CryptoPro-A-ParamSet)": 3,  # gost256, revoked, expired
        "GOST R 34.10-2012 256 (id-tc26-gost-3410-2012-256-paramSetA)": 1,  # the intermediate
        "GOST R 34.10-2012 256 (id-tc26-gost-3410-2012-256-paramSetB)": 1,  # its signer
        "GOST R 34.10-2012 512 (id-tc26-gost-3410-12-512-paramSetB)": 1,
        "ECDSA secp256r1": 1,
        "RSA 2048": 1,
    }
    assert "GOST R 34.10-2012 256 (id-GostR3410-2001-CryptoPro-A-ParamSet) x3" in cache["message"]
