"""The relay: follows a service's notification log (the outbox) and publishes
each public event in order, with publisher confirms, then records how far it got.

At-least-once: a crash between the broker's confirm and the position write means
a republish, which consumers ignore (their tracking sees the same notification id).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol, cast

from eventsourcing.domain import DomainEvent
from eventsourcing.persistence import StoredEvent, Tracking

from shared import envelope, event_mac
from shared.eventstore import META_KEY, ServiceApplication

log = logging.getLogger(__name__)

RELAY_POSITION = "relay"
RELAY_PUBLISHED = "relay.published"

# Maps a stored domain event to (integration event type, payload), or None if private.
Translator = Callable[[Any], "tuple[str, dict[str, Any]] | None"]


class Lock(Protocol):
    def acquire(self) -> bool: ...
    def release(self) -> None: ...


class Publish(Protocol):
    def __call__(self, message: dict[str, Any], routing_key: str) -> None: ...


def stored_meta(app: ServiceApplication, notification: StoredEvent) -> dict[str, Any]:
    """The who/why metadata stamped on a stored event (decrypting if needed)."""
    state = event_mac.body(notification.state)
    if app.mapper.cipher:
        state = app.mapper.cipher.decrypt(state)
    if app.mapper.compressor:
        state = app.mapper.compressor.decompress(state)
    decoded = app.mapper.transcoder.decode_with_meta(state)  # type: ignore[attr-defined]
    return decoded.get(META_KEY) or {}


def envelopes_after(
    app: ServiceApplication,
    translate: Translator,
    after: int,
    limit: int,
    previous: int | None,
) -> tuple[list[dict[str, Any]], int]:
    """Public envelopes for notifications after `after` (at most `limit` scanned),
    and the last notification id scanned. Shared by the relay and the pull RPC.

    `previous` is the notification id of the last public event before `after`
    (0 if none); None means "not stated", as in pulled batches."""
    notifications = app.recorder.select_notifications(start=after, limit=limit, inclusive_of_start=False)
    out: list[dict[str, Any]] = []
    last = after
    for notification in notifications:
        last = notification.id
        # The mapper's protocol type omits `timestamp`; what it decodes here are DomainEvents.
        domain_event = cast(DomainEvent, app.mapper.to_domain_event(notification))
        public = translate(domain_event)
        if public is None:
            continue
        event_type, payload = public
        out.append(
            envelope.build(
                type=event_type,
                source=app.name,
                notification_id=notification.id,
                previous_notification_id=previous,
                originator_id=str(notification.originator_id),
                originator_version=notification.originator_version,
                occurred_at=domain_event.timestamp,
                meta=stored_meta(app, notification),
                payload=payload,
            )
        )
        previous = notification.id
    return out, last


class Relay:
    def __init__(
        self,
        app: ServiceApplication,
        translate: Translator,
        publish: Publish,
        lock: Lock,
        batch: int = 500,
    ):
        self.app = app
        self.translate = translate
        self.publish = publish
        self.lock = lock
        self.batch = batch

    @property
    def position(self) -> int:
        return self.app.tracked_position(RELAY_POSITION)

    @property
    def published(self) -> int:
        """Notification id of the last public event published (0 if none)."""
        return self.app.tracked_position(RELAY_PUBLISHED)

    def is_active(self) -> bool:
        return self.lock.acquire()

    def run_once(self) -> int:
        """Publish one batch if this instance holds the lock; returns how many
        notifications were scanned (0 when idle or standing by)."""
        if not self.lock.acquire():
            return 0
        position = self.position
        previous = self.published
        messages, last = envelopes_after(self.app, self.translate, position, self.batch, previous)
        for message in messages:
            self.publish(message, routing_key=message["type"])
        if messages:
            self._advance(RELAY_PUBLISHED, messages[-1]["notification_id"])
        if last > position:
            self._advance(RELAY_POSITION, last)
        return last - position if last > position else 0

    def _advance(self, name: str, notification_id: int) -> None:
        self.app.recorder.insert_tracking(Tracking(name, notification_id))
