#!/usr/bin/env bash
# Stops the private test PostgreSQL that scripts/start_test_postgres.sh started (same
# DESK_TEST_PG_DIR). scripts/test.sh calls it on exit when it started the server itself.
set -euo pipefail
source "$(dirname "$0")/test_pg_env.sh"  # this checkout's folder (or DESK_TEST_PG_DIR)
DATA="$DESK_TEST_PG_DIR"
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
[ -n "$BIN" ] || exit 0

run() {  # pg_ctl refuses to run as root
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if run "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  run "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
fi
