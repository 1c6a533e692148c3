#!/usr/bin/env bash
# Sets up the app and opens the desk window in demo mode: demo trust root, a reference
# registry with demo data on 127.0.0.1, a local SQLite ledger. No server or camera needed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/desk-app demo "$@"
