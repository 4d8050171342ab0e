"""Backup and restore on the real PostgreSQL with the real services: the dump of
every service's schema restores into a fresh database, the restored logs verify
against the anchors taken before the dump (and a tampered row is caught), and the
services start on the restored data, answer reads, catch up and take new commands."""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from psycopg import sql

from shared import pg
from shared.config import SERVICES, StoreSettings
from shared.launcher import ROOT
from tests.support.children import casework_roster, new_child, register
from tests.support.infra import amqp_uri_for, isolated_vhost, store_env, unique
from tests.support.processes import ALL, PASSWORD, System, wait_until

# What the restored services must share with the original ones: none of it is in the dump.
KEYS = ("AUTH_TOKEN_SECRET", "EVENT_MAC_KEY", "CLAIM_KEY", "AUDIT_ANCHOR_KEY")


def tool(module: str, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", module, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def verify(service: str, anchor: Path, env: dict[str, str]) -> tuple[int, dict]:
    done = tool("shared.audit.cli", "verify", service, "--anchor", str(anchor), env=env)
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)


@contextmanager
def fresh_database_name(store: StoreSettings) -> Iterator[str]:
    """A database name no one uses; the database is dropped afterwards, whoever made it."""
    name = unique("restore_")
    try:
        yield name
    finally:
        with pg.connect(replace(store, postgres_dbname="postgres")) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def sealed(system: System, service: str) -> bool:
    h = system.health()["services"].get(service) or {}
    return bool(h) and h["sealer"]["position"] == h["store"]["head"] > 0


def test_dump_restore_verify_and_run_on_the_restored_database(system, tmp_path):
    system.env["AUDIT_ANCHOR_KEY"] = secrets.token_urlsafe(48)
    system.start(*ALL)
    api = system.api
    first_child = new_child()
    first = register(api, first_child)
    assert first.status_code == 201, first.text
    first_id = first.json()["child_id"]
    wait_until(lambda: first_id in (casework_roster(api) or []), seconds=60, message="casework enrolls the child")
    # Casework is down when the second child is registered, so the backup holds a
    # registry event casework has not taken: the restored casework must catch up.
    system.stop("casework")
    second = register(api, new_child())
    assert second.status_code == 201, second.text
    second_id = second.json()["child_id"]
    wait_until(lambda: sealed(system, "registry"), seconds=60, message="registry sealed")

    anchors = tmp_path / "anchors"
    anchors.mkdir()
    for service in SERVICES:
        done = tool("shared.audit.cli", "anchor", service, "--out", str(anchors / f"{service}.json"), env=system.env)
        assert done.returncode == 0, done.stderr
    registry_anchor = json.loads((anchors / "registry.json").read_text())
    assert registry_anchor["position"] >= 2  # both children are under the anchor

    dump = tmp_path / "childcare.dump"
    done = tool("tools.backup", "dump", "--out", str(dump), env=system.env)
    assert done.returncode == 0, done.stderr
    manifest = json.loads(dump.with_name("childcare.dump.json").read_text())
    assert set(manifest["schemas"]) == {system.store.schema_for(name) for name in ALL}
    system.stop_all()

    with fresh_database_name(system.store) as dbname:
        restored_store = replace(system.store, postgres_dbname=dbname)
        restored_env = {**system.env, **store_env(restored_store)}
        done = tool("tools.backup", "restore", str(dump), "--dbname", dbname, "--create", env=system.env)
        assert done.returncode == 0, done.stderr
        # A second restore into the same database is refused: it never writes over data.
        again = tool("tools.backup", "restore", str(dump), "--dbname", dbname, env=system.env)
        assert again.returncode == 2 and "already holds" in again.stderr, again.stderr

        for service in SERVICES:
            status, result = verify(service, anchors / f"{service}.json", restored_env)
            assert (status, result["ok"]) == (0, True), result
            assert result["anchor"] is not None
        assert verify("registry", anchors / "registry.json", restored_env)[1]["checked"] >= 2

        # Someone with the database's keys rewrites the first child's name in the restored copy.
        events = sql.Identifier(restored_store.schema_for("registry"), "registry_events")
        with pg.connect(restored_store) as conn:
            position, original = conn.execute(
                sql.SQL(
                    "SELECT notification_id, state FROM {} WHERE originator_id = %s AND originator_version = 1"
                ).format(events),
                (first_id,),
            ).fetchone()
            forged = bytes(original).replace("测试儿童".encode(), "篡改儿童".encode())
            assert forged != bytes(original)
            conn.execute("SET session_replication_role = replica")  # past the append-only triggers
            conn.execute(
                sql.SQL("UPDATE {} SET state = %s WHERE notification_id = %s").format(events), (forged, position)
            )
            status, result = verify("registry", anchors / "registry.json", restored_env)
            assert (status, result["ok"], result["broken_at"]) == (1, False, position), result
            conn.execute(
                sql.SQL("UPDATE {} SET state = %s WHERE notification_id = %s").format(events), (original, position)
            )
        assert verify("registry", anchors / "registry.json", restored_env)[0] == 0

        # The services start on the restored database, on a broker that knows nothing of the past.
        with isolated_vhost() as vhost:
            log_dir = tmp_path / "restored"
            log_dir.mkdir()
            restored = System(amqp_uri_for(vhost), restored_store, log_dir, **{k: system.env[k] for k in KEYS})
            try:
                restored.start(*ALL)
                restored._admin = restored.sign_in("admin", PASSWORD)  # the account came back with the gateway's schema
                api = restored.api
                child = api.get(f"/children/{first_id}")
                assert child.status_code == 200, child.text
                assert child.json()["name"] == first_child["name"]
                wait_until(
                    lambda: {first_id, second_id} <= set(casework_roster(api) or []),
                    seconds=60,
                    message="restored casework catches up with the child registered while it was down",
                )
                third = register(api, new_child())
                assert third.status_code == 201, third.text
                third_id = third.json()["child_id"]
                wait_until(lambda: third_id in (casework_roster(api) or []), seconds=60, message="a new child flows on")
                wait_until(lambda: sealed(restored, "registry"), seconds=60, message="restored registry sealed")
            finally:
                restored.stop_all()
        # The restored log goes on from the original chain: the old anchor still verifies.
        status, result = verify("registry", anchors / "registry.json", restored_env)
        assert (status, result["ok"]) == (0, True), result
        assert result["checked"] > registry_anchor["position"]
