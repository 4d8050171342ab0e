"""Records the gateway stored before its domain became a package name their
classes under the old module (`services.gateway.domain:User.Registered`, and
a snapshot's `services.gateway.domain:LoginAttempts`). They still load, list,
page and sign in, next to records written since, on every store kind."""

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from eventsourcing.domain import Snapshot

from services.gateway import passwords
from services.gateway.domain import AUDITOR, ChildFileRead, IdempotentRequest, LoginAttempts, User
from services.gateway.exceptions import LockedOut

OLD_MODULE = "services.gateway.domain"
PASSWORD = "correct horse battery 一二"
T0 = datetime(2025, 6, 1, 9, 0, tzinfo=UTC)


def old_topic(cls: type) -> str:
    return f"{OLD_MODULE}:{cls.__qualname__}"


def stored_before_the_move(app, *aggregates) -> None:
    """Store the aggregates' new events as the gateway did before the move."""
    app.recorder.insert_events(
        [
            replace(app.mapper.to_stored_event(event), topic=old_topic(type(event)))
            for aggregate in aggregates
            for event in aggregate.collect_events()
        ]
    )


def test_an_account_opened_before_the_move_is_found_listed_and_signs_in(gateway):
    old = User.register("old-hand", "老", AUDITOR, {}, passwords.hash_password(PASSWORD))
    stored_before_the_move(gateway, old)
    gateway.register_user("newcomer", "新", AUDITOR, {}, PASSWORD)
    assert gateway.user_named("old-hand").id == old.id
    users, cursor = gateway.list_users(0, 10)
    assert [u.username for u in users] == ["old-hand", "newcomer"] and cursor is None
    signed_in = gateway.sign_in("old-hand", PASSWORD, "203.0.113.7", T0, 3, 60, 200)
    assert signed_in.id == old.id
    assert gateway.disable_user("old-hand", "retired").active is False


def test_a_sign_in_history_snapshotted_before_the_move_is_read_from_its_snapshot(gateway):
    tries = LoginAttempts("busy")
    for _ in range(4):
        tries.attempt(at=T0, remote_address="")
    stored_before_the_move(gateway, tries)
    gateway.snapshots.put([replace(Snapshot.take(tries), topic=old_topic(LoginAttempts))])
    assert next(iter(gateway.snapshots.get(tries.id, desc=True, limit=1))).topic == old_topic(LoginAttempts)
    loaded = gateway.repository.get(tries.id)
    assert (type(loaded), loaded.version, loaded.failures_in_a_row) == (LoginAttempts, 5, 4)
    with pytest.raises(LockedOut):  # four failures in a row: locked out, and recorded on the old record
        gateway.sign_in("busy", PASSWORD, "", T0, 3, 60, 200)
    assert gateway.repository.get(tries.id).version == 6


def test_reads_logged_before_the_move_are_in_the_access_log(gateway):
    stored_before_the_move(
        gateway,
        ChildFileRead("zhang", "child_director", "child-1", "GET /children/{child_id}", "/children/child-1", 200, T0),
    )
    gateway.record_child_read("li", "auditor", "child-1", "GET /children/{child_id}", "/children/child-1", 200, T0)
    rows, cursor = gateway.access_log(0, 10, child_id="child-1")
    assert [r["actor"] for r in rows] == ["zhang", "li"] and cursor is None


def test_an_idempotent_request_answered_before_the_move_is_replayed(gateway):
    first = IdempotentRequest("anonymous", "key-1", "fp", "POST", "/children")
    first.complete(201, "{}", "/children/x")
    stored_before_the_move(gateway, first)
    assert gateway.begin("anonymous", "key-1", "fp", "POST", "/children") == {
        "status": 201,
        "body": "{}",
        "location": "/children/x",
    }
