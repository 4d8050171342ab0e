#!/usr/bin/env bash
# The browser app (web/): installs its npm packages from the lockfile and
# builds it into web/dist, each only when something changed.
#   scripts/web.sh            install + build (make run)
#   scripts/web.sh --tests    also Debian's chromium + CJK fonts for the browser tests (make test)
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v npm >/dev/null 2>&1; then
  echo "Node.js 20 or newer is needed to build the web app: install it from https://nodejs.org (or apt-get install nodejs npm) and rerun." >&2
  exit 3
fi

stamp_of() { cat "$1" 2>/dev/null || true; }

want=$(sha256sum web/package-lock.json | cut -d' ' -f1)
if [ ! -d web/node_modules ] || [ "$(stamp_of web/node_modules/.lock.sha256)" != "$want" ]; then
  echo "Installing the web app's npm packages (npm ci) ..."
  (cd web && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" > web/node_modules/.lock.sha256
fi

sources=$(cd web && find index.html package-lock.json vite.config.ts tsconfig.json src docs -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
if [ ! -f web/dist/index.html ] || [ "$(stamp_of web/dist/.sources.sha256)" != "$sources" ]; then
  echo "Building the web app (web/dist) ..."
  (cd web && npm run --silent build >/dev/null)
  echo "$sources" > web/dist/.sources.sha256
fi

if [ "${1:-}" = "--tests" ] && ! command -v chromium >/dev/null 2>&1; then
  echo "Installing Debian's chromium and CJK fonts for the browser tests ..."
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi
