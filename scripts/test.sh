#!/usr/bin/env bash
# Sets up and runs the whole test suite (the README's test command; CI runs exactly this).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
eval "$(bash scripts/start_test_postgres.sh)"
export QT_QPA_PLATFORM=offscreen
export DESK_REQUIRE_PG=1
.venv/bin/python -m ruff check desk_app tests bench
.venv/bin/python -m pytest "$@"
