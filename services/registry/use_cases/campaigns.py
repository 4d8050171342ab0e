"""Screening campaigns (摸底排查): planning one over target villages, and its
coverage (households visited, children found) per village."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from services.registry.domain.campaigns import ScreeningCampaign
from services.registry.exceptions import CampaignNotFound
from services.registry.use_cases.base import RegistryBase


class CampaignUseCases(RegistryBase):
    def plan_campaign(
        self,
        *,
        name: str,
        starts_on: date,
        ends_on: date,
        targets: list[dict[str, Any]],
        contract_id: UUID | None = None,
    ) -> UUID:
        campaign = ScreeningCampaign.plan(
            contract_id=contract_id,
            name=name,
            starts_on=starts_on,
            ends_on=ends_on,
            targets=targets,
            today=self.clock(),
            places=self.places,
        )
        self.save(campaign)
        return campaign.id

    def campaign_coverage(self, campaign_id: UUID) -> dict[str, Any]:
        found = self.children.coverage(campaign_id)
        if found is None:
            raise CampaignNotFound(campaign_id)
        return found

    def list_campaigns(
        self, *, limit: int, cursor: str | None = None, contract_id: UUID | None = None
    ) -> dict[str, Any]:
        return self.children.list_campaigns(limit=limit, cursor=cursor, contract_id=contract_id)
