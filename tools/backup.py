"""`backup`: dump every service's PostgreSQL schema in one consistent snapshot,
and restore it into a fresh database. See docs/operations.md (Backup and restore).

    python -m tools.backup dump --out childcare-2026-06-30.dump
    python -m tools.backup restore childcare-2026-06-30.dump --dbname childcare_restored --create

Same environment as the services (POSTGRES_HOST, POSTGRES_PORT, POSTGRES_DBNAME,
POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_SCHEMA_PREFIX). `dump` reads
POSTGRES_DBNAME; `restore` writes only the database named by --dbname, and
refuses one that already holds any of the schemas (it never overwrites data).

One `pg_dump` run covers all schemas, so the dump is one snapshot of the whole
system (no service is ahead of another). Beside the dump, `<dump>.json` names the
schemas and the dump's SHA-256; restore checks both before writing anything.
Keys (CIPHER_KEY, EVENT_MAC_KEY, CLAIM_KEY, AUDIT_ANCHOR_KEY, signing keys) are
not in the database and not in the dump: keep them apart, as the services need
the same ones to read the restored data.

Exit status: 0 done, 2 bad usage or input (including a checksum mismatch or a
target that already holds the schemas), 3 PostgreSQL unreachable or pg_* failed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import psycopg
from psycopg import sql

from shared import pg
from shared.config import SERVICES, StoreSettings, load_store_settings

OK, USAGE, UNAVAILABLE = 0, 2, 3
FORMAT = "childcare-backup/1"
# The gateway's schema holds the users; the services' hold events, seals, tracking and projections.
SCHEMA_OWNERS = SERVICES + ("gateway",)


class UsageError(Exception):
    pass


def schemas(store: StoreSettings) -> list[str]:
    return [store.schema_for(name) for name in SCHEMA_OWNERS]


def pg_env(store: StoreSettings) -> dict[str, str]:
    """The connection for pg_dump/pg_restore, passed by environment (never on the command line)."""
    env = dict(os.environ)
    env.update(
        {
            "PGHOST": store.postgres_host,
            "PGPORT": str(store.postgres_port),
            "PGUSER": store.postgres_user,
            "PGDATABASE": store.postgres_dbname,
        }
    )
    if store.postgres_password:
        env["PGPASSWORD"] = store.postgres_password
    return env


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def manifest_path(dump: Path) -> Path:
    return dump.with_name(dump.name + ".json")


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise UsageError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return found


def _run(command: list[str], store: StoreSettings) -> None:
    done = subprocess.run(command, env=pg_env(store), capture_output=True, text=True)
    if done.returncode != 0:
        raise ConnectionError(f"{Path(command[0]).name} failed: {done.stderr.strip()[-2000:]}")


def existing_schemas(store: StoreSettings, names: Sequence[str]) -> list[str]:
    with pg.connect(store) as conn:
        rows = conn.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname = ANY(%s) ORDER BY nspname", (list(names),)
        ).fetchall()
    return [row[0] for row in rows]


def dump(store: StoreSettings, out: Path) -> dict:
    wanted = schemas(store)
    try:
        present = existing_schemas(store, wanted)
    except Exception as error:  # noqa: BLE001 - any failure to connect is "unreachable"
        raise ConnectionError(f"cannot reach PostgreSQL: {error}") from None
    missing = sorted(set(wanted) - set(present))
    if missing:
        raise UsageError(f"no schema {', '.join(missing)} in database {store.postgres_dbname}: check POSTGRES_*")
    command = [_tool("pg_dump"), "--format=custom", f"--file={out}"]
    command += [f"--schema={name}" for name in wanted]
    _run(command, store)
    manifest = {
        "format": FORMAT,
        "taken_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": store.postgres_dbname,
        "schema_prefix": store.schema_prefix,
        "schemas": wanted,
        "sha256": sha256_of(out),
        "bytes": out.stat().st_size,
    }
    manifest_path(out).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def read_manifest(dump_file: Path) -> dict:
    path = manifest_path(dump_file)
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise UsageError(f"cannot read {path}: {error}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise UsageError(f"{path} is not a {FORMAT} manifest")
    if sha256_of(dump_file) != manifest.get("sha256"):
        raise UsageError(f"{dump_file} does not match the SHA-256 in {path}: the dump is damaged or not this one")
    return manifest


def create_database(store: StoreSettings, name: str) -> None:
    admin = replace(store, postgres_dbname="postgres")
    with pg.connect(admin) as conn:
        try:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        except psycopg.errors.DuplicateDatabase:
            raise UsageError(f"database {name} exists already: leave out --create, or name a new one") from None


def restore(store: StoreSettings, dump_file: Path, dbname: str, create: bool, no_owner: bool) -> dict:
    manifest = read_manifest(dump_file)
    target = replace(store, postgres_dbname=dbname)
    try:
        if create:
            create_database(store, dbname)
        taken = existing_schemas(target, manifest["schemas"])
    except UsageError:
        raise
    except Exception as error:  # noqa: BLE001 - any failure to connect is "unreachable"
        raise ConnectionError(f"cannot reach database {dbname}: {error}") from None
    if taken:
        raise UsageError(f"database {dbname} already holds {', '.join(taken)}: restore into a fresh database")
    command = [_tool("pg_restore"), "--exit-on-error", "--single-transaction", f"--dbname={dbname}"]
    if no_owner:
        command += ["--no-owner", "--no-privileges"]
    _run([*command, str(dump_file)], target)
    return {"restored": manifest["schemas"], "database": dbname, "taken_at": manifest["taken_at"]}


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="backup", description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(required=True)
    d = sub.add_parser("dump", help="dump every service's schema (one snapshot) and write <out>.json beside it")
    d.add_argument("--out", required=True, type=Path)
    d.set_defaults(run=lambda a: dump(load_store_settings(), a.out))
    r = sub.add_parser("restore", help="restore a dump into a fresh database (never over existing schemas)")
    r.add_argument("dump", type=Path)
    r.add_argument("--dbname", required=True, help="the database to restore into")
    r.add_argument("--create", action="store_true", help="create the database first")
    r.add_argument(
        "--no-owner",
        action="store_true",
        help="make the restoring user own everything (when the original roles do not exist here)",
    )
    r.set_defaults(run=lambda a: restore(load_store_settings(), a.dump, a.dbname, a.create, a.no_owner))
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        result = args.run(args)
    except ConnectionError as error:
        print(f"backup: {error}", file=sys.stderr)
        return UNAVAILABLE
    except (UsageError, OSError) as error:
        print(f"backup: {error}", file=sys.stderr)
        return USAGE
    print(json.dumps(result, indent=2))
    return OK


if __name__ == "__main__":
    sys.exit(main())
