"""nameko's `@rpc` and `@event_handler`, whose durable queues (`rpc-<svc>`, and
`evt-<upstream>-...--<svc>.<handler>`) are RabbitMQ quorum queues when
RABBITMQ_QUORUM_QUEUES is on: replicated across a RabbitMQ cluster, so losing
one broker node loses neither a queued command nor an event. Off (the
default), they are classic queues as nameko declares them. Reply queues stay
classic: they are auto-delete (shared/rpc_proxies.py), which quorum queues
cannot be.

A queue's type is fixed when it is first declared: switch the flag on a fresh
vhost, or delete the services' queues first (docs/operations.md). Every service
imports these instead of nameko's, so no queue is declared both ways.
"""

from __future__ import annotations

from typing import Any

from nameko import events as nameko_events
from nameko import rpc as nameko_rpc

from shared.config import quorum_queues

QUORUM = {"x-queue-type": "quorum"}


def typed(queue: Any) -> None:
    """Makes a not-yet-declared kombu Queue a quorum queue if the flag is on."""
    if quorum_queues():
        queue.queue_arguments = {**(queue.queue_arguments or {}), **QUORUM}


class RpcConsumer(nameko_rpc.RpcConsumer):  # type: ignore[misc]  # nameko ships no types: its base is Any
    def setup(self) -> None:
        declared_here = self.queue is None
        super().setup()
        if declared_here:
            typed(self.queue)


class Rpc(nameko_rpc.Rpc):  # type: ignore[misc]  # nameko ships no types: its base is Any
    rpc_consumer = RpcConsumer()


class EventHandler(nameko_events.EventHandler):  # type: ignore[misc]  # nameko ships no types: its base is Any
    def setup(self) -> None:
        super().setup()
        if self.reliable_delivery:  # a durable, shared queue; the others are exclusive and auto-delete
            typed(self.queue)


rpc = Rpc.decorator
event_handler = EventHandler.decorator
