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
    python bench/wedge_endurance_bench.py --scans 100 --busy 2  # two busy processes load the cores

`--busy N` starts N processes that spin on a core for the whole run (a busy PC): the window's
key events then queue up, the X server stamps a key's release and the next press in the same
millisecond, and Qt flags the second key of a doubled character as auto-repeat ("flagged" below).
"""

from __future__ import annotations

import argparse
import atexit
import gc
import os
import queue
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.desk_window import show_scanning_window
from desk_app.devtools.x11_keys import XTestKeyboard, private_xvfb

# Steps of Enter -> painted (from mark, to mark), printed as medians when the marks exist.
BREAKDOWN = {
    "Enter received -> submit_scan called (wedge decision)": ("enter_seen", "submit"),
    "submit_scan (queue the job, busy panel)": ("submit", "submit_end"),
    "submit_scan returned -> judge starts on its lane": ("submit_end", "judge"),
    "judge_qr on the lane": ("judge", "judge_end"),
    "  of which verify_policy_xml": ("verify", "verify_end"),
    "  of which registry lookup (HTTP, 127.0.0.1)": ("lookup", "lookup_end"),
    "judge_qr returned -> show_judgement called (hand-off)": ("judge_end", "show"),
    "show_judgement": ("show", "show_end"),
    "  of which the verdict panel": ("panel", "panel_end"),
    "    of which its restyle (setStyleSheet)": ("restyle", "restyle_end"),
    "  of which the busy panel": ("busy", "busy_end"),
    "show_judgement returned -> panel paint": ("show_end", "painted"),
}
POLICIES = (("7700000000000016", "Иванова"), ("5000000000000025", "Петров"))


def rss_mb() -> float:
    """Resident anonymous memory (the heaps): file-backed pages come and go with the kernel's
    reclaim (a run saw RSS drop 33 MB mid-way), which would hide or fake growth."""
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("RssAnon:")) / 1000


class _RegistryProcess:
    """`desk-app registry-server` in its own process, as a real registry is: its HTTP handling
    does not compete with the desk for this process's GIL."""

    def __init__(self, db: Path, token: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "desk_app", "registry-server", "--db", str(db), "--port", "0", "--token", token],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if "listening on " not in line:
            self.process.kill()
            raise RuntimeError(f"the registry server did not start: {line!r}")
        self.url = line.rsplit("listening on ", 1)[1].strip()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def build_world(folder: Path, *, registry_process: bool = False) -> tuple[Any, list[tuple[str, str]], Any]:
    """Settings, the two (number, form-B text) policies, and the running reference registry
    (a thread of this process, or with `registry_process` a process of its own)."""
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
    if registry_process:
        registry.stop()  # only wrote the records
        registry = _RegistryProcess(folder / "registry.sqlite", "bench-token")
        url = registry.url
    else:
        url = registry.start()
    settings = Settings(trust_root=str(treasury.root_pem_path), data_dir=str(folder / "data"), registry_url=url,
                        registry_token="bench-token", sounds=False)
    TrustStore(settings.trust_root_path, settings.trust_cache_dir).prime_from(treasury.base_dir)
    return settings, policies, registry


def _timed(marks: dict[str, float], name: str, function: Any) -> Any:
    """`function` wrapped to record its start and end (monotonic ms) as `name` and `name_end`."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        marks[name] = time.monotonic() * 1000
        try:
            return function(*args, **kwargs)
        finally:
            marks[name + "_end"] = time.monotonic() * 1000

    return wrapper


def instrument_stages(window: Any, marks: dict[str, float]) -> list[str]:
    """Time the steps between Enter and the verdict where they exist (the window's code may
    change under this bench: a missing step is left out of the breakdown, never an error)."""
    import desk_app.core.judge as judge_module

    found = []
    for name, owner, attribute in (
        ("submit", window, "submit_scan"),
        ("show", window, "show_judgement"),
        ("panel", getattr(window, "panel", None), "show_verdict"),
        ("busy", getattr(window, "panel", None), "show_busy"),
        ("restyle", getattr(window, "panel", None), "_paint"),
        ("verify", judge_module, "verify_policy_xml"),
        ("judge", judge_module.Judge, "judge_qr"),
    ):
        if owner is not None and callable(getattr(owner, attribute, None)):
            setattr(owner, attribute, _timed(marks, name, getattr(owner, attribute)))
            found.append(name)
    original_lookup_of: dict[int, Any] = {}
    judge_qr = judge_module.Judge.judge_qr

    def judge_qr_timing_lookup(self: Any, payload: Any) -> Any:
        source = getattr(self, "status_source", None)
        if source is not None and id(source) not in original_lookup_of:
            original_lookup_of[id(source)] = source.lookup
            source.lookup = _timed(marks, "lookup", source.lookup)
        return judge_qr(self, payload)

    judge_module.Judge.judge_qr = judge_qr_timing_lookup  # type: ignore[method-assign]
    return found


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
    parser.add_argument("--registry-process", action="store_true",
                        help="the reference registry in a process of its own (default: a thread of the bench)")
    parser.add_argument("--busy", type=int, default=0, help="processes that spin on a core during the run")
    parser.add_argument("--gc-types", action="store_true",
                        help="print the Python object types whose count grew over the measured scans")
    args = parser.parse_args()

    with private_xvfb("us,ru") as server, tempfile.TemporaryDirectory() as tmp:
        os.environ["DISPLAY"] = server.display
        os.environ["QT_QPA_PLATFORM"] = "xcb"
        from PySide6.QtCore import QEvent, QObject
        from PySide6.QtGui import QColor, QKeyEvent
        from PySide6.QtWidgets import QApplication, QLineEdit

        from desk_app.ui.main_window import MainWindow
        from desk_app.ui.verdict_panel import COLOURS

        app = QApplication([])
        settings, policies, registry = build_world(Path(tmp), registry_process=args.registry_process)
        window = MainWindow(settings, config_path=Path(tmp) / "config.toml")

        from desk_app.devtools.qt_pump import EventPump

        wait_until = EventPump().wait_until  # one loop and one timer: the idiom it replaces leaked

        show_scanning_window(window, wait_until)

        class Probe(QObject):
            """Sees the Enter press first (installed after the wedge filter) and the panel's paints."""

            def __init__(self) -> None:
                super().__init__()
                self.enter_stamp: int | None = None
                self.enter_seen_at: float | None = None  # when the Enter press reached the app
                self.first_stamp: int | None = None  # the first character of the current scan
                self.last_stamp: int | None = None  # the latest key press of the current scan
                self.widest_gap = 0  # the widest gap the X server stamped between two presses of it
                self.delivery: list[float] = []
                self.painted_at: float | None = None
                self.armed = False
                self.flagged = 0  # key presses Qt flagged as auto-repeat

            def eventFilter(self, watched: QObject, event: QEvent) -> bool:
                if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and event.timestamp():
                    self.flagged += event.isAutoRepeat()
                    if len(self.delivery) < 5000:  # bounded: the bench must not grow the RSS it measures
                        self.delivery.append((time.monotonic() * 1000 - event.timestamp()) % 2**32)
                    if self.last_stamp is not None:
                        self.widest_gap = max(self.widest_gap, (event.timestamp() - self.last_stamp) % 2**32)
                    self.last_stamp = event.timestamp()
                    if event.key() in (0x01000004, 0x01000005):  # Return, Enter
                        self.enter_stamp = event.timestamp()
                        self.enter_seen_at = time.monotonic() * 1000
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
        print(f"timed steps: {', '.join(instrument_stages(window, marks))}", flush=True)
        wedge = next(source.filter for source in window.scanner_sources if hasattr(source, "filter"))
        wedge.scanned.connect(lambda _event: marks.__setitem__("scan", time.monotonic() * 1000))
        refusals: list[str] = []  # the wedge's refusals during the current scan (why a scan gave no verdict)
        wedge.refused.connect(refusals.append)
        keyboard = XTestKeyboard(server.display)
        keyboard.lock_group(0 if args.layout == "us" else 1)
        # The keyboard types from a process of its own, as a USB scanner does: an injector thread
        # here shared this process's GIL, and while the window was busy the X server ran out of
        # queued keys and stamped gaps of 300 ms and more into a scan (a split scan, a "loss").
        typist = subprocess.Popen(
            [sys.executable, "-m", "desk_app.devtools.x11_keys", "--display", server.display,
             "--ms-per-char", str(args.ms_per_char), "--hold-ms", str(args.hold_ms),
             "--group", "0" if args.layout == "us" else "1"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )
        assert typist.stdin is not None and typist.stdout is not None
        assert typist.stdout.readline().strip() == "ready", "the XTEST typist did not start"
        jobs: queue.Queue[str | None] = queue.Queue()
        typed: list[int] = [0]

        def injector() -> None:
            assert typist.stdin is not None and typist.stdout is not None
            while (job := jobs.get()) is not None:
                typist.stdin.write(job + "\n")
                typist.stdin.flush()
                if typist.stdout.readline().strip() == "typed":
                    typed[0] += 1

        injector_thread = threading.Thread(target=injector, name="xtest-injector", daemon=True)
        injector_thread.start()
        green = QColor(COLOURS["accept"][0])

        sent = read = 0
        latencies: list[float] = []
        to_scan: list[float] = []
        to_verdict: list[float] = []
        breakdown: dict[str, list[float]] = {}
        pace: list[float] = []
        wrong: list[str] = []
        rejoined: list[str] = []
        rss_start = rss_mb()
        types_after_warmup: Counter[str] = Counter()
        rss_after_warmup = rss_start
        busy = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(args.busy)]
        atexit.register(lambda: [spinner.kill() for spinner in busy])  # a stopped run ends them too
        loads: list[float] = []
        load_start = os.getloadavg()
        started = time.monotonic()
        total = args.warmup + args.scans
        for i in range(total):
            if i == args.warmup:
                if args.gc_types:
                    gc.collect()
                    types_after_warmup = Counter(type(o).__qualname__ for o in gc.get_objects())
                rss_after_warmup = rss_mb()
                sent = read = 0
                latencies.clear()
                to_scan.clear()
                to_verdict.clear()
                breakdown.clear()
                pace.clear()
                wrong.clear()
                rejoined.clear()
            if i and i % args.report_every == 0:
                so_far = f", median Enter -> painted {statistics.median(latencies):.1f} ms" if latencies else ""
                print(f"  {i}/{total} scans ({args.warmup} warm-up), read {read} of {sent} measured, "
                      f"RssAnon {rss_mb():.2f} MB{so_far}, {time.monotonic() - started:.0f} s", flush=True)
            loads.append(os.getloadavg()[0])
            number, text = policies[i % 2]
            before = verdicts[0]
            probe.painted_at = None
            probe.first_stamp = None
            probe.last_stamp = None
            probe.widest_gap = 0
            refusals.clear()
            typed_before = typed[0]
            jobs.put(text)
            sent += 1
            typing_s = len(text) * args.ms_per_char / 1000
            got = wait_until(lambda b=before: verdicts[0] > b and probe.painted_at is not None, typing_s + 30)
            wait_until(lambda t=typed_before: typed[0] > t, typing_s + 30)
            if not got:
                wrong.append(f"scan {i}: no verdict (wedge refusals {refusals or 'none'}, widest X-stamped "
                             f"gap {probe.widest_gap} ms, load {os.getloadavg()[0]:.2f})")
                print(f"  lost: {wrong[-1]}", flush=True)
                continue
            verdict = verdicts[1].verdict if verdicts[1] is not None else None
            if verdict is None or verdict.policy.number != number or verdict.signature != "ok":
                wrong.append(f"scan {i}: {verdict and (verdict.signature, verdict.policy.number)}")
                continue
            image = window.panel.grab().toImage()
            inside = 24  # past the panel's border (6 px) and rounded corner (10 px)
            painted = QColor(image.pixel(image.width() - inside, image.height() - inside))
            if verdict.decision == "accept" and painted.rgb() != green.rgb():
                wrong.append(f"scan {i}: panel not green")
                continue
            read += 1
            if refusals:  # read all the same: a stall split it and the wedge made it whole again
                rejoined.append(f"scan {i}: widest X-stamped gap {probe.widest_gap} ms")
            assert probe.enter_stamp is not None and probe.painted_at is not None
            latencies.append((probe.painted_at - probe.enter_stamp) % 2**32)
            to_scan.append((marks["scan"] - probe.enter_stamp) % 2**32)
            to_verdict.append(marks["verdict"] - marks["scan"])
            enter = probe.enter_seen_at
            for stage, (a, b) in BREAKDOWN.items():
                start_ms = enter if a == "enter_seen" else marks.get(a)
                end_ms = probe.painted_at if b == "painted" else marks.get(b)
                if start_ms is not None and end_ms is not None and end_ms >= start_ms:
                    breakdown.setdefault(stage, []).append(end_ms - start_ms)
            marks.clear()
            if probe.first_stamp is not None:
                pace.append(((probe.enter_stamp - probe.first_stamp) % 2**32) / len(text))
            wait_until(lambda: False, args.pause_ms / 1000)
        elapsed = time.monotonic() - started
        for spinner in busy:
            spinner.terminate()
            spinner.wait(timeout=10)
        rss_end = rss_mb()
        if args.gc_types:
            gc.collect()
            grown = Counter(type(o).__qualname__ for o in gc.get_objects())
            grown.subtract(types_after_warmup)
            print(f"Python objects grown over the measured scans: "
                  f"{[(name, n) for name, n in grown.most_common(12) if n > 0]}")
        typed_into_fields = [e.objectName() for e in window.findChildren(QLineEdit) if e.text()]
        jobs.put(None)
        injector_thread.join(timeout=30)
        typist.stdin.close()
        typist.wait(timeout=30)
        window.shutdown()
        registry.stop()
        keyboard.close()

    lengths = [len(text) for _n, text in policies]
    print(f"layout {args.layout}, {args.ms_per_char} ms per character, codes of {lengths} characters, "
          f"{args.warmup} warm-up scans then {args.scans} measured, {elapsed / 60:.1f} min")
    if pace:
        print(f"pace as stamped by the X server: median {statistics.median(pace):.2f} ms per character "
              f"(min {min(pace):.2f}, max {max(pace):.2f})")
    print(f"registry: {'its own process' if args.registry_process else 'a thread of the bench process'}")
    print(f"load average at start {load_start[0]:.2f}, at end {os.getloadavg()[0]:.2f}, during the scans "
          f"min {min(loads, default=0):.2f} median {statistics.median(loads or [0]):.2f} "
          f"max {max(loads, default=0):.2f} "
          f"({os.cpu_count()} cores; {args.busy} busy processes of the bench)")
    print(f"scans read: {read} of {sent}, lost {sent - read}; problems: {wrong[:5]}")
    print(f"key presses Qt flagged as auto-repeat (doubled characters queued on a busy PC): {probe.flagged}")
    print(f"read after a stall split them (cut short, then made whole): {len(rejoined)} {rejoined[:5]}")
    print(f"text typed into a field: {typed_into_fields or 'none'}")
    print(f"RSS: {rss_start:.1f} MB before warm-up, {rss_after_warmup:.1f} MB after, {rss_end:.1f} MB after "
          f"the measured scans: growth {rss_end - rss_after_warmup:+.2f} MB over {args.scans} scans")
    if latencies:
        q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else latencies * 99
        print(f"Enter -> verdict colour painted: median {statistics.median(latencies):.1f} ms, "
              f"p90 {q[89]:.1f} ms, p99 {q[98]:.1f} ms, max {max(latencies):.1f} ms")
        print(f"  of which Enter -> scan recognised: median {statistics.median(to_scan):.1f} ms; scan -> verdict "
              f"shown (judge lane, registry over HTTP): median {statistics.median(to_verdict):.1f} ms")
    for stage, values in breakdown.items():
        print(f"    {stage}: median {statistics.median(values):.2f} ms (p90 "
              f"{sorted(values)[int(len(values) * 0.9)]:.2f})")
    delivery = sorted(probe.delivery)
    print(f"delivery (X stamp -> key event in the app): median {statistics.median(delivery):.1f} ms, "
          f"min {delivery[0]:.1f} ms, p99 {delivery[int(len(delivery) * 0.99)]:.1f} ms")
    ok = read == sent and rss_end - rss_after_warmup <= 5.0 and bool(latencies) and statistics.median(latencies) <= 25
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
