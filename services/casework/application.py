"""Casework use cases: primitives in, primitives out. Each area's commands live
in their own module; this class puts them together with the read models."""
from __future__ import annotations

from datetime import date
from typing import Any, Callable
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from services.casework.case_commands import CaseCommands
from services.casework.community_commands import CommunityCommands
from services.casework.director_commands import DirectorCommands
from services.casework.domain import RosterChild
from services.casework.exceptions import ConcurrentChange, RosterChildNotFound
from services.casework.feeds import FeedHandlers
from services.casework.publishing import public_event
from services.casework.report_queries import ReportQueries
from services.casework.roster import RosterView
from services.casework.views import CasesView, CommunityView, DirectorsView
from shared.clock import programme_today
from shared.eventstore import ServiceApplication


class CaseworkApplication(
    CaseCommands, CommunityCommands, DirectorCommands, FeedHandlers, ReportQueries,
    ServiceApplication,
):
    name = "casework"
    public_events = staticmethod(public_event)
    clock: Callable[[], date] = staticmethod(programme_today)

    def __init__(self, env=None):
        super().__init__(env)
        self.roster = RosterView(self)
        self.cases_view = CasesView(self)
        self.community_view = CommunityView(self)
        self.directors_view = DirectorsView(self)
        self._init_reports()

    def commit(self, *aggregates: Any) -> None:
        """Save, turning a lost optimistic-concurrency race into a 409 (nothing saved)."""
        try:
            self.save(*aggregates)
        except IntegrityError:
            raise ConcurrentChange(type(aggregates[0]).__name__) from None

    def get_roster_child(self, child_id: UUID) -> dict[str, Any]:
        try:
            child = self.repository.get(child_id)
        except AggregateNotFoundError:
            raise RosterChildNotFound(child_id) from None
        if not isinstance(child, RosterChild):
            raise RosterChildNotFound(child_id)
        return {
            "child_id": child.id, "name": child.name, "date_of_birth": child.date_of_birth,
            "town": child.town, "village": child.village, "categories": child.categories,
            "enrolled_at": child.created_on, "risk_level": child.risk_level,
            "next_contact_due": child.next_contact_due, "in_programme": child.active,
            "left": child.left, "open_case_ids": child.open_case_ids,
        }

    def list_roster(self, *, limit: int, after: str | None) -> list[dict[str, Any]]:
        return self.roster.list(limit=limit, after=after)
