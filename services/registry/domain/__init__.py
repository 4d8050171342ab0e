"""The registry's domain: the child file and the records around it, with the
pure rules they obey. Standard library, eventsourcing.domain, shared.errors and
shared.vocabulary only (tests/unit/test_architecture.py checks it).

    child.py             Child — one file per child (一人一档): facts, corrections,
                         visits, risk tiers, help records, merges, transfers, ageing
    id_number_claims.py  IdNumberClaim — one per resident ID number (uniqueness)
    dismissals.py        DuplicateDismissal — a candidate pair found not to be one child
    roster_imports.py    RosterImport, RosterRowClaim — a roster file's import at go-live, and the
                         rows it created (nothing is created twice); the row refusal codes
    campaigns.py         ScreeningCampaign — a screening round (摸底排查) and its coverage targets
    rules.py             what a file's facts must satisfy, as {field: [reasons]}
    id_number.py         the GB 11643 resident ID number check
    places.py            the towns and villages of the district (shared/places.py + places.json)
    cadence.py           contact cadence by risk tier and when the next contact is due
    errors.py            the errors the domain raises

The aggregates are re-exported here: records stored before this package existed
name them `services.registry.domain:<Class>`."""

from services.registry.domain.campaigns import ScreeningCampaign
from services.registry.domain.child import Child
from services.registry.domain.dismissals import DuplicateDismissal
from services.registry.domain.id_number_claims import IdNumberClaim

__all__ = ["Child", "DuplicateDismissal", "IdNumberClaim", "ScreeningCampaign"]
