"""The nameko side of a feed: a pushed event is handed over at once (the worker
that carried it never waits on the feed), and the feed's applier takes the
pushed events in as runs, pulling towards a gap first."""

from datetime import date

import pytest

from services.casework.application import CaseworkApplication
from services.registry.application import RegistryApplication
from shared import nameko_deps
from shared.nameko_deps import QUEUED, ConsumerFeed
from tests.support.apps import make_app, store_kind  # noqa: F401
from tests.support.feeds import child, dev_consumer
from tests.unit.test_consumer_runs import (
    Upstream,
    published,
    registry,  # noqa: F401 - fixture
)


class RefusingLock:
    """The feed's lock, taken by its applier for as long as a page lasts: a
    pushed event must not wait for it."""

    def __enter__(self):
        raise AssertionError("a pushed event waited on the feed's lock")

    def __exit__(self, *exc):
        return False

    acquire = __enter__


@pytest.fixture
def registry(make_app):  # noqa: F811
    app = make_app(RegistryApplication)
    app.clock = lambda: date(2025, 6, 1)
    return app


@pytest.fixture
def casework(make_app):  # noqa: F811
    return make_app(CaseworkApplication)


def feed_on(casework, registry) -> ConsumerFeed:  # noqa: F811
    feed = ConsumerFeed("registry", "handle_registry_event")
    feed.consumer = dev_consumer(casework, "registry", casework.handle_registry_event, Upstream(registry))
    return feed


def test_a_pushed_event_is_handed_over_without_waiting_on_the_feed(registry, casework):  # noqa: F811
    registry.register_child(**child(0))
    [message] = published(registry)
    feed = feed_on(casework, registry)
    feed._lock = RefusingLock()
    assert feed.receive(message) == QUEUED
    assert list(feed._pending) == [message] and feed._wake.is_set()
    assert casework.roster.count() == 0  # taken in by the applier, not by the worker


def test_the_applier_takes_pushed_events_in_and_pulls_towards_a_gap_first(registry, casework):  # noqa: F811
    for n in range(4):
        registry.register_child(**child(n))
    sent = published(registry)
    feed = feed_on(casework, registry)
    for message in (sent[0], sent[3]):  # the two between were lost on the way
        feed.receive(message)
    feed._take_pushed()
    assert casework.roster.count() == 3 and list(feed._pending) == [sent[3]]  # pulled up to it, offered again
    feed._take_pushed()
    assert casework.roster.count() == 4 and not feed._pending
    assert feed.consumer.position == registry.head_position()


def test_past_its_limit_a_feed_keeps_no_more_pushed_events_and_pulls_instead(registry, casework, monkeypatch):  # noqa: F811
    for n in range(3):
        registry.register_child(**child(n))
    sent = published(registry)
    monkeypatch.setattr(nameko_deps, "PUSHED_LIMIT", 2)
    feed = feed_on(casework, registry)
    for message in sent:
        feed.receive(message)
    assert list(feed._pending) == sent[:2] and feed._overflowed
