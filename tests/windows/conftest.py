"""Windows-only tests: run under Wine's Python by scripts/package_windows.sh; never collected on
Linux (so they never show as skips there)."""

import sys

collect_ignore_glob = ["test_*.py"] if sys.platform != "win32" else []
