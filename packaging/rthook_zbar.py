"""PyInstaller runtime hook: make pyzbar load the zbar library bundled with the app.

pyzbar finds zbar with `ctypes.util.find_library("zbar")`, which asks the system (ldconfig)
and so never sees the copy inside the package. Point that one lookup at the bundled file.
On Windows pyzbar already looks next to its own module, where the spec puts the DLLs.
"""

import ctypes.util
import sys
from pathlib import Path

_base = Path(getattr(sys, "_MEIPASS", ""))
_bundled = next((p for p in (_base / "libzbar.so.0", _base / "libzbar.0.dylib") if p.is_file()), None)

if _bundled is not None:
    _system_find_library = ctypes.util.find_library

    def _find_library(name: str) -> str | None:
        if name == "zbar":
            return str(_bundled)
        return _system_find_library(name)

    ctypes.util.find_library = _find_library
