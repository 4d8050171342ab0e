#!/usr/bin/env bash
# The run command: installs what is missing, then starts every service and the
# gateway against RabbitMQ ($AMQP_URI) with the embedded SQLite store under ./data
# (or PostgreSQL with EVENT_STORE=postgres). Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
# The web app at /app/ (rebuilt when web/ changed); without Node.js the API still runs.
scripts/web.sh || echo "Starting without the web app at /app/ (see above); the API is unaffected." >&2
exec .venv/bin/python -m shared.launcher "$@"
