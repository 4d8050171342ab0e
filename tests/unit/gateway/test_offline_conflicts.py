"""Offline submissions refused on arrival, as the gateway's application keeps
them, on every store kind: recorded once per submission, listed by sender,
resolved once."""

import uuid
from datetime import UTC, datetime

import pytest

from services.gateway.domain import AlreadyResolved
from services.gateway.use_cases.offline_conflicts import OfflineConflictNotFound

AT = datetime(2026, 12, 5, 8, 30, tzinfo=UTC)


def refused(actor: str = "director-a", **changes) -> dict:
    return {
        "actor": actor,
        "role": "child_director",
        "route": "POST /children",
        "path": "/children",
        "fields_sent": ["date_of_birth", "id_number", "name"],
        "captured_at": AT,
        "received_at": AT,
        "status": 409,
        "error": "DUPLICATE_ID_NUMBER",
        "message": "a child file with this ID number already exists: 1234",
        "reasons": {},
        **changes,
    }


def test_a_refusal_is_recorded_once_whatever_the_resends(gateway):
    gateway.record_offline_conflict("key-1", **refused())
    gateway.record_offline_conflict("key-1", **refused())
    rows, more = gateway.offline_conflicts(0, 10)
    assert more is None and len(rows) == 1
    row = rows[0]
    assert (row["actor"], row["error"], row["status"], row["resolved"]) == (
        "director-a",
        "DUPLICATE_ID_NUMBER",
        409,
        None,
    )
    assert row["fields_sent"] == ["date_of_birth", "id_number", "name"]


def test_each_sender_sees_their_own_and_the_unresolved_can_be_asked_for(gateway):
    gateway.record_offline_conflict("key-1", **refused("director-a"))
    gateway.record_offline_conflict("key-1", **refused("director-b"))  # another person's key: another record
    gateway.record_offline_conflict(None, **refused("director-b"))
    assert len(gateway.offline_conflicts(0, 10)[0]) == 3
    assert [r["actor"] for r in gateway.offline_conflicts(0, 10, actor="director-a")[0]] == ["director-a"]
    first = gateway.offline_conflicts(0, 10, actor="director-b")[0][0]
    gateway.resolve_offline_conflict(uuid.UUID(first["conflict_id"]), "admin", "已联系主任", AT)
    assert len(gateway.offline_conflicts(0, 10, open_only=True)[0]) == 2


def test_pages_follow_the_cursor(gateway):
    for n in range(3):
        gateway.record_offline_conflict(f"key-{n}", **refused())
    first, cursor = gateway.offline_conflicts(0, 2)
    assert len(first) == 2 and cursor is not None
    rest, end = gateway.offline_conflicts(cursor, 2)
    assert len(rest) == 1 and end is None


def test_a_conflict_is_resolved_once_with_who_and_why(gateway):
    gateway.record_offline_conflict("key-1", **refused())
    conflict_id = uuid.UUID(gateway.offline_conflicts(0, 10)[0][0]["conflict_id"])
    row = gateway.resolve_offline_conflict(conflict_id, "admin", "重复建档，已告知主任", AT)
    assert row["resolved"] == {"by": "admin", "note": "重复建档，已告知主任", "at": AT}
    with pytest.raises(AlreadyResolved):
        gateway.resolve_offline_conflict(conflict_id, "admin", "again", AT)
    assert gateway.offline_conflicts(0, 10)[0][0]["resolved"]["note"] == "重复建档，已告知主任"


def test_resolving_what_was_never_recorded_is_not_found(gateway):
    with pytest.raises(OfflineConflictNotFound):
        gateway.resolve_offline_conflict(uuid.uuid4(), "admin", "note", AT)
