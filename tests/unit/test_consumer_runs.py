"""A consumer takes events in runs: a pulled page, or pushed events that follow
on from its position, applied in one transaction with one tracking row; a
catch-up pulls one page at a time; the position moves past scanned private
notifications. On every store kind, driven directly (no broker)."""

import contextlib
from datetime import date

import pytest

from services.casework.application import CaseworkApplication
from services.registry.application import RegistryApplication
from shared.consumer import APPLIED
from shared.feed_ledger import ledger_of
from shared.relay import stored_meta
from tests.support.apps import make_app, store_kind  # noqa: F401
from tests.support.feeds import Upstream, child, dev_consumer, published


@pytest.fixture
def registry(make_app):  # noqa: F811
    app = make_app(RegistryApplication)
    app.clock = lambda: date(2025, 6, 1)
    return app


@pytest.fixture
def casework(make_app):  # noqa: F811
    return make_app(CaseworkApplication)


@contextlib.contextmanager
def counted_writes(app):
    """Each write of the app's recorder: (events written, tracking row)."""
    writes: list[tuple[int, object]] = []
    real = app.recorder.insert_events

    def insert_events(stored_events, **kwargs):
        writes.append((len(stored_events), kwargs.get("tracking")))
        return real(stored_events, **kwargs)

    app.recorder.insert_events = insert_events
    try:
        yield writes
    finally:
        app.recorder.insert_events = real


def test_a_pulled_page_is_applied_in_one_transaction_each_effect_with_its_own_cause(registry, casework):
    for n in range(6):
        registry.register_child(**child(n))
    sent = published(registry)
    consumer = dev_consumer(casework, "registry", casework.handle_registry_event, Upstream(registry))
    with counted_writes(casework) as writes:
        assert consumer.catch_up() == 6
    [(events, tracking)] = [w for w in writes if w[0]]
    assert events == 6 and tracking.notification_id == registry.head_position()
    assert casework.roster.count() == 6
    causes = [stored_meta(casework, n)["causation_id"] for n in casework.recorder.select_notifications(1, 10)]
    assert causes == [m["event_id"] for m in sent]


def test_catch_up_takes_one_page_per_call_and_says_whether_more_may_follow(registry, casework):
    for n in range(5):
        registry.register_child(**child(n))
    upstream = Upstream(registry)
    consumer = dev_consumer(casework, "registry", casework.handle_registry_event, upstream, pull_limit=2)
    assert consumer.catch_up_once() == (2, True)
    assert casework.roster.count() == 2 and len(upstream.pulls) == 1
    assert consumer.catch_up_once() == (2, True)
    assert consumer.catch_up_once() == (1, True)
    assert consumer.catch_up_once() == (0, False)
    assert casework.roster.count() == 5


def test_the_position_moves_past_private_notifications_so_the_next_pull_starts_there(registry, casework):
    registry.register_child(**child(1))
    # An ID number adds a private claim after the public registration.
    registry.register_child(**{**child(2), "id_number": "640502201501010021"})
    last_public = published(registry)[-1]["notification_id"]
    assert registry.head_position() > last_public
    upstream = Upstream(registry)
    consumer = dev_consumer(casework, "registry", casework.handle_registry_event, upstream)
    assert consumer.catch_up() == 2
    assert consumer.position == registry.head_position()
    assert consumer.catch_up() == 0
    assert upstream.pulls[-1] == registry.head_position()  # not a rescan from the last public event


def test_pushed_events_that_follow_on_are_applied_without_a_pull_in_one_transaction(registry, casework):
    registry.register_child(**child(0))
    registry.register_child(**{**child(1), "id_number": "640502201501010021"})  # a private claim between
    for n in range(2, 5):
        registry.register_child(**child(n))
    sent = published(registry)
    upstream = Upstream(registry)
    consumer = dev_consumer(casework, "registry", casework.handle_registry_event, upstream)
    upstream.refuse = True
    with counted_writes(casework) as writes:
        assert consumer.take_pushed(sent) == (5, [])
    assert [events for events, _ in writes if events] == [5]
    assert consumer.position == sent[-1]["notification_id"]
    assert consumer.take_pushed(sent[1:3]) == (0, [])  # duplicates: nothing twice
    assert casework.roster.count() == 5 and casework.head_position() == 5


def test_a_pushed_event_that_follows_private_ones_already_scanned_is_applied_without_a_pull(registry, casework):
    registry.register_child(**child(0))
    registry.register_child(**{**child(1), "id_number": "640502201501010021"})
    upstream = Upstream(registry)
    consumer = dev_consumer(casework, "registry", casework.handle_registry_event, upstream)
    consumer.catch_up()
    assert consumer.position == registry.head_position()  # past the last public event
    registry.register_child(**child(2))
    newest = published(registry)[-1]
    assert newest["previous_notification_id"] < consumer.position
    upstream.refuse = True
    assert consumer.receive(newest) == APPLIED
    assert casework.roster.count() == 3


def test_pushed_events_after_a_gap_are_handed_back_for_a_pull(registry, casework):
    for n in range(4):
        registry.register_child(**child(n))
    sent = published(registry)
    consumer = dev_consumer(casework, "registry", casework.handle_registry_event, Upstream(registry))
    applied, rest = consumer.take_pushed([sent[0], sent[2], sent[3]])  # the second was lost
    assert applied == 1 and rest == [sent[2], sent[3]]
    consumer.catch_up_once(until=sent[2]["notification_id"] - 1)
    assert consumer.take_pushed(rest) == (2, [])
    assert casework.roster.count() == 4


def test_a_run_part_applied_by_a_replica_meanwhile_has_every_effect_once(registry, casework):
    for n in range(5):
        registry.register_child(**child(n))
    sent = published(registry)
    upstream = Upstream(registry)
    first = dev_consumer(casework, "registry", casework.handle_registry_event, upstream)
    replica = dev_consumer(casework, "registry", casework.handle_registry_event, upstream)
    real = casework.save_run

    def replica_first(staged, tracking, tracked_from):
        casework.save_run = real
        assert replica.receive(sent[2]) == APPLIED  # pulls and applies the first two, then this one
        return real(staged, tracking, tracked_from)

    casework.save_run = replica_first
    assert first.catch_up() == 2  # the run is refused whole; then one by one, the last two are new
    assert casework.roster.count() == 5
    assert casework.head_position() == 5  # one enrolment per child, none repeated
    assert first.position == registry.head_position()


def test_an_event_whose_handler_fails_mid_run_is_parked_and_the_rest_of_the_run_applies(registry, casework):
    for n in range(5):
        registry.register_child(**child(n))
    sent = published(registry)
    poison = sent[2]["payload"]["child_id"]

    def handle(received):
        if str(received["payload"]["child_id"]) == poison:
            raise ValueError("cannot take this one in")
        return casework.handle_registry_event(received)

    consumer = dev_consumer(casework, "registry", handle, Upstream(registry))
    assert consumer.catch_up() == 4
    assert [p.notification_id for p in ledger_of(casework).open_events("registry")] == [sent[2]["notification_id"]]
    assert casework.roster.count() == 4
    assert consumer.position == registry.head_position()


def test_between_its_own_runs_a_consumer_does_not_ask_the_store_where_it_stands(registry, casework):
    for n in range(6):
        registry.register_child(**child(n))
    sent = published(registry)
    upstream = Upstream(registry)
    consumer = dev_consumer(casework, "registry", casework.handle_registry_event, upstream)
    upstream.refuse = True
    asked: list[str] = []
    real = casework.tracked_position
    casework.tracked_position = lambda name: asked.append(name) or real(name)
    for message in sent:
        assert consumer.take_pushed([message]) == (1, [])
    assert asked == ["registry"]  # before the first run only: then it knows what it recorded
    casework.tracked_position = real
    assert consumer.position == sent[-1]["notification_id"] and casework.roster.count() == 6


def test_a_consumer_whose_feed_a_replica_moved_after_its_run_applies_nothing_twice(registry, casework):
    for n in range(6):
        registry.register_child(**child(n))
    sent = published(registry)
    upstream = Upstream(registry)
    first = dev_consumer(casework, "registry", casework.handle_registry_event, upstream)
    replica = dev_consumer(casework, "registry", casework.handle_registry_event, upstream)
    assert first.take_pushed(sent[:2]) == (2, [])
    assert replica.take_pushed(sent[2:4]) == (2, [])  # the first does not know of these
    # The first still takes itself to stand after sent[1]: sent[2..3] again and the rest.
    applied, rest = first.take_pushed(sent[2:])
    assert applied == 2 and rest == []
    assert casework.roster.count() == 6
    assert casework.head_position() == 6  # one enrolment per child, none repeated
    assert first.position == replica.position == sent[-1]["notification_id"]
