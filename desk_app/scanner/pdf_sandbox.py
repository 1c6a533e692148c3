"""PDF pages rendered in a separate, limited child process (pdfium never runs in the desk's process).

Why: pdfium parses a page's Form XObjects when the page loads, before any check of ours can run;
a 3 KB PDF with forms nested 9 deep, each drawing the next 10 times, costs minutes and tens of GB.
So every pdfium call (open, load page, check its objects, render) happens in a child process:

* time: the parent waits for each answer only until the file's deadline and kills the child
  when it runs out (the caller then reports the time budget); starting the child and opening
  the document have their own bound, `START_TIMEOUT_S`;
* memory: on POSIX the child sets `RLIMIT_AS` (`MEMORY_LIMIT_BYTES`) before pdfium is imported,
  so a bomb ends in a failed allocation or the child's death, never in the machine's memory.
  Windows has no rlimit: there the parent puts the child in a Job Object (`_contain_windows`)
  with the same cap as its per-process committed-memory limit, and kill-on-close, so the child
  also dies with the desk (the desk's handle to the job is the last one: it closes when the desk
  exits, crashes or is killed);
* a child that dies (the cap, a crash in pdfium) is `PdfRenderFailed`, one clear line;
* the child lives and dies with the desk: on Linux it asks the kernel for SIGKILL when the desk
  (the thread that started it) dies (`PR_SET_PDEATHSIG`), and on POSIX it runs under
  `RLIMIT_CPU` (`CPU_LIMIT_S`), so a desk killed while a page renders leaves nothing busy (on
  Windows the Job Object above does this);
* nothing leaks: a renderer that fails to start or open the file kills and reaps its child and
  closes every descriptor before the error reaches the caller.

The platform parts are small functions (`_limit_memory`, `_limit_cpu`, `_die_with_parent` in the
child; `_contain_windows` in the parent).

The mechanism is `multiprocessing` with the 'spawn' context (the same on Linux and Windows, no
fork of a process holding Qt or threads) and a `Pipe`: the parent asks for (page, dpi), the child
answers with the page's grey pixels as a numpy array or a one-line error. It works from source and
in the frozen PyInstaller app, provided `multiprocessing.freeze_support()` runs first thing in
`desk_app/__main__.py` (PyInstaller's documented requirement: the frozen executable is re-run as
the child). One child serves one file: it is started for the file and killed when the file is done.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from multiprocessing.connection import Connection
from pathlib import Path

import numpy as np

START_TIMEOUT_S = 10.0  # spawn the child, import pdfium, open the document, count its pages
MEMORY_LIMIT_BYTES = 1536 * 1024 * 1024  # the child's address space (POSIX)
CPU_LIMIT_S = 30  # the child's CPU seconds (POSIX): start, open and every page of one file, with room
PR_SET_PDEATHSIG = 1  # linux/prctl.h
LIMITS_MESSAGE = "the PDF could not be rendered within the desk's limits"


class PdfRenderFailed(Exception):
    """The child died (memory cap, crash) or answered nonsense."""


class PdfDeadlineReached(Exception):
    """The deadline passed while the child was working; it has been killed."""


class PdfPageError(Exception):
    """pdfium or a page check refused the document or a page (a one-line message)."""


class PdfRenderer:
    """A child process holding one open PDF; `render(index, dpi)` returns the page in grey."""

    def __init__(self, path: Path, memory_limit: int = MEMORY_LIMIT_BYTES) -> None:
        context = multiprocessing.get_context("spawn")
        self._closed = False
        self._conn, child_conn = context.Pipe(duplex=True)
        self._process = context.Process(
            target=child_main,
            args=(str(path), child_conn, memory_limit, os.getpid()),
            name="desk-pdf-render",
            daemon=True,
        )
        try:
            self._process.start()
        except BaseException:
            child_conn.close()
            self._conn.close()
            raise
        child_conn.close()  # the parent keeps only its end, so the child's death reads as EOF
        if sys.platform == "win32":
            try:
                _contain_windows(self._process, memory_limit)
            except PdfRenderFailed:
                self.close()
                raise
        self.deadline = time.monotonic() + START_TIMEOUT_S
        try:
            self.pages: int = self._receive(self.deadline)
        except BaseException:  # cannot open, died, too slow: nothing may outlive the failed start
            self.close()
            raise

    def render(self, index: int, dpi: int) -> np.ndarray:
        """The page's pixels (numpy, from pdfium's grey bitmap); waits at most until `self.deadline`
        (a `time.monotonic()` value the caller sets for the whole file)."""
        try:
            self._conn.send((index, dpi))
        except (OSError, ValueError):
            self.close()
            raise PdfRenderFailed(LIMITS_MESSAGE) from None
        return self._receive(self.deadline)

    def close(self) -> None:
        """Stop the child at once (it holds nothing worth a clean shutdown), reap it and close
        every descriptor (the pipe and the process sentinel). Safe to call again."""
        if self._closed:
            return
        self._closed = True
        if self._process.is_alive():
            self._process.kill()
        self._process.join(timeout=5)
        self._conn.close()
        if self._process.exitcode is not None:
            self._process.close()  # releases the sentinel; only possible once it was reaped

    def __enter__(self) -> PdfRenderer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _receive(self, deadline: float):
        try:
            ready = self._conn.poll(max(0.0, deadline - time.monotonic()))
            if not ready:
                self.close()
                raise PdfDeadlineReached()
            kind, value = self._conn.recv()
        except (EOFError, OSError, ValueError):  # the child died before or while answering
            self.close()
            raise PdfRenderFailed(LIMITS_MESSAGE) from None
        if kind == "ok":
            return value
        if kind == "error":
            raise PdfPageError(str(value))
        self.close()
        raise PdfRenderFailed(LIMITS_MESSAGE)


def child_main(path: str, conn: Connection, memory_limit: int, parent_pid: int | None = None) -> None:
    """The child: tie itself to the desk, cap its memory and CPU, open the PDF, then answer
    (page, dpi) requests until EOF. Its stderr goes nowhere: pdfium's or Python's last words must
    not reach the user's screen; every failure is answered to the parent as one line, or read
    there as the child's death."""
    _die_with_parent(parent_pid)
    _limit_memory(memory_limit)
    _limit_cpu(CPU_LIMIT_S)
    _silence_stderr()
    try:
        import pypdfium2 as pdfium

        from desk_app.scanner.files import ScanFileError, render_pdf_page

        try:
            pdf = pdfium.PdfDocument(path)
        except pdfium.PdfiumError as exc:
            conn.send(("error", f"PDF cannot be opened: {exc}"))
            return
        conn.send(("ok", len(pdf)))
        while True:
            try:
                index, dpi = conn.recv()
            except EOFError:
                return
            try:
                conn.send(("ok", render_pdf_page(pdf, index, dpi)))
            except (ScanFileError, pdfium.PdfiumError) as exc:
                conn.send(("error", str(exc)))
    except MemoryError:
        _send_quietly(conn, ("error", LIMITS_MESSAGE))
    except Exception as exc:  # anything else pdfium or Python raise: one line, no traceback
        _send_quietly(conn, ("error", f"PDF cannot be rendered: {type(exc).__name__}"))


def _send_quietly(conn: Connection, message: tuple[str, str]) -> None:
    try:
        conn.send(message)
    except (OSError, ValueError, MemoryError):
        pass  # the parent reads the closed pipe as the child's death


def _silence_stderr() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)
    except OSError:
        pass  # no stderr to silence (a windowed frozen app on Windows)
    sys.stderr = open(os.devnull, "w")  # for the child's whole life


def _die_with_parent(parent_pid: int | None) -> None:
    """Linux: SIGKILL this process when the desk's thread that started it dies (prctl
    PR_SET_PDEATHSIG); if the desk is already gone (it died before the call), exit now."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return  # no prctl: RLIMIT_CPU and the parent's kill still bound the child
    if parent_pid is not None and os.getppid() != parent_pid:
        os._exit(0)


def _limit_cpu(seconds: int) -> None:
    """POSIX: at most `seconds` of CPU (SIGXCPU, then SIGKILL one second later)."""
    if sys.platform == "win32":
        return
    import resource

    _soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = seconds if hard == resource.RLIM_INFINITY else min(seconds, hard)
    new_hard = soft + 1 if hard == resource.RLIM_INFINITY else hard
    resource.setrlimit(resource.RLIMIT_CPU, (soft, new_hard))


def _limit_memory(limit: int) -> None:
    if sys.platform == "win32":
        return
    import resource

    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


_windows_job: int | None = None  # the desk's one Job Object, open for the desk's whole life


def _contain_windows(process: multiprocessing.process.BaseProcess, memory_limit: int) -> None:
    """Windows: assign the child to the desk's Job Object (created on first use) with
    JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE and a per-process committed-memory cap. A child that cannot
    be contained is refused (the caller kills it): no uncapped pdfium child that could outlive the desk."""
    global _windows_job
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.CreateJobObjectW.restype = wintypes.HANDLE
    kernel32.OpenProcess.restype = wintypes.HANDLE
    kernel32.SetInformationJobObject.argtypes = [wintypes.HANDLE, ctypes.c_int, ctypes.c_void_p, wintypes.DWORD]
    kernel32.AssignProcessToJobObject.argtypes = [wintypes.HANDLE, wintypes.HANDLE]
    kernel32.CloseHandle.argtypes = [wintypes.HANDLE]

    class IoCounters(ctypes.Structure):
        _fields_ = [(name, ctypes.c_ulonglong) for name in (
            "ReadOperationCount", "WriteOperationCount", "OtherOperationCount",
            "ReadTransferCount", "WriteTransferCount", "OtherTransferCount")]  # fmt: skip

    class BasicLimits(ctypes.Structure):
        _fields_ = [
            ("PerProcessUserTimeLimit", ctypes.c_int64), ("PerJobUserTimeLimit", ctypes.c_int64),
            ("LimitFlags", wintypes.DWORD), ("MinimumWorkingSetSize", ctypes.c_size_t),
            ("MaximumWorkingSetSize", ctypes.c_size_t), ("ActiveProcessLimit", wintypes.DWORD),
            ("Affinity", ctypes.c_size_t), ("PriorityClass", wintypes.DWORD), ("SchedulingClass", wintypes.DWORD),
        ]  # fmt: skip

    class ExtendedLimits(ctypes.Structure):
        _fields_ = [
            ("BasicLimitInformation", BasicLimits), ("IoInfo", IoCounters),
            ("ProcessMemoryLimit", ctypes.c_size_t), ("JobMemoryLimit", ctypes.c_size_t),
            ("PeakProcessMemoryUsed", ctypes.c_size_t), ("PeakJobMemoryUsed", ctypes.c_size_t),
        ]  # fmt: skip

    job_object_extended_limit_information = 9
    limit_process_memory, limit_kill_on_job_close = 0x100, 0x2000
    process_set_quota, process_terminate = 0x0100, 0x0001
    if _windows_job is None:
        job = kernel32.CreateJobObjectW(None, None)
        limits = ExtendedLimits()
        limits.BasicLimitInformation.LimitFlags = limit_kill_on_job_close | limit_process_memory
        limits.ProcessMemoryLimit = memory_limit
        if not job or not kernel32.SetInformationJobObject(
            job, job_object_extended_limit_information, ctypes.byref(limits), ctypes.sizeof(limits)
        ):
            raise PdfRenderFailed(f"{LIMITS_MESSAGE} (no Job Object: error {ctypes.get_last_error()})")
        _windows_job = job  # never closed: its closing (the desk's end) kills every child in it
    handle = kernel32.OpenProcess(process_set_quota | process_terminate, False, process.pid)
    assigned = bool(handle) and kernel32.AssignProcessToJobObject(_windows_job, handle)
    error = ctypes.get_last_error()
    if handle:
        kernel32.CloseHandle(handle)
    if not assigned:
        raise PdfRenderFailed(f"{LIMITS_MESSAGE} (not in the Job Object: error {error})")
