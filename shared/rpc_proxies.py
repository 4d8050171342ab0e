"""RPC proxies whose reply queues go when their caller goes.

nameko 2.14.1 declares each caller's reply queue (`rpc.reply-<caller>-<uuid>`)
with only `x-expires` (5 minutes, nameko.rpc.RPC_REPLY_QUEUE_TTL): a stopped
run, or a consumer feed that remakes its proxy after a failed pull, leaves
queues without consumers behind. Here the queue is also auto-delete: the
broker removes it as soon as its consumer is gone (a stopped or killed
process, a closed proxy). `x-expires` stays, for a queue declared but never
consumed. A reply in flight when the caller's connection drops is lost either
way (the caller has given up on it), so nothing is lost that was not before.

Standalone proxies name their queues after the calling service (permitted by
deploy/rabbitmq/provision.py), so an operator sees whose queue it is.
"""

from __future__ import annotations

import uuid
from typing import Any

from kombu.entity import Queue
from nameko import rpc as nameko_rpc
from nameko.messaging import QueueConsumer
from nameko.standalone import rpc as standalone_rpc

STANDALONE = "standalone_rpc_proxy"  # nameko's name for a caller outside a service


def reply_queue(listener: Any) -> None:
    """nameko.rpc.ReplyListener.setup's queue, auto-delete; sets listener.queue and its routing key."""
    reply_id = uuid.uuid4()
    listener.routing_key = str(reply_id)
    listener.queue = Queue(  # type: ignore[no-untyped-call]  # kombu leaves it unannotated
        nameko_rpc.RPC_REPLY_QUEUE_TEMPLATE.format(listener.container.service_name, reply_id),
        exchange=nameko_rpc.get_rpc_exchange(listener.container.config),
        routing_key=listener.routing_key,
        queue_arguments={"x-expires": nameko_rpc.RPC_REPLY_QUEUE_TTL},
        auto_delete=True,
    )


class ReplyListener(nameko_rpc.ReplyListener):  # type: ignore[misc]  # nameko ships no types: its base is Any
    queue_consumer = QueueConsumer()

    def setup(self) -> None:
        reply_queue(self)
        self.queue_consumer.register_provider(self)


class RpcProxy(nameko_rpc.RpcProxy):  # type: ignore[misc]  # nameko ships no types: its base is Any
    """nameko's RpcProxy dependency, with an auto-delete reply queue."""

    rpc_reply_listener = ReplyListener()


class StandaloneReplyListener(standalone_rpc.SingleThreadedReplyListener):  # type: ignore[misc]  # nameko ships no types
    def setup(self) -> None:
        reply_queue(self)
        self.queue_consumer.register_provider(self)


class ClusterRpcProxy(standalone_rpc.ClusterRpcProxy):  # type: ignore[misc]  # nameko ships no types: its base is Any
    """nameko's ClusterRpcProxy with an auto-delete reply queue named after its caller."""

    def __init__(
        self,
        config: dict[str, Any],
        caller: str = STANDALONE,
        timeout: float | None = None,
        context_data: dict[str, Any] | None = None,
    ):
        super().__init__(config, context_data=context_data, timeout=timeout, reply_listener_cls=StandaloneReplyListener)
        self._worker_ctx.container.service_name = caller
