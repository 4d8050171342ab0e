"""Each service's own RabbitMQ user (deploy/rabbitmq/provision.py) on the real
broker: a service can publish events only on its own exchange, send only the
RPC requests it needs, and read only its own queues."""

from urllib.parse import unquote, urlsplit

import amqp
import pytest

from tests.support.broker_users import service_users
from tests.support.infra import amqp_uri_for


def connect(uri: str) -> amqp.Connection:
    parts = urlsplit(uri)
    conn = amqp.Connection(
        host=f"{parts.hostname}:{parts.port}",
        userid=unquote(parts.username),
        password=unquote(parts.password),
        virtual_host=unquote(parts.path[1:]),
        confirm_publish=True,
    )
    conn.connect()
    return conn


def can_publish(uri: str, exchange: str, routing_key: str) -> bool:
    with connect(uri) as conn:
        try:
            conn.channel().basic_publish(amqp.Message("{}"), exchange=exchange, routing_key=routing_key)
            return True
        except amqp.exceptions.AccessRefused:
            return False


def can_consume(uri: str, queue: str) -> bool:
    with connect(uri) as conn:
        try:
            conn.channel().basic_consume(queue, callback=lambda message: None)
            return True
        except amqp.exceptions.AccessRefused:
            return False


@pytest.fixture
def users(rabbit_vhost):
    admin = amqp_uri_for(rabbit_vhost)
    with connect(admin) as conn:
        channel = conn.channel()
        for exchange in ("registry.events", "casework.events", "nameko-rpc"):
            channel.exchange_declare(exchange, "topic", durable=True, auto_delete=False)
        for queue in (
            "rpc-registry",
            "evt-casework-#--registry.on_casework_event",
            "evt-registry-#--casework.on_registry_event",
        ):
            channel.queue_declare(queue, durable=True, auto_delete=False)
    with service_users(rabbit_vhost) as uris:
        yield uris


def test_only_the_source_may_publish_on_its_event_exchange(users):
    assert can_publish(users["registry"], "registry.events", "registry.child_registered.v1")
    for intruder in ("casework", "finance", "grants", "gateway"):
        assert not can_publish(users[intruder], "registry.events", "registry.child_registered.v1"), intruder


def test_a_consumer_may_only_pull_its_upstreams_notifications_over_rpc(users):
    assert can_publish(users["casework"], "nameko-rpc", "registry.notifications")
    assert not can_publish(users["casework"], "nameko-rpc", "registry.register_child")
    assert not can_publish(users["casework"], "nameko-rpc", "finance.record_payment")
    assert not can_publish(users["grants"], "nameko-rpc", "registry.notifications")  # grants follows nobody
    assert can_publish(users["gateway"], "nameko-rpc", "registry.register_child")
    # replies are routed by the caller's reply id
    assert can_publish(users["registry"], "nameko-rpc", "0b6e4a8e-5d0c-4c6e-9a57-6f1f2b0c9d11")


def test_a_service_may_ask_its_own_health_and_no_one_else_s(users):
    """Its container's healthcheck runs as the service's own user."""
    assert can_publish(users["grants"], "nameko-rpc", "grants.health")
    assert not can_publish(users["grants"], "nameko-rpc", "registry.health")
    assert not can_publish(users["grants"], "nameko-rpc", "grants.healthy_children_report")  # the whole key only


def test_a_service_reads_only_its_own_queues(users):
    assert can_consume(users["registry"], "rpc-registry")
    assert can_consume(users["registry"], "evt-casework-#--registry.on_casework_event")
    assert not can_consume(users["casework"], "rpc-registry")
    assert not can_consume(users["gateway"], "evt-registry-#--casework.on_registry_event")
    assert can_consume(users["casework"], "evt-registry-#--casework.on_registry_event")
