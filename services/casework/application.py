"""Casework use cases."""
from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from services.casework.domain import RosterChild
from services.casework.exceptions import RosterChildNotFound
from services.casework.roster import RosterView
from shared.eventstore import ServiceApplication


class CaseworkApplication(ServiceApplication):
    name = "casework"

    def __init__(self, env=None):
        super().__init__(env)
        self.roster = RosterView(self)

    def handle_registry_event(self, envelope: dict[str, Any]) -> list[Any]:
        """Effects of one registry event (saved with its tracking row by the caller)."""
        if envelope["type"] == "registry.child_registered.v1":
            payload = envelope["payload"]
            return [
                RosterChild(
                    child_id=payload["child_id"], name=payload["name"],
                    date_of_birth=payload["date_of_birth"], town=payload["town"],
                    village=payload["village"], categories=payload["categories"],
                )
            ]
        return []

    def get_roster_child(self, child_id: UUID) -> dict[str, Any]:
        try:
            child: RosterChild = self.repository.get(child_id)
        except AggregateNotFoundError:
            raise RosterChildNotFound(child_id) from None
        return {
            "child_id": child.id, "name": child.name, "date_of_birth": child.date_of_birth,
            "town": child.town, "village": child.village, "categories": child.categories,
            "enrolled_at": child.created_on,
        }

    def list_roster(self, *, limit: int, after: str | None) -> list[dict[str, Any]]:
        return self.roster.list(limit=limit, after=after)
