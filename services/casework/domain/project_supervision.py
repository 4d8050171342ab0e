"""The provider's own supervision team (项目督导, 卫沙民社函〔2025〕11号 §五.(三).3):
"承接项目方要组建督导团队，重点针对项目实施理念、专业技能、资源拓展等方面提供
咨询、培训等服务，提高项目质量" — the team gives the provider's staff consultation
and training on the project's implementation concept, professional skills and
resource development. Each session is recorded under the contract it serves and
counted in that contract's quarterly report (not a service line: it supports
all eight)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from eventsourcing.domain import Aggregate, event

from services.casework.domain.rules import no_duplicates, not_in_future, one_of, session_minutes
from shared.errors import refuse

# 咨询 consultation, 培训 training
FORMATS = ("consultation", "training")
# 项目实施理念, 专业技能, 资源拓展
FOCUS_AREAS = ("implementation_concept", "professional_skills", "resource_development")
MAX_STAFF = 500


class ProjectSupervision(Aggregate):
    class Held(Aggregate.Created):
        contract_id: uuid.UUID
        format: str
        focus: list[str]
        held_on: date
        topic: str
        supervisor: str
        staff_attending: int
        duration_minutes: int
        notes: str

    @event(Held)
    def __init__(
        self,
        contract_id: uuid.UUID,
        format: str,
        focus: list[str],
        held_on: date,
        topic: str,
        supervisor: str,
        staff_attending: int,
        duration_minutes: int,
        notes: str,
    ):
        self.contract_id = contract_id
        self.format = format
        self.focus = list(focus)
        self.held_on = held_on
        self.topic = topic
        self.supervisor = supervisor
        self.staff_attending = staff_attending
        self.duration_minutes = duration_minutes
        self.notes = notes

    @classmethod
    def hold(cls, *, today: date, period: tuple[date, date] | None, **details: Any) -> ProjectSupervision:
        """`period` is the contract's service period if casework has heard of its
        signing; a session outside it is refused."""
        if details["contract_id"] is None:
            refuse("contract_id", "the supervision team works under a contract: name it")
        one_of("format", details["format"], FORMATS)
        focus = details["focus"]
        if not focus:
            refuse("focus", f"name what it addressed: some of {', '.join(FOCUS_AREAS)}")
        for area in focus:
            one_of("focus", area, FOCUS_AREAS)
        no_duplicates("focus", focus)
        not_in_future("held_on", details["held_on"], today)
        if period is not None and not period[0] <= details["held_on"] <= period[1]:
            refuse("held_on", f"is outside the contract's service period ({period[0]} to {period[1]})")
        if not 1 <= details["staff_attending"] <= MAX_STAFF:
            refuse("staff_attending", f"must be between 1 and {MAX_STAFF}")
        if not details["supervisor"].strip():
            refuse("supervisor", "name the supervisor")
        session_minutes(details["duration_minutes"])
        return cls(**details)
