"""Reading files: one file now or as it stood at a moment, its history with
who, when and why, and the lists and statistics of files."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from services.registry.domain.cadence import contact_due
from services.registry.domain.child import Child
from services.registry.exceptions import ChildNotFound
from services.registry.use_cases import history
from services.registry.use_cases.base import RegistryBase


class FileUseCases(RegistryBase):
    def get_child(self, child_id: UUID, as_of: datetime | None = None) -> dict[str, Any]:
        """The file now (a merged-away id gives the surviving file), or as it
        stood at `as_of` (ChildNotFound if it did not exist then)."""
        if as_of is None:
            return self._file(self._surviving_file(child_id))
        version = history.version_at(self, child_id, as_of)
        if version is None:
            raise ChildNotFound(child_id)
        return self._file(self.load(Child, child_id, ChildNotFound, version))

    def _file(self, child: Child) -> dict[str, Any]:
        last = child.last_contact
        risk = child.risk
        return {
            "child_id": child.id,
            **child.facts(),
            "without_household_registration": child.without_household_registration,
            "pending_facts": child.pending_facts,
            "registered_on": child.registered_on,
            "campaign_id": child.campaign_id,
            "contract_id": child.contract_id,
            "found_on": child.found_on,
            "status": child.status,
            "closed_on": child.closed_on,
            "transferred_to": child.transferred_to,
            "merged_into": child.merged_into,
            "merged_from": list(child.absorbed),
            "risk": None
            if risk is None
            else {
                **risk,
                "next_contact_due": contact_due(
                    None if last is None else last["visited_on"], risk["assessed_on"], self.cadence[risk["level"]]
                ),
            },
            "last_contact_on": last and last["visited_on"],
            "visits": list(child.visits),
            "help_records": list(child.help_records),
            "version": child.version,
            "created_on": child.created_on,
            "modified_on": child.modified_on,
        }

    def child_history(self, child_id: UUID) -> list[dict[str, Any]]:
        self.load(Child, child_id, ChildNotFound)
        return history.changes(self, child_id)

    def statistics(self) -> dict[str, Any]:
        return self.children.statistics()
