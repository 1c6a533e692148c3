#!/usr/bin/env bash
# Sets up and runs the whole test suite (the README's test command; CI runs exactly this).
# The private PostgreSQL it starts is stopped when it ends (whatever the outcome); a server
# already running on that data folder (DESK_TEST_PG_DIR) is reused and left running.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
eval "$(bash scripts/start_test_postgres.sh)"
if [ "${DESK_TEST_PG_STARTED:-0}" = 1 ]; then
  trap 'bash scripts/stop_test_postgres.sh' EXIT
fi
export QT_QPA_PLATFORM=offscreen
export DESK_REQUIRE_PG=1
export DESK_FAIL_ON_SKIP=1  # a skip not in tests/skips_allowed.txt fails the run (tests/helpers/skip_gate.py)
.venv/bin/python -m ruff check desk_app tests bench
.venv/bin/lint-imports
.venv/bin/python -m pytest "$@"
