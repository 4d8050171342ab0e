"""psycopg must not block the eventlet hub: workers of one service that wait on
PostgreSQL at the same time must be waiting together, not one after another."""

import time

from nameko.containers import ServiceContainer
from nameko.rpc import rpc
from nameko.standalone.rpc import ClusterRpcProxy

from services.registry.application import RegistryApplication
from shared.nameko_deps import ServiceStore
from tests.support.infra import store_env

CONCURRENT = 5
DB_WAIT = 0.4


class DatabaseWaitService:
    name = "dbwait"
    store = ServiceStore(RegistryApplication)

    @rpc
    def wait_in_database(self, seconds):
        started = time.monotonic()
        with self.store.recorder.datastore.get_connection() as conn:
            conn.execute("SELECT pg_sleep(%s)", (seconds,))
        return started, time.monotonic()


def test_concurrent_rpc_workers_overlap_while_waiting_on_postgres(amqp_uri, pg_store, monkeypatch):
    for key, value in store_env(pg_store).items():
        monkeypatch.setenv(key, value)
    config = {"AMQP_URI": amqp_uri, "max_workers": CONCURRENT}
    container = ServiceContainer(DatabaseWaitService, config)
    container.start()
    try:
        with ClusterRpcProxy(config, timeout=30) as cluster:
            replies = [cluster.dbwait.wait_in_database.call_async(DB_WAIT) for _ in range(CONCURRENT)]
            spans = [reply.result() for reply in replies]
    finally:
        container.stop()
    starts, ends = [s for s, _ in spans], [e for _, e in spans]
    # Every worker started its query before any finished: they overlapped.
    assert max(starts) < min(ends), spans
