"""The consumer side of integration events: each upstream event takes effect
exactly once, in order, and nothing is missed.

- Effects and a tracking row (upstream, notification id) commit together, so a
  redelivered or republished event finds its id already tracked and does nothing.
- Every envelope names the previous public notification of its source. If that
  is not where this consumer stands, something was lost or is still in flight:
  the consumer pulls the missing range from the upstream by RPC, in order.
- The same pull runs at start-up and on a timer, so an event lost after the last
  one ever sent is still found.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from eventsourcing.persistence import IntegrityError, Tracking
from marshmallow import ValidationError

from shared import envelope
from shared.context import CallMeta, acting_as
from shared.eventstore import ServiceApplication

log = logging.getLogger(__name__)

# Returns the aggregates whose new events are this envelope's effect (maybe none).
Handler = Callable[[dict[str, Any]], Sequence[Any]]
# Pulls (envelopes, last notification id scanned) after a position from the upstream.
Pull = Callable[[int, int], "tuple[list[dict[str, Any]], int]"]

APPLIED, DUPLICATE, REJECTED = "applied", "duplicate", "rejected"
MAX_CONFLICT_RETRIES = 5


class Consumer:
    def __init__(
        self,
        app: ServiceApplication,
        upstream: str,
        handle: Handler,
        pull: Pull,
        pull_limit: int = 500,
    ):
        self.app = app
        self.upstream = upstream
        self.handle = handle
        self.pull = pull
        self.pull_limit = pull_limit

    @property
    def position(self) -> int:
        return self.app.tracked_position(self.upstream)

    def receive(self, message: Any) -> str:
        """Handle one pushed message; fills any gap before it first."""
        try:
            received = envelope.load(message)
        except ValidationError as error:
            log.error("rejected malformed %s event: %s", self.upstream, error.messages)
            return REJECTED
        if received["source"] != self.upstream:
            log.error("rejected event from %s on %s's feed", received["source"], self.upstream)
            return REJECTED
        position = self.position
        if received["notification_id"] <= position:
            return DUPLICATE
        previous = received["previous_notification_id"]
        if previous is None or previous != position:
            self.catch_up(until=received["notification_id"] - 1)
        return self.apply(received)

    def catch_up(self, until: int | None = None) -> int:
        """Pull and apply everything after our position (up to `until`)."""
        applied = 0
        cursor = self.position
        while until is None or cursor < until:
            messages, last_scanned = self.pull(cursor, self.pull_limit)
            for message in messages:
                received = envelope.load(message)
                if until is not None and received["notification_id"] > until:
                    return applied
                if self.apply(received) == APPLIED:
                    applied += 1
            if last_scanned <= cursor:
                break
            cursor = last_scanned
        return applied

    def apply(self, received: dict[str, Any]) -> str:
        notification_id = received["notification_id"]
        meta = CallMeta(
            actor_id=received["actor"]["id"],
            actor_role=received["actor"]["role"],
            correlation_id=received["correlation_id"],
            causation_id=str(received["event_id"]),
        )
        for _ in range(MAX_CONFLICT_RETRIES):
            if self.position >= notification_id:
                return DUPLICATE
            try:
                with acting_as(meta):
                    effects = self.handle(received)
                    self.app.save_tracked(Tracking(self.upstream, notification_id), *effects)
                return APPLIED
            except IntegrityError:
                # Either another replica applied it (tracked now), or our own
                # aggregate moved under us; the loop re-checks and retries.
                continue
        raise RuntimeError(
            f"could not apply {self.upstream} notification {notification_id} after {MAX_CONFLICT_RETRIES} conflicts"
        )
