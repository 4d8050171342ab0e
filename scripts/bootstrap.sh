#!/usr/bin/env bash
# Creates .venv and installs the pinned packages, only when something changed:
# requirements.test.lock, which is requirements.run.lock (what the services run
# with, all the production image gets) plus the test and check tools.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
if ! "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)'; then
  echo "Python 3.11 is required (found: $("$PYTHON" --version 2>&1)). Install python3.11 and retry." >&2
  exit 1
fi

if [ ! -x .venv/bin/python ]; then
  echo "Creating virtual environment in .venv ..."
  "$PYTHON" -m venv .venv
fi

stamp=.venv/.requirements.sha256
want=$(cat requirements.run.lock requirements.test.lock | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]; then
  echo "Installing pinned packages from requirements.run.lock and requirements.test.lock ..."
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade "pip==24.3.1"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.test.lock
  echo "$want" > "$stamp"
fi

# The PDF report's Chinese font, instanced once from the pinned font package
# (services/gateway/report_fonts.py; a no-op when already made).
.venv/bin/python -m services.gateway.report_fonts >/dev/null
