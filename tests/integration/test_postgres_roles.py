"""Each service's PostgreSQL role (deploy/postgres/roles.sql, run by
deploy/postgres/provision.py as docker-compose.yml's `postgres-roles` job) on
the real server: it opens its store in its own schema, and is refused
everything else. Throwaway roles and a throwaway database, dropped afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date

import psycopg
import pytest
from psycopg import sql

from deploy.postgres.provision import OWNERS, provision, role_for
from services.registry.application import RegistryApplication
from shared import pg
from shared.config import StoreSettings
from shared.eventstore import open_application
from tests.integration.test_event_store import CHILD
from tests.support.infra import postgres_store, unique

PASSWORDS = {service: f"{service}-password" for service in OWNERS}


@pytest.fixture(scope="module")
def admin(postgres_available) -> Iterator[StoreSettings]:
    """The administrator, on a database of its own whose registry schema already holds
    tables the administrator made (as when services ran as the administrator)."""
    prefix = unique("t") + "_"
    store = replace(postgres_store(prefix), postgres_dbname=prefix + "roles")
    server = replace(store, postgres_dbname="postgres")
    with pg.connect(server) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(store.postgres_dbname)))
    try:
        with pg.connect(store) as conn:
            legacy = sql.Identifier(store.schema_for("registry"))
            conn.execute(sql.SQL("CREATE SCHEMA {}").format(legacy))
            conn.execute(sql.SQL("CREATE TABLE {}.legacy (n serial PRIMARY KEY, note text)").format(legacy))
            conn.execute(sql.SQL("CREATE TYPE {}.mood AS ENUM ('calm')").format(legacy))
            conn.execute(sql.SQL("CREATE FUNCTION {}.one() RETURNS int LANGUAGE sql AS 'SELECT 1'").format(legacy))
        provision(store, PASSWORDS)
        yield store
    finally:
        with pg.connect(server) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(store.postgres_dbname))
            )
            for service in OWNERS:
                conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role_for(store, service))))


def as_service(admin: StoreSettings, service: str) -> StoreSettings:
    return replace(admin, postgres_user=role_for(admin, service), postgres_password=PASSWORDS[service])


def test_each_role_may_log_in_and_nothing_more(admin):
    with pg.connect(admin) as conn:
        rows = conn.execute(
            "SELECT rolname, rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls,"
            " rolinherit, rolpassword LIKE 'SCRAM-SHA-256$%%',"
            " EXISTS (SELECT FROM pg_auth_members m WHERE m.member = r.oid)"
            " FROM pg_authid r WHERE rolname = ANY(%s) ORDER BY rolname",
            ([role_for(admin, s) for s in OWNERS],),
        ).fetchall()
    assert [row[0] for row in rows] == sorted(role_for(admin, s) for s in OWNERS)
    for row in rows:
        assert row[1:] == (True, False, False, False, False, False, False, True, False), row


def test_each_role_owns_its_schema_and_public_has_no_rights_on_it(admin):
    with pg.connect(admin) as conn:
        for service in OWNERS:
            owner, others = conn.execute(
                "SELECT pg_get_userbyid(nspowner), ARRAY(SELECT grantee FROM aclexplode(nspacl)"
                " WHERE grantee <> nspowner) FROM pg_namespace WHERE nspname = %s",
                (admin.schema_for(service),),
            ).fetchone()
            assert owner == role_for(admin, service)
            assert others == [], f"{service}'s schema is granted to {others} (0 = PUBLIC)"


def test_a_service_opens_and_writes_its_store_as_its_own_role(admin):
    store = as_service(admin, "registry")
    app = open_application(RegistryApplication, store)  # creates tables, types, functions and triggers
    app.clock = lambda: date(2025, 6, 1)
    try:
        child_id = app.register_child(**CHILD)
        assert app.get_child(child_id)["name"] == CHILD["name"]
    finally:
        app.close()
    with pg.connect(store) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
            conn.execute(f'DELETE FROM "{store.schema_for("registry")}".registry_events')


def test_tables_made_before_the_roles_are_handed_to_the_role(admin):
    schema = admin.schema_for("registry")
    with pg.connect(as_service(admin, "registry")) as conn:
        conn.execute(f'INSERT INTO "{schema}".legacy (note) VALUES (%s)', ("mine now",))
        conn.execute(f'ALTER TABLE "{schema}".legacy ADD COLUMN IF NOT EXISTS extra text')
        assert conn.execute(f'SELECT "{schema}".one()').fetchone() == (1,)
        conn.execute(f"ALTER TYPE \"{schema}\".mood ADD VALUE IF NOT EXISTS 'glad'")


@pytest.mark.parametrize(
    "statement",
    [
        "SELECT * FROM {other}.kept",
        "INSERT INTO {other}.kept VALUES (2)",
        "CREATE TABLE {other}.planted (n int)",
        "CREATE TABLE public.planted (n int)",
        "CREATE TEMPORARY TABLE planted (n int)",
        "CREATE SCHEMA planted",
        "SET ROLE {other_role}",
    ],
)
def test_a_role_is_refused_another_services_schema(admin, statement):
    other = admin.schema_for("grants")
    with pg.connect(as_service(admin, "grants")) as conn:
        conn.execute(f'CREATE TABLE IF NOT EXISTS "{other}".kept (n int)')
    with pg.connect(as_service(admin, "casework")) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"):
            conn.execute(
                sql.SQL(statement).format(
                    other=sql.Identifier(other), other_role=sql.Identifier(role_for(admin, "grants"))
                )
            )
        conn.execute(sql.SQL("CREATE TABLE {}.own (n int)").format(sql.Identifier(admin.schema_for("casework"))))
        conn.execute(sql.SQL("DROP TABLE {}.own").format(sql.Identifier(admin.schema_for("casework"))))


def test_running_it_again_changes_nothing_and_keeps_the_data(admin):
    provision(admin, PASSWORDS)
    with pg.connect(as_service(admin, "registry")) as conn:
        assert conn.execute(f'SELECT note FROM "{admin.schema_for("registry")}".legacy').fetchall() == [("mine now",)]
