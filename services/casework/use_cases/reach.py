"""Which children a contract reaches: those living in its service area, and
those the bureau or the child's director referred to it (a recorded decision,
withdrawable). The gateway confines provider staff to their contracts' reach."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from services.casework.domain.funds import ACTIVE, ContractScope
from services.casework.domain.roster import RosterChild
from services.casework.exceptions import ContractNotFound, RosterChildNotFound
from services.casework.use_cases.base import CaseworkBase
from shared import places
from shared.context import current_meta
from shared.errors import refuse


class ReachUseCases(CaseworkBase):
    def _on(self, value: date | None, field: str) -> date:
        today = self.clock()
        if value is None:
            return today
        if value > today:
            refuse(field, f"is in the future (today is {today})")
        return value

    def refer_child(self, child_id: UUID, *, contract_id: UUID, reason: str, referred_on: date | None = None) -> None:
        on = self._on(referred_on, "referred_on")
        if self.find(ContractScope, ContractScope.create_id(contract_id)) is None:
            refuse("contract_id", f"{contract_id} is not a signed contract known to casework")

        def attempt() -> tuple[None, list[Any]]:
            child = self.load(RosterChild, child_id, RosterChildNotFound)
            child.refer(contract_id=contract_id, reason=reason, referred_by=current_meta().actor_id, on=on)
            return None, [child]

        self.retrying(child_id, attempt)

    def withdraw_referral(
        self, child_id: UUID, *, contract_id: UUID, reason: str, withdrawn_on: date | None = None
    ) -> None:
        on = self._on(withdrawn_on, "withdrawn_on")

        def attempt() -> tuple[None, list[Any]]:
            child = self.load(RosterChild, child_id, RosterChildNotFound)
            child.withdraw_referral(contract_id=contract_id, reason=reason, withdrawn_by=current_meta().actor_id, on=on)
            return None, [child]

        self.retrying(child_id, attempt)

    def child_reach(self, child_id: UUID, *, organization_id: UUID | None = None) -> list[dict[str, Any]]:
        """The contracts (of one organisation, if named) that reach the child,
        and how: "service_area" or "referral". A child who left reaches none,
        nor does a terminated or closed contract (a suspended one still reads);
        one casework does not know is refused (NotFound)."""
        child = self.load(RosterChild, child_id, RosterChildNotFound)
        if not child.active:
            return []
        reach = []
        for row in self.contract_areas.contracts(organization_id):
            if places.covers(row["service_area"], child.town, child.village):
                via = "service_area"
            elif child.is_referred_to(row["contract_id"]):
                via = "referral"
            else:
                continue
            reach.append({"contract_id": row["contract_id"], "organization_id": row["organization_id"], "via": via})
        return reach

    def list_reached(self, contract_id: UUID, *, limit: int, after: str | None) -> list[dict[str, Any]]:
        """The children the contract reaches, in id order (NotFound for a
        contract casework does not know; none for an ended one)."""
        scope = self.find(ContractScope, ContractScope.create_id(contract_id))
        if scope is None:
            raise ContractNotFound(contract_id)
        if not scope.reaches:
            return []
        return self.roster.reached(contract_id, scope.service_area, limit=limit, after=after)

    def reaches(self, child_id: UUID, contract_id: UUID) -> bool:
        """Whether the contract reaches the child (False for a child or a
        contract casework does not know)."""
        child = self.find(RosterChild, child_id)
        scope = self.find(ContractScope, ContractScope.create_id(contract_id))
        if child is None or scope is None or not child.active or not scope.reaches:
            return False
        return places.covers(scope.service_area, child.town, child.village) or child.is_referred_to(contract_id)

    def contracts_covering(self, organization_id: UUID, addresses: list[tuple[str, str]]) -> list[UUID]:
        """The organisation's signed contracts whose service area covers every
        (town, village) named: where its staff may do line-1 work (摸底走访建档,
        卫沙民社函〔2025〕11号 §三.(四).1). Only active contracts: a suspended
        one takes no new work, an ended one none (§七). None when no address is named."""
        if not addresses:
            return []
        return [
            row["contract_id"]
            for row in self.contract_areas.contracts(organization_id, statuses=(ACTIVE,))
            if all(places.covers(row["service_area"], town, village) for town, village in addresses)
        ]
