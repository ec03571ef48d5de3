#!/usr/bin/env bash
# Idempotent set-up shared by scripts/run.sh and scripts/test.sh:
# virtualenv + pinned Python packages, npm packages copied into static/vendor, compiled
# translations. Pass "dev" to also install the test tools and Debian's chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
MODE="${1:-run}"
PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null || PYTHON=python3

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PYTHON" -m venv .venv
fi
REQ=requirements.txt
[ "$MODE" = dev ] && REQ=requirements-dev.txt
STAMP=".venv/.installed-$(cat requirements.txt "$REQ" | sha256sum | cut -c1-16)-$MODE"
if [ ! -f "$STAMP" ]; then
  echo "setup: installing Python packages ($REQ)"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$REQ"
  touch "$STAMP"
fi

# Production needs only the libraries copied into static/ (Leaflet); the tests also need
# axe-core (a devDependency). A development install serves both modes.
NPM_STAMP="node_modules/.installed-$(sha256sum package-lock.json | cut -c1-16)"
if [ ! -f "$NPM_STAMP-dev" ] && [ ! -f "$NPM_STAMP-$MODE" ]; then
  echo "setup: installing npm packages (package-lock.json)"
  NPM_OMIT=""
  [ "$MODE" = dev ] || NPM_OMIT="--omit=dev"
  npm ci --no-audit --no-fund --loglevel=error $NPM_OMIT
  touch "$NPM_STAMP-$MODE"
fi
node scripts/vendor.mjs

echo "setup: compiling translations"
.venv/bin/pybabel compile --statistics -d translations 2>&1 | grep -v '^$' | sed 's/^/  /' || true

if [ "$MODE" = dev ] && ! command -v chromium >/dev/null && [ ! -x /usr/bin/chromium ]; then
  echo "setup: installing Debian's chromium for the browser tests"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get install -y chromium >/dev/null 2>&1 || { $SUDO apt-get update >/dev/null && $SUDO apt-get install -y chromium >/dev/null; }
fi
