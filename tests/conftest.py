"""Test-wide setup. eventlet must patch before anything else imports sockets or
threads (nameko's standalone proxies and in-process containers need it), and
psycopg must not pick its hub-blocking C wait function.

Tests run on the programme's calendar: the test process (and the services it
starts) keep local time in the programme's zone, so a test's `date.today()` is
the services' today even when the machine's clock is on another day in UTC."""

import os
import time

os.environ["PSYCOPG_WAIT_FUNC"] = "wait_select"
os.environ["TZ"] = os.environ.get("PROGRAMME_TIMEZONE") or "Asia/Shanghai"
time.tzset()

import eventlet  # noqa: E402

eventlet.monkey_patch()


from tests.support.infra import (  # noqa: E402,F401
    amqp_uri,
    pg_store,
    postgres_available,
    postgres_unreachable,
    rabbit_vhost,
    sqlite_store,
)

MARKERS = {"unit": "unit", "integration": "integration", "e2e": "e2e", "faults": "faults"}


def pytest_collection_modifyitems(items):
    """Each test is marked by its area (tests/<area>/), so `-m "not e2e"` works."""
    for item in items:
        area = item.path.relative_to(item.config.rootpath).parts[1]
        if area in MARKERS:
            item.add_marker(MARKERS[area])
