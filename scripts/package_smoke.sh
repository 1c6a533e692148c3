#!/usr/bin/env bash
# Builds the package on Linux and runs the frozen executable against the same commands run
# from source (scripts/package_smoke.py). SKIP_BUILD=1 reuses an existing dist/desk-app.
# Exits non-zero on any mismatch.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${PYTHON:-}" ]; then
  for candidate in .venv/bin/python python3; do
    if command -v "$candidate" >/dev/null 2>&1; then PYTHON="$candidate"; break; fi
  done
fi
# Absolute, without resolving symlinks (a venv's python is a symlink to the base interpreter):
# the smoke test runs commands from other working directories.
if [[ "$PYTHON" == */* ]]; then PYTHON="$(cd "$(dirname "$PYTHON")" && pwd)/$(basename "$PYTHON")"; fi
export PYTHON

if [ "${SKIP_BUILD:-0}" != "1" ] || [ ! -x dist/desk-app/desk-app ]; then
  bash scripts/package.sh
fi
exec timeout 900 "$PYTHON" scripts/package_smoke.py --dist dist/desk-app --python "$PYTHON"
