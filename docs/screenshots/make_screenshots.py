"""Regenerate the window screenshots offscreen: accept, recorded, next patient, duplicate
refused, scan again (a failed scan), reject, found by passport (F3), warn.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots/make_screenshots.py

Uses the demo world (TEST-ONLY root, reference registry with demo data, a SQLite ledger) in a
temporary folder; the warn case stops the registry answering and ages the offline copy.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QTimer

from desk_app.registry.status_store import StatusStore
from desk_app.demo.faults import Faults
from desk_app.registry.records import parse_record
from desk_app.ui.app import ensure_application, install_translations
from desk_app.ui.demo import start_demo
from desk_app.ui.main_window import MainWindow
from desk_app.verify.documents import make_query

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


def main() -> int:
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
            pause(400)  # let the status bar catch up
            window.grab().save(str(OUT / f"{name}.png"))
            print("wrote", OUT / f"{name}.png")

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

        junk = Path(tmp) / "photo.png"
        junk.write_bytes(b"not an image")
        window.submit_file(junk)
        wait(window.verdict_shown)
        shot("scan-again")

        window.submit_file(cases["tampered"])
        wait(window.verdict_shown)
        shot("reject")

        # F3: a patient who shows only a passport (Петров, demo data): found in the registry
        today = datetime.now(env.settings.tz).date()
        window.submit_search(make_query("passport_rf", "4603 765432", date(1971, 8, 2), today))
        wait(window.verdict_shown)
        shot("found-by-passport")

        old = datetime.now(UTC) - timedelta(days=2)
        store = StatusStore(env.settings.status_db_path)
        store.put_answer(parse_record({"enp": "7700000000000016", "status": "active",
                                       "birth_date": "1985-03-14", "updated_at": old.isoformat()}), old)
        store.close()
        env.registry.set_faults(Faults(status=503))
        window.submit_file(cases["active"])
        wait(window.verdict_shown)
        shot("warn")
        window.shutdown()
        env.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
