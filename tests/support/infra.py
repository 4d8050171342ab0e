"""Isolation on shared servers: each test gets its own RabbitMQ vhost and its
own PostgreSQL schemas (or SQLite directory), and removes them afterwards."""
from __future__ import annotations

import uuid
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
def postgres_available() -> None:
    store = load_store_settings()
    try:
        pg.connect(replace(store, kind="postgres")).close()
    except Exception as error:  # noqa: BLE001
        pytest.fail(f"PostgreSQL is required for this test and is not reachable: {error}")


@pytest.fixture
def rabbit_vhost():
    name = unique("test-")
    put = requests.put(f"{RABBIT_API}/vhosts/{name}", auth=RABBIT_AUTH, timeout=10)
    put.raise_for_status()
    requests.put(
        f"{RABBIT_API}/permissions/{name}/guest",
        json={"configure": ".*", "write": ".*", "read": ".*"},
        auth=RABBIT_AUTH, timeout=10,
    ).raise_for_status()
    yield name
    requests.delete(f"{RABBIT_API}/vhosts/{name}", auth=RABBIT_AUTH, timeout=10)


@pytest.fixture
def amqp_uri(rabbit_vhost) -> str:
    return f"amqp://guest:guest@127.0.0.1:5672/{rabbit_vhost}"


def postgres_store(prefix: str) -> StoreSettings:
    return replace(load_store_settings(), kind="postgres", schema_prefix=prefix)


def drop_schemas(store: StoreSettings, services=SERVICES + ("gateway",)) -> None:
    with pg.connect(store) as conn:
        for service in services:
            pg.drop_schema(conn, store.schema_for(service))


@pytest.fixture
def pg_store(postgres_available) -> StoreSettings:
    store = postgres_store(unique("t") + "_")
    yield store
    drop_schemas(store)


@pytest.fixture
def sqlite_store(tmp_path: Path) -> StoreSettings:
    return replace(load_store_settings(), kind="sqlite", data_dir=tmp_path / "data")


def store_env(store: StoreSettings) -> dict[str, str]:
    """The environment a service process needs to use this store."""
    env = {"EVENT_STORE": store.kind, "DATA_DIR": str(store.data_dir)}
    if store.kind == "postgres":
        env.update({
            "POSTGRES_HOST": store.postgres_host, "POSTGRES_PORT": str(store.postgres_port),
            "POSTGRES_DBNAME": store.postgres_dbname, "POSTGRES_USER": store.postgres_user,
            "POSTGRES_PASSWORD": store.postgres_password,
            "POSTGRES_SCHEMA_PREFIX": store.schema_prefix,
        })
    if store.cipher_key:
        env["CIPHER_KEY"] = store.cipher_key
    return env
