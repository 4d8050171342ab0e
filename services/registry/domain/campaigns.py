"""Screening campaigns (摸底排查): full-coverage rounds over target villages."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date
from typing import Any

from eventsourcing.domain import Aggregate, event

from services.registry.domain import places as place_list
from services.registry.domain.errors import InvalidCampaign, InvalidChild
from shared.errors import refuse


class ScreeningCampaign(Aggregate):
    """A full-coverage screening round (摸底排查) over target villages, each
    with the number of households to visit."""

    class Planned(Aggregate.Created):
        """v2: the contract the campaign is run under (line 1, 卫沙民社函〔2025〕11号
        §三.(四).1; v1: the bureau's own, none)."""

        class_version = 2
        name: str
        starts_on: date
        ends_on: date
        targets: list[dict[str, Any]]
        planned_on: date
        contract_id: uuid.UUID | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["contract_id"] = None

    @event(Planned)
    def __init__(
        self,
        name: str,
        starts_on: date,
        ends_on: date,
        targets: list[dict[str, Any]],
        planned_on: date,
        contract_id: uuid.UUID | None = None,
    ):
        self.name = name
        self.contract_id = contract_id
        self.starts_on = starts_on
        self.ends_on = ends_on
        self.targets = targets
        self.planned_on = planned_on

    @classmethod
    def plan(
        cls,
        *,
        name: str,
        starts_on: date,
        ends_on: date,
        targets: list[dict[str, Any]],
        today: date,
        places: Mapping[str, frozenset[str]],
        contract_id: uuid.UUID | None = None,
    ) -> ScreeningCampaign:
        problems: dict[str, list[str]] = {}
        if ends_on < starts_on:
            problems["ends_on"] = ["is before starts_on"]
        if not targets:
            problems["targets"] = ["name at least one target village"]
        seen = set()
        for i, target in enumerate(targets):
            place = (target["town"], target["village"])
            for field, reasons in place_list.problems(places, *place).items():
                problems.setdefault(f"targets.{i}.{field}", []).extend(reasons)
            if place in seen:
                problems.setdefault(f"targets.{i}", []).append("names a village twice")
            seen.add(place)
            if target["households"] < 1:
                problems.setdefault(f"targets.{i}.households", []).append("must be at least 1")
        if problems:
            raise InvalidCampaign(problems)
        return cls(
            name=name, starts_on=starts_on, ends_on=ends_on, targets=targets, planned_on=today, contract_id=contract_id
        )

    def covers(self, town: str, village: str) -> bool:
        return any(t["town"] == town and t["village"] == village for t in self.targets)

    def require_covers(self, town: str, village: str, on: date, *, date_field: str) -> None:
        """A child found, or a visit made, under this campaign is in one of its
        villages and within its dates (`date_field` names the date refused)."""
        if not self.covers(town, village):
            refuse("campaign_id", f"the campaign does not target {town} {village}", error=InvalidChild)
        if not self.starts_on <= on <= self.ends_on:
            refuse(date_field, f"the campaign runs {self.starts_on} to {self.ends_on}, not on {on}", error=InvalidChild)

    def require_same_contract(self, contract_id: uuid.UUID | None) -> None:
        """Work recorded under a contract counts toward that contract's campaigns
        only; the bureau's campaigns (no contract) take anyone's records."""
        if self.contract_id is not None and contract_id != self.contract_id:
            refuse("campaign_id", "the campaign is run under another contract", error=InvalidChild)
