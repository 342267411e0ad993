#!/usr/bin/env bash
# Build Hearth's front-end assets into build/static/ (gitignored).
#
#   bash scripts/build-frontend.sh
#
# - installs npm packages from package-lock.json (npm ci) when node_modules is
#   missing or older than the lock file;
# - compiles frontend/scss/hearth.scss -> build/static/hearth.css (compressed,
#   no source map, dependency deprecation warnings silenced);
# - copies govuk-frontend.min.js, htmx.min.js and frontend/js/*.js.
# Idempotent; runnable from any working directory.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

OUT="$ROOT/build/static"
LOCK="$ROOT/package-lock.json"
MODULES="$ROOT/node_modules"
# npm ci writes this file last, so its mtime marks a completed install.
STAMP="$MODULES/.package-lock.json"

if ! command -v npm >/dev/null 2>&1; then
  echo "build-frontend: npm is not installed (Node.js 20+ is needed)" >&2
  exit 1
fi

if [[ ! -d "$MODULES" || ! -f "$STAMP" || "$LOCK" -nt "$STAMP" ]]; then
  echo "build-frontend: npm ci"
  # Optional deps are only sass's native file watcher (not used here).
  npm ci --no-audit --no-fund --omit=optional --loglevel=error
fi

GOVUK_DIST="$MODULES/govuk-frontend/dist/govuk"
HTMX_DIST="$MODULES/htmx.org/dist"
SASS_BIN="$MODULES/.bin/sass"

for required in "$GOVUK_DIST/govuk-frontend.min.js" "$HTMX_DIST/htmx.min.js" "$SASS_BIN"; do
  if [[ ! -e "$required" ]]; then
    echo "build-frontend: missing $required (try: rm -rf node_modules && bash scripts/build-frontend.sh)" >&2
    exit 1
  fi
done

mkdir -p "$OUT"

# Write to a temporary file then move into place, so a failed compile never
# leaves a half-written stylesheet behind.
tmp_css="$(mktemp "$OUT/.hearth.css.XXXXXX")"
trap 'rm -f "$tmp_css"' EXIT
"$SASS_BIN" \
  --load-path="$MODULES" \
  --style=compressed \
  --no-source-map \
  --quiet-deps \
  --no-error-css \
  "$ROOT/frontend/scss/hearth.scss" "$tmp_css"
chmod 644 "$tmp_css"
mv -f "$tmp_css" "$OUT/hearth.css"
trap - EXIT

if grep -q "GDS Transport\|@font-face" "$OUT/hearth.css"; then
  echo "build-frontend: hearth.css must not contain GDS Transport or @font-face" >&2
  exit 1
fi

cp -f "$GOVUK_DIST/govuk-frontend.min.js" "$OUT/govuk-frontend.min.js"
# The minified module ends with a sourceMappingURL comment; Django's manifest
# storage (collectstatic) fails if the referenced map is missing, so copy it.
cp -f "$GOVUK_DIST/govuk-frontend.min.js.map" "$OUT/govuk-frontend.min.js.map"
cp -f "$HTMX_DIST/htmx.min.js" "$OUT/htmx.min.js"
cp -f "$ROOT"/frontend/js/*.js "$OUT/"

echo "build-frontend: wrote $(cd "$OUT" && ls | tr '\n' ' ')to build/static/"
