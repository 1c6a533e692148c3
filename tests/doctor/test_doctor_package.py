"""What the frozen package relies on at run time, checked from source: the zbar runtime hook
loads the bundled library, and the build date floors the clock."""

from __future__ import annotations

import ctypes.util
import json
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from desk_app import clock

ROOT = Path(__file__).resolve().parents[2]
HOOK = ROOT / "packaging" / "rthook_zbar.py"


def _system_zbar() -> Path | None:
    name = ctypes.util.find_library("zbar")
    if not name:
        return None
    for folder in ("/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/local/lib",
                   "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu"):
        candidate = Path(folder) / name
        if candidate.exists():
            return candidate.resolve()
    return None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the hook's Linux path")
def test_the_runtime_hook_makes_pyzbar_load_the_bundled_zbar(tmp_path: Path) -> None:
    system = _system_zbar()
    if system is None:
        pytest.skip("libzbar0 is not installed")
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    shutil.copy(system, bundle / "libzbar.so.0")
    program = (
        "import sys, runpy\n"
        f"sys._MEIPASS = {str(bundle)!r}\n"
        f"runpy.run_path({str(HOOK)!r})\n"
        "from pyzbar import zbar_library\n"
        "lib, deps = zbar_library.load()\n"
        "import ctypes.util\n"
        "print(lib._name)\n"
        "print(ctypes.util.find_library('c'))\n"
    )
    out = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True, timeout=60)
    loaded, libc = out.stdout.splitlines()
    assert loaded == str(bundle / "libzbar.so.0")
    assert libc and "libc" in libc  # every other lookup still goes to the system


def test_the_hook_changes_nothing_without_a_bundled_zbar(tmp_path: Path) -> None:
    program = (
        "import sys, runpy, ctypes.util\n"
        "before = ctypes.util.find_library\n"
        f"sys._MEIPASS = {str(tmp_path)!r}\n"
        f"runpy.run_path({str(HOOK)!r})\n"
        "print(ctypes.util.find_library is before)\n"
    )
    out = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.strip() == "True"


def test_the_build_date_is_a_clock_floor(tmp_path: Path) -> None:
    built = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)
    (tmp_path / clock.BUILD_INFO).write_text(json.dumps({"version": "x", "built_at": built.isoformat()}))
    assert clock.build_date(str(tmp_path)) == built
    assert clock.build_date(str(tmp_path / "missing")) is None
    assert clock.build_date("") is None
    marks = [clock.FloorMark(built, "build"), clock.FloorMark(clock.RELEASE_FLOOR, "release")]
    assert clock.broken_floor(datetime(2027, 2, 1, tzinfo=UTC), marks).what == "build"
    assert clock.broken_floor(datetime(2026, 1, 1, tzinfo=UTC), marks).what == "build"  # the latest one broken
    assert clock.broken_floor(datetime(2027, 3, 2, tzinfo=UTC), marks) is None


def test_skew_wording() -> None:
    from datetime import timedelta

    assert clock.describe_skew(timedelta(hours=3)) == "3.0 h ahead of"
    assert clock.describe_skew(timedelta(minutes=-20)) == "20 min behind"
    assert clock.describe_skew_ru(timedelta(hours=-3)) == "отстают на 3.0 ч"


def test_clock_before_floor_uses_the_trust_snapshot(judge_settings) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from desk_app.verify.trust_store import TrustStore

    snapshot = TrustStore(judge_settings.trust_root_path, judge_settings.trust_cache_dir).snapshot
    now = datetime.now(UTC)
    assert clock.clock_before_floor(now, snapshot) is None
    broken = clock.clock_before_floor(now - timedelta(days=1), snapshot)
    assert broken is not None and "trust list" in broken.what
    assert clock.clock_before_floor(now - timedelta(days=1), None) is None  # the release date alone allows it
