"""Group work (小组): groups with a purpose, an age band and members; sessions
with attendance per child."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from eventsourcing.domain import Aggregate, event

from services.casework.domain.rules import no_duplicates, not_before, not_in_future, one_of, session_minutes
from shared.errors import refuse

MAX_AGE = 18


class Group(Aggregate):
    class Formed(Aggregate.Created):
        name: str
        purpose: str
        service_line: str
        contract_id: uuid.UUID | None
        min_age: int
        max_age: int
        formed_on: date
        worker: str
        member_ids: list[uuid.UUID]

    @event(Formed)
    def __init__(
        self,
        name: str,
        purpose: str,
        service_line: str,
        contract_id: uuid.UUID | None,
        min_age: int,
        max_age: int,
        formed_on: date,
        worker: str,
        member_ids: list[uuid.UUID],
    ):
        self.name = name
        self.purpose = purpose
        self.service_line = service_line
        self.contract_id = contract_id
        self.min_age = min_age
        self.max_age = max_age
        self.formed_on = formed_on
        self.worker = worker
        self.member_ids = list(member_ids)
        self.sessions: list[dict[str, Any]] = []

    @classmethod
    def form(cls, *, today: date, service_lines: tuple[str, ...], **details: Any) -> Group:
        not_in_future("formed_on", details["formed_on"], today)
        one_of("service_line", details["service_line"], service_lines)
        if not 0 <= details["min_age"] <= details["max_age"] < MAX_AGE:
            refuse("max_age", f"age band must satisfy 0 <= min_age <= max_age < {MAX_AGE}")
        no_duplicates("member_ids", details["member_ids"])
        return cls(**details)

    def add_members(self, *, child_ids: list[uuid.UUID]) -> None:
        no_duplicates("child_ids", child_ids)
        already = [str(c) for c in child_ids if c in self.member_ids]
        if already:
            refuse("child_ids", f"already members: {', '.join(already)}")
        if not child_ids:
            refuse("child_ids", "name at least one child")
        self._members_added(child_ids=list(child_ids))

    @event("MembersAdded")
    def _members_added(self, child_ids: list[uuid.UUID]) -> None:
        self.member_ids = [*self.member_ids, *child_ids]

    def hold_session(
        self,
        *,
        today: date,
        session_id: uuid.UUID,
        held_on: date,
        topic: str,
        worker: str,
        duration_minutes: int,
        attended_child_ids: list[uuid.UUID],
    ) -> None:
        not_in_future("held_on", held_on, today)
        not_before("held_on", held_on, self.formed_on, "the group was formed")
        session_minutes(duration_minutes)
        if not attended_child_ids:
            refuse("attended_child_ids", "a session has at least one child attending")
        no_duplicates("attended_child_ids", attended_child_ids)
        strangers = [str(c) for c in attended_child_ids if c not in self.member_ids]
        if strangers:
            refuse("attended_child_ids", f"not members of this group: {', '.join(strangers)}")
        self._session_held(
            service_line=self.service_line,
            session_id=session_id,
            held_on=held_on,
            topic=topic,
            worker=worker,
            duration_minutes=duration_minutes,
            attended_child_ids=list(attended_child_ids),
        )

    class SessionHeld(Aggregate.Event):
        service_line: str
        session_id: uuid.UUID
        held_on: date
        topic: str
        worker: str
        duration_minutes: int
        attended_child_ids: list[uuid.UUID]

    @event(SessionHeld)
    def _session_held(
        self,
        service_line: str,
        session_id: uuid.UUID,
        held_on: date,
        topic: str,
        worker: str,
        duration_minutes: int,
        attended_child_ids: list[uuid.UUID],
    ) -> None:
        self.sessions = [
            *self.sessions,
            {
                "session_id": session_id,
                "held_on": held_on,
                "topic": topic,
                "worker": worker,
                "duration_minutes": duration_minutes,
                "attended_child_ids": list(attended_child_ids),
            },
        ]
