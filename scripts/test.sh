#!/usr/bin/env bash
# The test command: installs what is missing (the web app's packages and
# chromium too), checks the code (format, lint, types), runs the web app's
# unit tests, makes sure PostgreSQL and RabbitMQ are up, then runs the whole suite.
# Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
scripts/web.sh --tests
echo "Checking format, lint and types (ruff, mypy) ..."
.venv/bin/ruff format --check --quiet . || { echo "ruff format would change the files above: run .venv/bin/ruff format ." >&2; exit 1; }
.venv/bin/ruff check --quiet .
.venv/bin/mypy --no-error-summary
echo "Unit tests of the web app (vitest) ..."
(cd web && npx --no-install vitest run --silent)
scripts/ensure_servers.sh
exec .venv/bin/python -m pytest -p no:cacheprovider --durations=15 "$@"
