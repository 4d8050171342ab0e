"""The public notice of a shortlist (公示) and objections to it."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from eventsourcing.domain import Aggregate, event

from services.grants.domain.errors import GrantsRuleViolation, WrongState

OBJECTION_OUTCOMES = ("upheld", "dismissed")


def notice_end(opened_on: date, days: int, kind: str, holidays: list[date], workdays: list[date]) -> date:
    """Last day of a notice that opens on `opened_on` (day one) and lasts `days`.

    Working days are Monday to Friday, less `holidays`, plus `workdays`
    (weekends declared working days, as in China's adjusted holidays)."""
    if kind == "calendar":
        return opened_on + timedelta(days=days - 1)
    day, counted = opened_on, 0
    while True:
        working = (day.weekday() < 5 and day not in holidays) or day in workdays
        if working:
            counted += 1
            if counted == days:
                return day
        day += timedelta(days=1)


class PublicNotice(Aggregate):
    @event("Opened")
    def __init__(
        self,
        call_id: uuid.UUID,
        call_title: str,
        entries: list[dict[str, Any]],
        opened_on: date,
        ends_on: date,
        day_kind: str,
        days: int,
    ):
        self.call_id = call_id
        self.call_title = call_title
        self.entries = list(entries)
        self.opened_on = opened_on
        self.ends_on = ends_on
        self.day_kind = day_kind
        self.days = days
        self.objections: dict[str, dict[str, Any]] = {}

    def application_ids(self) -> list[uuid.UUID]:
        return [e["application_id"] for e in self.entries]

    def lodge(
        self,
        *,
        objection_id: uuid.UUID,
        objector: str,
        contact: str,
        application_id: uuid.UUID | None,
        grounds: str,
        on: date,
    ) -> None:
        if not self.opened_on <= on <= self.ends_on:
            raise GrantsRuleViolation(
                {"lodged_on": [f"objections are taken during the notice, {self.opened_on} to {self.ends_on}"]}
            )
        if application_id is not None and application_id not in self.application_ids():
            raise GrantsRuleViolation({"application_id": ["is not on this notice"]})
        if not grounds.strip():
            raise GrantsRuleViolation({"grounds": ["an objection must state its grounds"]})
        self._lodged(
            objection_id=objection_id,
            objector=objector,
            contact=contact,
            application_id=application_id,
            grounds=grounds,
            lodged_on=on,
        )

    @event("ObjectionLodged")
    def _lodged(
        self,
        objection_id: uuid.UUID,
        objector: str,
        contact: str,
        application_id: uuid.UUID | None,
        grounds: str,
        lodged_on: date,
    ) -> None:
        self.objections[str(objection_id)] = {
            "objection_id": objection_id,
            "objector": objector,
            "contact": contact,
            "application_id": application_id,
            "grounds": grounds,
            "lodged_on": lodged_on,
            "status": "open",
            "outcome": None,
            "resolution": None,
            "resolved_on": None,
        }

    def resolve(self, *, objection_id: uuid.UUID, outcome: str, resolution: str, on: date) -> None:
        objection = self.objections.get(str(objection_id))
        if objection is None:
            raise GrantsRuleViolation({"objection_id": ["no such objection on this notice"]})
        if objection["status"] != "open":
            raise WrongState("objection", objection["status"], "resolve it again")
        if outcome not in OBJECTION_OUTCOMES:
            raise GrantsRuleViolation({"outcome": [f"must be one of {', '.join(OBJECTION_OUTCOMES)}"]})
        if not resolution.strip():
            raise GrantsRuleViolation({"resolution": ["say how the objection was resolved and why"]})
        if on < objection["lodged_on"]:
            raise GrantsRuleViolation({"resolved_on": ["is before the objection was lodged"]})
        self._resolved(objection_id=objection_id, outcome=outcome, resolution=resolution, resolved_on=on)

    @event("ObjectionResolved")
    def _resolved(self, objection_id: uuid.UUID, outcome: str, resolution: str, resolved_on: date) -> None:
        self.objections[str(objection_id)].update(
            status="resolved",
            outcome=outcome,
            resolution=resolution,
            resolved_on=resolved_on,
        )

    def open_objections(self) -> list[dict[str, Any]]:
        return [o for o in self.objections.values() if o["status"] == "open"]

    def upheld_against(self, application_id: uuid.UUID) -> list[dict[str, Any]]:
        return [
            o
            for o in self.objections.values()
            if o["outcome"] == "upheld" and o["application_id"] in (application_id, None)
        ]

    def check_allows_determination(self, application_id: uuid.UUID, on: date) -> None:
        if on <= self.ends_on:
            raise GrantsRuleViolation(
                {
                    "determined_on": [
                        f"the public notice runs until {self.ends_on}; "
                        f"determine from {self.ends_on + timedelta(days=1)}"
                    ]
                }
            )
        if self.open_objections():
            raise GrantsRuleViolation(
                {"notice": [f"{len(self.open_objections())} objection(s) still open; resolve them first"]}
            )
        if application_id not in self.application_ids():
            raise GrantsRuleViolation({"application_id": ["is not on the public notice"]})
        if self.upheld_against(application_id):
            raise GrantsRuleViolation({"application_id": ["an objection against it was upheld"]})
