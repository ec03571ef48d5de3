#!/usr/bin/env bash
# Run the whole test suite: SQLite and PostgreSQL, unit, web, API and browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh dev
export PYTHONDONTWRITEBYTECODE=1
set +e
.venv/bin/python -m pytest -n "${PYTEST_WORKERS:-2}" -p no:cacheprovider "$@"
status=$?
set -e
# pytest exits 5 when no test ran: that is a failure here, not a pass.
[ "$status" -eq 5 ] && { echo "no tests ran"; exit 1; }
exit "$status"
