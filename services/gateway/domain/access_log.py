"""Who looked at a child's file."""

from __future__ import annotations

from datetime import datetime

from eventsourcing.domain import Aggregate, event


class ChildFileRead(Aggregate):
    """One read of a child's file or history: who, when, which child, which route."""

    @event("Recorded")
    def __init__(self, actor: str, role: str, child_id: str, route: str, path: str, status: int, at: datetime):
        self.actor = actor
        self.role = role
        self.child_id = child_id
        self.route = route
        self.path = path
        self.status = status
        self.at = at
