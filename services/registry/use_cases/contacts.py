"""Contact with a child: visits (走访记录), risk tiers (分级管理) with the
contact cadence they set, and the list of contacts overdue."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any
from uuid import UUID

from services.registry.domain.cadence import contact_due
from services.registry.domain.campaigns import ScreeningCampaign
from services.registry.domain.child import Child
from services.registry.exceptions import CampaignNotFound
from services.registry.use_cases.base import RegistryBase


class ContactUseCases(RegistryBase):
    def record_visit(
        self,
        child_id: UUID,
        *,
        visited_on: date,
        visitor: str,
        findings: str,
        follow_up: str | None = None,
        campaign_id: UUID | None = None,
        household: str | None = None,
        contract_id: UUID | None = None,
    ) -> dict[str, Any]:
        today = self.clock()
        visit_id = uuid.uuid4()

        def change(child: Child) -> list[Any]:
            if campaign_id is not None:
                campaign = self.load(ScreeningCampaign, campaign_id, CampaignNotFound)
                campaign.require_same_contract(contract_id)
                campaign.require_covers(child.town, child.village, visited_on, date_field="visited_on")
            child.record_visit(
                visit_id=visit_id,
                visited_on=visited_on,
                visitor=visitor,
                findings=findings,
                follow_up=follow_up,
                campaign_id=campaign_id,
                household=household,
                today=today,
                contract_id=contract_id,
            )
            return []

        self._change_file(child_id, change)
        return {"child_id": child_id, "visit_id": visit_id}

    def assess_risk(
        self,
        child_id: UUID,
        *,
        level: int,
        reasons: list[str],
        assessed_on: date | None = None,
    ) -> dict[str, Any]:
        today = self.clock()
        on = assessed_on or today

        def change(child: Child) -> list[Any]:
            last = child.last_contact
            due = contact_due(None if last is None else last["visited_on"], on, self.cadence.get(level, 0))
            child.assess_risk(level=level, reasons=reasons, assessed_on=on, next_contact_due=due, today=today)
            return []

        child = self._change_file(child_id, change)
        assert child.risk is not None  # just assessed
        return {"child_id": child.id, **child.risk}

    def contacts_due(self, *, town: str | None = None, village: str | None = None) -> list[dict[str, Any]]:
        return self.children.contacts_due(town=town, village=village)
