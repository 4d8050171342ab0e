"""RabbitMQ management-API helpers for fault tests: inspect, purge, unbind,
rebind and publish, as an operator (or a failure) would."""

from __future__ import annotations

import json
from urllib.parse import quote

import requests

from tests.support.infra import RABBIT_API, RABBIT_AUTH

CASEWORK_REGISTRY_QUEUE = "evt-registry-#--casework.on_registry_event"


def _q(name: str) -> str:
    return quote(name, safe="")


def queue(vhost: str, name: str) -> dict:
    r = requests.get(f"{RABBIT_API}/queues/{_q(vhost)}/{_q(name)}", auth=RABBIT_AUTH, timeout=10)
    r.raise_for_status()
    return r.json()


def queue_is_drained(vhost: str, name: str) -> bool:
    q = queue(vhost, name)
    return q.get("messages", 1) == 0 and q.get("messages_unacknowledged", 1) == 0


def unbind(vhost: str, exchange: str, queue_name: str) -> None:
    url = f"{RABBIT_API}/bindings/{_q(vhost)}/e/{_q(exchange)}/q/{_q(queue_name)}"
    for binding in requests.get(url, auth=RABBIT_AUTH, timeout=10).json():
        requests.delete(f"{url}/{_q(binding['properties_key'])}", auth=RABBIT_AUTH, timeout=10).raise_for_status()


def bind(vhost: str, exchange: str, queue_name: str, routing_key: str = "#") -> None:
    url = f"{RABBIT_API}/bindings/{_q(vhost)}/e/{_q(exchange)}/q/{_q(queue_name)}"
    requests.post(url, json={"routing_key": routing_key}, auth=RABBIT_AUTH, timeout=10).raise_for_status()


def declare_queue(vhost: str, name: str) -> None:
    requests.put(
        f"{RABBIT_API}/queues/{_q(vhost)}/{_q(name)}",
        json={"durable": False, "auto_delete": False},
        auth=RABBIT_AUTH,
        timeout=10,
    ).raise_for_status()


def publish(vhost: str, exchange: str, routing_key: str, message: dict) -> None:
    r = requests.post(
        f"{RABBIT_API}/exchanges/{_q(vhost)}/{_q(exchange)}/publish",
        json={
            "properties": {"content_type": "application/json", "content_encoding": "utf-8", "delivery_mode": 2},
            "routing_key": routing_key,
            "payload": json.dumps(message),
            "payload_encoding": "string",
        },
        auth=RABBIT_AUTH,
        timeout=10,
    )
    r.raise_for_status()
    assert r.json()["routed"], "message was not routed to any queue"


def take_messages(vhost: str, name: str, count: int) -> list[dict]:
    """Takes (and removes) up to `count` messages from a queue, oldest first, as JSON."""
    r = requests.post(
        f"{RABBIT_API}/queues/{_q(vhost)}/{_q(name)}/get",
        json={"count": count, "ackmode": "ack_requeue_false", "encoding": "auto"},
        auth=RABBIT_AUTH,
        timeout=30,
    )
    r.raise_for_status()
    return [json.loads(m["payload"]) for m in r.json()]
