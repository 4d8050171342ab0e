"""What every gateway use case builds on: the gateway's own store. The use
cases need nothing beyond what ServiceApplication gives (repository,
recorder, mapper, find/save_or_conflict/retrying), so nothing more is declared."""

from __future__ import annotations

from eventsourcing.utils import get_topic

from shared.eventstore import ServiceApplication

# The module the gateway's aggregates lived in before domain/ became a
# package: events stored before the move name their class under it.
MOVED_FROM = "services.gateway.domain"


def stored_topics(event_class: type) -> list[str]:
    """Every topic events of this class are stored under: today's, and the one
    they were written under before the move (for reading by topic)."""
    return [get_topic(event_class), f"{MOVED_FROM}:{event_class.__qualname__}"]


class GatewayBase(ServiceApplication):
    """The gateway's application: accounts, sign-in attempts, reads of
    children's files and retried POSTs are its records."""
