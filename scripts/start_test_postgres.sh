#!/usr/bin/env bash
# Starts a private PostgreSQL server on 127.0.0.1 for the tests and prints its URL.
# Usage: eval "$(scripts/start_test_postgres.sh)"   -> exports DESK_TEST_PG_URL, and
# DESK_TEST_PG_STARTED=1 when this call started the server (0 when one was already running on
# that data folder: it is reused and left running). Stop it with scripts/stop_test_postgres.sh.
set -euo pipefail
source "$(dirname "$0")/test_pg_env.sh"  # this checkout's port and folder (or the overrides)
PORT="$DESK_TEST_PG_PORT"
DATA="$DESK_TEST_PG_DIR"
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
[ -n "$BIN" ] || { echo "start_test_postgres: PostgreSQL server binaries not found" >&2; exit 1; }

run() {  # initdb and pg_ctl refuse to run as root
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

STARTED=0
if ! run "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  STARTED=1
  if [ ! -f "$DATA/PG_VERSION" ]; then
    mkdir -p "$DATA"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$DATA"
    run "$BIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 >/dev/null
  fi
  run "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k /tmp -c max_connections=200 -c fsync=off" start >/dev/null
fi
echo "export DESK_TEST_PG_URL=postgresql://postgres@127.0.0.1:$PORT/postgres DESK_TEST_PG_STARTED=$STARTED"
