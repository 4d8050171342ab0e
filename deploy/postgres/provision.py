"""One PostgreSQL role per service, owning its own schema and nothing else.

    python -m deploy.postgres.provision            # from the environment, as docker-compose.yml runs it

Connects as the database's administrator (POSTGRES_HOST, POSTGRES_PORT,
POSTGRES_DBNAME, POSTGRES_USER, POSTGRES_PASSWORD, as shared/config.py reads
them) and, for each of registry, grants, casework, finance and gateway, runs
deploy/postgres/roles.sql with POSTGRES_<SERVICE>_PASSWORD: the role (named
as its schema, `<POSTGRES_SCHEMA_PREFIX><service>`) may log in and owns its
schema; it is no superuser and has no right on any other schema, nor on the
public one. Idempotent: run it again after changing a password, or after a
restore with --no-owner (it hands the restored tables to their roles).

The administrator keeps every right: backups (scripts/backup) and operators
use it; the services never do.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

import psycopg
from psycopg import sql

from shared import pg
from shared.config import SERVICES, StoreSettings, load_store_settings

ROLES_SQL = Path(__file__).with_name("roles.sql")
# Every process that opens PostgreSQL: the four services and the gateway (its users).
OWNERS = SERVICES + ("gateway",)


def password_variable(service: str) -> str:
    return f"POSTGRES_{service.upper()}_PASSWORD"


def role_for(store: StoreSettings, service: str) -> str:
    """A service's role is named as its schema."""
    return store.schema_for(service)


def hashed(conn: psycopg.Connection, role: str, password: str) -> str:
    """The password as the server stores it (SCRAM-SHA-256): the clear text never reaches the server."""
    return conn.pgconn.encrypt_password(password.encode(), role.encode(), b"scram-sha-256").decode()


def role_script(admin: StoreSettings, service: str, password_hash: str) -> sql.Composed:
    role = role_for(admin, service)
    schema = admin.schema_for(service)
    return sql.SQL(ROLES_SQL.read_text(encoding="utf-8")).format(
        database=sql.Identifier(admin.postgres_dbname),
        role=sql.Identifier(role),
        role_name=sql.Literal(role),
        schema=sql.Identifier(schema),
        schema_name=sql.Literal(schema),
        password=sql.Literal(password_hash),
    )


def provision(admin: StoreSettings, passwords: Mapping[str, str]) -> list[str]:
    """Runs roles.sql for each service in `passwords`, one transaction each; returns the roles."""
    roles = []
    with pg.connect(admin, application_name="postgres-roles") as conn:
        for service, password in passwords.items():
            role = role_for(admin, service)
            with conn.transaction():
                conn.execute(role_script(admin, service, hashed(conn, role, password)))
            roles.append(role)
    return roles


def main() -> int:
    missing = [name for name in map(password_variable, OWNERS) if not os.environ.get(name, "").strip()]
    if missing:
        print(f"provision: set {', '.join(missing)}", file=sys.stderr)
        return 2
    admin = replace(load_store_settings(), kind="postgres")
    if admin.postgres_user in {role_for(admin, service) for service in OWNERS}:
        print("provision: connect as the administrator (POSTGRES_USER), not as a service's role", file=sys.stderr)
        return 2
    roles = provision(admin, {service: os.environ[password_variable(service)] for service in OWNERS})
    print(f"provisioned PostgreSQL roles: {', '.join(roles)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
