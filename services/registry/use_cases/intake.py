"""Opening a child's file (一人一档): the rules of a new file, one file per
resident ID number, and the screening campaign that found the child."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from services.registry.domain.campaigns import ScreeningCampaign
from services.registry.domain.child import Child
from services.registry.exceptions import CampaignNotFound
from services.registry.use_cases.base import RegistryBase


class IntakeUseCases(RegistryBase):
    def register_child(
        self,
        *,
        id_number: str | None = None,
        campaign_id: UUID | None = None,
        contract_id: UUID | None = None,
        found_on: date | None = None,
        **details: Any,
    ) -> UUID:
        """A new file; DuplicateIdNumber (naming the existing file) if the
        number is taken, also when a concurrent registration took it first.
        `contract_id`: the contract it is opened under (the gateway derives it
        for provider staff); `found_on`: the day a campaign found the child, for
        a paper form typed in after the campaign ended (卫沙民社函〔2025〕11号 §五.(三)):
        it must fall within the campaign's dates, and the file counts toward
        that campaign's coverage."""
        today = self.clock()

        def attempt() -> tuple[UUID, list[Aggregate]]:
            child, claims = self._new_file(
                today=today,
                id_number=id_number,
                campaign_id=campaign_id,
                contract_id=contract_id,
                found_on=found_on,
                **details,
            )
            return child.id, [child, *claims]

        return self.retrying("child file", attempt)

    def _new_file(
        self,
        *,
        today: date,
        id_number: str | None = None,
        campaign_id: UUID | None = None,
        contract_id: UUID | None = None,
        found_on: date | None = None,
        **details: Any,
    ) -> tuple[Child, list[Aggregate]]:
        """A new file by every rule of a new file, and the claim on its ID
        number, unsaved: InvalidChild, CampaignNotFound or DuplicateIdNumber if
        refused. The one place these rules run (POST /children and the roster
        import both come here)."""
        child = Child.register(
            today=today,
            places=self.places,
            id_number=id_number,
            campaign_id=campaign_id,
            contract_id=contract_id,
            found_on=found_on,
            **details,
        )
        if campaign_id is not None:
            campaign = self.load(ScreeningCampaign, campaign_id, CampaignNotFound)
            campaign.require_same_contract(contract_id)
            campaign.require_covers(
                child.town,
                child.village,
                found_on or today,
                date_field="campaign_id" if found_on is None else "found_on",
            )
        claims: list[Aggregate] = [] if id_number is None else [self._claim(id_number, child.id)]
        return child, claims
