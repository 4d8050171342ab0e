"""A relay whose lock session is cut while its process lives (an operator's
pg_terminate_backend, a network cut, a failover of the database's proxy) is
fenced out: it records nothing beside the new holder, stands back, and the
standby takes over. Real PostgreSQL and the real advisory locks, two relays
in this process; the second test runs two registry processes."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from services.registry.application import RegistryApplication
from shared import pg
from shared.audit.sealer import Sealer
from shared.audit.seals import SealStore
from shared.eventstore import open_application
from shared.feed_ledger import ledger_of
from shared.locks import AdvisoryLock, LockLost, relay_lock, relay_lock_name
from shared.relay import RELAY_POSITION, RELAY_PUBLISHED, Relay
from tests.support import broker
from tests.support.children import casework_roster, register_many
from tests.support.feeds import child, dev_signer
from tests.support.processes import wait_until


@pytest.fixture
def registry(pg_store):
    app = open_application(RegistryApplication, pg_store)
    app.clock = lambda: date(2025, 6, 1)
    yield app
    app.close()


def cut(lock: AdvisoryLock, store) -> None:
    """What an operator does to a session: end it, from another one."""
    pid = lock.backend_pid
    assert pid is not None
    with pg.connect(store) as conn:
        assert conn.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone() == (True,)
        # The session (and its lock) ends as its backend exits, just after.
        wait_until(
            lambda: conn.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", (pid,)).fetchone() == (0,),
            message="the cut session gone",
        )


def relay(app, lock, sent: list, translate=None) -> Relay:
    return Relay(
        app,
        translate or app.public_events,
        lambda message, routing_key: sent.append(message),
        lock,
        dev_signer("registry"),
        ledger_of(app),
    )


def test_a_relay_cut_off_while_publishing_records_nothing_and_the_standby_carries_on(registry, pg_store):
    for n in range(3):
        registry.register_child(**child(n))
    lock_a, lock_b = relay_lock(pg_store, "registry", stand_back=3600), relay_lock(pg_store, "registry")
    sent_a: list[dict] = []
    sent_b: list[dict] = []
    relay_b = relay(registry, lock_b, sent_b)

    def publish_a(message, routing_key):
        if not sent_a:  # A's session is cut as it hands its batch to the broker; B takes over at once
            cut(lock_a, pg_store)
            assert relay_b.run_once() == 3
        sent_a.append(message)

    relay_a = Relay(registry, registry.public_events, publish_a, lock_a, dev_signer("registry"), ledger_of(registry))
    with pytest.raises(LockLost):
        relay_a.run_once()
    # A's in-flight batch is the one copy consumers ignore; the positions are B's, recorded once.
    ids = [m["notification_id"] for m in sent_b]
    assert ids == sorted(ids) and len(ids) == 3
    assert registry.tracked_position(RELAY_PUBLISHED) == ids[-1]
    assert registry.tracked_position(RELAY_POSITION) == registry.head_position()
    assert not lock_a.holding() and lock_b.holding()
    # From now on only B publishes, in order, linked to what it published before.
    registry.register_child(**child(4))
    assert relay_a.run_once() == 0 and len(sent_a) == 3
    assert relay_b.run_once() > 0
    assert [m["notification_id"] for m in sent_b][3:] == [registry.head_position()]
    assert sent_b[3]["previous_notification_id"] == ids[-1]
    lock_a.release()
    lock_b.release()


def test_a_relay_cut_off_while_reading_its_batch_publishes_nothing(registry, pg_store):
    registry.register_child(**child(1))
    lock_a, lock_b = relay_lock(pg_store, "registry"), relay_lock(pg_store, "registry")
    sent_a: list[dict] = []

    def translate(event):
        if lock_a.holding():
            cut(lock_a, pg_store)
        return registry.public_events(event)

    relay_a = relay(registry, lock_a, sent_a, translate)
    with pytest.raises(LockLost):
        relay_a.run_once()
    assert sent_a == [] and registry.tracked_position(RELAY_POSITION) == 0
    sent_b: list[dict] = []
    assert relay(registry, lock_b, sent_b).run_once() > 0 and len(sent_b) == 1
    lock_a.release()
    lock_b.release()


def test_a_sealer_cut_off_seals_nothing_beside_the_new_holder(registry, pg_store):
    for n in range(3):
        registry.register_child(**child(n))
    seals = SealStore(registry, pg_store)
    lock_a, lock_b = relay_lock(pg_store, "registry"), relay_lock(pg_store, "registry")
    assert lock_a.acquire() and not lock_b.acquire()
    cut(lock_a, pg_store)
    with pytest.raises(LockLost):
        Sealer(registry, seals, fence=lock_a.fenced).run_once()
    assert seals.last() is None
    assert lock_b.acquire()
    assert Sealer(registry, seals, fence=lock_b.fenced).run_once() == registry.head_position()
    lock_a.release()
    lock_b.release()


def test_a_standby_tries_the_lock_on_one_session(pg_store):
    holder, standby = relay_lock(pg_store, "registry"), relay_lock(pg_store, "registry")
    assert holder.acquire()
    assert not standby.acquire()
    session = standby.backend_pid
    assert session is not None
    for _ in range(5):
        assert not standby.acquire()
        assert standby.backend_pid == session
    with pg.connect(pg_store) as conn:
        sessions = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE %s",
            (relay_lock_name(pg_store, "registry") + ":%",),
        ).fetchone()
    assert sessions == (2,)  # the holder's and the standby's, nothing more
    holder.release()
    assert standby.acquire() and standby.backend_pid == session
    standby.release()


def relay_sessions(system) -> dict[int, bool]:
    """Each registry replica's relay session, by process id: does it hold the lock?"""
    name = relay_lock_name(system.store, "registry")
    with pg.connect(system.store) as conn:
        rows = conn.execute(
            "SELECT a.pid, a.application_name, EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid "
            "AND l.locktype = 'advisory' AND l.granted) FROM pg_stat_activity a WHERE a.application_name LIKE %s",
            (name + ":%",),
        ).fetchall()
    return {int(app_name.rsplit(":", 1)[1]): held for _, app_name, held in rows}


def relay_health(system) -> tuple[int | None, dict[int, bool]]:
    """The registry's relay in the gateway's /health: the holder's pid, and each replica's."""
    relay = system.health()["services"]["registry"]["relay"]
    replicas = {int(r["process"].rsplit(":", 1)[1]): r["holds_lock"] for r in relay["replicas"]}
    assert sum(r["answering"] for r in relay["replicas"]) == 1 and relay["active"] is (relay["holder"] is not None)
    return (int(relay["holder"].rsplit(":", 1)[1]) if relay["holder"] else None), replicas


def cut_session_of(system, process_id: int) -> None:
    with pg.connect(system.store) as conn:
        [(backend,)] = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE application_name LIKE %s",
            (f"{relay_lock_name(system.store, 'registry')}:%:{process_id}",),
        ).fetchall()
        assert conn.execute("SELECT pg_terminate_backend(%s)", (backend,)).fetchone() == (True,)


def test_the_holder_s_session_cut_mid_stream_the_standby_takes_over_and_nothing_doubles(make_system):
    system = make_system()
    system.start("registry", "registry", "casework", "gateway")
    broker.declare_queue(system.vhost, "tap")
    broker.bind(system.vhost, "registry.events", "tap")
    # Both replicas keep one session each for the lock: the holder's and the standby's.
    sessions = wait_until(lambda: (s := relay_sessions(system)) and len(s) == 2 and any(s.values()) and s)
    [holder] = [pid for pid, held in sessions.items() if held]
    [standby] = [pid for pid, held in sessions.items() if not held]
    assert relay_health(system) == (holder, {holder: True, standby: False})
    created: list[str] = []
    done = threading.Event()

    def stream():
        try:
            for _ in range(6):
                created.extend(register_many(system.api, 20, clients=4))
        finally:
            done.set()

    writer = threading.Thread(target=stream)
    writer.start()
    wait_until(lambda: len(created) >= 40 or done.is_set(), seconds=120, message="40 registrations")
    cut_session_of(system, holder)
    # The standby takes the lock; the process that lost it lives on and stands by.
    wait_until(lambda: relay_sessions(system).get(standby), message="the standby holds the lock")
    writer.join(timeout=300)
    assert done.is_set() and len(created) == 120
    replicas = {proc.pid: proc for proc in system.procs["registry"]}
    assert replicas[holder].poll() is None
    assert relay_sessions(system) in ({standby: True}, {standby: True, holder: False})
    # /health says so whichever replica answers (each answer names the holder the same).
    for _ in range(4):
        holder_now, replicas = relay_health(system)
        assert holder_now == standby and replicas.get(standby) is True and replicas.get(holder) in (None, False)
    # Every registration's effect downstream exactly once.
    roster = wait_until(
        lambda: (r := casework_roster(system.api)) is not None and len(r) >= 120 and r, seconds=120, message="roster"
    )
    assert sorted(roster) == sorted(created)
    # On the wire: every event, in order of first sight; a copy at most of the one batch in flight at the cut.
    wait_until(lambda: broker.queue(system.vhost, "tap").get("messages", 0) >= 120, message="120 on the tap")
    ids = [m["notification_id"] for m in broker.take_messages(system.vhost, "tap", 1000)]
    first_seen = list(dict.fromkeys(ids))
    assert first_seen == sorted(first_seen) and len(first_seen) == 120
    copies = len(ids) - len(first_seen)
    # Neither replica recorded a position or a seal beside the other: no error, no traceback.
    system.stop_all()
    logs = "\n".join((system.log_dir / f"registry-{n}.log").read_text(errors="replace") for n in (0, 1))
    assert "Traceback" not in logs and " ERROR " not in logs, logs[-3000:]
    print(f"copies on the wire after the cut: {copies}")


def test_asking_a_standby_whether_its_relay_is_active_tries_no_lock(registry, pg_store):
    holder, standby = relay_lock(pg_store, "registry"), relay_lock(pg_store, "registry")
    assert holder.acquire() and not standby.acquire()
    holder.release()  # free now: a try would take it
    relay_of_standby = relay(registry, standby, [])
    assert relay_of_standby.is_active() is False
    assert [r["holds_lock"] for r in standby.replicas()] == [False]  # only the standby's session is left
    assert not standby.holding()
    standby.release()
