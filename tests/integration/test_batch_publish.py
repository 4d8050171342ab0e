"""The relay's batch publisher on the real broker: a batch arrives whole and in
order once `publish` returns, and a batch the broker does not take raises, so
the relay keeps its position and sends it again on a fresh channel."""

import json

import pytest
import requests
from kombu.connection import Connection
from kombu.entity import Exchange, Queue

from shared.batch_publish import BatchPublisher
from tests.support.broker import _q
from tests.support.infra import RABBIT_API, RABBIT_AUTH

EXCHANGE = "registry.events"


@pytest.fixture
def exchange() -> Exchange:
    return Exchange(EXCHANGE, type="topic", durable=True, auto_delete=True)


@pytest.fixture
def queue(amqp_uri, exchange):
    """A queue bound to every event type, declared before anything is published."""
    declared = Queue("batch-test", exchange=exchange, routing_key="#", durable=False, auto_delete=False)
    with Connection(amqp_uri) as conn:
        declared.bind(conn.default_channel).declare()
    return declared


def received(amqp_uri: str, queue: Queue) -> list[dict]:
    out = []
    with Connection(amqp_uri) as conn:
        bound = queue.bind(conn.default_channel)
        while (message := bound.get(no_ack=True)) is not None:
            out.append((message.delivery_info["routing_key"], json.loads(message.body), message.properties))
    return out


def envelopes(first: int, count: int) -> list[dict]:
    return [{"type": f"registry.child_registered.v{1 + n % 2}", "notification_id": n} for n in range(first, count)]


def test_a_batch_arrives_whole_in_order_and_persistent_once_publish_returns(amqp_uri, exchange, queue):
    publisher = BatchPublisher(amqp_uri, exchange)
    try:
        publisher.publish(envelopes(0, 300))
        publisher.publish(envelopes(300, 301))  # the same channel: delivery tags go on counting
        publisher.publish([])
    finally:
        publisher.close()
    got = received(amqp_uri, queue)
    assert [body for _, body, _ in got] == envelopes(0, 301)
    assert [key for key, _, _ in got] == [e["type"] for e in envelopes(0, 301)]
    assert {properties["delivery_mode"] for _, _, properties in got} == {2}


def test_a_batch_the_broker_does_not_take_raises(amqp_uri, rabbit_vhost):
    with Connection(amqp_uri) as conn:  # the name taken by an exchange of another kind
        Exchange(EXCHANGE, type="direct", durable=True)(conn.default_channel).declare()
    publisher = BatchPublisher(amqp_uri, Exchange(EXCHANGE, type="topic", durable=True, auto_delete=True))
    try:
        with pytest.raises(Exception, match="PRECONDITION_FAILED"):
            publisher.publish(envelopes(0, 3))
    finally:
        publisher.close()


def test_an_exchange_gone_under_the_open_channel_is_declared_again(amqp_uri, rabbit_vhost, exchange, queue):
    publisher = BatchPublisher(amqp_uri, exchange)
    try:
        publisher.publish(envelopes(0, 2))
        # The exchange disappears under the open channel (an operator, a broker restart).
        requests.delete(
            f"{RABBIT_API}/exchanges/{_q(rabbit_vhost)}/{_q(EXCHANGE)}", auth=RABBIT_AUTH, timeout=10
        ).raise_for_status()
        publisher.publish(envelopes(2, 4))  # refused on the old channel, taken on a new one
        with Connection(amqp_uri) as conn:
            queue.bind(conn.default_channel).declare()  # the queue bound to the new exchange
        publisher.publish(envelopes(4, 6))
    finally:
        publisher.close()
    exists = requests.get(f"{RABBIT_API}/exchanges/{_q(rabbit_vhost)}/{_q(EXCHANGE)}", auth=RABBIT_AUTH, timeout=10)
    assert exists.status_code == 200
    # What went to the new exchange before any queue was bound to it reaches nobody
    # (consumers fill such gaps by pulling); all else arrives in order.
    assert [body for _, body, _ in received(amqp_uri, queue)] == envelopes(0, 2) + envelopes(4, 6)
