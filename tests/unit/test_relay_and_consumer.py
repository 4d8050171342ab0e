"""The relay and the consumer, driven directly (no broker), on every store kind:
ordering, previous-links, exactly-once effects, gap filling."""

import uuid
from datetime import date

import pytest

from services.casework.application import CaseworkApplication
from services.registry.application import RegistryApplication
from shared import envelope
from shared.consumer import APPLIED, DUPLICATE, REJECTED
from shared.feed_ledger import ledger_of
from shared.relay import Relay, envelopes_after
from tests.support.apps import make_app, store_kind  # noqa: F401
from tests.support.feeds import HeldLock, child, dev_consumer, dev_signer


@pytest.fixture
def registry(make_app):  # noqa: F811
    app = make_app(RegistryApplication)
    app.clock = lambda: date(2025, 6, 1)
    return app


@pytest.fixture
def casework(make_app):  # noqa: F811
    return make_app(CaseworkApplication)


def relay_into(registry, sent, held=True, batch=500):
    return Relay(
        registry,
        registry.public_events,
        lambda m, routing_key: sent.append(m),
        HeldLock(held),
        dev_signer("registry"),
        ledger_of(registry),
        batch,
    )


def pull_from(registry):
    def pull(after, limit):
        return envelopes_after(
            registry, registry.public_events, after, limit, None, dev_signer("registry"), ledger_of(registry)
        )

    return pull


def test_relay_publishes_public_events_in_order_with_previous_links(registry):
    registry.register_child(**child(1))
    registry.register_child(**{**child(2), "id_number": "640502201501010021"})  # adds a private claim
    registry.register_child(**child(3))
    sent = []
    relay = relay_into(registry, sent)
    assert relay.run_once() > 0
    assert [m["type"] for m in sent] == ["registry.child_registered.v2"] * 3
    ids = [m["notification_id"] for m in sent]
    assert ids == sorted(ids)
    assert [m["previous_notification_id"] for m in sent] == [0] + ids[:-1]
    assert relay.position == registry.head_position() and relay.published == ids[-1]
    assert relay.run_once() == 0 and len(sent) == 3  # nothing twice
    for message in sent:
        envelope.load(message)  # each one honours the public contract


def test_relay_without_the_lock_publishes_nothing(registry):
    registry.register_child(**child(1))
    sent = []
    assert relay_into(registry, sent, held=False).run_once() == 0
    assert sent == []


def test_relay_continues_the_previous_chain_across_batches(registry):
    for n in range(5):
        registry.register_child(**child(n))
    sent = []
    relay = relay_into(registry, sent, batch=2)
    while relay.run_once():
        pass
    ids = [m["notification_id"] for m in sent]
    assert len(sent) == 5
    assert [m["previous_notification_id"] for m in sent] == [0] + ids[:-1]


def test_relay_publishes_each_batch_at_once_and_keeps_its_place_until_the_broker_confirms(registry):
    for n in range(4):
        registry.register_child(**child(n))
    batches, refuse = [], [True]

    def publish_batch(messages):
        if refuse[0]:
            raise ConnectionError("the broker did not confirm the batch")
        batches.append(list(messages))

    relay = Relay(
        registry,
        registry.public_events,
        lambda m, routing_key: pytest.fail("a batch goes out whole, not message by message"),
        HeldLock(),
        dev_signer("registry"),
        ledger_of(registry),
        publish_batch=publish_batch,
    )
    with pytest.raises(ConnectionError):
        relay.run_once()
    assert relay.position == 0 and relay.published == 0  # nothing counted as sent
    refuse[0] = False
    assert relay.run_once() > 0
    [batch] = batches  # the same four again, in one batch
    ids = [m["notification_id"] for m in batch]
    assert len(batch) == 4 and ids == sorted(ids)
    assert [m["previous_notification_id"] for m in batch] == [0] + ids[:-1]
    assert relay.position == registry.head_position() and relay.published == ids[-1]
    assert relay.run_once() == 0 and len(batches) == 1


def test_duplicate_delivery_has_one_effect(registry, casework):
    registry.register_child(**child(1))
    sent = []
    relay_into(registry, sent).run_once()
    consumer = dev_consumer(casework, "registry", casework.handle_registry_event, pull_from(registry))
    assert consumer.receive(sent[0]) == APPLIED
    assert consumer.receive(sent[0]) == DUPLICATE
    assert casework.roster.count() == 1
    assert casework.head_position() == 1


def test_gap_is_filled_by_pulling_before_the_newer_event_applies(registry, casework):
    for n in range(4):
        registry.register_child(**child(n))
    sent = []
    relay_into(registry, sent).run_once()
    consumer = dev_consumer(casework, "registry", casework.handle_registry_event, pull_from(registry))
    assert consumer.receive(sent[0]) == APPLIED
    assert consumer.receive(sent[3]) == APPLIED  # 1 and 2 were lost on the way
    assert casework.roster.count() == 4
    names = [casework.get_roster_child(uuid.UUID(m["payload"]["child_id"]))["name"] for m in sent]
    assert names == ["孩子0", "孩子1", "孩子2", "孩子3"]
    # the late copies of the lost ones change nothing
    assert consumer.receive(sent[1]) == DUPLICATE and consumer.receive(sent[2]) == DUPLICATE
    assert casework.roster.count() == 4


def test_catch_up_after_downtime_applies_everything_once(registry, casework):
    for n in range(7):
        registry.register_child(**child(n))
    consumer = dev_consumer(casework, "registry", casework.handle_registry_event, pull_from(registry), pull_limit=3)
    assert consumer.catch_up() == 7
    assert consumer.catch_up() == 0
    assert casework.roster.count() == 7


def test_malformed_or_foreign_messages_are_rejected_without_effect(registry, casework):
    registry.register_child(**child(1))
    sent = []
    relay_into(registry, sent).run_once()
    consumer = dev_consumer(casework, "registry", casework.handle_registry_event, pull_from(registry))
    assert consumer.receive({"type": "registry.child_registered.v1"}) == REJECTED
    bad_payload = {**sent[0], "payload": {**sent[0]["payload"], "gender": 3}}
    assert consumer.receive(bad_payload) == REJECTED
    assert consumer.receive({**sent[0], "source": "grants"}) == REJECTED
    assert casework.head_position() == 0


def test_consumer_effects_carry_the_upstream_actor_and_cause(registry, casework):
    from shared.context import CallMeta, acting_as
    from shared.relay import stored_meta

    with acting_as(CallMeta("worker-9", "provider_staff", correlation_id="req-1")):
        registry.register_child(**child(1))
    sent = []
    relay_into(registry, sent).run_once()
    dev_consumer(casework, "registry", casework.handle_registry_event, pull_from(registry)).receive(sent[0])
    [notification] = casework.recorder.select_notifications(start=1, limit=5)
    meta = stored_meta(casework, notification)
    assert meta["actor_id"] == "worker-9" and meta["correlation_id"] == "req-1"
    assert meta["causation_id"] == sent[0]["event_id"]


def test_lag_in_seconds_is_the_age_of_the_oldest_event_heard_of_and_not_applied(registry, casework):
    from datetime import datetime, timedelta

    for n in range(4):
        registry.register_child(**child(n))
    sent = []
    relay_into(registry, sent).run_once()
    consumer = dev_consumer(casework, "registry", casework.handle_registry_event, pull_from(registry))
    assert consumer.receive(sent[0]) == APPLIED
    assert consumer.lag_seconds() == 0.0
    applied, waiting = consumer.take_pushed([sent[3], sent[2]])  # 2 (at position 3) was lost on the way
    assert (applied, [m["notification_id"] for m in waiting]) == (0, [3, 4])
    oldest_waiting = datetime.fromisoformat(sent[2]["occurred_at"])
    assert consumer.lag_seconds(now=oldest_waiting + timedelta(seconds=90)) == 90.0
    assert consumer.catch_up() == 3
    assert consumer.lag_seconds(now=oldest_waiting + timedelta(hours=1)) == 0.0


def test_the_times_kept_for_the_lag_stay_bounded_without_scrapes(registry, casework, monkeypatch):
    import shared.consumer

    monkeypatch.setattr(shared.consumer, "HEARD_KEPT", 3)
    for n in range(6):
        registry.register_child(**child(n))
    sent = []
    relay_into(registry, sent).run_once()
    consumer = dev_consumer(casework, "registry", casework.handle_registry_event, pull_from(registry))
    for message in sent:
        assert consumer.receive(message) == APPLIED  # no scrape asks for the lag meanwhile
    assert len(consumer._heard_at) <= 3
    assert max(consumer._heard_at) == sent[-1]["notification_id"]  # applied ones made room for the newest
    assert consumer.lag_seconds() == 0.0 and consumer._heard_at == {}
