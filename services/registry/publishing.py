"""Which registry events become public, and in what shape (see shared.contracts).
ID numbers, family details and mental-health data never leave the registry."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.registry.domain.child import PUBLIC_FIELDS, Child


def _public_value(field: str, value: Any) -> Any:
    if field not in PUBLIC_FIELDS:
        return None
    return value.isoformat() if isinstance(value, date) else value


def public_event(e: Any) -> tuple[str, dict[str, Any]] | None:
    child_id = e.originator_id
    if isinstance(e, Child.Registered):
        # v2 adds the line-1 contract, the campaign and the day the child was found.
        return "registry.child_registered.v2", {
            "child_id": child_id,
            "name": e.name,
            "gender": e.gender,
            "date_of_birth": e.date_of_birth,
            "town": e.town,
            "village": e.village,
            "categories": e.categories,
            "registered_on": e.registered_on,
            "contract_id": e.contract_id,
            "campaign_id": e.campaign_id,
            "found_on": e.found_on or e.registered_on,
        }
    if isinstance(e, Child.Corrected):
        return "registry.child_details_corrected.v1", {
            "child_id": child_id,
            "field": e.field,
            "value": _public_value(e.field, e.new),
            "corrected_on": e.corrected_on,
        }
    if isinstance(e, Child.RiskAssessed):
        return "registry.risk_level_assessed.v1", {
            "child_id": child_id,
            "level": e.level,
            "assessed_on": e.assessed_on,
            "next_contact_due": e.next_contact_due,
        }
    if isinstance(e, Child.VisitRecorded):
        # v2 adds the line-1 contract and the household visited.
        return "registry.visit_recorded.v2", {
            "child_id": child_id,
            "visit_id": e.visit_id,
            "visited_on": e.visited_on,
            "visitor": e.visitor,
            "campaign_id": e.campaign_id,
            "contract_id": e.contract_id,
            "household": e.household,
        }
    if isinstance(e, Child.MergedInto):
        return "registry.files_merged.v1", {
            "survivor_id": e.survivor_id,
            "merged_id": child_id,
            "merged_on": e.merged_on,
        }
    if isinstance(e, Child.LeftBehindEnded):
        return "registry.left_behind_status_ended.v1", {"child_id": child_id, "ended_on": e.ended_on}
    if isinstance(e, Child.AgedOut):
        return "registry.child_aged_out.v1", {"child_id": child_id, "aged_out_on": e.aged_out_on}
    if isinstance(e, Child.TransferredOut):
        return "registry.child_transferred_out.v1", {
            "child_id": child_id,
            "transferred_on": e.transferred_on,
            "destination": e.destination,
        }
    return None
