"""The event store on real databases: append-only tables, encryption at rest,
the psycopg/eventlet guard, and one relay per service."""

import base64
import os
import sqlite3
import subprocess
import sys
from dataclasses import replace
from datetime import date

import psycopg
import pytest

from services.registry.application import RegistryApplication
from shared import pg
from shared.eventstore import open_application
from shared.locks import relay_lock
from shared.relay import stored_meta
from tests.support.children import MIGRANT_PARENTS

CHILD = dict(
    name="马小军",
    gender="male",
    date_of_birth=date(2016, 2, 2),
    id_number=None,
    town="滨河镇",
    village="新北村",
    categories=["left_behind"],
    household=MIGRANT_PARENTS,
)


def registry_on(store):
    app = open_application(RegistryApplication, store)
    app.clock = lambda: date(2025, 6, 1)
    return app


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE {t} SET topic = 'forged'",
        "DELETE FROM {t}",
        "TRUNCATE {t}",
    ],
)
def test_postgres_refuses_changes_to_stored_events(pg_store, statement):
    app = registry_on(pg_store)
    app.register_child(**CHILD)
    table = f'"{pg_store.schema_for("registry")}".registry_events'
    with pg.connect(pg_store) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
            conn.execute(statement.format(t=table))
        assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 1
    app.close()


@pytest.mark.parametrize("statement", ["UPDATE stored_events SET topic = 'forged'", "DELETE FROM stored_events"])
def test_sqlite_refuses_changes_to_stored_events(sqlite_store, statement):
    app = registry_on(sqlite_store)
    app.register_child(**CHILD)
    conn = sqlite3.connect(sqlite_store.sqlite_path_for("registry"))
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute(statement)
    assert conn.execute("SELECT count(*) FROM stored_events").fetchone()[0] == 1
    conn.close()
    app.close()


def test_cipher_key_encrypts_child_data_at_rest(pg_store):
    key = base64.b64encode(os.urandom(32)).decode()
    store = replace(pg_store, cipher_key=key)
    app = registry_on(store)
    child_id = app.register_child(**CHILD)
    table = f'"{store.schema_for("registry")}".registry_events'
    with pg.connect(store) as conn:
        [state] = conn.execute(f"SELECT state FROM {table}").fetchone()
    assert "马小军".encode() not in bytes(state) and b"actor_id" not in bytes(state)
    assert app.get_child(child_id)["name"] == "马小军"
    [notification] = app.recorder.select_notifications(start=1, limit=1)
    assert stored_meta(app, notification)["actor_id"] == "system"
    app.close()
    without_key = registry_on(replace(store, cipher_key=""))
    with pytest.raises(ValueError):  # ciphertext is not JSON
        without_key.get_child(child_id)
    without_key.close()


def test_start_up_refuses_psycopg_with_the_blocking_wait_function():
    code = (
        "import os; os.environ['PSYCOPG_WAIT_FUNC'] = 'wait_c'\n"
        "import psycopg\n"
        "from shared.eventstore import check_psycopg_does_not_block\n"
        "check_psycopg_does_not_block()\n"
    )
    env = {**os.environ, "PSYCOPG_WAIT_FUNC": "wait_c"}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=os.getcwd())
    assert result.returncode != 0
    assert "blocks the eventlet hub" in result.stderr


def test_only_one_relay_lock_holder_per_service_and_takeover_on_release(pg_store):
    with pg.connect(pg_store) as conn:
        pg.create_schema(conn, pg_store.schema_for("registry"))
    first, second = relay_lock(pg_store, "registry"), relay_lock(pg_store, "registry")
    assert first.acquire() is True
    assert second.acquire() is False
    assert first.acquire() is True  # re-entrant for the holder
    first.release()  # the holder's session ends (as when its process dies)
    assert second.acquire() is True
    assert first.acquire() is False
    second.release()


def test_sqlite_relay_lock_is_exclusive_too(sqlite_store):
    first, second = relay_lock(sqlite_store, "registry"), relay_lock(sqlite_store, "registry")
    assert first.acquire() and not second.acquire()
    first.release()
    assert second.acquire()
    second.release()
