"""Publishing a relay batch with one wait for the broker's confirms.

nameko's Publisher, with confirms on, waits for the broker's confirm after each
message: one round trip per event. Here the batch is published on one channel
in confirm mode and the publisher then waits once, until the broker has
confirmed every message of the batch (RabbitMQ confirms several at a time with
`multiple`). The guarantee is the same: `publish` returns only when the broker
has taken every message, and raises (having closed the connection) if any was
refused or the connection failed, so the relay keeps its position and sends the
batch again; consumers ignore the copies (at-least-once, exactly-once applied).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from typing import Any

from kombu.connection import Connection
from kombu.entity import Exchange
from kombu.messaging import Producer

log = logging.getLogger(__name__)

PERSISTENT = 2


class MessageNacked(Exception):
    """The broker refused to take a message of the batch."""


class BatchPublisher:
    def __init__(self, amqp_uri: str, exchange: Exchange, confirm_timeout: float = 30.0, serializer: str = "json"):
        self.amqp_uri = amqp_uri
        self.exchange = exchange
        self.confirm_timeout = confirm_timeout
        self.serializer = serializer
        self._connection: Connection | None = None
        self._producer: Producer | None = None
        self._next_tag = 1
        self._unconfirmed: set[int] = set()
        self._nacked = False

    def publish(self, messages: Sequence[dict[str, Any]]) -> None:
        """Publishes each message with its `type` as routing key, in order, and
        returns once the broker has confirmed them all."""
        if not messages:
            return
        try:
            self._publish(messages)
            return
        except Exception:  # noqa: BLE001 - once more on a fresh channel; then the relay retries later
            self.close()  # a fresh channel: its delivery tags start again at 1
            log.warning("publishing a batch of %d to %s failed; once more", len(messages), self.exchange.name)
        try:
            # A connection dropped while idle, or the exchange gone with its last
            # queue: a new channel declares it again. Copies already taken are
            # ignored by consumers.
            self._publish(messages)
        except Exception:
            self.close()
            raise

    def _publish(self, messages: Sequence[dict[str, Any]]) -> None:
        producer = self._open()
        for message in messages:
            self._unconfirmed.add(self._next_tag)
            self._next_tag += 1
            producer.publish(  # type: ignore[no-untyped-call]  # kombu leaves it unannotated
                message,
                routing_key=message["type"],
                delivery_mode=PERSISTENT,
                serializer=self.serializer,
                retry=False,  # a failure goes back to the relay, which sends the batch again
            )
        deadline = time.monotonic() + self.confirm_timeout
        assert self._connection is not None
        while self._unconfirmed and not self._nacked:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"the broker confirmed no more of the batch within {self.confirm_timeout:g} s")
            self._connection.drain_events(timeout=remaining)  # type: ignore[no-untyped-call]  # kombu leaves it unannotated
        if self._nacked:
            raise MessageNacked(f"the broker refused a message published to {self.exchange.name}")

    def _open(self) -> Producer:
        if self._producer is not None:
            return self._producer
        connection = Connection(self.amqp_uri)  # type: ignore[no-untyped-call]  # kombu leaves it unannotated
        connection.ensure_connection(max_retries=1)  # type: ignore[no-untyped-call]  # kombu leaves it unannotated
        channel = connection.channel()  # type: ignore[no-untyped-call]  # kombu leaves it unannotated
        channel.confirm_select()
        channel.events["basic_ack"].add(self._acked)
        channel.events["basic_nack"].add(self._refused)
        self._connection = connection
        self._next_tag, self._unconfirmed, self._nacked = 1, set(), False
        # Declared once per channel, not per message: kombu declares an
        # auto-delete exchange again before every publish (one round trip each).
        self.exchange(channel).declare()  # type: ignore[no-untyped-call]  # kombu leaves it unannotated
        self._producer = Producer(channel, exchange=self.exchange, auto_declare=False)  # type: ignore[no-untyped-call]  # kombu leaves it unannotated
        return self._producer

    def _acked(self, delivery_tag: int, multiple: bool) -> None:
        if multiple:
            self._unconfirmed = {tag for tag in self._unconfirmed if tag > delivery_tag}
        else:
            self._unconfirmed.discard(delivery_tag)

    def _refused(self, delivery_tag: int, multiple: bool) -> None:
        self._acked(delivery_tag, multiple)
        self._nacked = True

    def close(self) -> None:
        connection, self._connection, self._producer = self._connection, None, None
        if connection is not None:
            try:
                connection.close()  # type: ignore[no-untyped-call]  # kombu leaves it unannotated
            except Exception:  # noqa: BLE001 - closing a broken connection
                log.debug("closing the relay's broker connection failed", exc_info=True)
