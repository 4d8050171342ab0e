"""Replay for auditors: any aggregate at a version or as of a moment, its full
history with who/when/why, and the log between two positions or dates."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate, DomainEvent
from eventsourcing.persistence import StoredEvent

from shared.audit.log import LogReader
from shared.eventstore import ServiceApplication
from shared.jsonable import jsonable
from shared.relay import stored_meta

HIDDEN = {"originator_id", "originator_version", "timestamp", "originator_topic"}


def event_name(domain_event: Any) -> str:
    return type(domain_event).__qualname__


def describe(app: ServiceApplication, stored: StoredEvent, notification_id: int | None = None) -> dict[str, Any]:
    """One stored event as an auditor reads it."""
    # The mapper's protocol type omits `timestamp`; what it decodes here are DomainEvents.
    domain_event = cast(DomainEvent, app.mapper.to_domain_event(stored))
    meta = stored_meta(app, stored)
    return {
        "position": notification_id,
        "aggregate_id": str(stored.originator_id),
        "version": stored.originator_version,
        "event": event_name(domain_event),
        "at": domain_event.timestamp.isoformat(),
        "actor_id": meta.get("actor_id"),
        "actor_role": meta.get("actor_role"),
        "correlation_id": meta.get("correlation_id"),
        "causation_id": meta.get("causation_id"),
        "data": jsonable({k: v for k, v in vars(domain_event).items() if k not in HIDDEN}),
    }


def history(app: ServiceApplication, aggregate_id: UUID) -> list[dict[str, Any]]:
    """The aggregate's events, each with its log position (what verify names)."""
    stored = app.recorder.select_events(aggregate_id)
    if not stored:
        raise AggregateNotFoundError(aggregate_id)
    positions = LogReader(app).positions(aggregate_id)
    return [describe(app, s, positions.get(s.originator_version)) for s in stored]


def version_as_of(app: ServiceApplication, aggregate_id: UUID, moment: datetime) -> int | None:
    """The last version recorded at or before `moment` (None if none yet)."""
    version = None
    for stored in app.recorder.select_events(aggregate_id):
        if cast(DomainEvent, app.mapper.to_domain_event(stored)).timestamp <= moment:
            version = stored.originator_version
        else:
            break
    return version


def aggregate_state(
    app: ServiceApplication, aggregate_id: UUID, version: int | None = None, as_of: datetime | None = None
) -> dict[str, Any]:
    if as_of is not None:
        at_time = version_as_of(app, aggregate_id, as_of)
        if at_time is None:
            raise AggregateNotFoundError(aggregate_id)
        version = at_time if version is None else min(version, at_time)
    aggregate: Aggregate = app.repository.get(aggregate_id, version=version)
    state = {k: v for k, v in vars(aggregate).items() if not k.startswith("_")}
    return {
        "aggregate_id": str(aggregate.id),
        "type": type(aggregate).__qualname__,
        "version": aggregate.version,
        "created_on": aggregate.created_on.isoformat(),
        "modified_on": aggregate.modified_on.isoformat(),
        "state": jsonable(state),
    }


def events_between(
    app: ServiceApplication,
    *,
    after: int = 0,
    upto: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 100,
) -> dict[str, Any]:
    """Events in log order after a position (and up to another), optionally
    within a time window; returns the page and the position to continue from."""
    items: list[dict[str, Any]] = []
    cursor = after
    while len(items) < limit:
        batch = app.recorder.select_notifications(start=cursor, limit=500, stop=upto, inclusive_of_start=False)
        if not batch:
            break
        for notification in batch:
            cursor = notification.id
            described = describe(app, notification, notification.id)
            moment = datetime.fromisoformat(described["at"])
            if (since and moment < since) or (until and moment > until):
                continue
            items.append(described)
            if len(items) == limit:
                break
    return {"items": items, "next_after": cursor if len(items) == limit else None}


def position_before(app: ServiceApplication, moment: datetime) -> int:
    """The last log position whose event was recorded before `moment` (0 if
    none): where a list "as it stood at" a moment is rebuilt up to. Reads the
    log from the start, since concurrent writers may record slightly out of
    time order."""
    position, cursor = 0, 0
    while True:
        batch = app.recorder.select_notifications(start=cursor, limit=500, inclusive_of_start=False)
        if not batch:
            return position
        for notification in batch:
            cursor = notification.id
            if cast(DomainEvent, app.mapper.to_domain_event(notification)).timestamp < moment:
                position = notification.id


def moment_at(app: ServiceApplication, position: int) -> datetime | None:
    """When the event at (or last before) `position` was recorded (None before the first)."""
    for notification in reversed(
        app.recorder.select_notifications(start=max(position - 50, 0), limit=51, stop=position)
    ):
        return cast(DomainEvent, app.mapper.to_domain_event(notification)).timestamp
    return None
