#!/usr/bin/env bash
# Run kopingreport locally with gunicorn on SQLite, with demo data and demo logins.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh run
# A development key only here, in the run command; production sets SECRET_KEY itself.
export SECRET_KEY="${SECRET_KEY:-dev-only-not-secret-$(hostname)}"
# Plain http on localhost: cookies cannot be Secure here.
export KOPINGREPORT_SESSION_COOKIE_SECURE="${KOPINGREPORT_SESSION_COOKIE_SECURE:-false}"
export KOPINGREPORT_REMEMBER_COOKIE_SECURE="${KOPINGREPORT_REMEMBER_COOKIE_SECURE:-false}"
# Keep a few freed image buffers per worker: saves ~25 ms of page faults per photo.
export PILLOW_BLOCKS_MAX="${PILLOW_BLOCKS_MAX:-4}"
PORT="${PORT:-8000}"
.venv/bin/flask --app wsgi db upgrade
.venv/bin/flask --app wsgi demo-data
echo
echo "  kopingreport is running: open http://localhost:${PORT}/"
echo
# Production settings (gunicorn.conf.py: gthread workers, JSON logs), on localhost.
exec .venv/bin/gunicorn --config gunicorn.conf.py --bind "127.0.0.1:${PORT}" wsgi:app
