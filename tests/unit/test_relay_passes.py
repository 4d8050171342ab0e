"""What a relay pass asks the store, and what wakes it: a save wakes the relay
at once (it never waits for its interval); while the relay holds its lock it
keeps its positions instead of reading them each pass, and reads them again
once the lock was taken anew or a pass failed; the ledger is read once a pass."""

from dataclasses import replace
from datetime import date

import eventlet
import pytest
from eventlet.event import Event

from services.registry.application import RegistryApplication
from shared.config import load_store_settings
from shared.eventstore import open_application
from shared.feed_ledger import RELAY_FEED, ledger_of
from shared.locks import FileLock
from shared.nameko_deps import ServiceStore
from shared.relay import RELAY_POSITION, RELAY_PUBLISHED, Relay
from tests.support.feeds import child, dev_signer


@pytest.fixture
def registry(tmp_path):
    store = replace(load_store_settings(), kind="sqlite", data_dir=tmp_path / "data")
    app = open_application(RegistryApplication, store)
    app.clock = lambda: date(2025, 6, 1)
    yield app
    app.close()


class Counted:
    """Counts the calls of one method of an object (and lets them through)."""

    def __init__(self, obj, name):
        self.calls: list = []
        original = getattr(obj, name)

        def counted(*args, **kwargs):
            self.calls.append(args)
            return original(*args, **kwargs)

        setattr(obj, name, counted)


def relay_with(registry, lock, sent, publish_batch=None):
    return Relay(
        registry,
        registry.public_events,
        lambda m, routing_key: sent.append(m),
        lock,
        dev_signer("registry"),
        ledger_of(registry),
        publish_batch=publish_batch,
    )


def test_while_the_lock_is_held_the_relay_reads_its_positions_once(registry, tmp_path):
    lock = FileLock(tmp_path / "relay.lock")
    assert lock.acquire()
    sent: list = []
    relay = relay_with(registry, lock, sent)
    reads = Counted(registry, "tracked_position")
    for n in range(4):
        registry.register_child(**child(n))
        assert relay.run_once() > 0
    assert [call[0] for call in reads.calls] == [RELAY_POSITION, RELAY_PUBLISHED]  # the first pass only
    ids = [m["notification_id"] for m in sent]
    assert [m["previous_notification_id"] for m in sent] == [0, *ids[:-1]]
    # what it kept is what the store holds
    assert relay.position == registry.head_position() and relay.published == ids[-1]


def test_the_positions_are_read_again_once_the_lock_was_taken_anew(registry, tmp_path):
    lock = FileLock(tmp_path / "relay.lock")
    assert lock.acquire()
    sent: list = []
    relay = relay_with(registry, lock, sent)
    registry.register_child(**child(1))
    relay.run_once()
    # Another holder publishes and records meanwhile (this one had lost its lock).
    lock.release()
    other_lock = FileLock(tmp_path / "relay.lock")
    assert other_lock.acquire()
    other_sent: list = []
    registry.register_child(**child(2))
    relay_with(registry, other_lock, other_sent).run_once()
    other_lock.release()
    assert lock.acquire()
    reads = Counted(registry, "tracked_position")
    registry.register_child(**child(3))
    relay.run_once()
    assert len(reads.calls) == 2  # taken anew: read afresh
    # nothing twice, and linked to what the other holder published
    assert len(sent) == 2 and sent[1]["previous_notification_id"] == other_sent[-1]["notification_id"]


def test_a_failed_pass_makes_the_next_read_the_positions_afresh(registry, tmp_path):
    lock = FileLock(tmp_path / "relay.lock")
    assert lock.acquire()
    fail = [True]
    published: list = []

    def publish_batch(messages):
        if fail[0]:
            fail[0] = False
            raise ConnectionError("the broker went away")
        published.extend(messages)

    relay = relay_with(registry, lock, [], publish_batch)
    registry.register_child(**child(1))
    with pytest.raises(ConnectionError):
        relay.run_once()
    reads = Counted(registry, "tracked_position")
    assert relay.run_once() > 0
    assert len(reads.calls) == 2
    assert [m["notification_id"] for m in published] == [relay.published]


def test_a_pass_reads_the_ledger_once_and_looks_for_retries_only_when_one_was_asked(registry, tmp_path):
    lock = FileLock(tmp_path / "relay.lock")
    assert lock.acquire()
    sent: list = []
    relay = relay_with(registry, lock, sent)
    ledger = ledger_of(registry)
    states = Counted(ledger, "parked_state")
    opened = Counted(ledger, "open_events")
    registry.register_child(**child(1))
    relay.run_once()
    assert len(states.calls) == 1 and opened.calls == []
    # An undecodable event is parked; once an operator asks, it goes out on the next pass.
    registry.register_child(**child(2))
    broken = registry.head_position()
    relay.translate = lambda event: (_ for _ in ()).throw(ValueError("cannot translate"))
    relay.run_once()
    assert ledger.find(RELAY_FEED, broken) is not None and len(sent) == 1
    relay.translate = registry.public_events
    ledger.request_retry(RELAY_FEED, broken, "operator", "fixed the translator")
    relay.run_once()
    assert [m["notification_id"] for m in sent][-1] == broken
    assert len(opened.calls) >= 1  # release_due ran because a retry was asked


class Container:
    config = {"AMQP_URI": "memory://"}

    def __init__(self):
        self.threads = []

    def spawn_managed_thread(self, run):
        self.threads.append(eventlet.spawn(run))


def test_a_save_wakes_the_relay_which_publishes_without_waiting_for_its_interval(monkeypatch, tmp_path):
    monkeypatch.setenv("EVENT_STORE", "sqlite")
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setenv("RELAY_INTERVAL", "3600")  # a pass on the timer would come in an hour
    provider = ServiceStore(RegistryApplication)
    provider.container = Container()
    provider.setup()
    app = provider.app
    app.clock = lambda: date(2025, 6, 1)
    passes: list[int] = []
    published: list[dict] = []
    went_out = Event()

    def publish_batch(messages):
        published.extend(messages)
        went_out.send(True)

    relay = relay_with(app, provider.lock, [], publish_batch)
    original = relay.run_once

    def counted_pass(acquired=False):
        passes.append(len(published))
        return original(acquired=acquired)

    relay.run_once = counted_pass
    provider.relay = relay
    try:
        provider.start()
        while not passes:  # the pass at start, on an empty log
            eventlet.sleep(0)
        eventlet.sleep(0)
        assert published == []
        app.register_child(**child(1))
        with eventlet.Timeout(60):  # a guard against hanging only: the interval is an hour
            went_out.wait()
        assert [m["type"] for m in published] == ["registry.child_registered.v2"]
        # It went out on the pass the save woke: the second, which began with nothing published.
        assert passes[:2] == [0, 0]
    finally:
        provider.stop()
        for thread in provider.container.threads:
            thread.kill()
