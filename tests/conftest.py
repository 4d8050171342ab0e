"""Test-wide setup. eventlet must patch before anything else imports sockets or
threads (nameko's standalone proxies and in-process containers need it), and
psycopg must not pick its hub-blocking C wait function."""
import os

os.environ["PSYCOPG_WAIT_FUNC"] = "wait_select"

import eventlet  # noqa: E402

eventlet.monkey_patch()

import pytest  # noqa: E402

from tests.support.infra import (  # noqa: E402,F401
    amqp_uri, pg_store, postgres_available, rabbit_vhost, sqlite_store,
)
