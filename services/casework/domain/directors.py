"""Child directors (儿童主任) by village, their supervision and cross-learning
sessions, and the community social organisations casework nurtures."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from eventsourcing.domain import Aggregate, event

from services.casework.domain.rules import no_duplicates, not_in_future, one_of, session_minutes
from shared.errors import refuse

SUPERVISION_KINDS = ("supervision", "cross_learning")
DIRECTOR_NAMESPACE = uuid.UUID("0c7e5b3d-2f1a-4d8e-b6c9-3e4f5a6b7c8d")
ORGANIZATION_NAMESPACE = uuid.UUID("9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d")


class ChildDirector(Aggregate):
    """Identified by town, village and name: the same person is not added twice."""

    @staticmethod
    def create_id(town: str, village: str, name: str) -> uuid.UUID:
        return uuid.uuid5(DIRECTOR_NAMESPACE, f"{town}/{village}/{name}")

    class Appointed(Aggregate.Created):
        name: str
        town: str
        village: str
        phone: str | None
        appointed_on: date

    @event(Appointed)
    def __init__(self, name: str, town: str, village: str, phone: str | None, appointed_on: date):
        self.name = name
        self.town = town
        self.village = village
        self.phone = phone
        self.appointed_on = appointed_on

    @classmethod
    def appoint(cls, *, today: date, **details: Any) -> ChildDirector:
        not_in_future("appointed_on", details["appointed_on"], today)
        return cls(**details)


class Supervision(Aggregate):
    class Held(Aggregate.Created):
        kind: str
        held_on: date
        contract_id: uuid.UUID | None
        topic: str
        supervisor: str
        director_ids: list[uuid.UUID]
        duration_minutes: int
        notes: str

    @event(Held)
    def __init__(
        self,
        kind: str,
        held_on: date,
        contract_id: uuid.UUID | None,
        topic: str,
        supervisor: str,
        director_ids: list[uuid.UUID],
        duration_minutes: int,
        notes: str,
    ):
        self.kind = kind
        self.held_on = held_on
        self.contract_id = contract_id
        self.topic = topic
        self.supervisor = supervisor
        self.director_ids = list(director_ids)
        self.duration_minutes = duration_minutes
        self.notes = notes

    @classmethod
    def hold(cls, *, today: date, director_villages: dict[uuid.UUID, str], **details: Any) -> Supervision:
        """`director_villages` maps each attending director to their village."""
        one_of("kind", details["kind"], SUPERVISION_KINDS)
        not_in_future("held_on", details["held_on"], today)
        ids = details["director_ids"]
        if not ids:
            refuse("director_ids", "at least one child director attends")
        no_duplicates("director_ids", ids)
        if details["kind"] == "cross_learning" and len({director_villages[i] for i in ids}) < 2:
            refuse("director_ids", "cross-learning brings together directors of two or more villages")
        session_minutes(details["duration_minutes"])
        return cls(**details)


class CommunityOrganization(Aggregate):
    """A community social organisation in child welfare nurtured by the project (the notice's item 6, 三.(四))."""

    @staticmethod
    def create_id(town: str, name: str) -> uuid.UUID:
        return uuid.uuid5(ORGANIZATION_NAMESPACE, f"{town}/{name}")

    class Nurtured(Aggregate.Created):
        name: str
        town: str
        village: str | None
        focus: str
        contract_id: uuid.UUID | None
        nurtured_on: date

    @event(Nurtured)
    def __init__(
        self, name: str, town: str, village: str | None, focus: str, contract_id: uuid.UUID | None, nurtured_on: date
    ):
        self.name = name
        self.town = town
        self.village = village
        self.focus = focus
        self.contract_id = contract_id
        self.nurtured_on = nurtured_on

    @classmethod
    def nurture(cls, *, today: date, **details: Any) -> CommunityOrganization:
        not_in_future("nurtured_on", details["nurtured_on"], today)
        return cls(**details)
