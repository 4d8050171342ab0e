"""A file's past: every change with who, when and why, and the file as it
stood at any moment. Reads the stored events and the metadata stamped on them."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast
from uuid import UUID

from eventsourcing.domain import DomainEvent

from shared.eventstore import ServiceApplication
from shared.jsonable import jsonable
from shared.relay import stored_meta

ENVELOPE_ATTRIBUTES = {"originator_id", "originator_version", "timestamp", "originator_topic"}

# The mapper and event store are typed with eventsourcing's DomainEventProtocol,
# which has no timestamp; every event our aggregates store is a DomainEvent
# (Aggregate.Event), stamped with the moment it happened.


def snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")


def changes(app: ServiceApplication, aggregate_id: UUID) -> list[dict[str, Any]]:
    entries = []
    for stored in app.recorder.select_events(aggregate_id):
        domain_event = cast(DomainEvent, app.mapper.to_domain_event(stored))
        meta = stored_meta(app, stored)
        data = {k: v for k, v in vars(domain_event).items() if k not in ENVELOPE_ATTRIBUTES}
        entries.append(
            {
                "version": domain_event.originator_version,
                "event": snake(type(domain_event).__name__),
                "at": domain_event.timestamp.isoformat(),
                "actor": {"id": meta.get("actor_id") or "system", "role": meta.get("actor_role") or "system"},
                "correlation_id": meta.get("correlation_id") or "",
                "reason": data.pop("reason", None),
                "data": jsonable(data),
            }
        )
    return entries


def version_at(app: ServiceApplication, aggregate_id: UUID, moment: datetime) -> int | None:
    """The aggregate's version at `moment` (None if it did not exist yet)."""
    version = None
    for found in app.repository.event_store.get(aggregate_id):
        domain_event = cast(DomainEvent, found)
        if domain_event.timestamp > moment:
            break
        version = domain_event.originator_version
    return version
