#!/usr/bin/env bash
# Sourced by start_test_postgres.sh and stop_test_postgres.sh: the test PostgreSQL's port and
# data folder for THIS checkout, so two clones on one machine never share (or stop) a server.
# Both derive from a hash of the checkout's path: port 55000-59999, /tmp/desk-app-test-pg-<hash>.
# DESK_TEST_PG_PORT and DESK_TEST_PG_DIR override them. Run directly, it prints both.
_desk_checkout="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
_desk_hash="$(printf '%s' "$_desk_checkout" | sha256sum | cut -c1-8)"
DESK_TEST_PG_PORT="${DESK_TEST_PG_PORT:-$((55000 + 16#$_desk_hash % 5000))}"
DESK_TEST_PG_DIR="${DESK_TEST_PG_DIR:-/tmp/desk-app-test-pg-$_desk_hash}"
unset _desk_checkout _desk_hash
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  echo "DESK_TEST_PG_PORT=$DESK_TEST_PG_PORT DESK_TEST_PG_DIR=$DESK_TEST_PG_DIR"
fi
