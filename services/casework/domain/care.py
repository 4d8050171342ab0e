"""Life care (生活关爱) and age-appropriate services to one child."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from eventsourcing.domain import Aggregate, event

from services.casework.domain.rules import not_in_future, one_of
from shared.errors import refuse

LIFE_CARE_KINDS = (
    "hardship_aid",
    "festival_visit",
    "daily_care",
    "homework_help",
    "interpersonal_adjustment",
    "education_aid",
)
AGE_APPROPRIATE_KINDS = (
    "psychological_counselling",
    "reading_guidance",
    "sport_and_play",
    "companionship",
)
KINDS = LIFE_CARE_KINDS + AGE_APPROPRIATE_KINDS
MONEY_KINDS = ("hardship_aid", "education_aid")  # always money or goods: value required
GOODS_MAY_BE_GIVEN = MONEY_KINDS + ("festival_visit", "daily_care")


def service_line_of(kind: str) -> str:
    # Life care is the notice's item 3; age-appropriate services are item 2 (精神素养提升).
    return "life_care" if kind in LIFE_CARE_KINDS else "spiritual_literacy"


class CareService(Aggregate):
    class Given(Aggregate.Created):
        child_id: uuid.UUID
        contract_id: uuid.UUID | None
        kind: str
        given_on: date
        value_fen: int | None
        resource: str | None
        occasion: str | None
        worker: str
        notes: str

    @event(Given)
    def __init__(
        self,
        child_id: uuid.UUID,
        contract_id: uuid.UUID | None,
        kind: str,
        given_on: date,
        value_fen: int | None,
        resource: str | None,
        occasion: str | None,
        worker: str,
        notes: str,
    ):
        self.child_id = child_id
        self.contract_id = contract_id
        self.kind = kind
        self.given_on = given_on
        self.value_fen = value_fen
        self.resource = resource
        self.occasion = occasion
        self.worker = worker
        self.notes = notes

    @classmethod
    def give(cls, *, today: date, **details: Any) -> CareService:
        kind, value = details["kind"], details["value_fen"]
        one_of("kind", kind, KINDS)
        not_in_future("given_on", details["given_on"], today)
        if kind in MONEY_KINDS and not value:
            refuse("value_fen", f"{kind} gives money or goods: state their value in fen (> 0)")
        if value is not None and kind not in GOODS_MAY_BE_GIVEN:
            refuse("value_fen", f"{kind} gives no money or goods; leave value_fen empty")
        if value is not None and value < 0:
            refuse("value_fen", "must not be negative")
        return cls(**details)

    @property
    def service_line(self) -> str:
        return service_line_of(self.kind)
