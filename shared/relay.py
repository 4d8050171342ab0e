"""The relay: follows a service's notification log (the outbox) and publishes
each public event in order, with publisher confirms (one wait per batch,
shared/batch_publish.py), then records how far it got.

At-least-once: a crash between the broker's confirm and the position write means
a republish, which consumers ignore (their tracking sees the same notification id).

Single-active and fenced: the relay runs only while its lock is held
(shared/locks.py). It checks the lock again just before publishing a batch, and
records the batch's positions in a transaction that commits only while the lock
is held; a relay whose lock session was cut while its process lives raises
LockLost there and stands by, instead of publishing and recording beside the
new holder. (What it had already handed to the broker in that instant may go
out twice; consumers ignore the copy.)
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any, Protocol, cast

from eventsourcing.domain import DomainEvent
from eventsourcing.persistence import Notification, StoredEvent, Tracking

from shared import envelope, event_mac
from shared.eventstore import META_KEY, ServiceApplication
from shared.feed_ledger import RELAY_FEED, RETRY, FeedLedger, ParkedState
from shared.signing import Signer

log = logging.getLogger(__name__)

RELAY_POSITION = "relay"
RELAY_PUBLISHED = "relay.published"

# Maps a stored domain event to (integration event type, payload), or None if private.
Translator = Callable[[Any], "tuple[str, dict[str, Any]] | None"]


class Lock(Protocol):
    def acquire(self) -> bool: ...
    def release(self) -> None: ...
    def holding(self) -> bool: ...
    def verify(self) -> None: ...
    def fenced(self) -> AbstractContextManager[Any]: ...
    def replicas(self) -> list[dict[str, Any]]: ...


class Publish(Protocol):
    def __call__(self, message: dict[str, Any], routing_key: str) -> None: ...


# Publishes a batch in order and returns once the broker has confirmed every
# message (raising otherwise): one wait for confirms per batch, not per event.
PublishBatch = Callable[[list[dict[str, Any]]], None]


def stored_meta(app: ServiceApplication, notification: StoredEvent) -> dict[str, Any]:
    """The who/why metadata stamped on a stored event (decrypting if needed)."""
    state = event_mac.body(notification.state)
    if app.mapper.cipher:
        state = app.mapper.cipher.decrypt(state)
    if app.mapper.compressor:
        state = app.mapper.compressor.decompress(state)
    decoded = app.mapper.transcoder.decode_with_meta(state)  # type: ignore[attr-defined]
    return decoded.get(META_KEY) or {}


def envelope_for(
    app: ServiceApplication,
    translate: Translator,
    notification: Notification,
    previous: int | None,
    sign: Signer | None,
) -> dict[str, Any] | None:
    """The public envelope of one notification (signed when a signer is given),
    or None if the event stays private. Raises if the event cannot be decoded."""
    # The mapper's protocol type omits `timestamp`; what it decodes here are DomainEvents.
    domain_event = cast(DomainEvent, app.mapper.to_domain_event(notification))
    public = translate(domain_event)
    if public is None:
        return None
    event_type, payload = public
    built = envelope.build(
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
    return sign.sign(built) if sign is not None else built


def envelopes_after(
    app: ServiceApplication,
    translate: Translator,
    after: int,
    limit: int,
    previous: int | None,
    sign: Signer | None = None,
    ledger: FeedLedger | None = None,
    ledger_state: ParkedState | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """Public envelopes for notifications after `after` (at most `limit` scanned),
    and the last notification id scanned. Shared by the relay and the pull RPC.

    `previous` is the notification id of the last public event before `after`
    (0 if none); None means "not stated", as in pulled batches.

    With a ledger, an event that cannot be decoded is parked there instead of
    stopping the feed, and later events of the same record are held behind it
    (released in order by `Relay.release_due` once an operator decides);
    `ledger_state` is the ledger's `parked_state(RELAY_FEED, after)` if the
    caller has just read it."""
    notifications = app.recorder.select_notifications(start=after, limit=limit, inclusive_of_start=False)
    out: list[dict[str, Any]] = []
    last = after
    if ledger is not None and ledger_state is None:
        ledger_state = ledger.parked_state(RELAY_FEED, after)
    # Each record's earliest open parked event: its later events wait behind it.
    waiting = dict(ledger_state.blockers) if ledger_state is not None else {}
    parked = ledger_state.parked if ledger_state is not None else set()
    for notification in notifications:
        last = notification.id
        if ledger is not None:
            originator = str(notification.originator_id)
            if notification.id in parked:
                continue  # parked earlier: it travels only when released
            if originator in waiting:
                _park_once(
                    ledger,
                    notification,
                    f"waits for parked notification {waiting[originator]} of the same record",
                    held=True,
                )
                continue
            try:
                message = envelope_for(app, translate, notification, previous, sign)
            except Exception as error:  # noqa: BLE001 - whatever breaks decoding, the event is parked
                _park_once(ledger, notification, f"undecodable: {type(error).__name__}: {error}")
                waiting[originator] = notification.id
                continue
        else:
            message = envelope_for(app, translate, notification, previous, sign)
        if message is None:
            continue
        out.append(message)
        previous = notification.id
    return out, last


def _park_once(ledger: FeedLedger, notification: Notification, error: str, held: bool = False) -> None:
    """Park unless already parked (the relay and a pull may meet the same event)."""
    try:
        ledger.park(RELAY_FEED, notification.id, str(notification.originator_id), error, None, held=held)
    except Exception:
        if ledger.find(RELAY_FEED, notification.id) is None:
            raise
    log.error("parked outgoing notification %d: %s", notification.id, error)


class Relay:
    def __init__(
        self,
        app: ServiceApplication,
        translate: Translator,
        publish: Publish,
        lock: Lock,
        signer: Signer,
        ledger: FeedLedger,
        batch: int = 500,
        publish_batch: PublishBatch | None = None,
    ):
        self.app = app
        self.translate = translate
        self.publish = publish
        self.lock = lock
        self.signer = signer
        self.ledger = ledger
        self.batch = batch
        self.publish_batch = publish_batch
        # (the lock's `taken` count, position, published) as this relay last
        # read or recorded them: see `_positions`.
        self._known: tuple[int, int, int] | None = None

    @property
    def position(self) -> int:
        return self.app.tracked_position(RELAY_POSITION)

    @property
    def published(self) -> int:
        """Notification id of the last public event published (0 if none)."""
        return self.app.tracked_position(RELAY_PUBLISHED)

    def _positions(self) -> tuple[int, int]:
        """(position, published). Only the lock's holder records them, inside a
        transaction that commits only while it holds the lock; so while this
        relay has held its lock throughout (the lock's `taken` count unchanged
        since they were read or recorded here), they are what it knows, and a
        pass asks the store for them only after the lock was taken again (or a
        pass failed). A lock that does not count its takings is always asked."""
        taken = getattr(self.lock, "taken", None)
        known = self._known
        if taken is not None and known is not None and known[0] == taken:
            return known[1], known[2]
        position, published = self.position, self.published
        self._known = None if taken is None else (taken, position, published)
        return position, published

    def is_active(self) -> bool:
        """Whether this process's relay held the lock when it last looked (asks nothing)."""
        return self.lock.holding()

    def run_once(self, acquired: bool = False) -> int:
        """Publish one batch if this instance holds the lock; returns how many
        notifications were scanned (0 when idle or standing by). `acquired`:
        the caller has just taken (or confirmed) the lock itself."""
        if not acquired and not self.lock.acquire():
            return 0
        try:
            return self._pass()
        except BaseException:
            self._known = None  # whatever failed, the next pass reads the positions afresh
            raise

    def _pass(self) -> int:
        position, previous = self._positions()
        # One query for what the ledger holds; retries only when an operator asked.
        state = self.ledger.parked_state(RELAY_FEED, position)
        released = 0
        if state.retry_due:
            released = self.release_due()
            state = self.ledger.parked_state(RELAY_FEED, position)
        messages, last = envelopes_after(
            self.app, self.translate, position, self.batch, previous, self.signer, self.ledger, state
        )
        if messages:
            self.lock.verify()  # fenced out while reading the batch: publish nothing
        if self.publish_batch is not None:
            if messages:
                self.publish_batch(messages)
        else:
            for message in messages:
                self.publish(message, routing_key=message["type"])
        if messages or last > position:
            with self.lock.fenced() as cursor:  # commits only while the lock is held
                if messages:
                    self.app.record_position(Tracking(RELAY_PUBLISHED, messages[-1]["notification_id"]), cursor)
                if last > position:
                    self.app.record_position(Tracking(RELAY_POSITION, last), cursor)
            if self._known is not None:
                published = messages[-1]["notification_id"] if messages else previous
                self._known = (self._known[0], max(last, position), published)
        return (last - position if last > position else 0) + released

    def release_due(self) -> int:
        """Publish the parked events an operator asked to retry (and those held
        behind a resolved one), in order. They go out without a previous link:
        consumers have passed their position and take them as late."""
        released = 0
        progressed = True
        while progressed:
            progressed = False
            for parked in self.ledger.open_events(RELAY_FEED):
                if parked.status != RETRY:
                    continue
                if self.ledger.blocker(RELAY_FEED, parked.originator_id, parked.notification_id) is not None:
                    continue
                [notification] = self.app.recorder.select_notifications(start=parked.notification_id, limit=1)
                try:
                    message = envelope_for(self.app, self.translate, notification, None, self.signer)
                except Exception as error:  # noqa: BLE001 - it stays parked, with the new reason
                    self.ledger.park(
                        RELAY_FEED,
                        parked.notification_id,
                        parked.originator_id,
                        f"undecodable: {type(error).__name__}: {error}",
                        None,
                    )
                    continue
                if message is not None:
                    self.lock.verify()
                    self.publish(message, routing_key=message["type"])
                self.ledger.retried(RELAY_FEED, parked.notification_id)
                self.ledger.release_held(RELAY_FEED, parked.originator_id)
                released += 1
                progressed = True
        return released
