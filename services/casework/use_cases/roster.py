"""The children casework knows from the registry's events (its roster)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from services.casework.domain.roster import RosterChild
from services.casework.exceptions import RosterChildNotFound
from services.casework.use_cases.base import CaseworkBase


class RosterUseCases(CaseworkBase):
    def get_roster_child(self, child_id: UUID) -> dict[str, Any]:
        child = self.load(RosterChild, child_id, RosterChildNotFound)
        return {
            "child_id": child.id,
            "name": child.name,
            "date_of_birth": child.date_of_birth,
            "town": child.town,
            "village": child.village,
            "categories": child.categories,
            "enrolled_at": child.created_on,
            "risk_level": child.risk_level,
            "next_contact_due": child.next_contact_due,
            "in_programme": child.active,
            "left": child.left,
            "open_case_ids": child.open_case_ids,
            "referrals": sorted(child.referrals.values(), key=lambda r: (r["referred_on"], str(r["contract_id"]))),
        }

    def list_roster(self, *, limit: int, after: str | None) -> list[dict[str, Any]]:
        return self.roster.list(limit=limit, after=after)
