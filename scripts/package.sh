#!/usr/bin/env bash
# Builds the one-folder application into dist/desk-app/ with PyInstaller (build_installer.spec).
# Uses $PYTHON, else .venv/bin/python, else python3.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${PYTHON:-}" ]; then
  for candidate in .venv/bin/python python3; do
    if command -v "$candidate" >/dev/null 2>&1; then PYTHON="$candidate"; break; fi
  done
fi
"$PYTHON" -c "import PyInstaller" 2>/dev/null || {
  echo "package: PyInstaller is missing: $PYTHON -m pip install -e '.[dev]'" >&2; exit 1; }

start=$(date +%s)
"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller build_installer.spec
echo "package: dist/desk-app built in $(( $(date +%s) - start )) s, $(du -sh dist/desk-app | cut -f1)"
