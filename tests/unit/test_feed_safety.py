"""Consumers take only genuine events, and a poison event does not block a feed
(registry → casework, the real relay and consumer, on every store kind)."""

import uuid
from datetime import UTC, date, datetime

import pytest
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import register_topic

from services.casework.application import CaseworkApplication
from services.registry.application import RegistryApplication
from services.registry.domain.child import Child
from shared import envelope
from shared.consumer import APPLIED, DUPLICATE, PARKED, REJECTED
from shared.feed_ledger import RELAY_FEED, RETRIED, SKIPPED, health_of, ledger_of
from shared.relay import Relay, envelopes_after
from shared.signing import ForgedEnvelope, signer_for, verifier_for
from tests.support.apps import make_app, store_kind  # noqa: F401
from tests.support.feeds import DEV_KEYS, HeldLock, child, dev_consumer, dev_signer


@pytest.fixture
def registry(make_app):  # noqa: F811
    app = make_app(RegistryApplication)
    app.clock = lambda: date(2025, 6, 1)
    return app


@pytest.fixture
def casework(make_app):  # noqa: F811
    return make_app(CaseworkApplication)


def relay_of(registry, sent):
    return Relay(
        registry,
        registry.public_events,
        lambda m, routing_key: sent.append(m),
        HeldLock(),
        dev_signer("registry"),
        ledger_of(registry),
    )


def consumer_of(casework, registry, handle=None):
    def pull(after, limit):
        return envelopes_after(
            registry, registry.public_events, after, limit, None, dev_signer("registry"), ledger_of(registry)
        )

    return dev_consumer(casework, "registry", handle or casework.handle_registry_event, pull)


def roster_names(casework, messages):
    return [casework.get_roster_child(uuid.UUID(m["payload"]["child_id"]))["name"] for m in messages]


def casework_feed_health(casework):
    return health_of(ledger_of(casework), "registry")


# -- item 7: only genuine events ------------------------------------------------------


def forged_after(genuine: dict, **changes) -> dict:
    """What an intruder on the broker would send: the next position, its own content."""
    payload = {**genuine["payload"], "child_id": str(uuid.uuid4()), "name": "冒名", **changes}
    unsigned = {k: v for k, v in genuine.items() if k != "signature"}
    return {**unsigned, "payload": payload}


def test_an_unsigned_envelope_at_the_next_position_is_refused_and_the_genuine_one_applies(registry, casework):
    registry.register_child(**child(1))
    registry.register_child(**child(2))
    sent = []
    relay_of(registry, sent).run_once()
    consumer = consumer_of(casework, registry)
    assert consumer.receive(sent[0]) == APPLIED
    forged = forged_after(sent[1])
    assert consumer.receive(forged) == REJECTED
    assert consumer.receive(sent[1]) == APPLIED  # not dropped as a duplicate
    assert roster_names(casework, sent) == ["孩子1", "孩子2"]
    assert casework.roster.count() == 2
    refused = casework_feed_health(casework)["refused"]
    assert refused["unacknowledged"] == 1
    assert refused["last"][0]["notification_id"] == sent[1]["notification_id"]
    assert "unsigned" in refused["last"][0]["reason"]


@pytest.mark.parametrize(
    "sign_as",
    [
        "casework",  # a real key, but not the source's
        "attacker",
    ],
)
def test_an_envelope_signed_with_another_key_is_refused(registry, casework, sign_as):
    registry.register_child(**child(1))
    sent = []
    relay_of(registry, sent).run_once()
    forged = signer_for(sign_as, DEV_KEYS).sign(forged_after(sent[0]))
    consumer = consumer_of(casework, registry)
    assert consumer.receive(forged) == REJECTED
    assert casework.roster.count() == 0
    assert consumer.receive(sent[0]) == APPLIED


def test_a_signed_envelope_altered_in_transit_is_refused(registry, casework):
    registry.register_child(**child(1))
    sent = []
    relay_of(registry, sent).run_once()
    altered = {**sent[0], "payload": {**sent[0]["payload"], "village": "别的村"}}
    consumer = consumer_of(casework, registry)
    assert consumer.receive(altered) == REJECTED
    assert consumer.receive(sent[0]) == APPLIED
    assert casework.get_roster_child(uuid.UUID(sent[0]["payload"]["child_id"]))["village"] == "新北村"


def test_a_second_event_claiming_an_applied_position_is_refused_and_shown(registry, casework):
    registry.register_child(**child(1))
    sent = []
    relay_of(registry, sent).run_once()
    consumer = consumer_of(casework, registry)
    assert consumer.receive(sent[0]) == APPLIED
    assert consumer.receive(sent[0]) == DUPLICATE  # the same event again is harmless
    # signed with the source's own key (e.g. a restored or compromised source): still refused
    conflicting = dev_signer("registry").sign(forged_after(sent[0]))
    assert consumer.receive(conflicting) == REJECTED
    assert casework.roster.count() == 1
    refused = casework_feed_health(casework)["refused"]
    assert refused["unacknowledged"] == 1 and "conflicts" in refused["last"][0]["reason"]
    assert ledger_of(casework).acknowledge("registry", by="ops-1", note="restored source, checked") == 1
    assert casework_feed_health(casework)["refused"]["unacknowledged"] == 0


def test_a_pulled_batch_with_a_forged_envelope_stops_the_pull(registry, casework):
    registry.register_child(**child(1))

    def forged_pull(after, limit):
        genuine, last = envelopes_after(
            registry, registry.public_events, after, limit, None, dev_signer("registry"), ledger_of(registry)
        )
        return [forged_after(m) for m in genuine], last

    consumer = dev_consumer(casework, "registry", casework.handle_registry_event, forged_pull)
    with pytest.raises(Exception, match="not genuine"):
        consumer.catch_up()
    assert casework.roster.count() == 0
    assert casework_feed_health(casework)["refused"]["unacknowledged"] == 1


# -- item 8: a poison event does not block the feed ----------------------------------


def test_an_event_whose_handler_fails_is_parked_and_later_events_apply(registry, casework):
    first = registry.register_child(**child(1))
    registry.register_child(**child(2))
    registry.correct_child(first, field="name", value="孩子一", reason="typo")  # same record as the poison
    registry.register_child(**child(3))
    sent = []
    relay_of(registry, sent).run_once()
    poison = sent[0]["notification_id"]
    broken = {"on": True}

    def handle(received):
        if broken["on"] and received["notification_id"] == poison:
            raise ValueError("cannot enrol this child")
        return casework.handle_registry_event(received)

    consumer = consumer_of(casework, registry, handle)
    assert [consumer.receive(m) for m in sent] == [PARKED, APPLIED, PARKED, APPLIED]
    assert casework.roster.count() == 2
    parked = casework_feed_health(casework)["parked"]
    assert [(p["notification_id"], p["status"]) for p in parked] == [
        (poison, "parked"),
        (sent[2]["notification_id"], "held"),
    ]
    assert "cannot enrol" in parked[0]["error"]
    assert consumer.catch_up() == 0 and consumer.retry_due() == 0  # nothing moves without a decision

    ledger = ledger_of(casework)
    ledger.request_retry("registry", poison, by="ops-1", reason="retry while still broken")
    assert consumer.retry_due() == 0
    assert ledger.find("registry", poison).attempts == 2  # retried, failed, parked again

    broken["on"] = False
    ledger.request_retry("registry", poison, by="ops-1", reason="handler fixed in 1.4.2")
    assert consumer.retry_due() == 2  # the poison, then the correction held behind it
    assert casework.get_roster_child(first)["name"] == "孩子一"
    assert casework_feed_health(casework)["parked"] == []
    assert ledger.find("registry", poison).status == RETRIED
    assert ledger.find("registry", poison).reason == "handler fixed in 1.4.2"
    assert consumer.receive(sent[0]) == DUPLICATE


def test_skipping_a_parked_event_records_why_and_lets_its_record_go_on(registry, casework):
    first = registry.register_child(**child(1))
    registry.correct_child(first, field="name", value="孩子一", reason="typo")
    sent = []
    relay_of(registry, sent).run_once()

    def handle(received):
        if received["notification_id"] == sent[1]["notification_id"]:
            raise ValueError("bad correction")
        return casework.handle_registry_event(received)

    consumer = consumer_of(casework, registry, handle)
    assert [consumer.receive(m) for m in sent] == [APPLIED, PARKED]
    ledger = ledger_of(casework)
    with pytest.raises(ValueError, match="who decides and why"):
        ledger.skip("registry", sent[1]["notification_id"], by="ops-1", reason=" ")
    skipped = ledger.skip("registry", sent[1]["notification_id"], by="ops-1", reason="superseded by a manual fix")
    assert (skipped.status, skipped.resolved_by, skipped.reason) == (SKIPPED, "ops-1", "superseded by a manual fix")
    assert casework.get_roster_child(first)["name"] == "孩子1"
    assert casework_feed_health(casework)["parked"] == []
    with pytest.raises(LookupError):
        ledger.request_retry("registry", sent[1]["notification_id"], by="ops-1", reason="again")


def poison_in_log(registry, copy_of: uuid.UUID, topic: str) -> uuid.UUID:
    """An event in the registry's own log that this code cannot decode: a child
    registration stored under a class name that is not (yet) registered."""
    [stored] = [n for n in registry.recorder.select_notifications(start=1, limit=100) if n.originator_id == copy_of]
    originator = uuid.uuid4()
    registry.recorder.insert_events([StoredEvent(originator, 1, topic, stored.state)])
    return originator


def test_an_undecodable_event_in_the_source_log_is_parked_and_the_feed_goes_on(registry, casework):
    # Topics are registered process-wide: a fresh one per test keeps this one's poison undecodable.
    topic = f"services.registry.old_{uuid.uuid4().hex}:Child.Registered"
    registry.register_child(**child(1))
    poison_child = poison_in_log(registry, registry.register_child(**child(2)), topic)
    registry.register_child(**child(3))
    sent = []
    relay = relay_of(registry, sent)
    assert relay.run_once() > 0  # today this raised for ever
    assert roster_names_sent(sent) == ["孩子1", "孩子2", "孩子3"]
    consumer = consumer_of(casework, registry)
    assert [consumer.receive(m) for m in sent] == [APPLIED] * 3
    [parked] = health_of(ledger_of(registry), RELAY_FEED)["parked"]
    assert parked["status"] == "parked" and "undecodable" in parked["error"]
    # the pull (gap filling) passes it too
    newcomer = CaseworkApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    assert consumer_of(newcomer, registry).catch_up() == 3

    # the fix ships (the old class name registered), an operator retries: it goes out late and applies
    register_topic(topic, Child.Registered)
    ledger_of(registry).request_retry(RELAY_FEED, parked["notification_id"], by="ops-1", reason="topic registered")
    relay.run_once()
    late = sent[-1]
    assert late["notification_id"] == parked["notification_id"] and late["previous_notification_id"] is None
    assert consumer.receive(late) == APPLIED
    assert casework.get_roster_child(poison_child)["name"] == "孩子2"
    assert consumer.receive(late) == DUPLICATE
    assert health_of(ledger_of(registry), RELAY_FEED)["parked"] == []


def roster_names_sent(sent):
    return [m["payload"]["name"] for m in sent]


def test_a_late_envelope_is_taken_only_once_and_only_if_genuine(registry, casework):
    registry.register_child(**child(1))
    sent = []
    relay_of(registry, sent).run_once()
    consumer = consumer_of(casework, registry)
    assert consumer.receive(sent[0]) == APPLIED
    registry.register_child(**child(2))
    relay_of(registry, sent).run_once()
    assert consumer.receive(sent[1]) == APPLIED
    # an intruder cannot pass something off as a late release of an earlier position
    late_forgery = {**forged_after(sent[0]), "previous_notification_id": None}
    assert consumer.receive(late_forgery) == REJECTED
    assert casework.roster.count() == 2


def test_envelopes_are_signed_over_their_whole_content():
    message = envelope.build(
        type="registry.child_registered.v1",
        source="registry",
        notification_id=1,
        previous_notification_id=0,
        originator_id=str(uuid.uuid4()),
        originator_version=1,
        occurred_at=datetime(2025, 6, 1, tzinfo=UTC),
        meta={},
        payload={
            "child_id": uuid.uuid4(),
            "name": "王小明",
            "gender": "male",
            "date_of_birth": date(2015, 3, 4),
            "town": "滨河镇",
            "village": "新北村",
            "categories": ["left_behind"],
            "registered_on": date(2025, 6, 1),
        },
    )
    signed = dev_signer("registry").sign(message)
    assert envelope.load(signed)["payload"]["name"] == "王小明"  # the schema accepts the signature
    verifier = verifier_for("registry", DEV_KEYS)
    verifier.check(signed)
    for key in [k for k in message if k != "signature"]:
        with pytest.raises(ForgedEnvelope):
            verifier.check({**signed, key: "x" if signed[key] != "x" else "y"})
