"""Real X11 key events for tests and benchmarks: a private Xvfb, and a keyboard driven by XTEST.

`XTestKeyboard.scanner_types` presses key *positions* as a USB HID scanner does: the US key for
each character, Shift down/up around shifted ones, whatever layout group is active (so with the
Russian group locked the application receives Cyrillic look-alikes, as at a real desk). Every
event carries an XTEST delay, so the X server itself paces the keys and stamps them: a loaded
machine that pauses this process cannot stretch a scanner's burst. `person_types` does the same
at a person's pace, with a hold time that may exceed the interval (key rollover).

Needs the Xvfb, xkb (setxkbmap) and libXtst packages (scripts/setup.sh installs xvfb, xdotool,
x11-xkb-utils, libxtst6). Qt-free: ctypes over libX11 and libXtst.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import select
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

XKB_USE_CORE_KBD = 0x100
XK_SHIFT_L = 0xFFE1
XK_RETURN = 0xFF0D
XK_TAB = 0xFF09
XK_SPACE = 0x20
XK_F2 = 0xFFBF
XK_F3 = 0xFFC0


class X11Error(RuntimeError):
    pass


@dataclass
class XServer:
    display: str
    process: subprocess.Popen[bytes]

    def env(self) -> dict[str, str]:
        return {**os.environ, "DISPLAY": self.display, "QT_QPA_PLATFORM": "xcb"}


def missing_tools() -> list[str]:
    """The programs and libraries these helpers need that this machine lacks."""
    missing = [tool for tool in ("Xvfb", "setxkbmap") if shutil.which(tool) is None]
    missing += [lib for lib in ("X11", "Xtst") if ctypes.util.find_library(lib) is None]
    return missing


@contextmanager
def private_xvfb(layouts: str = "us,ru", timeout_s: float = 20.0) -> Iterator[XServer]:
    """A private Xvfb on a free display number (`-displayfd`), keyboard layouts `layouts`."""
    if missing_tools():
        raise X11Error(f"missing X11 tools: {', '.join(missing_tools())} (run scripts/setup.sh)")
    read_fd, write_fd = os.pipe()
    process = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1280x1024x24", "-nolisten", "tcp", "-noreset"],
        pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    try:
        number = b""
        deadline = time.monotonic() + timeout_s
        while not number.endswith(b"\n"):
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([read_fd], [], [], remaining)[0]:
                raise X11Error("Xvfb did not report its display in time")
            chunk = os.read(read_fd, 16)
            if not chunk:
                raise X11Error("Xvfb exited before reporting its display")
            number += chunk
        server = XServer(f":{int(number.strip())}", process)
        subprocess.run(["setxkbmap", "-display", server.display, "-layout", layouts], check=True,
                       timeout=timeout_s, capture_output=True)
        yield server
    finally:
        os.close(read_fd)
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


class _XkbState(ctypes.Structure):
    _fields_ = [
        ("group", ctypes.c_ubyte), ("locked_group", ctypes.c_ubyte), ("base_group", ctypes.c_ushort),
        ("latched_group", ctypes.c_ushort), ("mods", ctypes.c_ubyte), ("base_mods", ctypes.c_ubyte),
        ("latched_mods", ctypes.c_ubyte), ("locked_mods", ctypes.c_ubyte), ("compat_state", ctypes.c_ubyte),
        ("grab_mods", ctypes.c_ubyte), ("compat_grab_mods", ctypes.c_ubyte), ("lookup_mods", ctypes.c_ubyte),
        ("compat_lookup_mods", ctypes.c_ubyte), ("ptr_buttons", ctypes.c_ushort), ("_spare", ctypes.c_ubyte * 16),
    ]


def _libraries() -> tuple[ctypes.CDLL, ctypes.CDLL]:
    x11 = ctypes.CDLL(ctypes.util.find_library("X11") or "libX11.so.6")
    xtst = ctypes.CDLL(ctypes.util.find_library("Xtst") or "libXtst.so.6")
    x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x11.XOpenDisplay.restype = ctypes.c_void_p
    x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
    x11.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
    x11.XFlush.argtypes = [ctypes.c_void_p]
    x11.XkbKeycodeToKeysym.argtypes = [ctypes.c_void_p, ctypes.c_ubyte, ctypes.c_int, ctypes.c_int]
    x11.XkbKeycodeToKeysym.restype = ctypes.c_ulong
    x11.XKeysymToKeycode.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
    x11.XKeysymToKeycode.restype = ctypes.c_ubyte
    x11.XkbLockGroup.argtypes = [ctypes.c_void_p, ctypes.c_uint, ctypes.c_uint]
    x11.XkbGetState.argtypes = [ctypes.c_void_p, ctypes.c_uint, ctypes.POINTER(_XkbState)]
    x11.XWarpPointer.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong] + [ctypes.c_int] * 2 + [
        ctypes.c_uint] * 2 + [ctypes.c_int] * 2
    xtst.XTestFakeKeyEvent.argtypes = [ctypes.c_void_p, ctypes.c_uint, ctypes.c_int, ctypes.c_ulong]
    xtst.XTestFakeMotionEvent.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_ulong]
    return x11, xtst


class XTestKeyboard:
    """One X connection that types through XTEST. Not thread-safe: use it from one thread at a time."""

    def __init__(self, display: str) -> None:
        self._x11, self._xtst = _libraries()
        self._dpy = self._x11.XOpenDisplay(display.encode())
        if not self._dpy:
            raise X11Error(f"cannot open X display {display}")
        self._us = self._us_positions()

    def close(self) -> None:
        if self._dpy:
            self._x11.XCloseDisplay(self._dpy)
            self._dpy = None

    def __enter__(self) -> XTestKeyboard:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _us_positions(self) -> dict[int, tuple[int, bool]]:
        """keysym -> (keycode, needs Shift) in the first layout group (US), as a scanner sees keys.

        The lowest keycode wins, so '<' is Shift+comma as on a US keyboard (HID usage 0x36), not
        the ISO 102nd key that evdev maps to '<' too and that the Russian layout turns into '/'."""
        found: dict[int, tuple[int, bool]] = {}
        for keycode in range(8, 256):
            for level in (0, 1):
                keysym = self._x11.XkbKeycodeToKeysym(self._dpy, keycode, 0, level)
                if keysym:
                    found.setdefault(keysym, (keycode, bool(level)))
        return found

    def key_position(self, ch: str) -> tuple[int, bool]:
        """The US key (keycode, Shift) that types `ch`; newline is Enter."""
        keysym = XK_RETURN if ch in "\r\n" else XK_TAB if ch == "\t" else ord(ch)
        if keysym not in self._us:
            raise X11Error(f"no US key types {ch!r}")
        return self._us[keysym]

    # Layout group -------------------------------------------------------------------------
    def lock_group(self, group: int) -> None:
        """Lock the keyboard layout group (0: the first layout, 1: the second) and check it took."""
        self._x11.XkbLockGroup(self._dpy, XKB_USE_CORE_KBD, group)
        self._x11.XSync(self._dpy, 0)
        deadline = time.monotonic() + 5
        while self.group() != group:
            if time.monotonic() > deadline:
                raise X11Error(f"layout group {group} did not lock (now {self.group()})")
            time.sleep(0.01)

    def group(self) -> int:
        state = _XkbState()
        self._x11.XkbGetState(self._dpy, XKB_USE_CORE_KBD, ctypes.byref(state))
        return int(state.locked_group)

    def move_pointer(self, x: int, y: int) -> None:
        self._xtst.XTestFakeMotionEvent(self._dpy, -1, x, y, 0)
        self._x11.XSync(self._dpy, 0)

    # Typing -------------------------------------------------------------------------------
    def _event(self, keycode: int, press: bool, delay_ms: int) -> None:
        self._xtst.XTestFakeKeyEvent(self._dpy, keycode, 1 if press else 0, max(0, int(delay_ms)))

    def scanner_types(self, text: str, *, ms_per_char: int = 2, enter: bool = True, hold_ms: int | None = None,
                      first_delay_ms: int = 0) -> None:
        """Key positions as a scanner sends them; returns once the X server has processed them all.

        Per character: (Shift down and) key down together, key up `hold_ms` later (default
        `ms_per_char // 2`, at least 1 ms), (Shift up,) the next key the rest of `ms_per_char`
        later. Each XTEST delay is a wake-up of the X server, which a loaded machine stretches:
        `hold_ms=0` halves the wake-ups. Characters a US keyboard cannot type (Cyrillic) are
        skipped, as a keyboard-mode scanner does. `first_delay_ms`: the X server waits this long
        before the first key (a stall it stamps into a scan typed in parts)."""
        shift_code = self._us[XK_SHIFT_L][0]
        hold = max(1, ms_per_char // 2) if hold_ms is None else max(0, hold_ms)
        rest = max(0, ms_per_char - hold)
        first = True
        for ch in text + ("\n" if enter else ""):
            try:
                keycode, shift = self.key_position(ch)
            except X11Error:
                continue
            delay = max(0, first_delay_ms) if first else rest
            first = False
            if shift:
                self._event(shift_code, True, delay)
                delay = 0
            self._event(keycode, True, delay)
            self._event(keycode, False, hold)
            if shift:
                self._event(shift_code, False, 0)
        self._x11.XSync(self._dpy, 0)

    def person_types(self, keys: str, *, interval_ms: int, hold_ms: int) -> None:
        """A person pressing the US key positions `keys`, one every `interval_ms`, each held
        `hold_ms` (more than the interval: the next key goes down before this one comes up)."""
        shift_code = self._us[XK_SHIFT_L][0]
        timeline: list[tuple[int, int, bool]] = []  # (ms, keycode, press)
        for i, ch in enumerate(keys):
            keycode, shift = self.key_position(ch)
            at = i * interval_ms
            if shift:  # Shift comes up before the next key goes down, as people do
                timeline += [(at, shift_code, True), (at + min(hold_ms + 1, interval_ms - 5), shift_code, False)]
                at += 1
            timeline += [(at, keycode, True), (at + hold_ms, keycode, False)]
        timeline.sort(key=lambda item: (item[0], not item[2]))
        now = 0
        for at, keycode, press in timeline:
            self._event(keycode, press, at - now)
            now = at
        self._x11.XSync(self._dpy, 0)

    def tap(self, key: str | int, *, hold_ms: int = 20) -> None:
        """Press and release one key: a character's US key, or a keysym number (0xFFBF is F2)."""
        if isinstance(key, int):
            if key not in self._us:
                raise X11Error(f"no key for keysym {key:#x}")
            keycode = self._us[key][0]
        else:
            keycode, _shift = self.key_position(key)
        self._event(keycode, True, 0)
        self._event(keycode, False, hold_ms)
        self._x11.XSync(self._dpy, 0)


def serve_scanner(display: str, *, ms_per_char: int, hold_ms: int | None, group: int = 0) -> None:
    """Type each line of stdin as a scanner would, then print "typed": a keyboard in a process
    of its own. An injector thread inside the measured application shares its GIL: each XTEST
    call waits for the GIL again, the X server runs out of queued keys while the application is
    busy, and stamps gaps (300 ms and more) into the burst that a USB scanner never makes."""
    import sys

    with XTestKeyboard(display) as keyboard:
        keyboard.lock_group(group)
        print("ready", flush=True)
        for line in sys.stdin:
            keyboard.scanner_types(line.rstrip("\n"), ms_per_char=ms_per_char, hold_ms=hold_ms)
            print("typed", flush=True)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="type stdin's lines by XTEST as a USB scanner does")
    parser.add_argument("--display", required=True)
    parser.add_argument("--ms-per-char", type=int, default=2)
    parser.add_argument("--hold-ms", type=int, default=None)
    parser.add_argument("--group", type=int, default=0)
    options = parser.parse_args()
    serve_scanner(options.display, ms_per_char=options.ms_per_char, hold_ms=options.hold_ms, group=options.group)
