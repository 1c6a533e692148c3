"""Regenerate the window screenshots offscreen: accept, recorded, next patient, duplicate
refused, scan again (a failed scan), reject, warn.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots/make_screenshots.py

`--only accept --out FILE` writes just that one shot to FILE (scripts/package_windows.sh makes
docs/screenshots/windows.png so, under Wine with the Windows build's Python and Qt).

Uses the demo world (TEST-ONLY root, reference registry with demo data, a SQLite ledger) in a
temporary folder; the warn case stops the registry answering and ages the offline copy.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QTimer

from desk_app.demo.faults import Faults
from desk_app.registry.records import parse_record
from desk_app.registry.status_store import StatusStore
from desk_app.ui.app import ensure_application, install_translations
from desk_app.ui.demo import DemoEnvironment, start_demo
from desk_app.ui.main_window import MainWindow

OUT = Path(__file__).resolve().parent


def wait(signal: object, ms: int = 20000) -> list[object]:
    got: list[object] = []
    loop = QEventLoop()

    def done(*args: object) -> None:
        got.extend(args)
        loop.quit()

    signal.connect(done)  # type: ignore[attr-defined]
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    signal.disconnect(done)  # type: ignore[attr-defined]
    return got


def pause(ms: int = 300) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


class _Done(Exception):
    """The one shot asked for with --only is written."""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", help="write only this shot (e.g. accept), then stop")
    parser.add_argument("--out", type=Path, help="with --only: the file to write")
    args = parser.parse_args()
    app = ensure_application()
    install_translations(app)
    with tempfile.TemporaryDirectory() as tmp:
        env = start_demo(Path(tmp) / "demo", sounds=False)
        window = MainWindow(env.settings, config_path=env.config_path)
        window.resize(1280, 800)
        window.show()
        wait(window.judge_ready)
        pause(500)
        cases = {path.name.split(".")[0]: path for path, _title in window.demo_cases}

        def shot(name: str) -> None:
            if args.only and name != args.only:
                return
            pause(400)  # let the status bar catch up
            path = args.out if args.only and args.out else OUT / f"{name}.png"
            if not window.grab().save(str(path)):
                raise SystemExit(f"make_screenshots: could not write {path}")
            print("wrote", path)
            if args.only:
                raise _Done

        try:
            shots(window, cases, env, Path(tmp), shot)
        except _Done:
            pass
        window.shutdown()
        env.stop()
    return 0


def shots(
    window: MainWindow, cases: dict[str, Path], env: DemoEnvironment, tmp: Path, shot: Callable[[str], None]
) -> None:
    """Every case, in order; `shot(name)` saves the window as it is."""
    window.submit_file(cases["active"])
    wait(window.verdict_shown)
    window.identity.passport.setText("4510 123456")
    window.identity.check()
    shot("accept")

    window.record.services.filter.setText("терапевта первичный")
    window.record.doctor.setText("Петров П. П.")
    window.record_visit()
    wait(window.visit_outcome)
    shot("recorded")

    window.submit_file(cases["active-ec"])  # the next patient: service and doctor are empty
    wait(window.verdict_shown)
    shot("next-patient")

    window.submit_file(cases["active"])
    wait(window.verdict_shown)
    window.record.services.filter.setText("терапевта первичный")
    window.record.doctor.setText("Сидорова А. В.")
    window.record_visit()
    wait(window.visit_outcome)
    shot("duplicate")

    junk = tmp / "photo.png"
    junk.write_bytes(b"not an image")
    window.submit_file(junk)
    wait(window.verdict_shown)
    shot("scan-again")

    window.submit_file(cases["tampered"])
    wait(window.verdict_shown)
    shot("reject")

    old = datetime.now(UTC) - timedelta(days=2)
    store = StatusStore(env.settings.status_db_path)
    store.put_answer(parse_record({"enp": "7700000000000016", "status": "active",
                                   "birth_date": "1985-03-14", "updated_at": old.isoformat()}), old)
    store.close()
    env.registry.set_faults(Faults(status=503))
    window.submit_file(cases["active"])
    wait(window.verdict_shown)
    shot("warn")


if __name__ == "__main__":
    sys.exit(main())
