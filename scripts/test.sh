#!/usr/bin/env bash
# The test command: installs what is missing, makes sure PostgreSQL and RabbitMQ
# are up, then runs the whole suite. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
scripts/ensure_servers.sh
exec .venv/bin/python -m pytest -p no:cacheprovider "$@"
