"""Which registry events become public, and in what shape (see shared.contracts)."""
from __future__ import annotations

from typing import Any

from services.registry.domain import Child


def public_event(domain_event: Any) -> tuple[str, dict[str, Any]] | None:
    if isinstance(domain_event, Child.Registered):
        return "registry.child_registered.v1", {
            "child_id": domain_event.originator_id,
            "name": domain_event.name,
            "gender": domain_event.gender,
            "date_of_birth": domain_event.date_of_birth,
            "town": domain_event.town,
            "village": domain_event.village,
            "categories": domain_event.categories,
            "registered_on": domain_event.registered_on,
        }
    return None
