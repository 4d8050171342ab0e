"""Community work (社区): the monthly 塞上护童 themed activity, safety education
for children and for guardians, protection publicity and protection-month
campaigns, and community social organisations' activities."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from eventsourcing.domain import Aggregate, event

from services.casework.domain.rules import no_duplicates, not_in_future, one_of
from shared.errors import refuse

# Each kind of activity and the notice's service line (卫沙民社函〔2025〕11号 §三.(四)) it delivers.
KIND_LINES = {
    "monthly_theme": "spiritual_literacy",  # 一月一主题“塞上护童” (item 2)
    "safety_education_children": "safety_education",  # item 7, for children
    "safety_education_guardians": "safety_education",  # item 7, for parents/guardians
    "protection_publicity": "protection_publicity",  # item 8
    "protection_month": "protection_publicity",  # item 8, 未成年人保护月
    "social_organization_activity": "social_participation",  # item 6
}
KINDS = tuple(KIND_LINES)
SAFETY_KINDS = ("safety_education_children", "safety_education_guardians")
SAFETY_TOPICS = (
    "drowning",
    "bullying",
    "sexual_abuse",
    "fire_and_electricity",
    "food_poisoning",
    "road_safety",
)
THEME_NAMESPACE = uuid.UUID("5d1f3c2a-8e7b-4a61-9c0d-2b7e6f1a4c88")


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def activity_problems(
    *,
    kind: str,
    topics: list[str],
    theme: str | None,
    organization_id: uuid.UUID | None,
    child_ids: list[uuid.UUID],
    guardian_count: int,
    community_count: int,
) -> None:
    one_of("kind", kind, KINDS)
    if kind in SAFETY_KINDS:
        if not topics:
            refuse("topics", f"safety education covers at least one of {', '.join(SAFETY_TOPICS)}")
        for topic in topics:
            one_of("topics", topic, SAFETY_TOPICS)
        no_duplicates("topics", topics)
    elif topics:
        refuse("topics", "topics are for safety education only")
    if kind == "monthly_theme":
        if not theme or not theme.strip():
            refuse("theme", "the monthly 塞上护童 activity names its theme")
    elif theme is not None:
        refuse("theme", "only the monthly 塞上护童 activity has a theme")
    if kind == "social_organization_activity":
        if organization_id is None:
            refuse("organization_id", "name the community social organisation that held it")
    elif organization_id is not None:
        refuse("organization_id", "only a social organisation's activity names one")
    if kind == "safety_education_guardians" and guardian_count < 1:
        refuse("guardian_count", "safety education for guardians needs guardians attending")
    no_duplicates("child_ids", child_ids)
    if not child_ids and guardian_count == 0 and community_count == 0:
        refuse("child_ids", "an activity has someone attending")


class Activity(Aggregate):
    class Held(Aggregate.Created):
        kind: str
        title: str
        held_on: date
        contract_id: uuid.UUID | None
        town: str | None
        village: str | None
        child_ids: list[uuid.UUID]
        guardian_count: int
        community_count: int
        topics: list[str]
        theme: str | None
        organization_id: uuid.UUID | None
        worker: str

    @event(Held)
    def __init__(
        self,
        kind: str,
        title: str,
        held_on: date,
        contract_id: uuid.UUID | None,
        town: str | None,
        village: str | None,
        child_ids: list[uuid.UUID],
        guardian_count: int,
        community_count: int,
        topics: list[str],
        theme: str | None,
        organization_id: uuid.UUID | None,
        worker: str,
    ):
        self.kind = kind
        self.title = title
        self.held_on = held_on
        self.contract_id = contract_id
        self.town = town
        self.village = village
        self.child_ids = list(child_ids)
        self.guardian_count = guardian_count
        self.community_count = community_count
        self.topics = list(topics)
        self.theme = theme
        self.organization_id = organization_id
        self.worker = worker

    @classmethod
    def hold(cls, *, today: date, **details: Any) -> Activity:
        not_in_future("held_on", details["held_on"], today)
        activity_problems(
            kind=details["kind"],
            topics=details["topics"],
            theme=details["theme"],
            organization_id=details["organization_id"],
            child_ids=details["child_ids"],
            guardian_count=details["guardian_count"],
            community_count=details["community_count"],
        )
        return cls(**details)

    @property
    def service_line(self) -> str:
        return KIND_LINES[self.kind]


class MonthlyTheme(Aggregate):
    """One per calendar month: saving a second for the same month fails, which
    is what keeps 塞上护童 to one theme a month under concurrent requests."""

    @staticmethod
    def create_id(month: str) -> uuid.UUID:
        return uuid.uuid5(THEME_NAMESPACE, month)

    @event("Set")
    def __init__(self, month: str, theme: str, first_activity_id: uuid.UUID):
        self.month = month
        self.theme = theme
