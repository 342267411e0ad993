#!/usr/bin/env bash
# Installs the Debian packages Hearth needs. Usage: setup-system.sh [run|test]
#   run:  what serving Hearth needs (Node.js to build the styles, Pango for PDFs, fonts)
#   test: also PostgreSQL and Chromium for the test suite
set -euo pipefail
want=(nodejs npm fonts-liberation libpango-1.0-0 libpangoft2-1.0-0)
if [[ "${1:-run}" == "test" ]]; then
  want+=(postgresql chromium)
fi
missing=()
for pkg in "${want[@]}"; do
  if [[ "$pkg" == nodejs || "$pkg" == npm ]] && command -v "${pkg/nodejs/node}" >/dev/null 2>&1; then
    continue
  fi
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "Installing system packages: ${missing[*]}"
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
