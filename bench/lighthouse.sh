#!/usr/bin/env bash
# Lighthouse (mobile form factor, default simulated throttling) on one URL, as JSON.
#   bench/lighthouse.sh URL [OUT.json]
# Installs the pinned lighthouse npm package into bench/.node (gitignored) the first time.
# Uses Debian's chromium; never downloads a browser. Not part of the test command.
# lighthouse 13.5 declares node >= 22.19; it runs on the Node 20 here (npm warns, that is all).
set -euo pipefail
cd "$(dirname "$0")"
URL="$1"
OUT="${2:-out/lighthouse-report.json}"
VERSION=13.5.0
if [ ! -x .node/node_modules/.bin/lighthouse ] || \
   ! grep -q "\"version\": \"$VERSION\"" .node/node_modules/lighthouse/package.json 2>/dev/null; then
  echo "lighthouse: installing lighthouse@$VERSION into bench/.node"
  mkdir -p .node
  npm install --prefix .node --no-audit --no-fund --no-save --loglevel=error "lighthouse@$VERSION"
fi
mkdir -p "$(dirname "$OUT")"
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
.node/node_modules/.bin/lighthouse "$URL" --quiet --form-factor=mobile \
  --only-categories=performance,accessibility,best-practices,seo \
  --output=json --output-path="$OUT" \
  --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run"
