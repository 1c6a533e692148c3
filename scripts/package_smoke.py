"""Smoke test of the frozen package (dist/desk-app) against the same commands run from source.

- `verify --json` on every demo policy as text (forms A and B), PNG and PDF (made here with
  Pillow: a blank first page, the code on page 2), online against the reference registry on
  127.0.0.1: the frozen verdicts must equal the source's, and the expected decisions;
- `doctor --json`: the same checks with the same levels, and no error;
- the window starts offscreen in demo mode, reports ready and quits with status 0;
- start-up figures: `--version`, one `verify --json`, window to ready.

On an installed package: `--exe /usr/bin/desk-app --dist /opt/desk-app`; with `--root DIR` the
package is installed in the Debian root DIR and the frozen side runs there (`chroot DIR`; the
caller mounts /proc, /dev and this checkout and /tmp at the same paths inside, as
scripts/package_linux.sh does), while the source side runs here.

Exit status 0 when everything matches, 1 otherwise. Run by scripts/package_smoke.sh.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "resources" / "demo"
TOKEN = "package-smoke-token"  # noqa: S105 (the local reference registry's test token)
# What each demo case must be judged online against the demo registry.
EXPECTED = {
    "active": "accept",
    "active-ec": "accept",
    "expired": "reject",
    "suspended": "reject",
    "not-found": "reject",
    "holder-mismatch": "reject",
    "revoked": "reject",
    "tampered": "reject",
    "active-gost512": "accept",
    "active-intermediate": "accept",
}
VOLATILE = ("status_as_of", "input")  # receipt times and file names differ between the two runs


class Smoke:
    def __init__(self, frozen: Path, source: list[str], work: Path) -> None:
        self.frozen = frozen
        self.source = source
        self.work = work
        self.failures: list[str] = []
        self.figures: dict[str, float] = {}

    def check(self, ok: bool, what: str) -> None:
        print(f"  {'ok  ' if ok else 'FAIL'} {what}", flush=True)
        if not ok:
            self.failures.append(what)

    def run(
        self, argv: list[str], *, env: dict[str, str] | None = None, timeout: float = 120
    ) -> subprocess.CompletedProcess:
        full_env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})}
        return subprocess.run(argv, capture_output=True, text=True, encoding="utf-8", timeout=timeout, env=full_env,
                              cwd=self.work)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.1)
    return False


def make_pdf(png: Path, out: Path) -> Path:
    from PIL import Image

    code = Image.open(png).convert("RGB")
    page = Image.new("RGB", (1240, 1754), "white")  # A4 at 150 dpi
    page.paste(code, ((page.width - code.width) // 2, 300))
    blank = Image.new("RGB", page.size, "white")
    blank.save(out, "PDF", resolution=150.0, save_all=True, append_images=[page])
    return out


def inputs(work: Path) -> list[tuple[str, Path]]:
    """(case, file) for every demo case: form A text, form B text, PNG; PDFs for two cases."""
    found: list[tuple[str, Path]] = []
    pdf_dir = work / "pdf"
    pdf_dir.mkdir(exist_ok=True)
    for case in EXPECTED:
        for suffix in (".a.txt", ".b.txt", ".png"):
            found.append((case, DEMO / "policies" / f"{case}{suffix}"))
        if case in ("active", "suspended"):
            found.append((case, make_pdf(DEMO / "policies" / f"{case}.png", pdf_dir / f"{case}.pdf")))
    return found


def verdicts(smoke: Smoke, program: list[str], files: list[Path], common: list[str], data: Path) -> list[dict]:
    result = smoke.run([*program, "verify", "--json", *common, "--data-dir", str(data), *map(str, files)])
    if result.returncode != 0:
        smoke.check(False, f"{program[0]} verify exited {result.returncode}: {result.stderr.strip()[-500:]}")
        return []
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def comparable(verdict: dict) -> dict:
    return {k: v for k, v in verdict.items() if k not in VOLATILE}


def doctor_levels(smoke: Smoke, program: list[str], common: list[str], data: Path) -> tuple[int, list[tuple[str, str]]]:
    result = smoke.run([*program, "doctor", "--json", *common, "--data-dir", str(data)], timeout=60)
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        smoke.check(False, f"{program[0]} doctor --json printed no JSON: {result.stderr.strip()[-500:]}")
        return -1, []
    for c in report["checks"]:
        if c["level"] == "error":  # say why, so a mismatch or an error can be read from the CI log
            print(f"  note {program[0]} doctor: {c['check']}: {c.get('message', '')}", flush=True)
    return result.returncode, [(c["check"], c["level"]) for c in report["checks"]]


def timed(smoke: Smoke, argv: list[str], repeat: int = 3, **kwargs) -> tuple[float, subprocess.CompletedProcess]:
    times, last = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        last = smoke.run(argv, **kwargs)
        times.append(time.perf_counter() - started)
    assert last is not None
    return statistics.median(times), last


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dist", type=Path, default=ROOT / "dist" / "desk-app")
    parser.add_argument("--python", default=sys.executable, help="the interpreter that runs desk-app from source")
    parser.add_argument("--exe", type=Path, help="the installed executable to run (default: the one in --dist)")
    parser.add_argument("--root", type=Path, help="run the frozen side in this chroot; --dist/--exe are paths in it")
    args = parser.parse_args()
    on_host = (lambda p: args.root.resolve() / p.relative_to(p.anchor)) if args.root else (lambda p: p)
    if not args.root:
        args.dist = args.dist.resolve()
    exe = args.exe or args.dist / ("desk-app-cli.exe" if os.name == "nt" else "desk-app")
    if not os.path.lexists(on_host(exe)):  # in a root, /usr/bin/desk-app links to a path inside it
        print(f"package_smoke: {on_host(exe)} not found: build it first (make package)", file=sys.stderr)
        return 1
    frozen = ["chroot", str(args.root.resolve()), str(exe)] if args.root else [str(exe)]
    source = [args.python, "-m", "desk_app"]

    with tempfile.TemporaryDirectory(prefix="desk-smoke-") as tmp:
        work = Path(tmp)
        # A private home: the smoke test never reads or writes the real user's config and data.
        for var, sub in (("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"), ("XDG_STATE_HOME", "state"),
                         ("XDG_CACHE_HOME", "cache"), ("XDG_CONFIG_DIRS", "etc-xdg")):
            os.environ[var] = str(work / "home" / sub)
        os.environ["PYTHONPATH"] = str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")
        smoke = Smoke(exe, source, work)

        print("package: contents", flush=True)
        internal = on_host(args.dist) / "_internal"
        if os.name == "nt":  # libzbar-64.dll needs MSVCR120.dll, which a clean Windows lacks; zxing-cpp decodes
            smoke.check(not any(internal.rglob("libzbar*")), "no zbar DLL in the Windows package")
        else:
            smoke.check(any(internal.glob("libzbar.so*")), "zbar's shared library is bundled")
        smoke.check((internal / "resources" / "demo" / "TEST-ONLY-demo-root.pem").is_file(),
                    "the demo root is bundled under its TEST-ONLY name")
        smoke.check(not any(internal.glob("**/libQt6WebEngine*")) and not any(internal.glob("**/libQt6Quick*")),
                    "no WebEngine / Quick in the package")
        smoke.check(not (internal / "tkinter").exists() and not (internal / "pytest").exists(),
                    "no tkinter, no pytest in the package")

        port = free_port()
        server = subprocess.Popen(
            [*source, "registry-server", "--db", str(work / "registry.sqlite"), "--port", str(port),
             "--token", TOKEN, "--seed", str(DEMO / "registry-seed.json")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=work,
        )
        try:
            if not wait_for_port(port):
                smoke.check(False, "the reference registry started")
                return 1
            # demo mode: the bundled TEST root (outside demo mode a desk with no trust.root judges nothing)
            common = ["--registry-url", f"http://127.0.0.1:{port}", "--registry-token", TOKEN, "--demo"]
            cases = inputs(work)
            files = [path for _case, path in cases]

            print(f"verify --json: {len(files)} inputs (text A/B, PNG, PDF) from source and frozen", flush=True)
            from_source = verdicts(smoke, source, files, common, work / "data-source")
            from_frozen = verdicts(smoke, frozen, files, common, work / "data-frozen")
            smoke.check(len(from_source) == len(files), f"source judged {len(from_source)}/{len(files)} inputs")
            smoke.check(len(from_frozen) == len(files), f"frozen judged {len(from_frozen)}/{len(files)} inputs")
            for (case, path), src, frz in zip(cases, from_source, from_frozen, strict=False):
                same = comparable(src) == comparable(frz)
                expected = EXPECTED[case]
                smoke.check(same and frz["decision"] == expected,
                            f"{path.name}: frozen {frz['decision']} {frz['reasons']}, source {src['decision']}, "
                            f"expected {expected}")

            print("doctor --json from source and frozen", flush=True)
            src_status, src_levels = doctor_levels(smoke, source, common, work / "doctor-source")
            frz_status, frz_levels = doctor_levels(smoke, frozen, common, work / "doctor-frozen")
            differ = sorted(set(src_levels) ^ set(frz_levels))
            smoke.check(src_levels == frz_levels and src_status == frz_status,
                        f"same checks and levels (exit {frz_status}): {frz_levels}"
                        + (f"; source exit {src_status}, differing: {differ}" if differ or src_status != frz_status
                           else ""))
            smoke.check(frz_status in (0, 1) and all(level != "error" for _c, level in frz_levels),
                        "frozen doctor finds no error")
            smoke.check(("trust_root", "warning") in frz_levels, "frozen doctor warns about the TEST-ONLY demo root")
        finally:
            server.terminate()
            server.wait(timeout=10)

        print("window: demo mode, offscreen, ready and quit", flush=True)
        started = time.perf_counter()
        window = smoke.run([*frozen, "demo", "--no-sounds", "--data-dir", str(work / "demo")],
                           env={"DESK_APP_EXIT_WHEN_READY": "1"}, timeout=120)
        wall = time.perf_counter() - started
        ready = [line for line in window.stdout.splitlines() if line.startswith("desk-app: ready")]
        smoke.check(window.returncode == 0 and bool(ready),
                    f"window ready and quit (exit {window.returncode}) {window.stderr.strip()[-300:]}")
        if ready:
            smoke.figures["window_ready_s"] = float(ready[0].split()[-1])
            smoke.figures["window_wall_s"] = wall

        gui_exe = args.dist / "desk-app.exe"
        if os.name == "nt" and gui_exe.exists():  # the windowed executable (no console) the Start menu opens
            print("window: desk-app.exe (windowed), offscreen, ready and quit", flush=True)
            gui = smoke.run([str(gui_exe), "demo", "--no-sounds", "--data-dir", str(work / "demo-gui")],
                            env={"DESK_APP_EXIT_WHEN_READY": "1"}, timeout=120)
            smoke.check(gui.returncode == 0, f"desk-app.exe ready and quit (exit {gui.returncode})")

        xvfb = shutil.which("xvfb-run")
        if xvfb and sys.platform.startswith("linux"):
            print("window: on a real X server (Xvfb, the xcb plugin)", flush=True)
            on_x = smoke.run([xvfb, "-a", *frozen, "demo", "--no-sounds", "--data-dir", str(work / "demo-x")],
                             env={"DESK_APP_EXIT_WHEN_READY": "1", "QT_QPA_PLATFORM": "xcb"}, timeout=120)
            smoke.check(on_x.returncode == 0 and "desk-app: ready" in on_x.stdout,
                        f"xcb window ready and quit (exit {on_x.returncode}) {on_x.stderr.strip()[-300:]}")
        elif sys.platform.startswith("linux"):
            print("window on X: skipped (no xvfb-run)", flush=True)
        else:  # Windows: the windowed .exe was started above; Xvfb is a Linux check
            print("window on X: Linux packages only", flush=True)

        print("start-up figures (median of 3)", flush=True)
        smoke.figures["version_s"], version = timed(smoke, [*frozen, "--version"])
        smoke.check(version.returncode == 0 and "desk-app" in version.stdout, f"--version: {version.stdout.strip()}")
        policy = DEMO / "policies" / "active.b.txt"
        smoke.figures["verify_s"], _ = timed(smoke, [*frozen, "verify", "--json", "--offline", "--demo", "--data-dir",
                                                     str(work / "timing"), str(policy)])
        smoke.figures["verify_png_s"], _ = timed(smoke, [*frozen, "verify", "--json", "--offline", "--demo",
                                                         "--data-dir", str(work / "timing"),
                                                         str(DEMO / "policies" / "active.png")])
        size = sum(f.lstat().st_size for f in on_host(args.dist).rglob("*") if f.is_file() and not f.is_symlink())
        smoke.figures["size_mb"] = size / 1_000_000
        print(json.dumps({k: round(v, 3) for k, v in smoke.figures.items()}))

    if smoke.failures:
        print(f"package_smoke: {len(smoke.failures)} FAILED", file=sys.stderr)
        return 1
    print("package_smoke: all ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
