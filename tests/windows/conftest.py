"""Windows-only tests: run under Wine's embedded Python by scripts/package_windows.sh (stage
`tests`), never collected on Linux (so they never show as skips there)."""

from __future__ import annotations

import sys

collect_ignore_glob = ["test_*.py"] if sys.platform != "win32" else []
