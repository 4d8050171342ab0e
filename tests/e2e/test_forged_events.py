"""A running registry in production mode: it signs every event it stores; a
row inserted straight into its event table is refused by its sealer, shown in
its health and named by verify. Without EVENT_MAC_KEY it does not start."""

import subprocess
import uuid

import pytest

from shared import pg
from tests.support.broker_users import production_env, service_users
from tests.support.processes import System, wait_until


@pytest.fixture
def own_users(rabbit_vhost):
    """Production never connects as guest: each process gets its own broker user."""
    with service_users(rabbit_vhost) as uris:
        yield uris


@pytest.fixture
def production_system(amqp_uri, own_users, pg_store, tmp_path):
    """A System whose registry runs in production mode as its own broker user;
    the test itself calls it as guest on the test's vhost."""
    system = System(amqp_uri, pg_store, tmp_path, APP_ENV="production")
    system.service_env = {"registry": production_env("registry", own_users["registry"])}
    try:
        yield system
    finally:
        system.stop_all()


def test_a_row_forged_in_postgresql_is_refused_by_the_running_sealer_and_named(production_system, pg_store):
    system = production_system
    system.start("registry")
    with system.rpc() as rpc:
        wait_until(lambda: rpc.registry.health()["sealer"]["checks_macs"], message="the sealer checks MACs")
    table = f'"{pg_store.schema_for("registry")}".registry_events'
    forged_id = uuid.uuid4()
    with pg.connect(pg_store) as conn:
        conn.execute(
            f"INSERT INTO {table} (originator_id, originator_version, topic, state) VALUES (%s, 1, %s, %s)",
            (forged_id, "services.registry.domain.child:Child.Registered", b'{"name":"admin"}'),
        )
    with system.rpc() as rpc:
        wait_until(lambda: rpc.registry.health()["sealer"]["refused"] is not None, message="the sealer refuses")
        refused = rpc.registry.health()["sealer"]["refused"]
        assert refused["aggregate_id"] == str(forged_id) and refused["version"] == 1
        assert refused["reason"].startswith("forged")
        verified = rpc.registry.audit_verify()
    assert not verified["ok"] and verified["macs_checked"]
    assert verified["broken_at"] == refused["position"]
    assert verified["record"] == {"aggregate_id": str(forged_id), "version": 1}


def test_a_production_service_without_an_event_mac_key_exits_naming_it(amqp_uri, own_users, pg_store, tmp_path):
    system = System(amqp_uri, pg_store, tmp_path, APP_ENV="production", EVENT_MAC_KEY="")
    system.service_env = {"registry": production_env("registry", own_users["registry"])}
    try:
        system.start("registry", wait=False)
        try:
            returncode = system.procs["registry"][-1].wait(timeout=90)
        except subprocess.TimeoutExpired:
            pytest.fail(f"the registry kept running without EVENT_MAC_KEY:\n{system.log_tail('registry')}")
        log = system.log_tail("registry", lines=200)
        assert returncode != 0 and "EVENT_MAC_KEY" in log, log
    finally:
        system.stop_all()
