"""A serial scanner for the Windows tests under Wine: a Linux pty whose far end is COMn of a
Wine prefix (a dosdevices symlink), sending a policy's QR text followed by CR every 0.3 s.

Usage (run on the Linux side by scripts/package_windows.sh, stopped by its pid):
    python com_bridge.py WINEPREFIX COM3 PAYLOAD_FILE
"""

from __future__ import annotations

import os
import pty
import sys
import time
import tty
from pathlib import Path


def main() -> int:
    prefix, port, payload_file = Path(sys.argv[1]), sys.argv[2].lower(), Path(sys.argv[3])
    payload = payload_file.read_bytes().strip() + b"\r"
    master, slave = pty.openpty()  # the slave stays open here, so the pty lives while the bridge does
    tty.setraw(slave)
    link = prefix / "dosdevices" / port
    link.parent.mkdir(parents=True, exist_ok=True)
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(os.ttyname(slave))
    print(f"com_bridge: {port.upper()} -> {os.ttyname(slave)}", flush=True)
    os.set_blocking(master, False)
    while True:
        try:
            os.write(master, payload)
        except BlockingIOError:
            pass  # nobody reads: the pty's buffer is full until a reader opens the port
        try:
            while os.read(master, 4096):  # drain whatever the Windows side writes
                pass
        except (BlockingIOError, OSError):
            pass
        time.sleep(0.3)


if __name__ == "__main__":
    sys.exit(main())
