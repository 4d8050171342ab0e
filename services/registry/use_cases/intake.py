"""Opening a child's file (一人一档): the rules of a new file, one file per
resident ID number, and the screening campaign that found the child."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from services.registry.domain.campaigns import ScreeningCampaign
from services.registry.domain.child import Child
from services.registry.exceptions import CampaignNotFound
from services.registry.use_cases.base import RegistryBase


class IntakeUseCases(RegistryBase):
    def register_child(self, *, id_number: str | None = None, campaign_id: UUID | None = None, **details: Any) -> UUID:
        """A new file; DuplicateIdNumber (naming the existing file) if the
        number is taken, also when a concurrent registration took it first."""
        today = self.clock()

        def attempt() -> tuple[UUID, list[Aggregate]]:
            child = Child.register(
                today=today,
                places=self.places,
                id_number=id_number,
                campaign_id=campaign_id,
                **details,
            )
            if campaign_id is not None:
                campaign = self.load(ScreeningCampaign, campaign_id, CampaignNotFound)
                campaign.require_covers(child.town, child.village, today, date_field="campaign_id")
            claims = [] if id_number is None else [self._claim(id_number, child.id)]
            return child.id, [child, *claims]

        return self.retrying("child file", attempt)
