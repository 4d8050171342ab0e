"""The backup tool's refusals: it never dumps half a system, never restores a
damaged or foreign dump, and never restores over existing data. (The full
round trip with the services is tests/e2e/test_backup_restore.py.)"""

from __future__ import annotations

import json

import pytest

from shared import pg
from tools import backup


def make_schemas(store, names):
    with pg.connect(store) as conn:
        for name in names:
            pg.create_schema(conn, store.schema_for(name))


def test_dump_refuses_when_a_service_schema_is_missing(pg_store, tmp_path):
    make_schemas(pg_store, ("registry", "grants"))
    with pytest.raises(backup.UsageError, match=f"no schema {pg_store.schema_for('casework')}"):
        backup.dump(pg_store, tmp_path / "x.dump")
    assert not (tmp_path / "x.dump").exists()


def test_restore_refuses_a_damaged_dump_and_one_without_its_manifest(pg_store, tmp_path):
    make_schemas(pg_store, backup.SCHEMA_OWNERS)
    dump = tmp_path / "x.dump"
    backup.dump(pg_store, dump)
    manifest = json.loads(backup.manifest_path(dump).read_text())
    assert manifest["schemas"] == backup.schemas(pg_store) and manifest["sha256"] == backup.sha256_of(dump)

    dump.write_bytes(dump.read_bytes() + b"\0")
    with pytest.raises(backup.UsageError, match="does not match the SHA-256"):
        backup.restore(pg_store, dump, "never_made", create=True, no_owner=False)
    backup.manifest_path(dump).unlink()
    with pytest.raises(backup.UsageError, match="cannot read"):
        backup.restore(pg_store, dump, "never_made", create=True, no_owner=False)
    with pg.connect(pg_store) as conn:
        assert conn.execute("SELECT 1 FROM pg_database WHERE datname = 'never_made'").fetchone() is None


def test_restore_never_writes_over_existing_schemas_or_databases(pg_store, tmp_path):
    make_schemas(pg_store, backup.SCHEMA_OWNERS)
    dump = tmp_path / "x.dump"
    backup.dump(pg_store, dump)
    with pytest.raises(backup.UsageError, match="already holds"):
        backup.restore(pg_store, dump, pg_store.postgres_dbname, create=False, no_owner=False)
    with pytest.raises(backup.UsageError, match="exists already"):
        backup.restore(pg_store, dump, pg_store.postgres_dbname, create=True, no_owner=False)


def test_command_line_exit_status_for_bad_input(tmp_path, capsys):
    assert backup.main(["restore", str(tmp_path / "missing.dump"), "--dbname", "x"]) == backup.USAGE
    assert "cannot read" in capsys.readouterr().err
