"""Keyboard-wedge endurance: hundreds of scans typed by X11 key events into the real desk window.

A private Xvfb (layouts us,ru), the real MainWindow with a TEST Treasury's root and a reference
registry on 127.0.0.1, the keyboard-wedge filter as the app installs it. An XTEST keyboard types
two signed form-B policies (P-256, certificate by reference, ~1,300 characters each) in turn as
a USB HID scanner does: key positions, Shift around shifted characters, `--ms-per-char` per
character paced by the X server, Enter at the end. Counted: scans sent, verdicts read with the
right policy number, keys refused; RSS before the warm-up, after it, and after the measured
scans; Enter -> verdict colour painted.

The latency runs from the X server's timestamp of the Enter press (CLOCK_MONOTONIC
milliseconds, the clock Xvfb stamps with; checked against this process's monotonic clock on
every key, see "delivery") to the moment the verdict panel's first Paint event after the verdict
arrives, before the panel paints (the paint itself takes well under 1 ms). It includes the
wedge's decision, the judge lane (decode, verify, registry status over HTTP) and the event loop.

    python bench/wedge_endurance_bench.py --scans 500           # ~25 min at 2 ms per character
    python bench/wedge_endurance_bench.py --scans 20 --layout ru
"""

from __future__ import annotations

import argparse
import os
import queue
import signal
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from desk_app.devtools.x11_keys import XTestKeyboard, private_xvfb

POLICIES = (("7700000000000016", "Иванова"), ("5000000000000025", "Петров"))


def rss_mb() -> float:
    """Resident anonymous memory (the heaps): file-backed pages come and go with the kernel's
    reclaim (a run saw RSS drop 33 MB mid-way), which would hide or fake growth."""
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("RssAnon:")) / 1000


def build_world(folder: Path) -> tuple[Any, list[tuple[str, str]], Any]:
    """Settings, the two (number, form-B text) policies, and the running reference registry."""
    from desk_app.config import Settings
    from desk_app.demo.issuer import PolicyData, TestTreasury
    from desk_app.demo.registry_server import RegistryServer
    from desk_app.registry.records import parse_record
    from desk_app.verify.payload import encode_form_b
    from desk_app.verify.trust_store import TrustStore

    treasury = TestTreasury.create(folder / "treasury")
    policies = [
        (number, encode_form_b(treasury.sign_policy(PolicyData(number=number, last_name=name), "ec",
                                                     embed_cert=False)))
        for number, name in POLICIES
    ]
    now = datetime.now(UTC).isoformat(timespec="seconds")
    registry = RegistryServer(folder / "registry.sqlite", token="bench-token")
    registry.put([parse_record({"enp": number, "status": "active", "insurer_code": "77012", "updated_at": now})
                  for number, _name in POLICIES])
    url = registry.start()
    settings = Settings(trust_root=str(treasury.root_pem_path), data_dir=str(folder / "data"), registry_url=url,
                        registry_token="bench-token", sounds=False)
    TrustStore(settings.trust_root_path, settings.trust_cache_dir).prime_from(treasury.base_dir)
    return settings, policies, registry


def main() -> int:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # a stopped run still ends its Xvfb
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scans", type=int, default=500)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--ms-per-char", type=int, default=2, help="scanner pace (X server paced)")
    parser.add_argument("--hold-ms", type=int, default=0, help="key down time (0: one X server wake-up a key)")
    parser.add_argument("--layout", choices=("us", "ru"), default="us", help="ru: the Russian group locked")
    parser.add_argument("--pause-ms", type=int, default=300, help="between scans")
    parser.add_argument("--report-every", type=int, default=50)
    args = parser.parse_args()

    with private_xvfb("us,ru") as server, tempfile.TemporaryDirectory() as tmp:
        os.environ["DISPLAY"] = server.display
        os.environ["QT_QPA_PLATFORM"] = "xcb"
        from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
        from PySide6.QtGui import QColor, QKeyEvent
        from PySide6.QtWidgets import QApplication, QLineEdit

        from desk_app.ui.main_window import MainWindow
        from desk_app.ui.scanning import start_scanners
        from desk_app.ui.verdict_panel import COLOURS

        app = QApplication([])
        settings, policies, registry = build_world(Path(tmp))
        window = MainWindow(settings, config_path=Path(tmp) / "config.toml")

        def wait_until(predicate: Any, timeout_s: float) -> bool:
            deadline = time.monotonic() + timeout_s
            while not predicate():
                if time.monotonic() > deadline:
                    return False
                loop = QEventLoop()
                QTimer.singleShot(5, loop.quit)
                loop.exec()
            return True

        ready: list[bool] = []
        window.judge_ready.connect(lambda: ready.append(True))
        window.show()
        assert wait_until(lambda: bool(ready), 60), "the judge did not get ready"
        start_scanners(window)
        window.activateWindow()
        assert wait_until(window.isActiveWindow, 20), "the window did not get the keyboard focus"

        class Probe(QObject):
            """Sees the Enter press first (installed after the wedge filter) and the panel's paints."""

            def __init__(self) -> None:
                super().__init__()
                self.enter_stamp: int | None = None
                self.first_stamp: int | None = None  # the first character of the current scan
                self.delivery: list[float] = []
                self.painted_at: float | None = None
                self.armed = False

            def eventFilter(self, watched: QObject, event: QEvent) -> bool:
                if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and event.timestamp():
                    if len(self.delivery) < 5000:  # bounded: the bench must not grow the RSS it measures
                        self.delivery.append((time.monotonic() * 1000 - event.timestamp()) % 2**32)
                    if event.key() in (0x01000004, 0x01000005):  # Return, Enter
                        self.enter_stamp = event.timestamp()
                    elif self.first_stamp is None and event.text():
                        self.first_stamp = event.timestamp()
                elif event.type() == QEvent.Type.Paint and watched is window.panel and self.armed:
                    self.painted_at = time.monotonic() * 1000
                    self.armed = False
                return False

        probe = Probe()
        app.installEventFilter(probe)
        verdicts: list[Any] = [0, None]  # how many, and the last (kept alone: the RSS is measured)

        marks: dict[str, float] = {}

        def on_verdict(judgement: Any) -> None:
            marks["verdict"] = time.monotonic() * 1000
            verdicts[0] += 1
            verdicts[1] = judgement
            probe.armed = True
            window.panel.update()

        window.verdict_shown.connect(on_verdict)
        wedge = next(source.filter for source in window.scanner_sources if hasattr(source, "filter"))
        wedge.scanned.connect(lambda _event: marks.__setitem__("scan", time.monotonic() * 1000))
        keyboard = XTestKeyboard(server.display)
        keyboard.lock_group(0 if args.layout == "us" else 1)
        # One injector thread for the whole run (a thread per scan would add its own memory churn).
        jobs: queue.Queue[str | None] = queue.Queue()
        typed: list[int] = [0]

        def injector() -> None:
            while (job := jobs.get()) is not None:
                keyboard.scanner_types(job, ms_per_char=args.ms_per_char, hold_ms=args.hold_ms)
                typed[0] += 1

        injector_thread = threading.Thread(target=injector, name="xtest-injector", daemon=True)
        injector_thread.start()
        green = QColor(COLOURS["accept"][0])

        sent = read = 0
        latencies: list[float] = []
        to_scan: list[float] = []
        to_verdict: list[float] = []
        pace: list[float] = []
        wrong: list[str] = []
        rss_start = rss_mb()
        rss_after_warmup = rss_start
        load_start = os.getloadavg()
        started = time.monotonic()
        total = args.warmup + args.scans
        for i in range(total):
            if i == args.warmup:
                rss_after_warmup = rss_mb()
                sent = read = 0
                latencies.clear()
                to_scan.clear()
                to_verdict.clear()
                pace.clear()
                wrong.clear()
            number, text = policies[i % 2]
            before = verdicts[0]
            probe.painted_at = None
            probe.first_stamp = None
            typed_before = typed[0]
            jobs.put(text)
            sent += 1
            typing_s = len(text) * args.ms_per_char / 1000
            got = wait_until(lambda b=before: verdicts[0] > b and probe.painted_at is not None, typing_s + 30)
            wait_until(lambda t=typed_before: typed[0] > t, typing_s + 30)
            if not got:
                wrong.append(f"scan {i}: no verdict")
                continue
            verdict = verdicts[1].verdict if verdicts[1] is not None else None
            if verdict is None or verdict.policy.number != number or verdict.signature != "ok":
                wrong.append(f"scan {i}: {verdict and (verdict.signature, verdict.policy.number)}")
                continue
            image = window.panel.grab().toImage()
            painted = QColor(image.pixel(image.width() - 6, image.height() // 2))
            if verdict.decision == "accept" and painted.rgb() != green.rgb():
                wrong.append(f"scan {i}: panel not green")
                continue
            read += 1
            assert probe.enter_stamp is not None and probe.painted_at is not None
            latencies.append((probe.painted_at - probe.enter_stamp) % 2**32)
            to_scan.append((marks["scan"] - probe.enter_stamp) % 2**32)
            to_verdict.append(marks["verdict"] - marks["scan"])
            if probe.first_stamp is not None:
                pace.append(((probe.enter_stamp - probe.first_stamp) % 2**32) / len(text))
            if (i + 1) % args.report_every == 0:
                print(f"  {i + 1}/{total} scans, RSS {rss_mb():.1f} MB", flush=True)
            wait_until(lambda: False, args.pause_ms / 1000)
        elapsed = time.monotonic() - started
        rss_end = rss_mb()
        typed_into_fields = [e.objectName() for e in window.findChildren(QLineEdit) if e.text()]
        jobs.put(None)
        injector_thread.join(timeout=30)
        window.shutdown()
        registry.stop()
        keyboard.close()

    lengths = [len(text) for _n, text in policies]
    print(f"layout {args.layout}, {args.ms_per_char} ms per character, codes of {lengths} characters, "
          f"{args.warmup} warm-up scans then {args.scans} measured, {elapsed / 60:.1f} min")
    if pace:
        print(f"pace as stamped by the X server: median {statistics.median(pace):.2f} ms per character "
              f"(min {min(pace):.2f}, max {max(pace):.2f})")
    print(f"load average at start {load_start[0]:.2f}, at end {os.getloadavg()[0]:.2f} (2 cores)")
    print(f"scans read: {read} of {sent}; problems: {wrong[:5]}")
    print(f"text typed into a field: {typed_into_fields or 'none'}")
    print(f"RSS: {rss_start:.1f} MB before warm-up, {rss_after_warmup:.1f} MB after, {rss_end:.1f} MB after "
          f"the measured scans: growth {rss_end - rss_after_warmup:+.2f} MB over {args.scans} scans")
    if latencies:
        q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else latencies * 99
        print(f"Enter -> verdict colour painted: median {statistics.median(latencies):.1f} ms, "
              f"p90 {q[89]:.1f} ms, p99 {q[98]:.1f} ms, max {max(latencies):.1f} ms")
        print(f"  of which Enter -> scan recognised: median {statistics.median(to_scan):.1f} ms; scan -> verdict "
              f"shown (judge lane, registry over HTTP): median {statistics.median(to_verdict):.1f} ms")
    delivery = sorted(probe.delivery)
    print(f"delivery (X stamp -> key event in the app): median {statistics.median(delivery):.1f} ms, "
          f"min {delivery[0]:.1f} ms, p99 {delivery[int(len(delivery) * 0.99)]:.1f} ms")
    ok = read == sent and rss_end - rss_after_warmup <= 5.0 and bool(latencies) and statistics.median(latencies) <= 25
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
