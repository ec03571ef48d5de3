#!/usr/bin/env bash
# Extract every translatable string into translations/messages.pot and merge it into the
# sv, fi, en and ar catalogs (new strings appear untranslated; tests/test_translations.py
# fails until they are translated).
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location \
  --sort-output --project kopingreport --copyright-holder "Köping kommun" \
  -o translations/messages.pot . 2>&1 | { grep -v "^extracting\|^writing" || true; }
for lang in sv fi en ar; do
  if [ -f "translations/$lang/LC_MESSAGES/messages.po" ]; then
    .venv/bin/pybabel update --no-fuzzy-matching --ignore-obsolete \
      -i translations/messages.pot -d translations -l "$lang" 2>&1 | { grep -v "^updating\|^creating" || true; }
  else
    .venv/bin/pybabel init -i translations/messages.pot -d translations -l "$lang" 2>&1 | { grep -v "^updating\|^creating" || true; }
  fi
done
