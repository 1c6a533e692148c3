"""The PDF render child lives in a Job Object: it dies with the desk, and its memory is capped
(Windows has no RLIMIT_AS). desk_app/scanner/pdf_sandbox.py, `_contain_windows`."""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
import time
from ctypes import wintypes
from pathlib import Path

from desk_app.scanner import pdf_sandbox
from desk_app.scanner.pdf_sandbox import PdfRenderer
from tests.helpers.bombs import nested_forms_pdf

ROOT = Path(__file__).resolve().parents[2]
kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
kernel32.OpenProcess.restype = wintypes.HANDLE
kernel32.WaitForSingleObject.argtypes = [wintypes.HANDLE, wintypes.DWORD]
kernel32.CloseHandle.argtypes = [wintypes.HANDLE]
SYNCHRONIZE, PROCESS_QUERY_LIMITED_INFORMATION = 0x00100000, 0x1000
WAIT_OBJECT_0 = 0

# A desk that opens a PDF bomb and asks for its page: the child is busy inside pdfium for minutes.
BUSY_DESK = r"""
import sys, time
from pathlib import Path
from desk_app.scanner.pdf_sandbox import PdfRenderer
renderer = PdfRenderer(Path(sys.argv[1]))
print(renderer._process.pid, flush=True)
renderer.deadline = time.monotonic() + 600
renderer.render(0, 150)
"""


def test_render_child_dies_with_the_desk(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(nested_forms_pdf(9))  # minutes of pdfium work when the page loads
    desk = subprocess.Popen(
        [sys.executable, "-c", BUSY_DESK, str(bomb)], stdout=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=ROOT,
    )  # fmt: skip
    child = None
    try:
        assert desk.stdout is not None
        child_pid = int(desk.stdout.readline())
        child = kernel32.OpenProcess(SYNCHRONIZE | PROCESS_QUERY_LIMITED_INFORMATION, False, child_pid)
        assert child, f"cannot open the render child {child_pid}: {ctypes.get_last_error()}"
        time.sleep(2)  # the child is now loading the page
        assert kernel32.WaitForSingleObject(child, 0) != WAIT_OBJECT_0, "the child ended before the desk was killed"
        desk.kill()  # TerminateProcess: no cleanup code of the desk runs
        desk.wait(timeout=30)
        assert kernel32.WaitForSingleObject(child, 15_000) == WAIT_OBJECT_0, "the render child outlived the desk"
    finally:
        if desk.poll() is None:
            desk.kill()
        if child:
            kernel32.CloseHandle(child)


def test_the_render_child_is_in_the_desks_job(tmp_path: Path) -> None:
    """The job's limits (kill-on-close, the memory cap) cannot be read back under Wine, whose
    QueryInformationJobObject answers zeros for them; the test above shows kill-on-close at work."""
    pdf = tmp_path / "one.pdf"
    pdf.write_bytes(nested_forms_pdf(1))
    with PdfRenderer(pdf) as renderer:
        assert renderer.pages == 1
        job = pdf_sandbox._windows_job
        assert job
        pids = (ctypes.c_uint64 * 66)()  # JOBOBJECT_BASIC_PROCESS_ID_LIST: two counts, then the ids
        assert kernel32.QueryInformationJobObject(wintypes.HANDLE(job), 3, pids, ctypes.sizeof(pids), None)
        listed = int.from_bytes(bytes(pids)[4:8], "little")
        assert renderer._process.pid in list(pids[1 : 1 + listed]), "the render child is in the desk's job"
