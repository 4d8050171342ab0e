"""Isolation on shared servers: each test gets its own RabbitMQ vhost and its
own PostgreSQL schemas (or SQLite directory), and removes them afterwards."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest
import requests

from shared import pg
from shared.config import SERVICES, StoreSettings, load_store_settings

RABBIT_API = "http://127.0.0.1:15672/api"
RABBIT_AUTH = ("guest", "guest")


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:10]}"


@pytest.fixture(scope="session")
def postgres_unreachable() -> str | None:
    """Why PostgreSQL cannot be reached, or None when it can."""
    try:
        pg.connect(replace(load_store_settings(), kind="postgres")).close()
    except Exception as error:  # noqa: BLE001 - any failure means "not here"
        return str(error)
    return None


@pytest.fixture(scope="session")
def postgres_available(postgres_unreachable) -> None:
    """For integration and end-to-end tests: without PostgreSQL they fail."""
    if postgres_unreachable:
        pytest.fail(f"PostgreSQL is required for this test and is not reachable: {postgres_unreachable}")


@contextmanager
def isolated_vhost() -> Iterator[str]:
    name = unique("test-")
    put = requests.put(f"{RABBIT_API}/vhosts/{name}", auth=RABBIT_AUTH, timeout=10)
    put.raise_for_status()
    requests.put(
        f"{RABBIT_API}/permissions/{name}/guest",
        json={"configure": ".*", "write": ".*", "read": ".*"},
        auth=RABBIT_AUTH,
        timeout=10,
    ).raise_for_status()
    try:
        yield name
    finally:
        requests.delete(f"{RABBIT_API}/vhosts/{name}", auth=RABBIT_AUTH, timeout=10)


def amqp_uri_for(vhost: str) -> str:
    return f"amqp://guest:guest@127.0.0.1:5672/{vhost}"


@pytest.fixture
def rabbit_vhost():
    with isolated_vhost() as name:
        yield name


@pytest.fixture
def amqp_uri(rabbit_vhost) -> str:
    return amqp_uri_for(rabbit_vhost)


def postgres_store(prefix: str) -> StoreSettings:
    return replace(load_store_settings(), kind="postgres", schema_prefix=prefix)


def drop_schemas(store: StoreSettings, services=SERVICES + ("gateway",)) -> None:
    with pg.connect(store) as conn:
        for service in services:
            pg.drop_schema(conn, store.schema_for(service))


@contextmanager
def isolated_pg_store() -> Iterator[StoreSettings]:
    store = postgres_store(unique("t") + "_")
    try:
        yield store
    finally:
        drop_schemas(store)


@pytest.fixture
def pg_store(postgres_available) -> StoreSettings:
    with isolated_pg_store() as store:
        yield store


@pytest.fixture
def sqlite_store(tmp_path: Path) -> StoreSettings:
    return replace(load_store_settings(), kind="sqlite", data_dir=tmp_path / "data")


def store_env(store: StoreSettings) -> dict[str, str]:
    """The environment a service process needs to use this store."""
    env = {"EVENT_STORE": store.kind, "DATA_DIR": str(store.data_dir)}
    if store.kind == "postgres":
        env.update(
            {
                "POSTGRES_HOST": store.postgres_host,
                "POSTGRES_PORT": str(store.postgres_port),
                "POSTGRES_DBNAME": store.postgres_dbname,
                "POSTGRES_USER": store.postgres_user,
                "POSTGRES_PASSWORD": store.postgres_password,
                "POSTGRES_SCHEMA_PREFIX": store.schema_prefix,
                # Tests run many processes against one server with max_connections=100.
                "POSTGRES_POOL_SIZE": "1",
                "POSTGRES_MAX_OVERFLOW": "10",
            }
        )
    if store.cipher_key:
        env["CIPHER_KEY"] = store.cipher_key
    if store.event_mac_key:
        env["EVENT_MAC_KEY"] = store.event_mac_key
    if store.claim_key:
        env["CLAIM_KEY"] = store.claim_key
    return env
