"""deploy/rabbitmq/provision.py's table of who consumes whom matches the
services' ConsumerFeeds, so a new feed cannot be forgotten in the broker's
permissions (the real-broker checks are in tests/integration/test_broker_users.py)."""

import importlib

from deploy.rabbitmq.provision import CONSUMES, PUBLISHES, permissions_for
from shared.config import SERVICES
from shared.nameko_deps import ConsumerFeed


def declared_feeds(service: str) -> set[str]:
    module = importlib.import_module(f"services.{service}.service")
    classes = [v for v in vars(module).values() if isinstance(v, type) and getattr(v, "name", None) == service]
    return {d.upstream for cls in classes for d in vars(cls).values() if isinstance(d, ConsumerFeed)}


def test_every_service_has_a_user_and_its_feeds_are_listed():
    assert set(CONSUMES) == set(SERVICES) | {"gateway"}
    for service in CONSUMES:
        assert set(CONSUMES[service]) == declared_feeds(service), service


def test_only_a_publisher_may_write_its_event_exchange():
    for service in CONSUMES:
        write = permissions_for(service).write
        for source in PUBLISHES:
            assert (f"{source}\\.events" in write) == (source == service), (service, source)
