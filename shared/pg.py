"""Small PostgreSQL helpers for DDL, locks and checks outside eventsourcing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg import sql

from shared.config import StoreSettings


def connect(store: StoreSettings, autocommit: bool = True, application_name: str = "childcare") -> psycopg.Connection:
    return psycopg.connect(
        application_name=application_name[:63],
        host=store.postgres_host,
        port=store.postgres_port,
        dbname=store.postgres_dbname,
        user=store.postgres_user,
        password=store.postgres_password or None,
        autocommit=autocommit,
        connect_timeout=5,
    )


def lock_key(name: str) -> sql.Composed:
    return sql.SQL("hashtextextended({}, 0)").format(sql.Literal(name))


@contextmanager
def session_lock(conn: psycopg.Connection, name: str) -> Iterator[None]:
    conn.execute(sql.SQL("SELECT pg_advisory_lock({})").format(lock_key(name)))
    try:
        yield
    finally:
        conn.execute(sql.SQL("SELECT pg_advisory_unlock({})").format(lock_key(name)))


def try_session_lock(conn: psycopg.Connection, name: str) -> bool:
    row = conn.execute(sql.SQL("SELECT pg_try_advisory_lock({})").format(lock_key(name))).fetchone()
    return bool(row and row[0])


def create_schema(conn: psycopg.Connection, schema: str) -> None:
    """Creates the schema unless it exists. Looks first: CREATE SCHEMA IF NOT EXISTS needs the
    right to create schemas even when there is nothing to create, and a service's own role
    (deploy/postgres/roles.sql) has none; its schema was made for it."""
    if conn.execute("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = %s", (schema,)).fetchone():
        return
    conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))


def drop_schema(conn: psycopg.Connection, schema: str) -> None:
    conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


def make_append_only(conn: psycopg.Connection, schema: str, table: str) -> None:
    ident = sql.Identifier(schema, table)
    func = sql.Identifier(schema, "refuse_event_change")
    conn.execute(
        sql.SQL(
            "CREATE OR REPLACE FUNCTION {func}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION 'event table %.% is append-only: % refused', "
            "TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP "
            "USING ERRCODE = 'insufficient_privilege'; END $$"
        ).format(func=func)
    )
    conn.execute(
        sql.SQL(
            "CREATE OR REPLACE TRIGGER append_only_rows BEFORE UPDATE OR DELETE "
            "ON {t} FOR EACH ROW EXECUTE FUNCTION {func}()"
        ).format(t=ident, func=func)
    )
    conn.execute(
        sql.SQL(
            "CREATE OR REPLACE TRIGGER append_only_truncate BEFORE TRUNCATE "
            "ON {t} FOR EACH STATEMENT EXECUTE FUNCTION {func}()"
        ).format(t=ident, func=func)
    )
