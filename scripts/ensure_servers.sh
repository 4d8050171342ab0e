#!/usr/bin/env bash
# Makes sure the local PostgreSQL and RabbitMQ (with its management API, which
# the tests and `make bench` use to give each run its own vhost) are up; starts them if they
# are installed but stopped; says clearly what is missing otherwise.
set -euo pipefail

PGHOST_="${POSTGRES_HOST:-127.0.0.1}"
PGPORT_="${POSTGRES_PORT:-5432}"

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

wait_port() {  # host port seconds
  for _ in $(seq 1 "$3"); do port_open "$1" "$2" && return 0; sleep 1; done
  return 1
}

if ! port_open "$PGHOST_" "$PGPORT_"; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    echo "PostgreSQL is stopped; starting it ..."
    for version in $(ls /etc/postgresql); do
      pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    done
    wait_port "$PGHOST_" "$PGPORT_" 30 || { echo "PostgreSQL did not start on $PGHOST_:$PGPORT_." >&2; exit 1; }
  else
    echo "PostgreSQL is not running on $PGHOST_:$PGPORT_ and is not installed here: install it (apt-get install postgresql) or point POSTGRES_HOST/POSTGRES_PORT at one." >&2
    exit 1
  fi
fi

if ! port_open 127.0.0.1 5672; then
  if command -v rabbitmq-server >/dev/null 2>&1; then
    echo "RabbitMQ is stopped; starting it ..."
    rabbitmq-server -detached || true
    wait_port 127.0.0.1 5672 60 || { echo "RabbitMQ did not start on 127.0.0.1:5672." >&2; exit 1; }
  else
    echo "RabbitMQ is not running on 127.0.0.1:5672 and is not installed here: install it (apt-get install rabbitmq-server)." >&2
    exit 1
  fi
fi

if ! port_open 127.0.0.1 15672; then
  if command -v rabbitmq-plugins >/dev/null 2>&1; then
    echo "Enabling RabbitMQ's management plugin (tests and benchmarks create a vhost each) ..."
    rabbitmq-plugins enable rabbitmq_management >/dev/null
    wait_port 127.0.0.1 15672 60 || { echo "RabbitMQ management API did not come up on :15672." >&2; exit 1; }
  else
    echo "RabbitMQ's management API (:15672) is needed by the tests and benchmarks; enable the rabbitmq_management plugin." >&2
    exit 1
  fi
fi
