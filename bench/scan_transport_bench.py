"""The fast way in against the keyboard wedge, on the real desk window under a private Xvfb.

    PYTHONPATH=. .venv/bin/python bench/scan_transport_bench.py --scans 20

1. **USB-COM (serial)**: a pty stands in for the scanner's virtual COM port (the window's serial
   reader opens its slave end, as it opens /dev/ttyACM0 or COM5). The bundled demo policy
   `active.b.txt` (2,294 characters, 2.3 KB) and CR are written to the master end at USB-CDC
   pace: 64-byte packets, one per millisecond (a full-speed USB bulk endpoint's packet each 1 ms
   frame). Timed: the first byte written -> the verdict panel's first paint in the verdict's
   colour. Target <= 150 ms.
2. **Keyboard wedge**: an XTEST typist in a process of its own types the demo policy
   `active-ec.b.txt` as a USB HID scanner does (2 ms a character, the X server pacing and
   stamping the keys). Timed: the X server's stamp of the first key press -> the panel's first
   paint saying «Читаю QR-код…» (Xvfb stamps with CLOCK_MONOTONIC milliseconds, the clock this
   process reads). Target <= 100 ms. Also reported: the whole code's typing time, first key ->
   Enter, which is what USB-COM saves.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.desk_window import show_scanning_window
from desk_app import paths
from desk_app.devtools.x11_keys import private_xvfb

PACKET = 64  # bytes per USB full-speed bulk packet
PACKET_INTERVAL_S = 0.001  # one packet per 1 ms USB frame


def _ms() -> float:
    return time.monotonic() * 1000


def _summary(name: str, values: list[float], target: float) -> str:
    if not values:
        return f"{name}: no measurement"
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]
    verdict = "met" if statistics.median(values) <= target else "NOT met"
    return (f"{name}: median {statistics.median(values):.1f} ms, p90 {p90:.1f} ms, max {ordered[-1]:.1f} ms "
            f"over {len(values)} scans (target <= {target:.0f} ms: {verdict})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scans", type=int, default=20)
    parser.add_argument("--pause-ms", type=int, default=400, help="between scans")
    args = parser.parse_args()
    policies = paths.resource("demo", "policies")
    serial_code = (policies / "active.b.txt").read_text("ascii").strip()
    wedge_code = (policies / "active-ec.b.txt").read_text("ascii").strip()

    with private_xvfb("us,ru") as server, tempfile.TemporaryDirectory() as tmp:
        os.environ["DISPLAY"] = server.display
        os.environ["QT_QPA_PLATFORM"] = "xcb"
        from PySide6.QtCore import QEvent, QObject
        from PySide6.QtWidgets import QApplication

        from desk_app.devtools.qt_pump import EventPump
        from desk_app.ui.demo import start_demo
        from desk_app.ui.main_window import MainWindow
        from desk_app.ui.verdict_panel import COLOURS

        app = QApplication([])
        wait_until = EventPump().wait_until
        master, slave = os.openpty()
        port = Path(tmp) / "ttyBENCH"
        port.symlink_to(os.ttyname(slave))
        env = start_demo(Path(tmp) / "demo", sounds=False, serial_port=str(port), serial_baud=115200)
        window = MainWindow(env.settings, config_path=env.config_path)
        show_scanning_window(window, wait_until)
        assert wait_until(lambda: window.health.serial_state == "connected", 20), "the pty did not connect"

        class PanelPaints(QObject):
            """The panel's first paint in a wanted state (the colour of a decision, or «Читаю»)."""

            def __init__(self) -> None:
                super().__init__()
                self.want: Any = None  # a predicate on the panel, or None
                self.painted_at: float | None = None
                self.first_key_stamp: int | None = None
                self.enter_stamp: int | None = None

            def eventFilter(self, watched: QObject, event: QEvent) -> bool:
                etype = event.type()
                if etype == QEvent.Type.KeyPress and self.first_key_stamp is None and event.text():  # type: ignore[attr-defined]
                    self.first_key_stamp = event.timestamp()  # type: ignore[attr-defined]
                elif etype == QEvent.Type.KeyPress and event.key() in (0x01000004, 0x01000005):  # type: ignore[attr-defined]
                    self.enter_stamp = event.timestamp()  # type: ignore[attr-defined]
                elif (etype == QEvent.Type.Paint and watched is window.panel and self.want is not None
                      and self.painted_at is None and self.want()):
                    self.painted_at = _ms()
                return False

        probe = PanelPaints()
        app.installEventFilter(probe)

        # 1. USB-COM through the pty
        serial_ms: list[float] = []
        green = COLOURS["accept"][0]
        for _ in range(args.scans):
            window.clear()
            wait_until(lambda: False, args.pause_ms / 1000)
            probe.painted_at = None
            probe.want = lambda: window.panel.background().name() == green and window.session.patient is not None
            data = serial_code.encode("ascii") + b"\r"

            def send(data: bytes = data) -> None:
                for offset in range(0, len(data), PACKET):
                    os.write(master, data[offset : offset + PACKET])
                    time.sleep(PACKET_INTERVAL_S)

            started = _ms()
            writer = threading.Thread(target=send)
            writer.start()
            got = wait_until(lambda: probe.painted_at is not None, 20)
            writer.join()
            if got and probe.painted_at is not None:
                serial_ms.append(probe.painted_at - started)
        probe.want = None

        # 2. The keyboard wedge: first key -> «Читаю QR-код…» painted
        typist = subprocess.Popen(
            [sys.executable, "-m", "desk_app.devtools.x11_keys", "--display", server.display, "--ms-per-char", "2"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )
        assert typist.stdin is not None and typist.stdout is not None
        assert typist.stdout.readline().strip() == "ready", "the XTEST typist did not start"
        reading_ms: list[float] = []
        typing_ms: list[float] = []
        verdicts: list[Any] = []
        window.verdict_shown.connect(verdicts.append)
        for _ in range(args.scans):
            window.clear()
            wait_until(lambda: False, args.pause_ms / 1000)
            probe.painted_at = None
            probe.first_key_stamp = probe.enter_stamp = None
            probe.want = lambda: window.panel.headline.text() == "Читаю QR-код…"
            before = len(verdicts)
            typist.stdin.write(wedge_code + "\n")
            typist.stdin.flush()
            got = wait_until(lambda b=before: len(verdicts) > b, 30)
            typist.stdout.readline()
            if got and probe.painted_at is not None and probe.first_key_stamp is not None:
                reading_ms.append((probe.painted_at - probe.first_key_stamp) % 2**32)
                if probe.enter_stamp is not None:
                    typing_ms.append((probe.enter_stamp - probe.first_key_stamp) % 2**32)
        probe.want = None
        typist.stdin.close()
        typist.wait(timeout=30)
        window.shutdown()
        env.stop()
        os.close(master)
        os.close(slave)

    print(f"load average {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores)")
    print(_summary(f"USB-COM (pty, {len(serial_code)} characters, {PACKET} B per ms): first byte -> colour",
                   serial_ms, 150))
    print(_summary(f"keyboard wedge ({len(wedge_code)} characters, 2 ms each): first key -> «Читаю» painted",
                   reading_ms, 100))
    if typing_ms:
        print(f"keyboard wedge typing the whole code, first key -> Enter: median {statistics.median(typing_ms):.0f} ms")
    ok = bool(serial_ms) and bool(reading_ms) and statistics.median(serial_ms) <= 150
    return 0 if ok and statistics.median(reading_ms) <= 100 else 1


if __name__ == "__main__":
    raise SystemExit(main())
