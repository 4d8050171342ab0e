"""Reads of child files arriving together are recorded in one transaction, and
each is still recorded as its own caller's, before that caller goes on."""

from datetime import UTC, datetime

import eventlet
from eventlet.event import Event

from shared.context import CallMeta, acting_as
from shared.relay import stored_meta

AT = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def held_first_insert(app):
    """Wraps the recorder so that its first insert waits until released: reads
    arriving meanwhile queue behind it. Returns (inserts seen, entered, release)."""
    inserts: list[int] = []
    entered, release = Event(), Event()
    original = app.recorder.insert_events

    def insert_events(stored, **kwargs):
        if not inserts:
            inserts.append(len(stored))
            entered.send(True)
            release.wait()
        else:
            inserts.append(len(stored))
        return original(stored, **kwargs)

    app.recorder.insert_events = insert_events
    return inserts, entered, release


def test_concurrent_reads_are_recorded_together_each_as_its_own_callers(gateway):
    inserts, entered, release = held_first_insert(gateway)
    wakes: list[int] = []
    gateway.add_save_listener(lambda: wakes.append(1))
    returned: dict[str, int] = {}

    def read(n: int):
        with acting_as(CallMeta(actor_id=f"user-{n}", actor_role="auditor", correlation_id=f"req-{n}")):
            gateway.record_child_read(
                f"user-{n}", "auditor", f"child-{n}", "GET /children/{child_id}", f"/children/child-{n}", 200, AT
            )
        # on return, the caller's own read is in the log
        rows, _ = gateway.access_log(0, 100, actor=f"user-{n}")
        returned[f"user-{n}"] = len(rows)

    first = eventlet.spawn(read, 0)
    entered.wait()
    others = [eventlet.spawn(read, n) for n in range(1, 6)]
    while gateway._grouped_saves.waiting() < 5:
        eventlet.sleep(0)
    assert returned == {}  # nobody is answered before its read is committed
    release.send(True)
    for thread in [first, *others]:
        thread.wait()

    assert inserts == [1, 5]  # the five that queued behind the first: one transaction
    assert returned == {f"user-{n}": 1 for n in range(6)}
    assert len(wakes) == 2  # the sealer is woken for each group written
    rows, _ = gateway.access_log(0, 100)
    assert sorted(r["actor"] for r in rows) == [f"user-{n}" for n in range(6)]
    for notification in gateway.recorder.select_notifications(start=1, limit=100):
        read_of = gateway.mapper.to_domain_event(notification)
        meta = stored_meta(gateway, notification)
        assert (meta["actor_id"], meta["correlation_id"]) == (read_of.actor, f"req-{read_of.actor[5:]}")


def test_a_read_recorded_alone_is_written_at_once(gateway):
    gateway.record_child_read("li", "auditor", "child-1", "GET /children/{child_id}", "/children/child-1", 200, AT)
    rows, _ = gateway.access_log(0, 10)
    assert [(r["actor"], r["child_id"]) for r in rows] == [("li", "child-1")]
