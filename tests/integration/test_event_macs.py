"""Rows written into an event table by anyone but the service are caught: each
stored event carries a MAC made with EVENT_MAC_KEY (held outside the database);
the sealer refuses to seal an event without a good one and `audit verify` names
it, by position and by record. A row whose values were rewritten with another
type is reported at its position, never as a traceback."""

import json
import sqlite3
import subprocess
import sys
import uuid
from dataclasses import replace

import pytest
from eventsourcing.domain import Aggregate, event

from shared import pg
from shared.audit import replay
from shared.audit.sealer import Sealer
from shared.audit.seals import SealStore
from shared.audit.verify import verify_log
from shared.eventstore import ServiceApplication, open_application
from shared.launcher import ROOT
from tests.support.infra import store_env

MAC_KEY = "event-mac-key-for-tests-0123456789abcdef"


class Note(Aggregate):
    @event("Written")
    def __init__(self, name: str, actor: str = "clerk"):
        self.name = name


class TrailApp(ServiceApplication):
    name = "registry"

    def write(self, name: str) -> uuid.UUID:
        note = Note(name=name)
        self.save(note)
        return note.id


@pytest.fixture
def signed_store(pg_store):
    return replace(pg_store, event_mac_key=MAC_KEY)


@pytest.fixture
def signed(signed_store):
    app = open_application(TrailApp, signed_store)
    for n in range(4):
        app.write(f"儿童{n}")
    yield app
    app.close()


def seal_all(app, store):
    seals = SealStore(app, store)
    sealer = Sealer(app, seals)
    while sealer.run_once():
        pass
    return sealer


def events_table(store):
    return f'"{store.schema_for("registry")}".registry_events'


def forge_registration(store, copy_of: int = 1) -> uuid.UUID:
    """What the attack did: a plain INSERT (the append-only trigger allows
    inserts) of another event's bytes under a new record's id."""
    forged_id = uuid.uuid4()
    with pg.connect(store) as conn:
        conn.execute(
            f"INSERT INTO {events_table(store)} (originator_id, originator_version, topic, state) "
            f"SELECT %s, 1, topic, state FROM {events_table(store)} WHERE notification_id = %s",
            (forged_id, copy_of),
        )
    return forged_id


def test_a_log_the_service_wrote_verifies_with_its_macs_checked(signed, signed_store):
    sealer = seal_all(signed, signed_store)
    result = verify_log(signed, SealStore(signed, signed_store))
    assert result.ok and result.checked == 4 and result.macs_checked
    assert result.unsigned_before_signing == 0 and sealer.refused is None


def test_a_forged_row_is_refused_by_the_sealer_and_named_by_verify(signed, signed_store):
    seal_all(signed, signed_store)
    forged_id = forge_registration(signed_store)
    signed.write("genuine, after the forgery")

    sealer = seal_all(signed, signed_store)
    assert sealer.position == 4  # nothing from the forged row on is sealed
    assert sealer.refused is not None
    assert sealer.refused["position"] == 5
    assert (sealer.refused["aggregate_id"], sealer.refused["version"]) == (str(forged_id), 1)
    assert sealer.refused["reason"].startswith("forged")

    result = verify_log(signed, SealStore(signed, signed_store))
    assert not result.ok and result.broken_at == 5 and result.reason.startswith("forged")
    assert result.record == {"aggregate_id": str(forged_id), "version": 1}


def test_a_forged_row_of_plain_json_is_refused_too(signed, signed_store):
    seal_all(signed, signed_store)
    with pg.connect(signed_store) as conn:
        conn.execute(
            f"INSERT INTO {events_table(signed_store)} (originator_id, originator_version, topic, state) "
            "VALUES (%s, 1, %s, %s)",
            (uuid.uuid4(), f"{__name__}:Note.Written", json.dumps({"name": "x", "timestamp": "2020-01-01"}).encode()),
        )
    sealer = seal_all(signed, signed_store)
    assert sealer.position == 4 and sealer.refused["position"] == 5
    assert not verify_log(signed, SealStore(signed, signed_store)).ok


def test_without_the_key_the_same_forgery_would_be_sealed(pg_store):
    # The attack as it worked before MACs: nothing tells the forged row apart.
    app = open_application(TrailApp, pg_store)
    try:
        app.write("a")
        forge_registration(pg_store)
        sealer = seal_all(app, pg_store)
        assert sealer.position == 2 and sealer.refused is None
        result = verify_log(app, SealStore(app, pg_store))
        assert result.ok and not result.macs_checked
    finally:
        app.close()


def test_events_stored_before_signing_began_are_covered_by_their_seals_only(pg_store):
    unsigned = open_application(TrailApp, pg_store)
    unsigned.write("before")
    unsigned.write("before, too")
    seal_all(unsigned, pg_store)
    unsigned.close()
    store = replace(pg_store, event_mac_key=MAC_KEY)
    app = open_application(TrailApp, store)  # signing begins at position 3
    try:
        app.write("after")
        seal_all(app, store)
        result = verify_log(app, SealStore(app, store))
        assert result.ok and result.checked == 3 and result.unsigned_before_signing == 2
        forge_registration(store)  # an unsigned row after signing began
        assert seal_all(app, store).refused["position"] == 4
        assert verify_log(app, SealStore(app, store)).broken_at == 4
    finally:
        app.close()


def test_a_rewritten_value_of_another_type_is_a_broken_position_not_a_crash(signed, signed_store):
    seal_all(signed, signed_store)
    table = events_table(signed_store)
    with pg.connect(signed_store) as conn:
        conn.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        conn.execute(f"ALTER TABLE {table} ALTER COLUMN state TYPE text USING encode(state, 'escape')")
    result = verify_log(signed, SealStore(signed, signed_store))
    assert not result.ok and result.broken_at == 1
    assert result.reason.startswith("altered") and "wrong type" in result.reason
    assert result.record["version"] == 1

    verified = audit_cli(signed_store, "verify", "registry")
    assert verified.returncode == 1, verified.stderr
    assert "Traceback" not in verified.stderr
    assert json.loads(verified.stdout)["broken_at"] == 1


def test_a_rewritten_sqlite_row_of_another_type_is_reported_at_its_position(sqlite_store):
    store = replace(sqlite_store, event_mac_key=MAC_KEY)
    app = open_application(TrailApp, store)
    try:
        for n in range(3):
            app.write(f"n{n}")
        seal_all(app, store)
        conn = sqlite3.connect(store.sqlite_path_for("registry"))
        conn.execute("DROP TRIGGER stored_events_no_update")
        conn.execute("UPDATE stored_events SET originator_version = 'one' WHERE rowid = 2")
        conn.execute("UPDATE stored_events SET state = 'text now' WHERE rowid = 3")
        conn.commit()
        conn.close()
        result = verify_log(app, SealStore(app, store))
        assert not result.ok and result.broken_at == 2 and "wrong type" in result.reason
        assert result.record["version"] == "one"
    finally:
        app.close()


def test_history_rows_carry_their_log_position(signed, signed_store):
    first = signed.write("甲")
    rows = replay.history(signed, first)
    assert [row["position"] for row in rows] == [5]
    other = signed.recorder.select_notifications(start=2, limit=1)[0]
    assert replay.history(signed, other.originator_id)[0]["position"] == 2


def audit_cli(store, *args):
    env = {**store_env(store), "PYTHONPATH": str(ROOT), "PSYCOPG_WAIT_FUNC": "wait_select"}
    return subprocess.run(
        [sys.executable, "-m", "shared.audit.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
